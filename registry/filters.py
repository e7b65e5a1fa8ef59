"""The register list's filters (a plain GET form: it works without JavaScript).

Each dashboard figure of the register is one of these filters' values (`audits.statistics.REGISTER_FIGURES`): the
figure counts the rows of `use_case_condition(values)` and links to the list filtered by the same values, so the
number and the list cannot disagree.
"""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import Access

from . import selectors
from .choices import LIVE_STATUSES, AiActRisk, RgpdSensitivity, Technique, UseCaseStatus

# Periodic re-reviews "due" within this horizon, late ones included (the dashboard's re-reviews).
REREVIEW_HORIZON_DAYS = 90

FLAG_CHOICES = (
    ("dpia", _("DPIA required")),
    ("fria", _("FRIA required")),
    ("ethics", _("Ethics review required")),
    ("blocked", _("Blocked")),
    ("rereview", _("Periodic re-review due within 90 days or late")),
)
AI_SYSTEM_CHOICES = (("yes", _("Yes")), ("no", _("No")))
_FLAG_FIELDS = {
    "dpia": "dpia_required",
    "fria": "fria_required",
    "ethics": "ethics_review_required",
    "blocked": "blocked",
}

# Statuses taken together, as the dashboards count them (`?status=live`); a retired use is out of the register's
# current figures.
STATUS_GROUPS = {
    "current": ~Q(status=UseCaseStatus.RETIRED),
    "live": Q(status__in=LIVE_STATUSES),
    "review": Q(status__in=(UseCaseStatus.SUBMITTED, UseCaseStatus.IN_REVIEW)),
}
STATUS_CHOICES = (
    (
        _("Several statuses"),
        (
            ("current", _("All but retired")),
            ("live", _("Approved or in production")),
            ("review", _("Submitted or in review")),
        ),
    ),
    (_("One status"), tuple(UseCaseStatus.choices)),
)
SCOPE_CHOICES = (("headed", _("The services I head")),)


def rereview_due(today: datetime.date | None = None, days: int = REREVIEW_HORIZON_DAYS) -> Q:
    """Live use cases whose periodic re-review falls due within `days`, or is late."""
    today = today or timezone.localdate()
    return Q(status__in=LIVE_STATUSES, next_review_on__lte=today + datetime.timedelta(days=days))


def status_condition(value: str) -> Q:
    return STATUS_GROUPS[value] if value in STATUS_GROUPS else Q(status=value)


def flag_condition(value: str) -> Q:
    if value == "rereview":
        return rereview_due()
    return Q(**{_FLAG_FIELDS[value]: True})


def services_condition(paths) -> Q:
    """The use cases of these services and of the services below them (none without a path)."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(service__path__startswith=path)
    return condition


def use_case_condition(values: dict[str, str]) -> Q:
    """The condition the list's status, risk and obligation filters apply for these values: what a dashboard figure
    counts (the scope of services is the figure's queryset, the list's `scope` filter)."""
    conditions = {"status": status_condition, "ai_act_risk": lambda value: Q(ai_act_risk=value), "flag": flag_condition}
    condition = Q()
    for name, value in values.items():
        condition &= conditions[name](value)
    return condition


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
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("All statuses")
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
    scope = django_filters.ChoiceFilter(
        label=_("Scope"),
        choices=SCOPE_CHOICES,
        method="filter_scope",
        empty_label=_("Everything I may see"),
        help_text=_("And the services below them."),
    )

    def __init__(self, data=None, queryset=None, *, access: Access, **kwargs):
        super().__init__(data, queryset, access=access, **kwargs)
        self.access = access
        if access.sees_all or not access.headed_service_paths:
            # Only a head of service sees more than their services (their own uses, those shared with them).
            del self.filters["scope"]
            del self.form.fields["scope"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(reference__icontains=value) | Q(name__icontains=value) | Q(summary__icontains=value))

    def filter_ai_system(self, queryset, name, value):
        return queryset.filter(ai_system=value == "yes")

    def filter_status(self, queryset, name, value):
        return queryset.filter(status_condition(value))

    def filter_flag(self, queryset, name, value):
        return queryset.filter(flag_condition(value))

    def filter_scope(self, queryset, name, value):
        return queryset.filter(services_condition(self.access.headed_service_paths))
