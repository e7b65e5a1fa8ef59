"""The audit report of one use case: its complete file in the PDF (classification with reasons and articles, opinions,
the committee's votes and conflicts, attestations with their evidence fingerprint, incidents, history), at a fixed
number of queries, asked for only by those who may see the use case."""

import datetime
import hashlib
import re
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.errors import ForbiddenError
from core.roles import Role
from documents.models import Document
from documents.pdf import render_pdf
from documents.services import document_request
from registry import presenters, rules
from registry import services as registry
from registry.choices import AiActRisk, UseCaseStatus
from registry.models import ApplicationDate, UseCase, UseCaseEvent
from reporting.reports import use_case as report
from tests.registry.reviews_support import both_opinions, submit, to_agenda
from tests.reporting.reports_support import (
    EVIDENCE,
    aid_use_case,
    attest,
    committee_decision,
    evidence_file,
    fresh,
    incident,
    member,
    missing,
    normalise,
    pdf_pages,
    pdf_text,
    return_rounds,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _local(moment, fmt="DATETIME_FORMAT") -> str:
    return date_format(timezone.localtime(moment), fmt)


def _document(use_case) -> Document:
    return Document(
        collectivite=use_case.collectivite,
        kind=Document.Kind.USE_CASE_REPORT,
        use_case=use_case,
        subject_key=f"use_case:{use_case.pk}",
    )


@pytest.fixture
def audited(collectivite, services, users, committee):
    """A high-risk use case through its whole life: a change, opinions, a committee session with a vote against and
    a conflict of interest, attestations (one with evidence, one issue and its correction) and a breach."""
    owner = member(collectivite, "porteuse", Role.AGENT, services["ccas"])
    use_case = aid_use_case(collectivite, services, owner, decisions_per_year=1800)
    use_case = registry.use_case_update(
        use_case=use_case, acting_user=owner, data={"decisions_per_year": 2400}, expected_version=1
    )
    review, meeting, item = committee_decision(use_case, users, committee)
    checkpoint = use_case.checkpoints.get(type__code="decision_validation")
    with_evidence = attest(checkpoint, owner, 20, evidence=evidence_file(), comment="Dix décisions contrôlées.")
    issue = attest(checkpoint, owner, 10, outcome="issue_found", comment="Une décision validée sans relecture.")
    correction = attest(checkpoint, owner, 5, comment="Relecture retrouvée dans le dossier.", corrects=issue)
    breach = incident(use_case, owner)
    use_case.refresh_from_db()
    return SimpleNamespace(
        use_case=use_case,
        owner=owner,
        review=review,
        session=meeting,
        item=item,
        checkpoint=checkpoint,
        attestations=(with_evidence, issue, correction),
        incident=breach,
    )


def test_the_report_asked_for_holds_the_complete_file(
    audited, collectivite, users, committee, django_capture_on_commit_callbacks
):
    use_case = audited.use_case
    assert use_case.status == UseCaseStatus.APPROVED_WITH_CONDITIONS

    # When the DPO asks for the report (the generation task runs once the request is committed)
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            collectivite=collectivite, acting_user=fresh(users["dpo"]), kind="use_case_report", use_case=use_case
        )

    # Then it is ready, and its fingerprint is that of the stored file
    document.refresh_from_db()
    assert document.status == Document.Status.READY, document.error
    content = document.file.read()
    assert document.sha256 == hashlib.sha256(content).hexdigest() and document.pages >= 8
    pages = pdf_pages(content)
    text = pdf_text(content)

    # The cover names the use case, the contents list every section with its page
    assert missing(normalise(pages[0]), [_("Use case audit report"), f"{use_case.reference} — {use_case.name}"]) == []
    assert missing(normalise(pages[1]), [label for _anchor, label in report.SECTIONS]) == []

    # Identity: the fields a register must carry
    fields = [use_case.lawful_basis, use_case.processing_record_ref, use_case.data_sources, use_case.human_oversight]
    assert missing(text, [use_case.summary, use_case.purpose, "2400", *fields]) == []

    # Classification: every reason of the engine with its legal basis, and every obligation
    reasons = use_case.reasons
    assert {"annex_iii_high", "dpia_edpb", "fria", "eu_registration", "crpa_mention", "ethics_high"} <= {
        reason.code for reason in reasons
    }
    assert missing(text, [reason.explanation for reason in reasons]) == []
    assert missing(text, [reason.basis for reason in reasons]) == []
    assert missing(text, [label for _code, label, _basis in presenters.OBLIGATION_FLAGS]) == []

    # Impact assessments: the DPIA as the DPO's opinion of the decided round left it
    assert missing(text, [_("Done"), _("In progress")]) == []  # DPIA done, homologation in progress

    # The review round: both opinions with their fields and conditions
    assert (
        missing(
            text,
            [
                "Données de santé : accès limité aux travailleurs sociaux.",
                "Purger les pièces médicales après instruction.",
                "Durée de l'instruction plus 2 ans.",
                "Hébergement SecNumCloud en France.",
                _("Approved with conditions"),
            ],
        )
        == []
    )

    # The committee: each member's opinion, the conflict of interest, the tally, the opinion and its conditions
    assert (
        missing(
            text,
            [
                str(committee["external"]),
                "Chercheuse, université de Tours",
                "Risque d'exclusion des demandeurs sans dossier numérique.",
                str(committee["ccas"]),
                _("Conflict of interest: does not vote"),
                "Je travaille au CCAS, service porteur.",
                "Avis favorable à la majorité, sous réserve d'un recours humain.",
                "Proposer un rendez-vous à tout demandeur qui le souhaite.",
                _local(audited.session.held_on, "DATE_FORMAT"),  # the session, in French
            ],
        )
        == []
    )
    assert normalise(_("Tally:")) in text

    # Checkpoints: the attestation history, the correction, the evidence's name and SHA-256 fingerprint
    with_evidence, issue, correction = audited.attestations
    assert (
        missing(
            text,
            [
                with_evidence.comment,
                issue.comment,
                correction.comment,
                _("Control done, an issue was found"),
                "controle-mars.pdf",
                _("Corrects the attestation of %(date)s.")
                % {"date": date_format(issue.performed_on, "SHORT_DATE_FORMAT")},
            ],
        )
        == []
    )
    assert hashlib.sha256(EVIDENCE).hexdigest() in text.replace(" ", "")

    # The incident: a possible breach and the DPO's 72-hour deadline
    deadline = _local(audited.incident.breach_deadline)
    assert missing(text, [audited.incident.description, _("Possible breach"), deadline]) == []

    # History of changes (before → after) and the trail of events
    assert missing(text, ["1800", UseCaseEvent.Kind.TO_COMMITTEE.label, UseCaseEvent.Kind.DECIDED.label]) == []


def test_a_draft_never_reviewed_says_what_is_not_assessed(use_case, collectivite):
    # Given a draft nobody has reviewed
    # When its report is rendered
    rendered = render_pdf(report.build(_document(use_case)), collectivite=collectivite, generated_at=timezone.now())

    # Then it says the DPIA was not assessed and the use case never reviewed, with dates in French
    text = pdf_text(rendered.content)
    assert (
        missing(
            text,
            [
                _("Not assessed"),
                _("This use case has never been submitted for review."),
                _("No incident recorded."),
                _local(use_case.created_at, "DATE_FORMAT"),
            ],
        )
        == []
    )
    assert rendered.pages == len(pdf_pages(rendered.content))


def test_the_controls_of_a_draft_show_no_due_date_as_they_do_not_run_yet(collectivite, services, users):
    # Given a draft whose classification requires human-control checkpoints
    use_case = aid_use_case(collectivite, services, users["agent"])
    assert use_case.status == UseCaseStatus.DRAFT and use_case.checkpoints.filter(active=True).exists()

    # When its report is rendered
    rendered = render_pdf(report.build(_document(use_case)), collectivite=collectivite, generated_at=timezone.now())

    # Then its controls say they start once the use is approved, and no due date is printed for them
    text = normalise(pdf_text(rendered.content))
    assert normalise(_("Starts once the use is approved")) in text
    assert normalise(_("Next due date")) + " —" not in text


def test_french_typography_keeps_punctuation_with_its_word(collectivite, services, users):
    use_case = aid_use_case(collectivite, services, users["agent"], purpose="Répondre vite : sans attendre ?")
    spec = report.build(_document(use_case))
    from django.template.loader import render_to_string

    html = render_to_string(
        spec.template, {**spec.context, "title": spec.title, "toc": spec.toc, "collectivite": collectivite}
    )
    assert "vite\u202f: sans attendre\u202f?" in html


# The classification: reasons grouped by the verdicts they support, the rule set, dates of application ----------
def _html(use_case) -> str:
    from django.template.loader import render_to_string

    spec = report.build(_document(use_case))
    return render_to_string(
        spec.template, {**spec.context, "title": spec.title, "toc": spec.toc, "collectivite": use_case.collectivite}
    )


def _reason_codes(html: str, start: str, end: str) -> list[str]:
    part = html[html.index(start) : html.index(end, html.index(start))]
    return re.findall(r'data-reason="([^"]+)"', part)


def test_each_verdict_is_explained_by_the_reasons_that_support_it(collectivite, services, users):
    use_case = aid_use_case(collectivite, services, users["agent"])

    verdicts = report.classification(use_case)

    # the AI Act level by what classifies it, then the duties the level brings (art. 26, 73, 86)
    assert [reason.code for reason in verdicts["risk_reasons"]] == ["annex_iii_high"]
    assert {"art26_oversight", "art26_logs", "art73_incidents", "art86_explanation"} <= {
        reason.code for reason in verdicts["risk_duties"]
    }
    assert [reason.code for reason in verdicts["rgpd_reasons"]] == ["rgpd_special"]
    # each obligation by the reasons that declare they support it, whatever their code
    by_code = {row["code"]: row for row in verdicts["obligations"]}
    assert [reason.code for reason in by_code["fria_required"]["reasons"]] == ["fria"]
    assert {reason.code for reason in by_code["ethics_review_required"]["reasons"]} == {"ethics_high", "ethics_special"}
    for row in verdicts["obligations"]:
        assert all(row["code"] in reason.supports for reason in row["reasons"])
        assert row["required"] == bool(getattr(use_case, row["code"]))
    # what supports no verdict is listed apart, by kind; every reason is shown somewhere
    apart = {reason.code for group in verdicts["other_groups"] for reason in group["reasons"]}
    assert "ai_literacy" in apart
    assert not any(reason.supports for group in verdicts["other_groups"] for reason in group["reasons"])
    shown = apart | {r.code for r in verdicts["risk_reasons"] + verdicts["risk_duties"] + verdicts["rgpd_reasons"]}
    shown |= {reason.code for row in verdicts["obligations"] for reason in row["reasons"]}
    assert shown == {reason.code for reason in use_case.reasons}
    # and the PDF shows them in these places
    html = _html(use_case)
    assert _reason_codes(html, 'data-verdict="ai_act_risk"', 'data-verdict="rgpd_sensitivity"')[0] == "annex_iii_high"
    assert _reason_codes(html, 'data-obligation="fria_required"', "</tr>") == ["fria"]


def test_the_report_says_whether_it_is_an_ai_system_and_which_rule_set_decided(collectivite, services, users):
    use_case = aid_use_case(collectivite, services, users["agent"])
    assert use_case.classification_ruleset == rules.RULESET_VERSION

    rendered = render_pdf(report.build(_document(use_case)), collectivite=collectivite, generated_at=timezone.now())
    text = pdf_text(rendered.content)

    assert (
        missing(
            text,
            [
                _("AI system"),
                _("Classified by the rule set %(version)s.") % {"version": rules.RULESET_VERSION},
            ],
        )
        == []
    )
    assert f'data-ruleset="{rules.RULESET_VERSION}"' in _html(use_case)
    assert 'data-ai-system="true"' in _html(use_case)


def _noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=ZoneInfo(settings.TIME_ZONE))


def test_an_obligation_not_yet_applicable_says_from_when(collectivite, services, users):
    # given a high-risk Annex III use, whose AIDF and registration apply from the date the register holds
    use_case = aid_use_case(collectivite, services, users["agent"])
    annex_iii = ApplicationDate.objects.get(key="high_risk_annex_iii").applies_from

    # when its report is built the day before that date
    with time_machine.travel(_noon(annex_iii - datetime.timedelta(days=1))):
        verdicts = report.classification(use_case)
        rendered = render_pdf(report.build(_document(use_case)), collectivite=collectivite, generated_at=timezone.now())
        html = _html(use_case)

    # then each of them says « applicable from … », and the obligations in force already do not
    dates = {row["code"]: row["applies_from"] for row in verdicts["obligations"]}
    assert dates == {
        "dpia_required": None,
        "fria_required": annex_iii,
        "eu_registration_required": annex_iii,
        "crpa_mention_required": None,
        "public_register_required": None,
        "ethics_review_required": None,
        "blocked": None,
    }
    assert verdicts["risk_applies_from"] == annex_iii
    text = pdf_text(rendered.content)
    when = date_format(annex_iii, "DATE_FORMAT")
    assert normalise(_("applicable from %(date)s") % {"date": when}) in text
    assert normalise(_("Applicable from %(date)s.") % {"date": when}) in text
    fria_row = html[html.index('data-obligation="fria_required"') :]
    assert f'data-applies-from="{annex_iii:%Y-%m-%d}"' in fria_row[: fria_row.index("</tr>")]

    # once the date has come, nothing says it any more
    with time_machine.travel(_noon(annex_iii)):
        verdicts = report.classification(use_case)
        html = _html(use_case)
    assert not any(row["applies_from"] for row in verdicts["obligations"]) and not verdicts["risk_applies_from"]
    assert "data-applies-from" not in html


def test_a_rule_of_the_collectivite_is_never_presented_as_the_law(collectivite, services, users):
    use_case = aid_use_case(collectivite, services, users["agent"])
    html = _html(use_case)

    basis = r'[^>]*>.*?<span class="basis block">(.*?)</span>'
    policy = re.findall(r'<li data-reason="(ethics_[a-z_]+)"[^>]*class="policy"' + basis, html)
    assert {code for code, _basis in policy} == {"ethics_high", "ethics_special"}
    assert all(normalise(text).startswith(normalise(_("Source:"))) for _code, text in policy)
    law = re.search(r'<li data-reason="fria"' + basis, html).group(1)
    assert normalise(law).startswith(normalise(_("Legal basis:")))


def test_the_report_of_an_algorithm_that_is_not_an_ai_system(collectivite, services, users):
    # given rules written by people founding fully automated decisions, with Annex III answers given anyway
    use_case = aid_use_case(
        collectivite,
        services,
        users["agent"],
        name="Calcul du quotient familial",
        technique="rules",
        automation_level="fully_automated",
        personal_data_categories=["ordinary", "financial"],
    )
    assert (use_case.ai_act_risk, use_case.ai_system, use_case.fria_required) == ("out_of_scope", False, False)

    verdicts = report.classification(use_case)
    text = pdf_text(
        render_pdf(report.build(_document(use_case)), collectivite=collectivite, generated_at=timezone.now()).content
    )

    # then it says the AI Act does not apply, why, and what still does (RGPD, CRPA)
    assert [reason.code for reason in verdicts["risk_reasons"]] == ["not_ai_system"]
    assert not verdicts["risk_duties"]
    by_code = {row["code"]: row for row in verdicts["obligations"]}
    assert by_code["fria_required"]["not_applicable"] and by_code["eu_registration_required"]["not_applicable"]
    assert by_code["crpa_mention_required"]["required"] and not by_code["crpa_mention_required"]["not_applicable"]
    assert (
        missing(
            text,
            [
                _("No: rules written by people"),
                str(AiActRisk.OUT_OF_SCOPE.label),
                _("AI Act: not applicable (not an AI system)"),
                _("Not applicable: not an AI system, the AI Act does not apply."),
                *(reason.explanation for reason in use_case.reasons),
            ],
        )
        == []
    )
    assert normalise(_("AI Act risk: %(label)s") % {"label": AiActRisk.OUT_OF_SCOPE.label}) not in text


def _case_with(collectivite, services, users, rounds: int, attestations: int, name: str) -> UseCase:
    owner = member(collectivite, name, Role.AGENT, services["ccas"])
    use_case = aid_use_case(collectivite, services, owner)
    return_rounds(use_case, users, rounds)
    checkpoint = use_case.checkpoints.get(type__code="decision_validation")
    status = UseCase.objects.get(pk=use_case.pk).status
    UseCase.objects.filter(pk=use_case.pk).update(status="approved")  # controls are attested while it is live
    for days_ago in range(attestations):
        attest(checkpoint, owner, days_ago + 1, evidence=evidence_file(), comment=f"Contrôle {days_ago}.")
    UseCase.objects.filter(pk=use_case.pk).update(status=status)
    incident(use_case, owner)
    use_case.refresh_from_db()
    return use_case


def test_building_the_report_costs_the_same_queries_whatever_its_history(
    collectivite, services, users, django_assert_max_num_queries
):
    small = _case_with(collectivite, services, users, rounds=1, attestations=1, name="petit")
    large = _case_with(collectivite, services, users, rounds=5, attestations=5, name="grand")
    assert large.reviews.count() == 5

    # The use case, its rounds (opinions, conditions, agenda items, votes), checkpoints and attestations, incidents,
    # events, and the history (plus one query per kind of related field that changed: service, owner, tool).
    counts = []
    for use_case in (small, large):
        document = _document(use_case)
        with django_assert_max_num_queries(15), CaptureQueriesContext(connection) as queries:
            spec = report.build(document)
        counts.append(len(queries))
        assert len(spec.context["rounds"]) == use_case.reviews.count()
    assert counts[0] == counts[1]


# Who may ask for the report ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "who, allowed",
    [
        ("owner", True),
        ("chef", True),  # heads the direction above the CCAS
        ("dpo", True),
        ("rssi", True),
        ("dgs", True),
        ("admin", True),
        ("agent", False),  # a CCAS agent: the draft is not shown to the service yet
        ("communication_agent", False),
        ("comite", False),  # a committee member: the case is not on their agenda
        ("outsider", False),
    ],
)
def test_only_those_who_see_the_use_case_may_ask_for_its_report(
    who, allowed, use_case, collectivite, services, users, outsider
):
    person = {
        "owner": use_case.owner,
        "communication_agent": member(collectivite, "com", Role.AGENT, services["communication"]),
        "outsider": outsider,
    }.get(who) or users[who]

    def ask():
        return document_request(
            collectivite=collectivite, acting_user=fresh(person), kind="use_case_report", use_case=use_case
        )

    if allowed:
        assert ask().status == Document.Status.PENDING
    else:
        with pytest.raises(ForbiddenError):
            ask()
        assert not Document.objects.exists()


def test_an_agent_of_another_service_may_not_ask_even_for_an_approved_use_case(use_case, collectivite, services, users):
    UseCase.objects.filter(pk=use_case.pk).update(status=UseCaseStatus.IN_PRODUCTION)
    use_case.refresh_from_db()
    colleague = users["agent"]  # CCAS: sees the service's live use cases
    stranger = member(collectivite, "com", Role.AGENT, services["communication"])

    assert document_request(
        collectivite=collectivite, acting_user=fresh(colleague), kind="use_case_report", use_case=use_case
    )
    with pytest.raises(ForbiddenError):
        document_request(
            collectivite=collectivite, acting_user=fresh(stranger), kind="use_case_report", use_case=use_case
        )


def test_a_committee_member_may_ask_once_the_case_is_on_an_agenda(collectivite, services, users, committee):
    use_case = aid_use_case(collectivite, services, users["agent"])
    external = committee["external"].user
    review = both_opinions(submit(use_case, users["agent"]), {"dpo": fresh(users["dpo"]), "rssi": fresh(users["rssi"])})

    def ask():
        return document_request(
            collectivite=collectivite, acting_user=fresh(external), kind="use_case_report", use_case=use_case
        )

    with pytest.raises(ForbiddenError):
        ask()
    to_agenda(review, {"dpo": fresh(users["dpo"])})
    assert ask().use_case == use_case


def test_a_use_case_of_another_collectivite_is_refused(use_case, other_collectivite, outsider):
    with pytest.raises(ForbiddenError):
        document_request(
            collectivite=other_collectivite, acting_user=fresh(outsider), kind="use_case_report", use_case=use_case
        )
