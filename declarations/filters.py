"""The triage queue's filters (a plain GET form: it works without JavaScript)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from declarations.services import OPEN_STATUSES
from registry.choices import DeclarationStatus, RiskLevel
from registry.filters import ScopedFilterSet

OPEN = "open"
# What the dashboards count as waiting for triage (audits.statistics.declarations_waiting) and link to.
WAITING = "waiting"
WAITING_STATUSES = (DeclarationStatus.RECEIVED, DeclarationStatus.ANALYSING)
STATUS_CHOICES = (
    (OPEN, _("Open (to handle)")),
    (WAITING, _("Waiting for triage (received or being analysed)")),
    *DeclarationStatus.choices,
)
RISK_CHOICES = tuple(reversed(RiskLevel.choices))  # the riskiest first, as the queue reads

BREACH_CHOICES = (
    ("possible", _("Possible breach")),
    ("to_assess", _("Possible breach to assess")),
    ("overdue", _("Assessment overdue (more than 72 hours)")),
)


def breach_to_assess() -> Q:
    return Q(possible_breach=True, breach_outcome="")


def breach_overdue() -> Q:
    return breach_to_assess() & Q(breach_deadline__lt=timezone.now())


class DeclarationFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Reference, tool or use")}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("All statuses")
    )
    risk_level = django_filters.ChoiceFilter(label=_("Risk"), choices=RISK_CHOICES, empty_label=_("All risk levels"))
    breach = django_filters.ChoiceFilter(
        label=_("Personal-data breach"),
        choices=BREACH_CHOICES,
        method="filter_breach",
        empty_label=_("With or without"),
    )
    service = django_filters.ModelChoiceFilter(
        label=_("Service"),
        queryset=None,
        method="filter_service",
        empty_label=_("All services"),
        help_text=_("Includes the services below it. Anonymous declarations have no service."),
    )
    tool = django_filters.ModelChoiceFilter(label=_("Tool"), queryset=None, empty_label=_("All tools"))

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(tool__name__icontains=value)
            | Q(tool_name__icontains=value)
            | Q(tasks__icontains=value)
        )

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == WAITING:
            return queryset.filter(status__in=WAITING_STATUSES)
        return queryset.filter(status=value)

    def filter_breach(self, queryset, name, value):
        condition = {
            "possible": Q(possible_breach=True),
            "to_assess": breach_to_assess(),
            "overdue": breach_overdue(),
        }[value]
        return queryset.filter(condition)
