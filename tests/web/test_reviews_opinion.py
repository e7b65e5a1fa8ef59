"""The DPO's and the RSSI's opinion form: who may open it (403 / 404), what it shows (the frozen snapshot and its
classification, prefilled answers), the opinion recorded through the service, and errors that keep what was
typed."""

import re
from html import unescape

import pytest
from django.urls import reverse

from registry import services
from registry.choices import ReviewStatus, UseCaseStatus
from registry.models import Opinion
from tests.registry import reviews_support as rs

from .helpers import fr

pytestmark = pytest.mark.django_db


def opinion_url(use_case, role) -> str:
    return reverse("registry:opinion_give", args=[use_case.pk, role])


def text(response) -> str:
    return unescape(response.content.decode())


def field_block(html: str, name: str) -> str:
    """The `data-field` block of a form field (label, help, errors, widget)."""
    start = html.index('<div class="mb-3 form-field')
    match = re.search(rf'<div class="mb-3 form-field[^"]*" data-field="{name}">(.*?)\n</div>', html[start:], re.S)
    assert match, name
    return match.group(1)


@pytest.fixture
def submitted(use_case):
    use_case.lawful_basis = "Mission d'intérêt public (RGPD art. 6.1.e)"
    use_case.processing_record_ref = "REG-042"
    use_case.save()
    review = rs.submit(use_case)
    use_case.refresh_from_db()
    return review


# Who may open it ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "dpo", "rssi"),
    [
        ("dpo", 200, 403),
        ("rssi", 403, 200),
        ("owner", 403, 403),
        ("chef", 403, 403),
        ("dgs", 403, 403),
        ("admin", 403, 403),
        ("agent", 404, 404),  # does not see a case under review
        ("outsider", 404, 404),  # another collectivité
    ],
)
def test_only_the_dpo_and_the_rssi_open_their_own_opinion_form(
    role, dpo, rssi, submitted, use_case, users, outsider, client_for
):
    user = {"owner": use_case.owner, "outsider": outsider}.get(role) or users[role]
    client = client_for(user)

    assert client.get(opinion_url(use_case, "dpo")).status_code == dpo
    assert client.get(opinion_url(use_case, "rssi")).status_code == rssi
    # a POST by whoever may not give it records nothing (the DPO's is recorded and sends back to the page)
    assert client.post(opinion_url(use_case, "dpo"), {"verdict": "favourable"}).status_code == (
        302 if dpo == 200 else dpo
    )
    assert Opinion.objects.filter(role="dpo").exists() is (dpo == 200)


def test_an_unknown_reviewer_role_is_a_404(submitted, use_case, users, client_for):
    assert client_for(users["dpo"]).get(opinion_url(use_case, "dgs")).status_code == 404


def test_anonymous_is_sent_to_login(submitted, use_case, client):
    response = client.get(opinion_url(use_case, "dpo"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_use_case_not_under_review_sends_back_to_its_page(use_case, users, client_for):
    response = client_for(users["dpo"]).get(opinion_url(use_case, "dpo"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("registry:use_case_detail", args=[use_case.pk]) + "#review"
    assert fr("This use case is not waiting for an opinion.") in text(response)


def test_an_opinion_already_given_is_not_offered_again(submitted, use_case, users, client_for):
    rs.opinion(submitted, users["dpo"], "dpo")

    response = client_for(users["dpo"]).get(opinion_url(use_case, "dpo"))

    assert response.status_code == 302
    assert Opinion.objects.filter(role="dpo").count() == 1


# What it shows -------------------------------------------------------------------------------------------


def test_the_form_shows_the_frozen_snapshot_and_its_classification(submitted, use_case, users, client_for):
    # given a change of the description after submission (cosmetic: the round keeps its snapshot)
    services.use_case_update(
        use_case=use_case,
        acting_user=users["dpo"],
        data={"description": "Ajouté après la soumission."},
        expected_version=use_case.version,
    )

    html = text(client_for(users["dpo"]).get(opinion_url(use_case, "dpo")))

    assert "data-snapshot" in html
    assert f'data-field="purpose">{use_case.purpose}<' in html
    assert 'data-field="tool">Albert<' in html
    assert "Ajouté après la soumission." not in html
    assert f'data-ai-act-risk="{submitted.snapshot["classification"]["ai_act_risk"]}"' in html
    assert 'id="opinion-form" data-role="dpo"' in html


def test_the_dpo_form_is_prefilled_with_the_lawful_basis_and_the_record(submitted, use_case, users, client_for):
    html = text(client_for(users["dpo"]).get(opinion_url(use_case, "dpo")))

    assert "Mission d'intérêt public (RGPD art. 6.1.e)</textarea>" in html
    assert 'value="REG-042"' in html
    for own in ("legal_basis", "dpia_status", "processing_record_ref", "retention"):
        assert f'name="{own}"' in html
    for other in ("hosting_assessment", "data_classification", "vendor_reuse", "homologation_status"):
        assert f'name="{other}"' not in html


def test_the_rssi_form_is_prefilled_with_the_hosting_and_the_classification(submitted, use_case, users, client_for):
    html = text(client_for(users["rssi"]).get(opinion_url(use_case, "rssi")))

    hosting = field_block(html, "hosting_assessment")
    assert "Albert" in hosting
    assert fr("France") in hosting
    assert re.search(r'<option value="C1" selected>', html)
    for own in ("hosting_assessment", "data_classification", "vendor_reuse", "homologation_status"):
        assert f'name="{own}"' in html
    assert 'name="legal_basis"' not in html


# Giving the opinion -------------------------------------------------------------------------------------


def test_the_dpo_gives_a_favourable_opinion_with_conditions_one_per_line(submitted, use_case, users, client_for):
    response = client_for(users["dpo"]).post(
        opinion_url(use_case, "dpo"),
        {
            "verdict": "favourable_with_conditions",
            "comment": "Base légale solide.",
            "conditions": "Finaliser l'AIPD.\n\n  Informer les usagers.  \n",
            "legal_basis": "Mission d'intérêt public",
            "dpia_status": "in_progress",
            "processing_record_ref": "REG-042",
            "retention": "12 mois",
            "ask_committee": "on",
        },
    )

    use_case.refresh_from_db()
    opinion = Opinion.objects.get(review=submitted, role="dpo")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:use_case_detail", args=[use_case.pk]) + "#review"
    assert (opinion.verdict, opinion.author, opinion.ask_committee) == (
        "favourable_with_conditions",
        users["dpo"],
        True,
    )
    assert (opinion.dpia_status, opinion.retention, opinion.hosting_assessment) == ("in_progress", "12 mois", "")
    assert list(submitted.conditions.values_list("text", flat=True)) == ["Finaliser l'AIPD.", "Informer les usagers."]
    assert use_case.status == UseCaseStatus.IN_REVIEW


def test_the_second_opinion_decides_a_case_without_committee(submitted, use_case, users, client_for):
    rs.opinion(submitted, users["dpo"], "dpo")

    response = client_for(users["rssi"]).post(
        opinion_url(use_case, "rssi"),
        {
            "verdict": "favourable",
            "hosting_assessment": "Vérifié",
            "data_classification": "C1",
            "vendor_reuse": "disabled",
        },
        follow=True,
    )

    use_case.refresh_from_db()
    submitted.refresh_from_db()
    assert response.status_code == 200
    assert 'role="status"' in text(response)
    assert submitted.status == ReviewStatus.DECIDED
    assert use_case.status == UseCaseStatus.APPROVED
    assert Opinion.objects.get(role="rssi").vendor_reuse == "disabled"


def test_conditions_missing_with_a_conditional_opinion_keep_what_was_typed(submitted, use_case, users, client_for):
    response = client_for(users["dpo"]).post(
        opinion_url(use_case, "dpo"),
        {
            "verdict": "favourable_with_conditions",
            "comment": "Mon commentaire détaillé.",
            "legal_basis": "Base légale saisie",
            "retention": "5 ans",
            "dpia_status": "to_do",
            "ask_committee": "on",
        },
    )

    html = text(response)
    assert response.status_code == 400
    assert not Opinion.objects.exists()
    assert "field-error" in field_block(html, "conditions")
    assert fr("A favourable opinion with conditions needs at least one condition.") in html
    assert "Mon commentaire détaillé.</textarea>" in html
    assert "Base légale saisie</textarea>" in html
    assert 'value="5 ans"' in html
    assert re.search(r'<option value="to_do" selected>', html)
    assert re.search(r'value="favourable_with_conditions"[^>]*checked', html)
    assert re.search(r'name="ask_committee"[^>]*checked', html)
    assert 'id="error-summary"' in html


def test_an_unfavourable_opinion_without_a_reason_is_refused_next_to_the_comment(
    submitted, use_case, users, client_for
):
    response = client_for(users["rssi"]).post(
        opinion_url(use_case, "rssi"), {"verdict": "unfavourable", "hosting_assessment": "Hors UE"}
    )

    html = text(response)
    assert response.status_code == 400
    assert "field-error" in field_block(html, "comment")
    assert "Hors UE</textarea>" in html
    assert not Opinion.objects.exists()


def test_conditions_with_a_plain_favourable_opinion_are_refused_and_kept(submitted, use_case, users, client_for):
    response = client_for(users["dpo"]).post(
        opinion_url(use_case, "dpo"), {"verdict": "favourable", "conditions": "Une condition\nUne autre"}
    )

    html = text(response)
    assert response.status_code == 400
    assert "field-error" in field_block(html, "conditions")
    assert "Une condition\nUne autre</textarea>" in html


def test_no_verdict_is_refused_next_to_the_verdict(submitted, use_case, users, client_for):
    response = client_for(users["dpo"]).post(opinion_url(use_case, "dpo"), {"comment": "Sans avis"})

    assert response.status_code == 400
    assert "field-error" in field_block(text(response), "verdict")


def test_a_colleague_closing_the_round_first_sends_back_with_a_message(submitted, use_case, users, client_for):
    # given the DPO's page opened, then the RSSI returns the case for changes
    client = client_for(users["dpo"])
    assert client.get(opinion_url(use_case, "dpo")).status_code == 200
    services.review_return_for_changes(review=submitted, acting_user=users["rssi"], comment="Incomplet.")

    response = client.post(opinion_url(use_case, "dpo"), {"verdict": "favourable"}, follow=True)

    assert fr("This use case is not waiting for an opinion.") in text(response)
    assert not Opinion.objects.exists()


def test_the_committee_stage_closes_the_opinions(use_case, users, client_for):
    # given an ethics case where the DPO asked for the committee: the round is at the committee stage
    review = rs.submit(use_case)
    rs.opinion(review, users["dpo"], "dpo", ask_committee=True)
    rs.opinion(review, users["rssi"], "rssi")
    review.refresh_from_db()
    assert review.status == ReviewStatus.COMMITTEE

    for role in ("dpo", "rssi"):
        assert client_for(users[role]).get(opinion_url(use_case, role)).status_code == 302
