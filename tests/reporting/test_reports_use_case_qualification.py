"""The qualification part of a use case's audit report (DOMAIN.md 3b): the plain facts answered (« Je ne sais pas »
visible), each legal answer with the answers it comes from, its article and its source, the DPO's overrides with
their justification and the value the answers give beside them, the questions that went to the DPO and her
confirmation, and the answers still to give for a use case recorded before the questionnaire."""

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import Document
from documents.pdf import render_pdf
from registry import presenters, qualification
from registry import services as registry
from registry.models import UseCaseEvent
from reporting.reports import use_case as report
from tests.registry.factories import Role
from tests.reporting.reports_support import HIGH_RISK_AID, aid_use_case, fresh, member, missing, pdf_text

pytestmark = pytest.mark.django_db

# The CCAS's aid tool as its owner answers the questionnaire: it prepares the file, an agent decides; the owner does
# not know whether the collectivité uses it as its vendor intends.
AID_FACTS = {
    "produces_by": ["learned_from_data"],
    "keeps_learning_in_use": "no",
    "origin": "unknown",
    "ce_marked_product": "no",
    "affects": "public",
    "policy_areas": ["social_benefits"],
    "task_kind": "prepares_file_for_agent",
    "effect_on_people": "agent_reexamines_whole_case",
    "decides_on_individual_cases": "yes",
    "on_administrative_appeals": "no",
    "assesses_persons": "no",
    "watches_people": "no",
    "sensitive_contexts": ["social_support"],
}
JUSTIFICATION = "L'outil propose un montant d'aide : ce n'est pas un travail préparatoire (art. 6(3)(d))."
CONFIRMATION = "Logiciel d'un éditeur, utilisé comme il le prévoit : la ville en est le déployeur."


def _document(use_case) -> Document:
    return Document(
        collectivite=use_case.collectivite,
        kind=Document.Kind.USE_CASE_REPORT,
        use_case=use_case,
        subject_key=f"use_case:{use_case.pk}",
    )


def _html(use_case) -> str:
    spec = report.build(_document(use_case))
    return render_to_string(
        spec.template, {**spec.context, "title": spec.title, "toc": spec.toc, "collectivite": use_case.collectivite}
    )


def _text(use_case) -> str:
    rendered = render_pdf(
        report.build(_document(use_case)), collectivite=use_case.collectivite, generated_at=timezone.now()
    )
    return pdf_text(rendered.content)


def _declared(collectivite, services, owner, **facts):
    return aid_use_case(collectivite, services, owner, **{**AID_FACTS, **facts})


def test_the_report_keeps_the_answers_the_dpo_s_legal_answer_and_her_confirmation(collectivite, services, users):
    # Given a use case declared through the questionnaire, one answer « Je ne sais pas »
    owner = member(collectivite, "porteuse", Role.AGENT, services["ccas"])
    use_case = _declared(collectivite, services, owner)
    assert use_case.art6_3_ground == "d" and use_case.qualification_to_confirm
    # the DPO sets the Art. 6(3) ground herself, then confirms the answer that was not known
    dpo = fresh(users["dpo"])
    use_case = registry.qualification_override_set(
        use_case=use_case,
        acting_user=dpo,
        input_name="art6_3_ground",
        value="",
        justification=JUSTIFICATION,
        expected_version=use_case.version,
    )
    use_case = registry.qualification_confirm(
        use_case=use_case, acting_user=dpo, comment=CONFIRMATION, expected_version=use_case.version
    )
    assert not use_case.qualification_to_confirm

    # When its report is read
    part = report.qualification_part(use_case)
    text = _text(use_case)

    # Then every question answered is there with its answer, « Je ne sais pas » included
    asked = [qualification.FACTS_BY_NAME[name] for name in AID_FACTS]
    assert missing(text, [fact.question for fact in asked]) == []
    assert missing(text, [fact.label_of(AID_FACTS[fact.name]) for fact in asked if not fact.multiple]) == []
    assert [answer["name"] for answer in part["answers"] if answer["unknown"]] == ["origin"]
    assert missing(text, [qualification.I_DONT_KNOW]) == []
    # each legal answer with its article and where it comes from
    rows = {row["name"]: row for row in part["rows"]}
    assert set(qualification.DERIVED_INPUTS) <= set(rows)
    assert missing(text, [qualification.INPUT_ARTICLES[name] for name in qualification.DERIVED_INPUTS]) == []
    assert rows["annex_iii_point"]["source"] == qualification.FACTS_SOURCE
    assert [item["text"] for item in rows["annex_iii_point"]["because"]] == [
        qualification.FACTS_BY_NAME["policy_areas"].label_of("social_benefits")
    ]
    # the DPO's legal answer: its justification, who set it, and the value the answers give beside it
    assert rows["art6_3_ground"]["source"] == qualification.OVERRIDE_SOURCE
    derived = presenters.input_value_label("art6_3_ground", "d")
    assert missing(text, [JUSTIFICATION, dpo.get_full_name() or dpo.username, derived]) == []
    # the question that went to the DPO, confirmed, with her comment
    assert [(question["fact"], question["status"]) for question in part["questions"]] == [
        ("origin", report.QUESTION_CONFIRMED)
    ]
    assert part["confirmation"]["current"] and missing(text, [CONFIRMATION]) == []
    # and the trail says what she did, old -> new
    assert (
        missing(
            text,
            [
                UseCaseEvent.Kind.QUALIFIED.label,
                UseCaseEvent.Kind.QUALIFICATION_CONFIRMED.label,
                f"{derived} → {presenters.input_value_label('art6_3_ground', '')}",
            ],
        )
        == []
    )


def test_a_question_waiting_for_the_dpo_and_a_legal_answer_the_answers_no_longer_support(collectivite, services, users):
    # Given a use case whose owner does not know whether the tool keeps learning
    owner = member(collectivite, "porteuse", Role.AGENT, services["ccas"])
    use_case = _declared(collectivite, services, owner, origin="vendor_as_intended", keeps_learning_in_use="unknown")
    # the DPO sets the monitoring herself, and the owner then changes the answer behind it
    use_case = registry.qualification_override_set(
        use_case=use_case,
        acting_user=fresh(users["dpo"]),
        input_name="systematic_monitoring",
        value=True,
        justification="Les agents d'accueil observent les demandeurs : surveillance.",
        expected_version=use_case.version,
    )
    use_case = registry.use_case_update(
        use_case=use_case, acting_user=owner, data={"watches_people": "yes"}, expected_version=use_case.version
    )
    assert use_case.overrides_to_review == ["systematic_monitoring"]

    # When its report is read
    html = _html(use_case)
    part = report.qualification_part(use_case)

    # Then the cover and the part say the qualification waits for the DPO
    assert "data-cover-qualification" in html and "data-qualification-to-confirm" in html
    assert [(question["fact"], question["status"]) for question in part["questions"]] == [
        ("keeps_learning_in_use", report.QUESTION_WAITING)
    ]
    assert 'data-dpo-question="keeps_learning_in_use" data-status="waiting"' in html
    # the unknown answer is marked, and so is the legal answer to review, with the value the answers give now
    assert 'data-fact="keeps_learning_in_use" data-unknown' in html
    row = next(row for row in part["rows"] if row["name"] == "systematic_monitoring")
    assert (
        row["to_review"] and row["override"]["derived_now"] == _("Yes") and row["override"]["derived_then"] == _("No")
    )
    assert "data-to-review" in html and "data-overrides-to-review" in html


def test_a_use_case_recorded_before_the_questionnaire_lists_the_answers_to_give(collectivite, services, users):
    # Given a use case recorded with its legal answers only, before the questionnaire
    use_case = aid_use_case(collectivite, services, users["agent"])
    assert use_case.facts_to_complete and not use_case.qualification_to_confirm

    # When its report is read
    part = report.qualification_part(use_case)
    html = _html(use_case)
    text = _text(use_case)

    # Then it lists the questions still to answer, and keeps the legal answers recorded then, said so
    assert part["answers"] == [] and part["missing"]
    assert missing(text, [item["text"] for item in part["missing"]]) == []
    stored = [row for row in part["rows"] if row["source"] == qualification.STORED_SOURCE]
    assert {row["name"] for row in stored} >= {"technique", "annex_iii_point", "automation_level"}
    assert next(row for row in stored if row["name"] == "annex_iii_point")["value"] == presenters.input_value_label(
        "annex_iii_point", HIGH_RISK_AID["annex_iii_point"]
    )
    assert missing(text, [presenters.SOURCE_LABELS[qualification.STORED_SOURCE]]) == []
    assert "data-facts-to-complete" in html and "data-cover-qualification" in html
