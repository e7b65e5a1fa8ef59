"""The annual audit report: the year's figures and charts, the non-conformities and the action list in the PDF, only
the collectivité's own data, at a fixed number of queries, generated for the DPO and refused to a head of service."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audits.models import Incident
from core.errors import ForbiddenError
from documents.models import Document
from documents.pdf import render_pdf
from documents.services import document_request
from registry.choices import AiActRisk, UseCaseStatus
from registry.models import ApplicationDate
from reporting.reports import annual
from tests.registry.factories import ServiceFactory
from tests.reporting.reports_support import fresh, missing, normalise, pdf_pages, pdf_text
from tests.reporting.statistics_support import (
    at,
    checkpoint,
    decided_review,
    declaration,
    incident,
    published_charter,
    use_case,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _document(collectivite, year) -> Document:
    return Document(collectivite=collectivite, kind=Document.Kind.ANNUAL_REPORT, year=year, subject_key=f"year:{year}")


def _section(text: str, number: int) -> str:
    """The text of the report's section `number` (0-based in SECTIONS), after its entry in the contents."""

    def start(index):
        title = normalise(annual.SECTIONS[index][1])
        return text.index(title, text.index(title) + len(title))

    return text[start(number) : start(number + 1)]


def _render(collectivite, year):
    spec = annual.build(_document(collectivite, year))
    return spec, render_pdf(spec, collectivite=collectivite, generated_at=timezone.now())


@pytest.fixture
def year():
    return timezone.localdate().year


@pytest.fixture
def findings(collectivite, services, users, year, other_collectivite, outsider):
    """A register with one non-conformity of most kinds, a conform use, and a neighbour's non-conform use."""
    ccas, com, owner = services["ccas"], services["communication"], users["chef"]
    today = timezone.localdate()
    cases = {
        "blocked": use_case(
            collectivite, com, owner, risk="prohibited", status=UseCaseStatus.DRAFT, name="Notation sociale des usagers"
        ),
        "late": use_case(collectivite, ccas, owner, name="Tri des demandes d'aide"),
        "suspended": use_case(collectivite, com, owner, status=UseCaseStatus.SUSPENDED, name="Réponses automatiques"),
        "high": use_case(
            collectivite,
            ccas,
            owner,
            risk="high",
            annex_iii_point="5a",
            status=UseCaseStatus.APPROVED,
            name="Pré-instruction des aides",
        ),
        "conform": use_case(collectivite, com, owner, name="Sous-titrage des vidéos"),
        "neighbour": use_case(
            other_collectivite,
            ServiceFactory(collectivite=other_collectivite),
            outsider,
            risk="prohibited",
            status=UseCaseStatus.SUSPENDED,
            name="Usage de la commune voisine",
        ),
    }
    checkpoint(cases["late"], "output_review", owner=users["agent"], due_in_days=-12)
    checkpoint(cases["late"], "log_retention")  # mandatory, nobody in charge
    checkpoint(cases["conform"], "output_review", owner=users["agent"], due_in_days=20)
    incident(
        cases["late"],
        users["dpo"],
        when=timezone.now() - datetime.timedelta(days=2),
        severity=Incident.Severity.SERIOUS,
        breach=True,
        persons=4,
    )
    declaration(collectivite, when=at(year, 1, 10), status="regularised")
    declaration(collectivite, when=at(year, 1, 12), status="to_stop", possible_breach=True, tool_name="Outil X")
    decided_review(cases["conform"], decision="approved", when=at(year, 2, 3))
    published_charter(collectivite, year, acknowledged_by=[users["agent"]])
    cases["today"] = today
    return cases


def test_the_report_holds_the_figures_the_non_conformities_and_the_action_list(collectivite, users, findings, year):
    # when the DPO's annual report is rendered
    spec, pdf = _render(collectivite, year)
    text = pdf_text(pdf.content)

    # then it has its cover, contents and every section
    assert spec.title == _("Annual audit report %(year)s") % {"year": year}
    assert not missing(text, [spec.title, *(str(label) for _anchor, label in annual.SECTIONS)])
    # the key figures and the charts' data
    expected_figures = [
        _("use cases in the register (retired ones left out)"),
        _("Use cases by AI Act risk level"),
        _("Use cases by service and AI Act risk level"),
        _("Checkpoints attested on time"),
        _("Shadow-AI declarations by month and outcome"),
        _("Incidents by severity"),
        _("Charter %(year)s acknowledged") % {"year": year},
        date_format(datetime.date(year, 1, 1), "F Y"),
    ]
    assert not missing(text, expected_figures)
    # the non-conformities, by kind, with what was found
    findings_expected = [
        "Notation sociale des usagers",  # blocked
        "Tri des demandes d'aide",  # overdue control, checkpoint without owner, breach
        "Réponses automatiques",  # suspended
        "Outil X",  # possible breach not assessed
        str(annual.NON_CONFORMITY_TITLES["fria"]),
        str(annual.NON_CONFORMITY_TITLES["suspended"]),
    ]
    assert not missing(text, findings_expected)
    # the high-risk use without a recorded AIDF, once the AIDF applies (AI Act art. 27 and 113)
    aidf_applies = ApplicationDate.objects.get(key="high_risk_annex_iii").applies_from <= findings["today"]
    assert ("Pré-instruction des aides" in text) == aidf_applies
    # and the action list: each action, who carries it, by when
    expected_actions = [
        _("Carry out the control and attest it."),
        _("Name the person in charge of the checkpoint."),
        _("Decide: resume after corrective measures, or retire the use."),
        _("Assess the possible breach and record the outcome (RGPD art. 33)."),
        users["agent"].get_full_name(),
        date_format(findings["today"] + datetime.timedelta(days=15), "SHORT_DATE_FORMAT"),
    ]
    assert not missing(text, expected_actions)
    actions = spec.context["actions"]
    assert len(actions) == spec.context["non_conformity_count"] >= 6
    # nothing of the neighbour
    assert "Usage de la commune voisine" not in text


def test_the_charts_are_drawn_in_the_pdf_as_in_the_dashboard(collectivite, findings, year):
    spec, pdf = _render(collectivite, year)

    # the same chart functions as the dashboard, as inline SVG with their title
    charts = spec.context["charts"]
    assert {"risk", "status", "service", "compliance", "declarations", "incidents", "acknowledgements"} <= set(charts)
    assert all(str(chart.svg).startswith("<svg") and 'role="img"' in str(chart.svg) for chart in charts.values())
    # WeasyPrint draws the SVG's text: the risk chart's labels are on the register's page next to its table
    pages = [normalise(page) for page in pdf_pages(pdf.content)]
    register_page = next(page for page in pages[2:] if str(annual.SECTIONS[1][1]) in page)  # after the contents
    assert register_page.count(str(AiActRisk.HIGH.label)) >= 2


def test_the_report_lists_the_ai_act_obligations_with_their_dates_and_the_use_cases_concerned(
    collectivite, services, users, findings, year
):
    # given, besides the findings, an algorithm written by people (never concerned by the AI Act)
    use_case(collectivite, services["ccas"], users["chef"], risk="out_of_scope", name="Calcul du quotient familial")

    spec, pdf = _render(collectivite, year)
    text = pdf_text(pdf.content)

    # then every stage is there, in the order they apply, with whether it applies on the report's date
    rows = spec.context["application"]
    today = spec.context["today"]
    assert [row.key for row in rows] == [
        "ai_literacy",
        "prohibited_practices",
        "transparency",
        "high_risk_annex_iii",
        "high_risk_annex_i",
    ]
    assert [row.applies for row in rows] == [row.applies_from <= today for row in rows]
    # the use cases each concerns: the AI systems for literacy, the prohibited practice, the Annex III use
    counts = {row.key: row.use_cases for row in rows}
    assert counts == {
        "ai_literacy": 5,
        "prohibited_practices": 1,
        "transparency": 0,
        "high_risk_annex_iii": 1,
        "high_risk_annex_i": 0,
    }
    # and the PDF says it: each stage, its date and source, applicable or not yet
    section = _section(text, 2)
    assert not missing(
        section,
        [
            *(row.label for row in rows),
            *(date_format(row.applies_from, "j F Y") for row in rows),
            rows[0].source,
            _("Applies"),
        ],
    )
    if not all(row.applies for row in rows):
        assert normalise(_("Not yet applicable")) in section


def test_the_figures_count_what_is_not_an_ai_system_as_its_own_level(collectivite, services, users, year):
    # given two AI uses and an algorithm written by people
    use_case(collectivite, services["ccas"], users["chef"], risk="high")
    use_case(collectivite, services["ccas"], users["chef"])
    use_case(collectivite, services["ccas"], users["chef"], risk="out_of_scope", name="Barème des tarifs")

    spec, pdf = _render(collectivite, year)
    text = pdf_text(pdf.content)

    register = spec.context["register"]
    assert {f.code: f.value for f in register.by_risk}["out_of_scope"] == 1
    assert (register.in_register, register.ai_systems, register.not_ai_systems) == (3, 2, 1)
    # the chart and its table name the level in words, in the register's section
    register_part = _section(text, 1)
    assert register_part.count(normalise(_("Not an AI system"))) >= 2  # the tables of both charts
    assert spec.context["charts"]["risk"].table.rows[-1] == [_("Not an AI system"), "1"]


def test_an_empty_register_gives_a_report_without_non_conformity(collectivite, year):
    _spec, pdf = _render(collectivite, year)
    text = pdf_text(pdf.content)

    assert not missing(text, [_("No non-conformity: no action to take."), _("No control is overdue.")])


def _grow(collectivite, services, users, tool, how_many, year):
    for number in range(how_many):
        risk = ("minimal", "limited", "high")[number % 3]
        case = use_case(collectivite, services["ccas"], users["chef"], risk=risk, name=f"Usage {number}")
        checkpoint(case, owner=users["agent"] if number % 2 else None, due_in_days=-1 if number % 4 else 10)
        incident(case, users["dpo"], breach=number % 5 == 0)
        declaration(
            collectivite,
            when=at(year, 1 + number % 12, 3),
            possible_breach=number % 3 == 0,
            tool=tool if number % 2 else None,
        )
        decided_review(case, when=at(year, 1 + number % 12, 4))


@pytest.mark.parametrize("how_many", [3, 30])
def test_building_the_report_costs_the_same_queries_whatever_the_size(
    collectivite, services, users, tool, how_many, year
):
    _grow(collectivite, services, users, tool, how_many, year)
    published_charter(collectivite, year, acknowledged_by=[users["agent"]])
    document = _document(collectivite, year)

    with CaptureQueriesContext(connection) as queries:
        spec = annual.build(document)

    # 36: the figures, the non-conformities, the decisions, the AI Act's dates of application with the use cases
    # each concerns (two), the AIDFs, and the year's serious incidents and breaches with their notifications (two).
    assert len(queries) == 36
    assert len(spec.context["actions"]) >= how_many // 2


def test_the_dpo_generates_it_and_a_head_of_service_may_not(
    collectivite, users, findings, year, django_capture_on_commit_callbacks
):
    # the DPO asks: the (eager) task renders it once the request is committed
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            collectivite=collectivite, acting_user=fresh(users["dpo"]), kind=Document.Kind.ANNUAL_REPORT, year=year
        )
    document.refresh_from_db()
    assert document.status == Document.Status.READY
    assert document.pages > 5
    assert "Notation sociale des usagers" in pdf_text(document.file.read())

    # a head of service may not
    with pytest.raises(ForbiddenError):
        document_request(
            collectivite=collectivite, acting_user=fresh(users["chef"]), kind=Document.Kind.ANNUAL_REPORT, year=year
        )
