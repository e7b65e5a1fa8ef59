"""The AIDF in the register's list: where each listed use case's assessment stands, read in one query for the page (the
register cannot join the AIDF table itself: it sits below this app)."""

from django import template
from django.utils.translation import pgettext_lazy

from fria.models import Fria, FriaStatus

register = template.Library()

# What the register's « Obligations » column says of an AIDF, short ("" : none started yet).
REGISTER_LABELS = {
    "": pgettext_lazy("register: AIDF state", "AIDF to carry out"),
    FriaStatus.DRAFT: pgettext_lazy("register: AIDF state", "AIDF being written"),
    FriaStatus.SUBMITTED: pgettext_lazy("register: AIDF state", "AIDF with the DPO"),
    FriaStatus.APPROVED: pgettext_lazy("register: AIDF state", "AIDF to notify"),
    FriaStatus.NOTIFIED: pgettext_lazy("register: AIDF state", "AIDF notified"),
}


@register.simple_tag
def fria_statuses(use_cases) -> dict[int, str]:
    """{use case id: its AIDF's status} for the listed use cases that require one: one query, none when no listed use
    case requires an AIDF. A use case without an AIDF yet is absent."""
    required = [use_case.pk for use_case in use_cases if use_case.fria_required]
    if not required:
        return {}
    return dict(Fria.objects.filter(use_case_id__in=required).values_list("use_case_id", "status"))


@register.inclusion_tag("fria/_register_badge.html")
def fria_register_badge(use_case, statuses: dict[int, str]) -> dict:
    """The badge of a use case that requires an AIDF, saying where it stands."""
    status = statuses.get(use_case.pk, "")
    return {"label": REGISTER_LABELS[status], "done": status == FriaStatus.NOTIFIED}
