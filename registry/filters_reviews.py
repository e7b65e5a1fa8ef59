"""The review queue's filters (a plain GET form: it works without JavaScript)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from .choices import OPEN_REVIEW_STATUSES, ReviewKind, ReviewStatus
from .filters import ScopedFilterSet
from .models import Opinion

OPEN = "open"
STATUS_CHOICES = ((OPEN, _("Open (opinions or committee)")), *ReviewStatus.choices)
MINE_CHOICES = (("yes", _("Waiting for my opinion")),)


def open_first(queryset):
    """Open rounds first (the work to do), then the newest."""
    return queryset.annotate(
        closed_rank=Case(
            When(status__in=OPEN_REVIEW_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("closed_rank", "-opened_at", "-id")


class ReviewFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Reference or name of the use case")}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("All statuses")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ReviewKind.choices, empty_label=_("All kinds"))
    mine = django_filters.ChoiceFilter(
        label=_("My opinion"), choices=MINE_CHOICES, method="filter_mine", empty_label=_("Given or not")
    )
    service = django_filters.ModelChoiceFilter(
        label=_("Service"),
        queryset=None,
        method="filter_service",
        empty_label=_("All services"),
        help_text=_("Includes the services below it."),
    )
    tool = django_filters.ModelChoiceFilter(
        label=_("Tool"), queryset=None, field_name="use_case__tool", empty_label=_("All tools")
    )

    def __init__(self, data=None, queryset=None, *, access, reviewer_roles=(), **kwargs):
        super().__init__(data, open_first(queryset), access=access, **kwargs)
        self.reviewer_roles = list(reviewer_roles)
        if not self.reviewer_roles:
            # Only the DPO and the RSSI give opinions.
            del self.filters["mine"]
            del self.form.fields["mine"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(use_case__reference__icontains=value) | Q(use_case__name__icontains=value))

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status__in=OPEN_REVIEW_STATUSES)
        return queryset.filter(status=value)

    def filter_service(self, queryset, name, value):
        return queryset.filter(use_case__service__path__startswith=value.path)

    def filter_mine(self, queryset, name, value):
        missing = Q()
        for role in self.reviewer_roles:
            missing |= ~Exists(Opinion.objects.filter(review=OuterRef("pk"), role=role))
        return queryset.filter(status=ReviewStatus.OPINIONS).filter(missing)
