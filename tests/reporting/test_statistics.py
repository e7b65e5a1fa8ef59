"""The figures of a collectivité: what they count, what they leave out, and a fixed number of queries."""

import datetime

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.models import Checkpoint, Incident
from core.access import get_access
from registry.choices import UseCaseStatus
from registry.models import ApplicationDate
from reporting import statistics
from reporting.my_tasks import pending_task_count, task_counts
from tests.registry.factories import ServiceFactory
from tests.reporting.statistics_support import (
    at,
    checkpoint,
    decided_review,
    declaration,
    dpo_opinion,
    incident,
    published_charter,
    use_case,
)

pytestmark = pytest.mark.django_db


def by_code(figures):
    return {f.code: f.value for f in figures}


@pytest.fixture
def register(collectivite, services, users, other_collectivite, outsider):
    ccas, com = services["ccas"], services["communication"]
    owner = users["chef"]
    cases = {
        "minimal_live": use_case(collectivite, ccas, owner),
        "minimal_draft": use_case(collectivite, ccas, owner, status=UseCaseStatus.DRAFT),
        "limited_review": use_case(collectivite, com, owner, risk="limited", status=UseCaseStatus.IN_REVIEW),
        "high_live": use_case(collectivite, ccas, owner, risk="high", status=UseCaseStatus.APPROVED),
        "prohibited_draft": use_case(collectivite, com, owner, risk="prohibited", status=UseCaseStatus.DRAFT),
        "retired": use_case(collectivite, com, owner, risk="high", status=UseCaseStatus.RETIRED),
        # Next door: never counted here.
        "neighbour": use_case(
            other_collectivite, ServiceFactory(collectivite=other_collectivite), outsider, risk="high"
        ),
    }
    return cases


def test_the_register_by_risk_status_and_service(collectivite, register):
    # when the register's figures are read
    figures = statistics.register_figures(statistics.use_case_scope(collectivite.pk))

    # then retired uses are left out of the risk levels but counted in the statuses; the neighbour is nowhere
    assert by_code(figures.by_risk) == {"prohibited": 1, "high": 1, "limited": 1, "minimal": 2, "out_of_scope": 0}
    assert by_code(figures.by_status)["retired"] == 1
    assert by_code(figures.by_status)["draft"] == 2
    assert figures.total == 6 and figures.in_register == 5
    assert (figures.live, figures.in_review, figures.high_risk_live, figures.blocked) == (2, 1, 1, 1)
    # and by service, stacked by risk, most use cases first
    rows = {row.label: row.by_risk for row in figures.by_service}
    assert [row.label for row in figures.by_service] == ["CCAS", "Communication"]
    assert rows["CCAS"] == {"prohibited": 0, "high": 1, "limited": 0, "minimal": 2, "out_of_scope": 0}
    assert rows["Communication"] == {"prohibited": 1, "high": 0, "limited": 1, "minimal": 0, "out_of_scope": 0}


def test_a_rules_based_algorithm_is_counted_apart_never_as_an_ai_use(collectivite, services, users):
    # given an AI use and two algorithms written solely by people (one live, one retired), with Annex III answers
    ccas, owner = services["ccas"], users["chef"]
    use_case(collectivite, ccas, owner, risk="high", status=UseCaseStatus.APPROVED)
    rules_based = use_case(collectivite, ccas, owner, risk="out_of_scope", annex_iii_point="5a")
    use_case(collectivite, ccas, owner, risk="out_of_scope", status=UseCaseStatus.RETIRED)
    assert (rules_based.ai_act_risk, rules_based.ai_system) == ("out_of_scope", False)

    figures = statistics.register_figures(statistics.use_case_scope(collectivite.pk))

    # then it is its own level, never a high-risk AI use, and the register says how many uses are AI systems
    assert by_code(figures.by_risk) == {"prohibited": 0, "high": 1, "limited": 0, "minimal": 0, "out_of_scope": 1}
    assert (figures.in_register, figures.ai_systems, figures.not_ai_systems) == (2, 1, 1)
    assert figures.high_risk_live == 1
    # and the charts name it in text, in its own accessible colour, by service too
    risk = statistics.risk_chart(figures)
    assert [row[0] for row in risk.table.rows][-1] == _("Not an AI system")
    assert 'data-label="{}"'.format(_("Not an AI system")) in str(risk.svg)
    assert statistics.RISK_COLOURS["out_of_scope"] not in {
        colour for code, colour in statistics.RISK_COLOURS.items() if code != "out_of_scope"
    }
    service = statistics.service_chart(figures)
    assert _("Not an AI system") in service.table.columns
    assert service.table.rows == [["CCAS", "1", "1", "2"]]


def test_a_head_of_service_scope_holds_the_services_below_theirs(collectivite, register, users):
    access = get_access(users["chef"], collectivite)  # heads the direction above the CCAS and Logement
    figures = statistics.register_figures(
        statistics.use_case_scope(collectivite.pk, service_paths=access.headed_service_paths)
    )
    assert figures.total == 3
    assert [row.label for row in figures.by_service] == ["CCAS"]


def test_upcoming_rereviews_are_the_live_uses_due_within_90_days_late_first(collectivite, services, users):
    today = timezone.localdate()
    ccas, owner = services["ccas"], users["chef"]
    late = use_case(collectivite, ccas, owner, next_review_on=today - datetime.timedelta(days=3))
    soon = use_case(collectivite, ccas, owner, next_review_on=today + datetime.timedelta(days=60))
    use_case(collectivite, ccas, owner, next_review_on=today + datetime.timedelta(days=120))  # too far
    use_case(collectivite, ccas, owner, status=UseCaseStatus.SUSPENDED, next_review_on=today)  # not live

    result = statistics.upcoming_rereviews(statistics.use_case_scope(collectivite.pk), limit=1)

    assert result["items"] == [late]
    assert result["total"] == 2
    assert statistics.upcoming_rereviews(statistics.use_case_scope(collectivite.pk))["items"] == [late, soon]


def test_each_stage_of_the_ai_act_with_its_date_and_the_use_cases_it_concerns(
    collectivite, services, users, other_collectivite, outsider, django_assert_num_queries
):
    ccas, owner = services["ccas"], users["chef"]
    # AI literacy (art. 4): every AI system; transparency (art. 50): a chatbot, whatever its level (art. 50(6))
    use_case(collectivite, ccas, owner, risk="limited")
    # Annex III: a high-risk use, a use exempted by art. 6(3) (its assessment documented under art. 6(4)), and an
    # emotion recognition system (Annex III point 1, and art. 50(3))
    use_case(collectivite, ccas, owner, risk="high", annex_iii_point="5a")
    exempt = use_case(
        collectivite,
        ccas,
        owner,
        annex_iii_point="5a",
        art6_3_ground="d",
        automation_level="assist",
        individual_decisions=True,
    )
    assert exempt.ai_act_risk == "minimal"
    use_case(collectivite, ccas, owner, art50_features=["emotion_or_biometric"])
    # Annex I: a regulated product (art. 6(1))
    use_case(collectivite, ccas, owner, annex_i_product=True)
    # Prohibited (art. 5): no other stage derived for it, even with a chatbot
    use_case(collectivite, ccas, owner, risk="prohibited", art50_features=["chatbot"], status=UseCaseStatus.DRAFT)
    # Not concerned: rules written by people (even with AI Act answers), a retired use, the neighbour's
    use_case(collectivite, ccas, owner, risk="out_of_scope", annex_iii_point="5a", art50_features=["chatbot"])
    use_case(collectivite, ccas, owner, risk="high", status=UseCaseStatus.RETIRED)
    use_case(other_collectivite, ServiceFactory(collectivite=other_collectivite), outsider, risk="high")

    # when the stages are read on the day the Annex III obligations apply
    with django_assert_num_queries(2):
        rows = statistics.ai_act_application(
            statistics.use_case_scope(collectivite.pk), today=datetime.date(2027, 12, 2)
        )

    # then each stage has its date and source (data), whether it applies that day, and the use cases it concerns
    assert [(row.key, row.applies_from, row.applies, row.use_cases) for row in rows] == [
        ("ai_literacy", datetime.date(2025, 2, 2), True, 6),
        ("prohibited_practices", datetime.date(2025, 2, 2), True, 1),
        ("transparency", datetime.date(2026, 8, 2), True, 2),
        ("high_risk_annex_iii", datetime.date(2027, 12, 2), True, 3),
        ("high_risk_annex_i", datetime.date(2028, 8, 2), False, 1),
    ]
    assert all(row.source and row.label for row in rows)


def test_the_stages_follow_the_dates_the_register_holds(collectivite):
    # given the Annex I date moved by a new regulation (an administrator edits it)
    ApplicationDate.objects.filter(key="high_risk_annex_i").update(applies_from=datetime.date(2026, 1, 1))

    rows = {row.key: row for row in statistics.ai_act_application(statistics.use_case_scope(collectivite.pk))}

    assert rows["high_risk_annex_i"].applies and rows["high_risk_annex_i"].use_cases == 0
    # in the order they apply
    assert list(rows) == [
        "ai_literacy",
        "prohibited_practices",
        "high_risk_annex_i",
        "transparency",
        "high_risk_annex_iii",
    ]


def test_mandatory_checkpoints_without_owner_on_live_uses_only(collectivite, services, users):
    live = use_case(collectivite, services["ccas"], users["chef"])
    draft = use_case(collectivite, services["ccas"], users["chef"], status=UseCaseStatus.DRAFT)
    missing = checkpoint(live, "output_review")
    checkpoint(live, "log_retention", owner=users["agent"])
    checkpoint(live, "bias_review", origin=Checkpoint.Origin.MANUAL)  # not mandatory
    checkpoint(draft, "output_review")  # not live yet

    assert statistics.mandatory_without_owner(statistics.use_case_scope(collectivite.pk)) == [missing]


def test_incidents_of_the_period_by_severity_with_breaches(collectivite, services, users):
    case = use_case(collectivite, services["ccas"], users["chef"])
    incident(case, users["dpo"], when=at(2025, 3, 2), severity=Incident.Severity.SERIOUS, breach=True, persons=12)
    incident(case, users["dpo"], when=at(2025, 11, 30), severity=Incident.Severity.MINOR)
    incident(case, users["dpo"], when=at(2024, 12, 31), severity=Incident.Severity.MAJOR)  # the year before

    figures = statistics.incident_figures(
        statistics.use_case_scope(collectivite.pk), *statistics.year_bounds(2025), with_items=True
    )

    assert by_code(figures.by_severity) == {"serious": 1, "major": 0, "minor": 1}
    assert (figures.total, figures.breaches, figures.persons_affected) == (2, 1, 12)
    assert [i.occurred_at.month for i in figures.items] == [3, 11]


def test_declarations_by_month_and_outcome(collectivite, other_collectivite):
    declaration(collectivite, when=at(2025, 1, 10), status="regularised")
    declaration(collectivite, when=at(2025, 1, 20), status="to_stop", possible_breach=True)
    declaration(
        collectivite, when=at(2025, 3, 5), status="received", possible_breach=True, breach_outcome="not_a_breach"
    )
    declaration(collectivite, when=at(2024, 12, 31), status="received")  # the year before
    declaration(other_collectivite, when=at(2025, 1, 10))

    figures = statistics.declaration_figures(collectivite.pk, *statistics.year_bounds(2025))

    assert len(figures.months) == 12 and figures.months[0] == datetime.date(2025, 1, 1)
    assert figures.by_month["regularised"][:3] == [1, 0, 0]
    assert figures.by_month["to_stop"][:3] == [1, 0, 0]
    assert figures.by_month["received"][:3] == [0, 0, 1]
    assert figures.total == 3
    assert by_code(figures.by_status)["received"] == 1
    assert (figures.possible_breaches, figures.breaches_unassessed) == (2, 1)


def test_declarations_waiting_for_triage_and_breaches_not_assessed(collectivite, other_collectivite):
    declaration(collectivite, status="received")
    declaration(collectivite, status="analysing", possible_breach=True)
    declaration(collectivite, status="to_stop", possible_breach=True)  # answered, the breach still to assess
    declaration(collectivite, status="closed", possible_breach=True, breach_outcome="breach_notified")
    declaration(other_collectivite, status="received", possible_breach=True)

    assert statistics.declarations_waiting(collectivite.pk) == {"total": 2, "breaches_unassessed": 2}


def test_the_last_twelve_months_end_with_the_current_one():
    start, end = statistics.last_twelve_months(datetime.date(2026, 11, 29))
    assert (start, end) == (datetime.date(2025, 12, 1), datetime.date(2026, 12, 1))
    assert len(statistics.months_between(start, end)) == 12


def test_decisions_and_committee_sessions_of_the_year(collectivite, services, users):
    case = use_case(collectivite, services["ccas"], users["chef"])
    decided_review(case, decision="approved", when=at(2025, 4, 1))
    decided_review(case, decision="rejected", when=at(2024, 4, 1), number=2)

    result = statistics.decisions_of_year(collectivite.pk, 2025)

    assert by_code(result["by_decision"]) == {"approved": 1, "approved_with_conditions": 0, "rejected": 0}
    assert [r.decided_at.year for r in result["reviews"]] == [2025]


def test_charter_acknowledgements_come_from_the_charter(collectivite, users):
    published_charter(collectivite, 2025, acknowledged_by=[users["agent"], users["dpo"]])

    rates = statistics.charter_acknowledgements(collectivite, 2025)

    assert rates.overall.acknowledged == 2
    assert rates.overall.agents == len(users)
    charts = statistics.acknowledgement_charts(rates)
    assert set(charts) == {"acknowledgements", "acknowledgements_services"}


def test_the_charter_in_force_is_the_latest_published_up_to_the_year(collectivite, users):
    # given the 2025 charter published and acknowledged, the 2026 one not published yet
    published_charter(collectivite, 2025, acknowledged_by=[users["agent"]])

    # then the 2026 figures read the 2025 edition, and there is none in force in 2024
    assert statistics.charter_acknowledgements(collectivite, 2026).year == 2025
    assert statistics.charter_acknowledgements(collectivite, 2026).overall.acknowledged == 1
    assert statistics.charter_acknowledgements(collectivite, 2024).edition is None


def test_each_non_conformity_is_found_with_its_action(collectivite, services, users):
    today = timezone.localdate()
    ccas, owner = services["ccas"], users["chef"]
    blocked = use_case(collectivite, ccas, owner, risk="prohibited", status=UseCaseStatus.DRAFT)
    late = use_case(collectivite, ccas, owner, name="Contrôle en retard")
    overdue = checkpoint(late, "output_review", owner=users["agent"], due_in_days=-5)
    without = checkpoint(late, "log_retention")
    dpia = use_case(collectivite, ccas, owner, personal_data_categories=["health"], large_scale=True)
    assert dpia.dpia_required
    dpo_opinion(decided_review(dpia), users["dpo"], "in_progress")
    fria = use_case(collectivite, ccas, owner, risk="high", annex_iii_point="5a", status=UseCaseStatus.APPROVED)
    stale = use_case(collectivite, ccas, owner, status=UseCaseStatus.SUBMITTED)
    decided_review(stale, stale=True)
    suspended = use_case(collectivite, ccas, owner, status=UseCaseStatus.SUSPENDED)
    rereview = use_case(collectivite, ccas, owner, next_review_on=today - datetime.timedelta(days=1))
    unpublished = use_case(
        collectivite,
        ccas,
        owner,
        status=UseCaseStatus.IN_PRODUCTION,
        automation_level="assist",
        individual_decisions=True,
    )
    assert unpublished.public_register_required
    incident(late, users["dpo"], when=timezone.now(), breach=True, persons=3)
    declaration(collectivite, possible_breach=True)
    # Conform: a DPIA done, an approval still current, a rejected blocked use (no longer in the register's life).
    done = use_case(collectivite, ccas, owner, personal_data_categories=["health"], large_scale=True)
    dpo_opinion(decided_review(done), users["dpo"], "done")
    use_case(collectivite, ccas, owner, risk="prohibited", status=UseCaseStatus.REJECTED)

    found = statistics.non_conformities(collectivite, today.year, today=today)

    def subjects(kind):
        return {item.use_case.pk for item in found[kind] if item.use_case is not None}

    assert subjects("blocked") == {blocked.pk}
    assert subjects("overdue") == {late.pk} and overdue.use_case_id == late.pk
    assert [item.detail for item in found["without_owner"]] == [str(without.type.display_title)]
    assert subjects("dpia") == {dpia.pk}
    assert subjects("fria") == ({fria.pk} if _aidf_applies(today) else set())
    assert subjects("stale") == {stale.pk}
    assert subjects("suspended") == {suspended.pk}
    assert subjects("rereview") == {rereview.pk}
    assert subjects("public_register") == {unpublished.pk}
    assert len(found["breach"]) == 2  # the incident and the declaration not assessed
    # every non-conformity has an action, someone to carry it and a target date, soonest first
    actions = statistics.action_list(found)
    assert len(actions) == sum(len(items) for items in found.values())
    assert all(a.action and a.owner and a.target >= today for a in actions)
    assert [a.target for a in actions] == sorted(a.target for a in actions)
    overdue_action = next(a for a in actions if a.kind == "overdue")
    assert overdue_action.owner == users["agent"].get_full_name()


def _aidf_applies(day) -> bool:
    return ApplicationDate.objects.get(key="high_risk_annex_iii").applies_from <= day


def test_a_high_risk_use_without_its_aidf_is_a_non_conformity_once_the_aidf_applies(collectivite, services, users):
    # given a live Annex III high-risk use, whose AIDF (AI Act art. 27) applies from the Annex III date
    fria = use_case(
        collectivite, services["ccas"], users["chef"], risk="high", annex_iii_point="5a", status=UseCaseStatus.APPROVED
    )
    applies = ApplicationDate.objects.get(key="high_risk_annex_iii").applies_from
    assert fria.fria_required

    def found_on(day):
        return [item.use_case for item in statistics.non_conformities(collectivite, day.year, today=day)["fria"]]

    # then it is no non-conformity the day before (the report's AI Act section counts it among the uses to prepare)
    assert found_on(applies - datetime.timedelta(days=1)) == []
    # and one from that day on
    assert found_on(applies) == [fria]


def test_nothing_of_another_collectivite_is_a_non_conformity_here(collectivite, other_collectivite, outsider):
    service = ServiceFactory(collectivite=other_collectivite)
    use_case(other_collectivite, service, outsider, risk="prohibited", status=UseCaseStatus.SUSPENDED)
    declaration(other_collectivite, possible_breach=True)

    found = statistics.non_conformities(collectivite, timezone.localdate().year)

    assert not any(found.values())


def test_task_counts_add_up_to_the_menu_count(collectivite, services, users):
    case = use_case(collectivite, services["ccas"], users["agent"])
    checkpoint(case, owner=users["agent"], due_in_days=2)
    access = get_access(users["agent"], collectivite)

    counts = task_counts(users["agent"], access)

    assert counts["checkpoints"] == 1
    assert sum(counts.values()) == pending_task_count(users["agent"], access)


def _grow(collectivite, services, users, tool, how_many):
    for number in range(how_many):
        risk = ("minimal", "limited", "high")[number % 3]
        case = use_case(collectivite, services["ccas"], users["chef"], risk=risk)
        checkpoint(case, owner=users["agent"] if number % 2 else None, due_in_days=-1 if number % 4 else 10)
        incident(case, users["dpo"], breach=number % 5 == 0)
        declaration(collectivite, possible_breach=number % 3 == 0, tool=tool if number % 2 else None)


@pytest.mark.parametrize("how_many", [3, 30])
def test_the_figures_cost_the_same_queries_whatever_the_size(
    collectivite, services, users, tool, how_many, django_assert_max_num_queries
):
    _grow(collectivite, services, users, tool, how_many)
    year = timezone.localdate().year

    with django_assert_max_num_queries(15):
        figures = statistics.collectivite_figures(collectivite, year, with_items=True)
        statistics.charts_for(figures)
    with django_assert_max_num_queries(11):
        statistics.non_conformities(collectivite, year)
