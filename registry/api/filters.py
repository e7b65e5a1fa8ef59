"""Query filters of the API lists: the register's, the catalogue's and the declarations', with DOMAIN.md codes."""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from rest_framework.filters import OrderingFilter

from core.access import get_access
from core.middleware import current_collectivite

from ..choices import (
    AiActRisk,
    HostingZone,
    RgpdSensitivity,
    Technique,
    ToolCategory,
    ToolStatus,
    UseCaseStatus,
)
from ..filters import service_subtree
from ..models import Service, Tool, UseCase
from ..selectors import services_of, tools_of


class CodeChoiceFormField(django_filters.fields.ChoiceField):
    """Refuses an unknown code naming the allowed values, as the API's serializers do."""

    def validate(self, value):
        try:
            super().validate(value)
        except ValidationError as error:
            if error.code != "invalid_choice":
                raise
            allowed = ", ".join(str(code) for code, _label in self.choices if code != "")
            raise ValidationError(
                _("“%(value)s” is not an allowed code. Allowed values: %(allowed)s."),
                code="invalid_choice",
                params={"value": value, "allowed": allowed},
            ) from error


class CodeChoiceFilter(django_filters.ChoiceFilter):
    field_class = CodeChoiceFormField


def _access(request):
    return get_access(request.user, current_collectivite(request))


def _scoped_services(request):
    if request is None:
        return Service.objects.none()
    return services_of(_access(request))


def _scoped_tools(request):
    if request is None:
        return Tool.objects.none()
    return tools_of(_access(request))


class UseCaseFilter(django_filters.FilterSet):
    service = django_filters.ModelChoiceFilter(
        queryset=_scoped_services,
        method="filter_service",
        label=_("Service (a direction includes the services below it)"),
    )
    status = CodeChoiceFilter(choices=UseCaseStatus.choices)
    ai_act_risk = CodeChoiceFilter(choices=AiActRisk.choices)
    # `false`: the algorithms written solely by people, outside the AI Act but still under the RGPD and the CRPA.
    ai_system = django_filters.BooleanFilter(label=_("AI system"))
    technique = CodeChoiceFilter(choices=Technique.choices)
    rgpd_sensitivity = CodeChoiceFilter(choices=RgpdSensitivity.choices)
    tool = django_filters.ModelChoiceFilter(queryset=_scoped_tools)
    blocked = django_filters.BooleanFilter()
    dpia_required = django_filters.BooleanFilter()
    ethics_review_required = django_filters.BooleanFilter()
    # The guided qualification (DOMAIN.md 3b): what waits for the DPO, and the use cases whose facts are to complete.
    qualification_to_confirm = django_filters.BooleanFilter(label=_("Qualification to confirm by the DPO"))
    facts_to_complete = django_filters.BooleanFilter(label=_("Facts of the questionnaire to complete"))

    class Meta:
        model = UseCase
        fields = (
            "service",
            "status",
            "ai_act_risk",
            "ai_system",
            "technique",
            "rgpd_sensitivity",
            "tool",
            "blocked",
            "dpia_required",
            "ethics_review_required",
            "qualification_to_confirm",
            "facts_to_complete",
        )

    def filter_service(self, queryset, name, service):
        return service_subtree(queryset, service)


class ToolFilter(django_filters.FilterSet):
    status = CodeChoiceFilter(choices=ToolStatus.choices)
    category = CodeChoiceFilter(choices=ToolCategory.choices)
    hosting_zone = CodeChoiceFilter(choices=HostingZone.choices)

    class Meta:
        model = Tool
        fields = ("status", "category", "hosting_zone")


# AI Act risk from the lightest to the heaviest, so that `ordering=-ai_act_risk` puts the riskiest first.
RISK_RANK = Case(
    *(When(ai_act_risk=code, then=Value(rank)) for rank, code in enumerate(reversed(AiActRisk.values))),
    default=Value(-1),
    output_field=IntegerField(),
)


class UseCaseOrderingFilter(OrderingFilter):
    """Orders by the requested fields, AI Act risk by severity, and always ends with the view's `ordering_tiebreak`
    (the id by default) for stable pages."""

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        if any(term.lstrip("-") == "ai_act_risk" for term in ordering):
            queryset = queryset.annotate(ai_act_risk_rank=RISK_RANK)
            ordering = [term.replace("ai_act_risk", "ai_act_risk_rank") for term in ordering]
        return queryset.order_by(*ordering, *getattr(view, "ordering_tiebreak", ("-id",)))
