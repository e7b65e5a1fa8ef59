"""Reads of use cases, services and tools, filtered by what the user may see."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format

from core.access import Access

from .. import qualification
from ..choices import VISIBLE_TO_SERVICE_STATUSES
from ..models import (
    Collectivite,
    Service,
    Tool,
    UseCase,
    UseCaseGroupObjectPermission,
    UseCaseUserObjectPermission,
)
from ..models.use_cases import CLASSIFICATION_RESULT_FIELDS

# The object permissions that let a person see a use case outside their scope.
SHARING_CODENAMES = ("view_usecase", "review_usecase")


def collectivites_for_user(user) -> QuerySet[Collectivite]:
    if not user.is_authenticated:
        return Collectivite.objects.none()
    return Collectivite.objects.filter(memberships__user=user).distinct().order_by("name")


def use_case_visibility_filter(user, access: Access) -> Q | None:
    """The condition a use case meets to be visible to the user; None means every use case of the collectivité."""
    if access.sees_all:
        return None
    condition = Q(owner=user)
    for path in access.headed_service_paths:
        condition |= Q(service__path__startswith=path)
    if access.agent_service_ids:
        condition |= Q(service_id__in=access.agent_service_ids, status__in=VISIBLE_TO_SERVICE_STATUSES)
    # Shared with the person, or on the agenda of their ethics committee's sessions: what guardian's
    # get_objects_for_user(any_perm, no global perms, no superuser) finds, read straight from the direct
    # foreign-key permission tables (its queryset, nested in this condition, made PostgreSQL scan the register
    # twice: the head of service's list took 61 ms at 10,000 use cases, docs/benchmarks.md).
    permissions = Permission.objects.filter(content_type__app_label="registry", codename__in=SHARING_CODENAMES)
    condition |= Q(
        pk__in=UseCaseUserObjectPermission.objects.filter(user=user, permission__in=permissions).values(
            "content_object_id"
        )
    )
    condition |= Q(
        pk__in=UseCaseGroupObjectPermission.objects.filter(group__user=user, permission__in=permissions).values(
            "content_object_id"
        )
    )
    return condition


def use_cases_visible_to(user, access: Access) -> QuerySet[UseCase]:
    if not access.is_member:
        return UseCase.objects.none()
    queryset = UseCase.objects.filter(collectivite_id=access.collectivite_id)
    condition = use_case_visibility_filter(user, access)
    if condition is not None:
        queryset = queryset.filter(condition)
    return queryset


# What a row of the register's list shows (the web page and the API's summary rows), with its service, owner and
# tool: the lists load these columns only, never the texts nor the classification's reasons (JSON decoded per row).
LIST_COLUMNS = (
    "id",
    "collectivite_id",
    "reference",
    "name",
    "summary",
    "service",
    "owner",
    "tool",
    "status",
    *CLASSIFICATION_RESULT_FIELDS,
    "qualification_to_confirm",
    "facts_to_complete",
    "version",
    "created_at",
    "updated_at",
    "submitted_at",
    "next_review_on",
    "service__code",
    "service__name",
    "service__path",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
    "tool__name",
    "tool__status",
)


def use_case_list(user, access: Access) -> QuerySet[UseCase]:
    """The register as the user may see it, with what a list row shows loaded in the same query."""
    return use_cases_visible_to(user, access).select_related("service", "owner", "tool").order_by("-updated_at", "-id")


def use_case_rows(user, access: Access) -> QuerySet[UseCase]:
    """`use_case_list` loading only the list's columns (LIST_COLUMNS): the register page and the API's list."""
    return use_case_list(user, access).only(*LIST_COLUMNS)


def use_case_detail(user, access: Access) -> QuerySet[UseCase]:
    return use_cases_visible_to(user, access).select_related("service", "owner", "tool", "collectivite")


def services_of(access: Access) -> QuerySet[Service]:
    if not access.is_member:
        return Service.objects.none()
    return Service.objects.filter(collectivite_id=access.collectivite_id).select_related("parent")


def tools_of(access: Access) -> QuerySet[Tool]:
    if not access.is_member:
        return Tool.objects.none()
    return Tool.objects.filter(collectivite_id=access.collectivite_id)


def use_case_history(use_case) -> list[dict]:
    """Every recorded version of a use case with the fields it changed, before and after, newest first.

    Costs two queries plus one per kind of related object that changed (service, owner, tool), whatever
    the number of versions.
    """
    records = list(use_case.history.select_related("history_user").order_by("history_date", "history_id"))
    labels = {f.name: f.verbose_name for f in UseCase._meta.fields}
    raw = []
    related_ids: dict[str, set] = {}
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            for name in HISTORY_FIELDS:
                old, new = getattr(previous, _attname(name)), getattr(record, _attname(name))
                if old != new:
                    changes.append((name, old, new))
                    if UseCase._meta.get_field(name).is_relation:
                        related_ids.setdefault(name, set()).update(v for v in (old, new) if v is not None)
        raw.append((record, changes))
        previous = record
    related = {
        name: {obj.pk: str(obj) for obj in UseCase._meta.get_field(name).related_model.objects.filter(pk__in=ids)}
        for name, ids in related_ids.items()
    }
    entries = [
        {
            "date": record.history_date,
            "user": record.history_user,
            "type": record.history_type,
            "changes": [
                {
                    "field": name,
                    "label": labels.get(name, name),
                    "old": _display(name, old, related),
                    "new": _display(name, new, related),
                }
                for name, old, new in changes
            ],
        }
        for record, changes in raw
    ]
    entries.reverse()
    return entries


# Every field a reader cares about, derived classification included (simple-history's own diff skips
# non-editable fields); bookkeeping fields are left out.
HISTORY_FIELDS = [
    f.name
    for f in UseCase._meta.fields
    if f.name not in {"id", "collectivite", "version", "created_at", "updated_at", "classification_reasons"}
]


def _display_overrides(value: dict) -> str:
    from .. import presenters

    return " ; ".join(
        f"{presenters.input_label(name)} → {presenters.input_value_label(name, item.get('value'))}"
        f" ({item.get('by_name', '')})"
        for name, item in value.items()
    )


def _display_confirmation(value: dict) -> str:
    at = parse_datetime(value.get("at") or "")
    when = date_format(timezone.localtime(at), "DATETIME_FORMAT") if at else ""
    return ", ".join(part for part in (value.get("by_name", ""), when) if part)


def _display_questions(value: list) -> str:
    facts = qualification.FACTS_BY_NAME
    return " ; ".join(
        str(facts[item["question"]].question) if item.get("question") in facts else str(item) for item in value
    )


def _display_inputs(value: list) -> str:
    from .. import presenters

    return ", ".join(presenters.input_label(name) for name in value)


def _fact_display(name: str):
    fact = qualification.FACTS_BY_NAME[name]
    return lambda value: ", ".join(fact.label_of(code) for code in value)


# The guided qualification's fields as a reader reads them (DOMAIN.md 3b): the answers ticked, the legal answers the
# DPO set (her justification is in the trail of events), her confirmation, the questions and overrides pending.
_QUALIFICATION_DISPLAY = {
    "qualification_overrides": _display_overrides,
    "qualification_confirmation": _display_confirmation,
    "qualification_questions": _display_questions,
    "overrides_to_review": _display_inputs,
    **{fact.name: _fact_display(fact.name) for fact in qualification.FACTS if fact.multiple},
}


def _attname(name: str) -> str:
    return UseCase._meta.get_field(name).attname


def _display(field_name: str, value, related: dict) -> str:
    from django.utils.translation import gettext as _

    field = UseCase._meta.get_field(field_name)
    if value in (None, "", [], {}):
        return "—"
    if field_name in _QUALIFICATION_DISPLAY:
        return _QUALIFICATION_DISPLAY[field_name](value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if field_name in {"art5_practices", "art50_features", "personal_data_categories", "required_checkpoints"}:
        from ..models.use_cases import MULTI_CODE_FIELDS

        if field_name == "required_checkpoints":
            from ..choices import Checkpoint as choices
        else:
            choices = MULTI_CODE_FIELDS[field_name]
        mapping = dict(choices.choices)
        return ", ".join(str(mapping.get(v, v)) for v in value) or "—"
    if field.is_relation:
        return related.get(field_name, {}).get(value, f"#{value}")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return str(value)
