"""The home page: a dashboard per role, at a fixed number of queries whatever the size of the register.

Everyone sees what waits for them (the sections of "Mes tâches"). The DPO, the RSSI, the DGS and administrators see
the whole register at a glance (risk, status, services, compliance, overdue controls, re-reviews due, and for those
who triage them the latest declarations); a head of service sees the same for their services; the others (agents,
committee members) see their own declarations and checkpoints, the charter to acknowledge and how to declare a use.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from audits import schedule
from audits import selectors as audit_selectors
from charter.selectors import acknowledgement_of, current_edition
from core.views import member_required
from declarations import selectors as declaration_selectors
from declarations.permissions import can_triage
from documents.models import Document
from documents.permissions import can_request_document
from explanations import permissions as explanation_permissions
from explanations import selectors as explanation_selectors
from registry import selectors
from reporting import my_tasks, statistics
from reporting.templatetags.review_tags import BADGE_CAP
from reporting.views.my_tasks import TASK_SECTIONS

CHART_WIDTH = 520
WIDE_CHART_WIDTH = 1000
LIST_SIZE = 8


def _figures(key: str, compute):
    """The declarations' chart over twelve months, kept DASHBOARD_CACHE_SECONDS per collectivité and language: at
    50,000 declarations its aggregate was the dashboard's dearest (docs/benchmarks.md), and it links to no list.
    Every figure that opens a list is counted live, as the list is (issue 17: a figure equals its list)."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return compute()
    key = f"dashboard:{key}:{translation.get_language()}:{timezone.localdate().isoformat()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def _task_sections(user, access) -> tuple[list[dict], int]:
    # Each section counted up to BADGE_CAP + 1, shown "99+" beyond (the tasks page has the exact totals).
    counts = my_tasks.task_counts(user, access, cap=BADGE_CAP + 1)
    sections = [
        {"code": code, "title": title, "count": counts[code]}
        for code, title, _empty in TASK_SECTIONS
        if counts.get(code)
    ]
    return sections, sum(counts.values())


def _list_url(name: str, values: dict) -> str:
    return f"{reverse(name)}?{urlencode(values)}" if values else reverse(name)


def _register_block(user, access, use_cases, *, prefix: str, list_filter: dict) -> dict:
    """The register of a scope at a glance: charts, compliance, overdue controls, re-reviews due. Each key figure
    links to the register's list filtered as the figure counts (`list_filter` narrows it to the scope)."""
    register = statistics.register_figures(use_cases)
    links = {
        name: _list_url("registry:use_case_list", {**values, **list_filter})
        for name, values in statistics.REGISTER_FIGURES.items()
    }
    links["rereviews"] = _list_url("registry:use_case_list", {**statistics.REREVIEW_FILTER, **list_filter})
    compliance = audit_selectors.compliance_summary(user, access, overdue_limit=LIST_SIZE, per_use_case=False)
    charts = {
        "risk": statistics.risk_chart(register, prefix=prefix, width=CHART_WIDTH),
        "status": statistics.status_chart(register, prefix=prefix, width=CHART_WIDTH),
        "service": statistics.service_chart(register, prefix=prefix, width=WIDE_CHART_WIDTH),
        "compliance": statistics.compliance_chart(compliance, prefix=prefix),
    }
    overdue = compliance["overdue"]
    for checkpoint in overdue:
        checkpoint.days_late = (compliance["today"] - checkpoint.next_due).days
    return {
        "register": register,
        "links": links,
        "charts": charts,
        "compliance": compliance["overall"],
        "overdue": overdue,
        "overdue_total": compliance["overdue_total"],
        "rereviews": statistics.upcoming_rereviews(use_cases, limit=LIST_SIZE),
        # Incidents whose notification to the provider, the authority or the CNIL is overdue (AI Act 73, RGPD 33).
        "overdue_incidents": len(audit_selectors.overdue_incidents_for_compliance(user, access)),
    }


def _triage_block(access) -> dict:
    start, end = statistics.last_twelve_months()
    figures = _figures(
        f"declarations:{access.collectivite_id}",
        lambda: statistics.declaration_figures(access.collectivite_id, start, end),
    )
    waiting = statistics.declarations_waiting(access.collectivite_id)
    return {
        "recent": statistics.recent_declarations(access.collectivite_id, limit=5),
        "waiting": waiting["total"],
        "breaches_unassessed": waiting["breaches_unassessed"],
        "chart": statistics.declarations_chart(figures, prefix="dash-", width=600),
    }


def _charter_block(user, access) -> dict | None:
    """The charter in force and whether the person acknowledged it (two queries), or None without a charter."""
    edition = current_edition(access)
    if edition is None:
        return None
    return {"edition": edition, "acknowledged": acknowledgement_of(edition, user), "url": reverse("charter:current")}


def _personal_block(user, access) -> dict:
    today = timezone.localdate()
    mine = audit_selectors.my_checkpoints(user, access)
    checkpoint_counts = mine.order_by().aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(next_due__lt=today)),
        due_soon=Count(
            "pk",
            filter=Q(next_due__gte=today, next_due__lte=today + datetime.timedelta(days=schedule.DUE_SOON_DAYS)),
        ),
    )
    return {
        "declarations": list(declaration_selectors.my_declarations(user, access)[:5]),
        "checkpoints": list(mine[:5]),
        "checkpoint_counts": checkpoint_counts,
        "charter": _charter_block(user, access),
    }


def dashboard_context(user, access) -> dict:
    today = timezone.localdate()
    tasks, task_count = _task_sections(user, access)
    context = {"tasks": tasks, "task_count": task_count, "today": today, "year": today.year}
    if access.sees_all:
        use_cases = statistics.use_case_scope(access.collectivite_id)
        context["overview"] = _register_block(user, access, use_cases, prefix="dash-", list_filter={})
        if can_triage(access):
            context["triage"] = _triage_block(access)
        context["annual_report"] = can_request_document(user, access, Document.Kind.ANNUAL_REPORT, year=today.year)
    elif access.headed_service_paths:
        use_cases = statistics.use_case_scope(access.collectivite_id, service_paths=access.headed_service_paths)
        # Their register list holds more than their services (their own uses, those shared with them): the links say
        # which scope the figures count.
        context["services_block"] = _register_block(
            user, access, use_cases, prefix="dash-", list_filter={"scope": "headed"}
        )
        context["headed_services"] = list(
            selectors.services_of(access).filter(pk__in=access.headed_service_ids).order_by("path")
        )
    if explanation_permissions.can_see_queue(access):
        # Requests for an explanation: open, and past their one-month deadline (a refusal the CADA may hear).
        context["explanations"] = explanation_selectors.open_counts(access, today=today)
    if not access.sees_all:
        context["personal"] = _personal_block(user, access)
    return context


@require_GET
@member_required
def dashboard(request, access):
    return render(request, "registry/dashboard.html", dashboard_context(request.user, access))


def home(request):
    """The home page: a dashboard per role (`views.dashboard`); visitors go to the login page."""
    if not request.user.is_authenticated:
        return redirect("login")
    from reporting.views.dashboard import dashboard

    return dashboard(request)
