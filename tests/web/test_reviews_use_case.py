"""The review section of a use case's page, and the lifecycle actions it offers (return for changes, retire,
rework, resume): who sees what, who may act (403 otherwise, 404 out of sight), and a fixed query count."""

import re
from html import unescape

import pytest
from django.urls import reverse

from registry import services
from registry.choices import ReviewStatus, UseCaseStatus
from registry.models import UseCaseEvent
from tests.registry import reviews_support as rs
from tests.registry.factories import UseCaseFactory

from .helpers import fr

pytestmark = pytest.mark.django_db


def detail_url(use_case) -> str:
    return reverse("registry:use_case_detail", args=[use_case.pk])


def action_url(name, use_case) -> str:
    return reverse(f"registry:use_case_{name}", args=[use_case.pk])


def page(client, use_case) -> str:
    response = client.get(detail_url(use_case))
    assert response.status_code == 200
    return unescape(response.content.decode())


def review_section(html: str) -> str:
    start = html.index('id="review"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def ethics_case(collectivite, services, use_case, tool):
    """Health data in the CCAS: the ethics committee must give its opinion."""
    return UseCaseFactory(
        collectivite=collectivite,
        service=services["ccas"],
        owner=use_case.owner,
        tool=tool,
        personal_data_categories=["health"],
        name="Analyse des dossiers de santé",
    )


def approved_with_conditions_by_committee(ethics_case, users, committee):
    """Submitted, DPO favourable with a condition, RSSI favourable, then the committee: one member votes, the
    CCAS member declares a conflict, the chair records a favourable opinion with its own condition."""
    review = rs.submit(ethics_case)
    rs.opinion(review, users["dpo"], "dpo", "favourable_with_conditions", legal_basis="Mission d'intérêt public")
    rs.opinion(review, users["rssi"], "rssi", "favourable", hosting_assessment="SecNumCloud vérifié")
    review.refresh_from_db()
    item = rs.to_agenda(review, users)
    services.vote_cast(item=item, acting_user=committee["external"].user, choice="favourable", comment="Utile.")
    services.conflict_declare(item=item, acting_user=committee["ccas"].user, comment="Je travaille au CCAS.")
    services.committee_opinion_record(
        item=item,
        acting_user=users["comite"],
        opinion="favourable_with_conditions",
        comment="Avis favorable du comité.",
        conditions=["Revoir les biais chaque semestre."],
    )
    review.refresh_from_db()
    ethics_case.refresh_from_db()
    return review, item


# Who sees the review section ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("owner", 200),
        ("chef", 200),
        ("dpo", 200),
        ("rssi", 200),
        ("dgs", 200),
        ("admin", 200),
        ("agent", 404),  # a CCAS agent does not see a case under review
        ("comite", 404),  # a committee member sees only the cases on their sessions' agendas
        ("outsider", 404),  # another collectivité
    ],
)
def test_the_review_section_is_on_the_page_of_whoever_sees_the_use_case(
    role, expected, use_case, users, outsider, client_for
):
    rs.submit(use_case)
    user = {"owner": use_case.owner, "outsider": outsider}.get(role) or users[role]

    response = client_for(user).get(detail_url(use_case))

    assert response.status_code == expected
    if expected == 200:
        html = unescape(response.content.decode())
        assert 'data-review="1"' in html
        assert 'data-review-status="opinions"' in html


def test_a_draft_never_submitted_says_it_is_not_reviewed_yet(use_case, client_for):
    html = page(client_for(use_case.owner), use_case)

    assert "data-no-review" in review_section(html)


@pytest.mark.parametrize(
    ("role", "opinions", "may_return"),
    [
        ("dpo", ["dpo"], True),
        ("rssi", ["rssi"], True),
        ("owner", [], False),
        ("chef", [], False),
        ("dgs", [], False),
        ("admin", [], False),
    ],
)
def test_only_the_dpo_and_the_rssi_are_offered_their_opinion_and_the_return(
    role, opinions, may_return, use_case, users, client_for
):
    rs.submit(use_case)
    user = use_case.owner if role == "owner" else users[role]

    section = review_section(page(client_for(user), use_case))

    for reviewer in ("dpo", "rssi"):
        link = f'href="{reverse("registry:opinion_give", args=[use_case.pk, reviewer])}"'
        assert (link in section) is (reviewer in opinions), reviewer
    assert ('data-action="return"' in section) is may_return


def test_the_opinion_button_goes_once_the_opinion_is_given(use_case, users, client_for):
    review = rs.submit(use_case)
    rs.opinion(review, users["dpo"], "dpo")

    section = review_section(page(client_for(users["dpo"]), use_case))

    assert 'data-action="opinion-dpo"' not in section
    assert 'data-opinion="dpo" data-verdict="favourable"' in section
    assert 'data-opinion="rssi"' in section


# What the section shows --------------------------------------------------------------------------


def test_the_whole_review_is_shown_opinions_committee_decision_and_conditions_as_checkpoints(
    ethics_case, users, committee, client_for
):
    review, item = approved_with_conditions_by_committee(ethics_case, users, committee)
    checkpoints = {c.condition.text: c for c in ethics_case.checkpoints.filter(condition__isnull=False)}

    html = page(client_for(ethics_case.owner), ethics_case)
    section = review_section(html)

    assert ethics_case.status == UseCaseStatus.APPROVED_WITH_CONDITIONS
    assert 'data-review-status="decided"' in section
    assert f">{fr('Approved with conditions')}<" in section
    assert "Mission d'intérêt public" in section
    assert "SecNumCloud vérifié" in section
    # the committee: the session, each member's opinion, the conflict, the committee's opinion
    assert f'data-agenda-item="{item.pk}"' in section
    assert f'data-vote="{committee["external"].user.username}"' in section
    conflict = re.search(rf'data-vote="{committee["ccas"].user.username}">(.*?)</li>', section, re.S).group(1)
    assert "data-conflict" in conflict
    assert 'data-committee-opinion="favourable_with_conditions"' in section
    assert "Avis favorable du comité." in section
    # every condition became a checkpoint, linked, waiting for an owner the owner may name
    assert set(checkpoints) == {"Condition posée par le DPO.", "Revoir les biais chaque semestre."}
    for checkpoint in checkpoints.values():
        assert f'data-condition-checkpoint="{checkpoint.pk}"' in section
        assert reverse("audits:checkpoint_detail", args=[checkpoint.pk]) in section
        assert reverse("audits:checkpoint_edit", args=[checkpoint.pk]) in section
    assert "data-next-review" in section
    assert ethics_case.next_review_on.isoformat() in section


def test_a_committee_member_sees_the_case_on_their_agenda_with_a_link_to_the_session(
    ethics_case, users, committee, client_for
):
    review = rs.submit(ethics_case)
    rs.both_opinions(review, users)
    item = rs.to_agenda(review, users)

    section = review_section(page(client_for(committee["external"].user), ethics_case))

    assert reverse("registry:committee_session", args=[item.session_id]) in section
    assert "data-action" not in section


def test_the_owner_does_not_get_the_link_to_name_an_owner_when_they_may_not_manage_checkpoints(
    ethics_case, users, committee, client_for
):
    approved_with_conditions_by_committee(ethics_case, users, committee)

    section = review_section(page(client_for(users["dgs"]), ethics_case))

    assert "data-condition-checkpoint" in section
    assert "data-name-owner" not in section


def test_previous_rounds_are_collapsed_under_the_current_one(use_case, users, client_for):
    # given a round returned for changes, then submitted again
    review = rs.submit(use_case)
    services.review_return_for_changes(review=review, acting_user=users["dpo"], comment="Préciser la finalité.")
    use_case.refresh_from_db()
    rs.submit(use_case)

    section = review_section(page(client_for(users["dpo"]), use_case))

    assert section.index('data-review="2"') < section.index('data-previous-review="1"')
    assert re.search(r'<details class="review-previous" data-previous-review="1">', section)
    assert "Préciser la finalité." in section
    assert 'data-previous-review="2"' not in section


def test_a_material_change_after_approval_shows_the_stale_banner_with_what_changed(use_case, users, client_for):
    # given an approved use case whose purpose then changes (a material change)
    rs.both_opinions(rs.submit(use_case), users)
    use_case.refresh_from_db()
    services.use_case_update(
        use_case=use_case,
        acting_user=use_case.owner,
        data={"purpose": "Une tout autre finalité.", "description": "Un détail cosmétique."},
        expected_version=use_case.version,
    )
    use_case.refresh_from_db()

    section = review_section(page(client_for(use_case.owner), use_case))

    assert use_case.status == UseCaseStatus.SUBMITTED
    banner = section[section.index("data-stale-approval") : section.index('data-review="2"')]
    assert '<tr data-field="purpose" data-material>' in banner
    assert '<tr data-field="description">' in banner
    assert "Une tout autre finalité." in banner
    assert 'data-previous-review="1"' in section


def test_what_changed_since_the_submission_flags_the_material_changes(use_case, users, client_for):
    # given a submitted use case changed cosmetically by the DPO after the first opinion
    review = rs.submit(use_case)
    rs.opinion(review, users["rssi"], "rssi")
    use_case.refresh_from_db()
    services.use_case_update(
        use_case=use_case,
        acting_user=users["dpo"],
        data={"description": "Précision ajoutée."},
        expected_version=use_case.version,
    )

    section = review_section(page(client_for(users["dpo"]), use_case))

    assert "data-review-changes" in section
    assert '<tr data-field="description">' in section
    assert "data-material" not in section


# The page's cost --------------------------------------------------------------------------------


def _reviewed(ethics_case, users, committee, returned_rounds):
    """`returned_rounds` rounds returned for changes (each with an opinion and a condition), then a round
    approved through the committee (votes, a conflict, conditions become checkpoints)."""
    for _ in range(returned_rounds):
        review = rs.submit(ethics_case)
        rs.opinion(review, users["rssi"], "rssi", "favourable_with_conditions")
        services.review_return_for_changes(review=review, acting_user=users["dpo"], comment="À compléter.")
        ethics_case.refresh_from_db()
    approved_with_conditions_by_committee(ethics_case, users, committee)


@pytest.mark.parametrize("role", ["dpo", "owner"])
def test_the_page_costs_the_same_queries_whatever_the_number_of_rounds(
    role, collectivite, services, users, committee, tool, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def ethics_case():
        return UseCaseFactory(
            collectivite=collectivite,
            service=services["ccas"],
            owner=users["agent"],
            tool=tool,
            personal_data_categories=["health"],
        )

    small, large = ethics_case(), ethics_case()
    _reviewed(small, users, committee, 0)
    _reviewed(large, users, committee, 4)
    client = client_for(users["agent"] if role == "owner" else users[role])
    client.get(detail_url(small))  # warm the session

    counts = []
    for use_case in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail_url(use_case)).status_code == 200
        counts.append(len(queries))

    assert large.reviews.count() == 5
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(QUERIES_USE_CASE_PAGE):
        client.get(detail_url(large))


# 20 today: the review section costs its rounds with their opinions, conditions, agenda items and votes
# (5 queries whatever their number), the committee seat and the menu's task count.
QUERIES_USE_CASE_PAGE = 22


# Return for changes --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["dpo", "rssi"])
def test_the_dpo_or_the_rssi_returns_a_submitted_case_to_its_owner(role, use_case, users, client_for):
    review = rs.submit(use_case)

    response = client_for(users[role]).post(action_url("return", use_case), {"comment": "Préciser les données."})

    use_case.refresh_from_db()
    review.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == detail_url(use_case) + "#review"
    assert use_case.status == UseCaseStatus.DRAFT
    assert review.status == ReviewStatus.WITHDRAWN
    event = use_case.events.first()
    assert (event.kind, event.actor, event.comment) == (
        UseCaseEvent.Kind.RETURNED,
        users[role],
        "Préciser les données.",
    )


def test_a_return_without_a_comment_shows_the_error_next_to_the_field(use_case, users, client_for):
    rs.submit(use_case)

    response = client_for(users["dpo"]).post(action_url("return", use_case), {"comment": "  "})

    html = unescape(response.content.decode())
    use_case.refresh_from_db()
    assert response.status_code == 400
    assert use_case.status == UseCaseStatus.SUBMITTED
    assert re.search(r'data-field="comment">.*?class="field-error"', html, re.S)
    assert fr("This field is required.") in html


@pytest.mark.parametrize("role", ["owner", "chef", "dgs", "admin"])
def test_who_is_not_the_dpo_nor_the_rssi_may_not_return_a_case(role, use_case, users, client_for):
    rs.submit(use_case)
    user = use_case.owner if role == "owner" else users[role]

    response = client_for(user).post(action_url("return", use_case), {"comment": "Non."})

    use_case.refresh_from_db()
    assert response.status_code == 403
    assert use_case.status == UseCaseStatus.SUBMITTED


@pytest.mark.parametrize("name", ["return", "retire", "rework", "resume"])
def test_actions_on_a_use_case_out_of_sight_are_a_404(name, use_case, users, outsider, client_for):
    rs.submit(use_case)

    for user in (outsider, users["agent"]):
        assert client_for(user).post(action_url(name, use_case), {"comment": "x"}).status_code == 404
        assert client_for(user).get(action_url(name, use_case)).status_code == 404


def test_an_action_no_longer_possible_sends_back_to_the_page_with_a_message(use_case, users, client_for):
    # given a round the RSSI already sent back: the DPO's page was stale
    review = rs.submit(use_case)
    services.review_return_for_changes(review=review, acting_user=users["rssi"], comment="Incomplet.")

    response = client_for(users["dpo"]).post(action_url("return", use_case), {"comment": "Moi aussi."}, follow=True)

    html = unescape(response.content.decode())
    assert response.redirect_chain[-1][0] == detail_url(use_case) + "#review"
    assert fr("This action is not possible in the use case's current status.") in html
    assert use_case.events.filter(kind=UseCaseEvent.Kind.RETURNED).count() == 1


def test_an_action_page_opens_on_its_own_without_javascript(use_case, users, client_for):
    rs.submit(use_case)

    response = client_for(users["dpo"]).get(action_url("return", use_case))

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert 'id="action-form" data-action="return"' in html
    assert 'name="comment"' in html


# Retire, rework, resume ------------------------------------------------------------------------------


@pytest.fixture
def approved(use_case, users):
    rs.both_opinions(rs.submit(use_case), users)
    use_case.refresh_from_db()
    return use_case


@pytest.mark.parametrize("role", ["owner", "chef", "dpo", "admin"])
def test_who_may_change_an_approved_use_retires_it_with_a_reason(role, approved, users, client_for):
    user = approved.owner if role == "owner" else users[role]
    assert 'data-action="retire"' in review_section(page(client_for(user), approved))

    response = client_for(user).post(action_url("retire", approved), {"comment": "Remplacé par un autre outil."})

    approved.refresh_from_db()
    assert response.status_code == 302
    assert approved.status == UseCaseStatus.RETIRED
    assert approved.next_review_on is None


def test_retiring_without_a_reason_keeps_the_use_and_says_why(approved, client_for):
    response = client_for(approved.owner).post(action_url("retire", approved), {"comment": ""})

    approved.refresh_from_db()
    assert response.status_code == 400
    assert approved.status == UseCaseStatus.APPROVED
    assert 'class="field-error"' in response.content.decode()


def test_the_dgs_who_only_reads_the_register_may_not_retire(approved, users, client_for):
    assert 'data-action="retire"' not in review_section(page(client_for(users["dgs"]), approved))

    response = client_for(users["dgs"]).post(action_url("retire", approved), {"comment": "Non."})

    approved.refresh_from_db()
    assert response.status_code == 403
    assert approved.status == UseCaseStatus.APPROVED


def test_the_owner_reworks_a_rejected_use_case_as_a_draft(use_case, users, client_for):
    rs.both_opinions(rs.submit(use_case), users, dpo="unfavourable")
    use_case.refresh_from_db()
    assert use_case.status == UseCaseStatus.REJECTED
    assert 'data-action="rework"' in review_section(page(client_for(use_case.owner), use_case))

    response = client_for(use_case.owner).post(action_url("rework", use_case), {"comment": ""})

    use_case.refresh_from_db()
    assert response.status_code == 302
    assert use_case.status == UseCaseStatus.DRAFT


def test_the_dgs_may_not_rework_a_rejected_use_case(use_case, users, client_for):
    rs.both_opinions(rs.submit(use_case), users, dpo="unfavourable")

    response = client_for(users["dgs"]).post(action_url("rework", use_case), {"comment": ""})

    use_case.refresh_from_db()
    assert response.status_code == 403
    assert use_case.status == UseCaseStatus.REJECTED


@pytest.fixture
def suspended(approved, users):
    services.use_case_suspend(use_case=approved, acting_user=users["rssi"], reason="Fuite de données suspectée.")
    approved.refresh_from_db()
    return approved


@pytest.mark.parametrize("role", ["dpo", "rssi"])
def test_the_dpo_or_the_rssi_lifts_a_suspension_with_a_comment(role, suspended, users, client_for):
    assert 'data-action="resume"' in review_section(page(client_for(users[role]), suspended))

    response = client_for(users[role]).post(action_url("resume", suspended), {"comment": "Cause corrigée."})

    suspended.refresh_from_db()
    assert response.status_code == 302
    assert suspended.status == UseCaseStatus.IN_PRODUCTION


def test_lifting_a_suspension_without_a_comment_keeps_it_suspended(suspended, users, client_for):
    response = client_for(users["dpo"]).post(action_url("resume", suspended), {"comment": ""})

    suspended.refresh_from_db()
    assert response.status_code == 400
    assert suspended.status == UseCaseStatus.SUSPENDED


@pytest.mark.parametrize("role", ["owner", "chef", "admin", "dgs"])
def test_only_the_dpo_or_the_rssi_lifts_a_suspension(role, suspended, users, client_for):
    user = suspended.owner if role == "owner" else users[role]
    assert 'data-action="resume"' not in page(client_for(user), suspended)

    response = client_for(user).post(action_url("resume", suspended), {"comment": "Je relance."})

    suspended.refresh_from_db()
    assert response.status_code == 403
    assert suspended.status == UseCaseStatus.SUSPENDED
