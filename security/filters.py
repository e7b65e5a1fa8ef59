"""The journal's filters (a plain GET form): kind of event, person, date range."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import SecurityEvent


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


class JournalFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end of the period comes before its start."))
        return data


class SecurityEventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Event"), choices=SecurityEvent.Kind.choices, empty_label=_("All"))
    person = django_filters.CharFilter(
        label=_("Person"),
        method="filter_person",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Username or name")}),
    )
    since = django_filters.DateFilter(
        label=_("From"), method="filter_since", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    until = django_filters.DateFilter(
        label=_("To"), method="filter_until", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    class Meta:
        model = SecurityEvent
        fields = ["kind"]
        form = JournalFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )

    def filter_person(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(actor_username__icontains=value)
            | Q(username_attempted__icontains=value)
            | Q(subject_user__username__icontains=value)
            | Q(subject_user__last_name__icontains=value)
            | Q(subject_user__first_name__icontains=value)
        )

    def filter_since(self, queryset, name, value):
        return queryset.filter(created_at__gte=_start_of(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(created_at__lt=_start_of(value + timedelta(days=1)))

    @property
    def active_count(self) -> int:
        if not self.is_bound:
            return 0
        return sum(1 for name in self.filters if self.data.get(name))
