"""The register list's filters (a plain GET form: it works without JavaScript)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import selectors
from .choices import AiActRisk, RgpdSensitivity, Technique, UseCaseStatus
from .permissions import Access

FLAG_CHOICES = (
    ("dpia", _("DPIA required")),
    ("fria", _("FRIA required")),
    ("ethics", _("Ethics review required")),
    ("blocked", _("Blocked")),
)
AI_SYSTEM_CHOICES = (("yes", _("Yes")), ("no", _("No")))
_FLAG_FIELDS = {
    "dpia": "dpia_required",
    "fria": "fria_required",
    "ethics": "ethics_review_required",
    "blocked": "blocked",
}


def service_subtree(queryset, service):
    """The rows of the service chosen and of the services below it (a direction includes its services)."""
    return queryset.filter(service__path__startswith=service.path)


class ScopedFilterSet(django_filters.FilterSet):
    """A list's filters within what the reader may see: its `service` and `tool` filters offer the
    collectivité's own, the service filter includes the services below the one chosen."""

    def __init__(self, data=None, queryset=None, *, access: Access, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["service"].queryset = selectors.services_of(access).order_by("path")
        self.filters["tool"].queryset = selectors.tools_of(access).order_by("name")
        form = self.form
        # Indent sub-services under their direction, so the tree reads in a flat list.
        form.fields["service"].label_from_instance = lambda service: "\u00a0\u00a0" * service.depth + str(service)
        for form_field in form.fields.values():
            css = "form-select" if isinstance(form_field.widget, forms.Select) else "form-control"
            form_field.widget.attrs.setdefault("class", css)

    def filter_service(self, queryset, name, value):
        return service_subtree(queryset, value)

    @property
    def active_count(self) -> int:
        """How many filters the reader has set (shown next to the form's title)."""
        if not self.is_bound:
            return 0
        return sum(1 for name in self.filters if self.data.get(name))


class UseCaseFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Reference, name or summary")}),
    )
    service = django_filters.ModelChoiceFilter(
        label=_("Service"),
        queryset=None,
        method="filter_service",
        empty_label=_("All services"),
        help_text=_("Includes the services below it."),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=UseCaseStatus.choices, empty_label=_("All statuses")
    )
    ai_act_risk = django_filters.ChoiceFilter(
        label=_("AI Act risk"), choices=AiActRisk.choices, empty_label=_("All risk levels")
    )
    ai_system = django_filters.ChoiceFilter(
        label=_("AI system"),
        choices=AI_SYSTEM_CHOICES,
        method="filter_ai_system",
        empty_label=_("All, AI or not"),
        help_text=_("“No”: rules written solely by people, outside the AI Act."),
    )
    technique = django_filters.ChoiceFilter(
        label=_("Technique"), choices=Technique.choices, empty_label=_("All techniques")
    )
    rgpd_sensitivity = django_filters.ChoiceFilter(
        label=_("RGPD sensitivity"), choices=RgpdSensitivity.choices, empty_label=_("All sensitivities")
    )
    tool = django_filters.ModelChoiceFilter(label=_("Tool"), queryset=None, empty_label=_("All tools"))
    flag = django_filters.ChoiceFilter(
        label=_("Obligation"), choices=FLAG_CHOICES, method="filter_flag", empty_label=_("All obligations")
    )

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(reference__icontains=value) | Q(name__icontains=value) | Q(summary__icontains=value))

    def filter_ai_system(self, queryset, name, value):
        return queryset.filter(ai_system=value == "yes")

    def filter_flag(self, queryset, name, value):
        return queryset.filter(**{_FLAG_FIELDS[value]: True})
