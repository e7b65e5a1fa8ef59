"""The annual audit report of a collectivité: the year's figures and charts (the dashboard's), the non-conformities
found in the register and the action list that corrects them, and the AI Act's obligations with the date each applies
from and the use cases it concerns.

It goes to the CNIL, to auditors and to the elected council. The register (use cases, checkpoints) is read as it
stands on the day of generation, the flows (incidents, declarations, decisions, committee sessions) over the
document's year; everything at a fixed number of queries whatever the size of the register.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.models import Document
from documents.pdf import PdfSpec
from explanations.selectors import annual_statistics as explanation_statistics
from fria.selectors import fria_overview
from reporting import statistics

SECTIONS = (
    ("summary", gettext_lazy("Key figures")),
    ("register", gettext_lazy("The register of AI uses")),
    ("ai-act", gettext_lazy("AI Act obligations and their dates of application")),
    ("fria", gettext_lazy("Fundamental rights impact assessments (AIDF)")),
    ("checkpoints", gettext_lazy("Human-control checkpoints")),
    ("incidents", gettext_lazy("Incidents")),
    ("explanations", gettext_lazy("Requests for an explanation of individual decisions")),
    ("declarations", gettext_lazy("Shadow-AI declarations")),
    ("charter", gettext_lazy("Charter acknowledgements")),
    ("reviews", gettext_lazy("Reviews and decisions of the year")),
    ("non-conformities", gettext_lazy("Non-conformities")),
    ("actions", gettext_lazy("Action list")),
    ("decisions", gettext_lazy("Annex: decisions of the year")),
)

NON_CONFORMITY_TITLES = {
    "blocked": gettext_lazy("Blocked use cases"),
    "breach": gettext_lazy("Personal-data breaches"),
    "overdue": gettext_lazy("Overdue controls"),
    "without_owner": gettext_lazy("Mandatory checkpoints without an owner"),
    "dpia": gettext_lazy("DPIA required but not done (DPO opinion)"),
    "fria": gettext_lazy("High-risk uses without a recorded FRIA"),
    "stale": gettext_lazy("Approvals out of date"),
    "suspended": gettext_lazy("Suspended uses"),
    "rereview": gettext_lazy("Periodic re-reviews overdue"),
    "public_register": gettext_lazy("Algorithms founding individual decisions not in the public register"),
}
NON_CONFORMITY_BASIS = {
    "blocked": gettext_lazy("AI Act art. 5; the collectivité's tool and data rules"),
    "breach": gettext_lazy("RGPD art. 33 and 34"),
    "overdue": gettext_lazy("AI Act art. 26; the checkpoint's schedule"),
    "without_owner": gettext_lazy("AI Act art. 26(2): oversight entrusted to named people"),
    "dpia": gettext_lazy("RGPD art. 35"),
    "fria": gettext_lazy("AI Act art. 27"),
    "stale": gettext_lazy("The register's review rules: a material change needs a new review"),
    "suspended": gettext_lazy("AI Act art. 26(5)"),
    "rereview": gettext_lazy("The collectivité's re-review schedule"),
    "public_register": gettext_lazy("CRPA art. L312-1-3"),
}


def context(collectivite, year: int, *, today=None) -> dict:
    today = today or timezone.localdate()
    figures = statistics.collectivite_figures(collectivite, year, today=today, with_items=True)
    found = statistics.non_conformities(collectivite, year, today=today)
    decisions = statistics.decisions_of_year(collectivite.pk, year)
    application = statistics.ai_act_application(statistics.use_case_scope(collectivite.pk), today=today)
    charts = statistics.charts_for(figures, prefix="report-")
    compliance = figures.compliance
    for checkpoint in compliance["overdue"]:
        checkpoint.days_late = (today - checkpoint.next_due).days
    groups = [
        {
            "kind": kind,
            "title": NON_CONFORMITY_TITLES[kind],
            "basis": NON_CONFORMITY_BASIS[kind],
            "items": items,
        }
        for kind, items in found.items()
    ]
    actions = statistics.action_list(found)
    start, end = statistics.year_bounds(year)
    incident_notifications = statistics.incident_notification_figures(
        statistics.use_case_scope(collectivite.pk), start, end
    )
    rates = figures.acknowledgements
    return {
        "year": year,
        "today": today,
        "figures": figures,
        "register": figures.register,
        "application": application,
        "compliance": compliance,
        "incidents": figures.incidents,
        "incident_notifications": incident_notifications,
        "declarations": figures.declarations,
        "acknowledgements": rates,
        "decisions": decisions,
        "charts": charts,
        "non_conformity_groups": groups,
        "non_conformity_count": sum(len(items) for items in found.values()),
        "actions": actions,
        "action_groups": action_groups(actions),
        "sections": SECTIONS,
        "fria": fria_overview(collectivite.pk),
        "explanations": explanation_statistics(collectivite_ids=[collectivite.pk], year=year, today=today),
    }


def action_groups(actions) -> list[dict]:
    """The action list grouped by non-conformity and action (the same action is written once for all its subjects),
    in the order of the soonest target date, the items numbered throughout."""
    groups: dict[tuple[str, str], dict] = {}
    for item in actions:
        group = groups.setdefault((item.title, item.action), {"title": item.title, "action": item.action, "items": []})
        group["items"].append(item)
    number = 0
    for group in groups.values():
        for item in group["items"]:
            number += 1
            item.number = number
    return list(groups.values())


def build(document: Document) -> PdfSpec:
    collectivite = document.collectivite
    # Built in the collectivité's language, as it is rendered (a worker has no request to take it from).
    with translation.override(settings.LANGUAGE_CODE):
        return PdfSpec(
            template="documents/annual_report.html",
            title=_("Annual audit report %(year)s") % {"year": document.year},
            subtitle=_("The uses of artificial intelligence: figures, non-conformities and actions"),
            context=context(collectivite, document.year),
            toc=[(anchor, str(label)) for anchor, label in SECTIONS],
        )
