"""The review workflow through its services: submission, withdrawal, the DPO and RSSI opinions, the decision
they lead to without the committee, and the return for changes; for every role."""

import pytest

from audits.models import Checkpoint
from core.access import get_access
from core.errors import ApplicationError, ConflictError, ForbiddenError, TransitionError
from registry import permissions
from registry import services as svc
from registry.choices import ReviewDecision, ReviewKind, ReviewStatus, UseCaseStatus
from registry.models import Opinion, Review, ReviewCondition, UseCaseEvent
from tests.registry.reviews_support import both_opinions, opinion, submit

pytestmark = pytest.mark.django_db

ROLES = ("agent", "chef", "dpo", "rssi", "comite", "dgs", "admin", "outsider")
Kind = UseCaseEvent.Kind


@pytest.fixture
def person(users, outsider):
    def get(role):
        return outsider if role == "outsider" else users[role]

    return get


def events(use_case) -> list[str]:
    return list(use_case.events.order_by("created_at", "id").values_list("kind", flat=True))


# Submission and withdrawal -----------------------------------------------------------------------------------
def test_submitting_opens_a_first_round_with_a_frozen_snapshot(use_case):
    # Given a draft
    version = use_case.version

    # When its owner submits it
    review = submit(use_case)

    # Then a first round waits for the opinions, with what was submitted frozen
    use_case.refresh_from_db()
    assert use_case.status == UseCaseStatus.SUBMITTED
    assert (review.number, review.kind, review.status) == (1, ReviewKind.INITIAL, ReviewStatus.OPINIONS)
    assert review.snapshot_version == version + 1 == use_case.version
    assert review.snapshot["fields"]["name"] == use_case.name
    assert review.snapshot["fields"]["tool"] == {"id": use_case.tool_id, "label": str(use_case.tool)}
    assert review.snapshot["classification"]["ai_act_risk"] == use_case.ai_act_risk == "minimal"
    assert review.snapshot["required_checkpoints"] == use_case.required_checkpoints
    assert review.ethics_required is False
    assert review.opened_by == use_case.owner
    # And the submission is an event of this round
    event = use_case.events.get(kind=Kind.SUBMITTED)
    assert (event.review, event.from_status, event.to_status) == (review, "draft", "submitted")


def test_the_snapshot_does_not_follow_later_edits(use_case, users):
    # Given a submitted use case
    review = submit(use_case)
    use_case.refresh_from_db()
    frozen = dict(review.snapshot["fields"])

    # When a cosmetic field is edited
    svc.use_case_update(
        use_case=use_case, acting_user=users["dpo"], data={"name": "Nouveau nom"}, expected_version=use_case.version
    )

    # Then the round still shows what was submitted
    review.refresh_from_db()
    assert review.snapshot["fields"] == frozen


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("agent", False),  # a CCAS agent who does not own the draft does not even see it
        ("chef", True),  # heads the direction above the CCAS
        ("dpo", True),
        ("rssi", True),
        ("comite", False),
        ("dgs", False),  # sees everything, changes nothing
        ("admin", True),
        ("outsider", False),
    ],
)
def test_who_may_submit_and_withdraw(role, allowed, person, use_case, collectivite):
    user = person(role)
    access = get_access(user, collectivite)
    assert permissions.can_submit_use_case(user, access, use_case) is allowed
    submit(use_case)
    use_case.refresh_from_db()
    assert permissions.can_withdraw_use_case(user, access, use_case) is allowed
    owner_access = get_access(use_case.owner, collectivite)
    assert permissions.can_withdraw_use_case(use_case.owner, owner_access, use_case)


def test_withdrawal_closes_the_round_and_a_new_submission_opens_the_next(use_case):
    # Given a submitted use case
    first = submit(use_case)

    # When its owner withdraws it
    svc.use_case_withdraw(use_case=use_case, acting_user=use_case.owner)

    # Then the round is closed and the use case is a draft again
    use_case.refresh_from_db()
    first.refresh_from_db()
    assert use_case.status == UseCaseStatus.DRAFT
    assert first.status == ReviewStatus.WITHDRAWN and first.closed_reason
    assert events(use_case)[-1] == Kind.WITHDRAWN

    # And submitting it again opens a second round, reviewing the changes
    second = submit(use_case)
    assert (second.number, second.kind, second.status) == (2, ReviewKind.CHANGE, ReviewStatus.OPINIONS)


def test_withdrawal_is_refused_once_an_opinion_was_given(use_case, users):
    review = submit(use_case)
    opinion(review, users["dpo"], "dpo")
    with pytest.raises(TransitionError) as raised:
        svc.use_case_withdraw(use_case=use_case, acting_user=use_case.owner)
    assert raised.value.status_code == 409
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPINIONS


def test_a_submitted_use_case_cannot_be_submitted_again(use_case):
    submit(use_case)
    with pytest.raises(TransitionError):
        svc.use_case_submit(use_case=use_case, acting_user=use_case.owner)
    assert Review.objects.filter(use_case=use_case).count() == 1


# Opinions -----------------------------------------------------------------------------------------------------
def test_the_first_opinion_puts_the_use_case_in_review(use_case, users):
    # Given a submitted use case
    review = submit(use_case)

    # When the RSSI gives the first opinion
    given = opinion(
        review,
        users["rssi"],
        "rssi",
        hosting_assessment="Hébergement SecNumCloud.",
        data_classification="C2",
        vendor_reuse="disabled",
        homologation_status="done",
        legal_basis="(ignored: not the RSSI's field)",
    )

    # Then the use case is in review, the round still waits for the DPO, and the opinion keeps its own fields
    use_case.refresh_from_db()
    review.refresh_from_db()
    assert use_case.status == UseCaseStatus.IN_REVIEW
    assert review.status == ReviewStatus.OPINIONS and not review.decision
    assert (given.author, given.role, given.data_classification, given.vendor_reuse) == (
        users["rssi"],
        "rssi",
        "C2",
        "disabled",
    )
    assert given.legal_basis == ""
    event = use_case.events.get(kind=Kind.OPINION)
    assert (event.actor, event.review, event.from_status, event.to_status) == (
        users["rssi"],
        review,
        "submitted",
        "in_review",
    )


@pytest.mark.parametrize("opinion_role", ["dpo", "rssi"])
@pytest.mark.parametrize("role", ROLES)
def test_only_the_dpo_and_the_rssi_give_their_own_opinion(role, opinion_role, person, use_case):
    # Given a submitted use case
    review = submit(use_case)
    user = person(role)

    if role == opinion_role:
        # The DPO gives the DPO opinion, the RSSI the RSSI opinion
        given = opinion(review, user, opinion_role)
        assert given.role == opinion_role
        return
    # Anyone else is refused, and nothing is written
    with pytest.raises(ForbiddenError) as raised:
        opinion(review, user, opinion_role)
    assert raised.value.status_code == 403
    assert not Opinion.objects.exists()
    assert not use_case.events.filter(kind=Kind.OPINION).exists()


def test_an_unknown_reviewer_role_is_refused(use_case, users):
    review = submit(use_case)
    with pytest.raises(ForbiddenError):
        opinion(review, users["admin"], "admin")


def test_a_second_opinion_of_the_same_role_is_a_conflict(use_case, users):
    review = submit(use_case)
    opinion(review, users["dpo"], "dpo")
    with pytest.raises(ConflictError) as raised:
        opinion(review, users["dpo"], "dpo", "unfavourable")
    assert raised.value.status_code == 409
    assert review.opinions.get().verdict == "favourable"


@pytest.mark.parametrize("closed", ["decided", "withdrawn", "committee"])
def test_no_opinion_once_the_review_no_longer_waits_for_opinions(closed, use_case, users):
    # Given a round that was decided, withdrawn, or sent to the committee
    review = submit(use_case)
    if closed == "decided":
        opinion(review, users["dpo"], "dpo")
        opinion(review, users["rssi"], "rssi")
    elif closed == "withdrawn":
        svc.use_case_withdraw(use_case=use_case, acting_user=use_case.owner)
    else:
        opinion(review, users["dpo"], "dpo", ask_committee=True)
        opinion(review, users["rssi"], "rssi")
    review.refresh_from_db()
    assert review.status == closed

    # When the DPO (or the RSSI) tries to give an opinion on it
    for role in ("dpo", "rssi"):
        with pytest.raises(TransitionError) as raised:
            svc.opinion_give(
                review=review, acting_user=users[role], role=role, data={"verdict": "unfavourable", "comment": "x"}
            )
        # Then it is refused as a conflict with the state of the round
        assert raised.value.status_code == 409


LONG = "x" * 501


@pytest.mark.parametrize(
    "role, data, fields",
    [
        ("dpo", {"verdict": "favourable_with_conditions", "conditions": []}, {"conditions"}),
        ("dpo", {"verdict": "favourable_with_conditions", "conditions": ["  ", ""]}, {"conditions"}),
        ("rssi", {"verdict": "unfavourable", "comment": "   "}, {"comment"}),
        ("dpo", {"verdict": "favourable", "conditions": ["Une condition."]}, {"conditions"}),
        ("dpo", {"verdict": "maybe"}, {"verdict"}),
        ("dpo", {}, {"verdict"}),
        ("dpo", {"verdict": "favourable", "dpia_status": "someday"}, {"dpia_status"}),
        ("rssi", {"verdict": "favourable", "vendor_reuse": "perhaps"}, {"vendor_reuse"}),
        ("rssi", {"verdict": "favourable", "data_classification": "C9"}, {"data_classification"}),
        ("rssi", {"verdict": "favourable", "homologation_status": "soon"}, {"homologation_status"}),
        ("dpo", {"verdict": "favourable", "processing_record_ref": "R" * 101}, {"processing_record_ref"}),
        ("dpo", {"verdict": "favourable_with_conditions", "conditions": [f"C{i}" for i in range(21)]}, {"conditions"}),
        ("rssi", {"verdict": "favourable_with_conditions", "conditions": [LONG]}, {"conditions"}),
    ],
)
def test_an_invalid_opinion_is_a_400_naming_its_fields_and_writes_nothing(role, data, fields, use_case, users):
    # Given a submitted use case
    review = submit(use_case)

    # When the reviewer sends an incomplete or invalid opinion
    with pytest.raises(ApplicationError) as raised:
        svc.opinion_give(review=review, acting_user=users[role], role=role, data=data)

    # Then it is refused with the fields to correct, and nothing moved
    assert raised.value.status_code == 400
    assert set(raised.value.errors) == fields
    assert not Opinion.objects.exists() and not ReviewCondition.objects.exists()
    use_case.refresh_from_db()
    assert use_case.status == UseCaseStatus.SUBMITTED


def test_conditions_are_cleaned_of_blank_entries_and_extra_spaces(use_case, users):
    review = submit(use_case)
    opinion(review, users["dpo"], "dpo", "favourable_with_conditions", conditions=["  Relire   chaque courrier ", ""])
    assert list(review.conditions.values_list("source", "text")) == [("dpo", "Relire chaque courrier")]


# The decision without the committee -------------------------------------------------------------------------------
FAV, FWC, UNF = "favourable", "favourable_with_conditions", "unfavourable"


@pytest.mark.parametrize(
    "dpo, rssi, decision",
    [
        (FAV, FAV, ReviewDecision.APPROVED),
        (FWC, FAV, ReviewDecision.APPROVED_WITH_CONDITIONS),
        (FAV, FWC, ReviewDecision.APPROVED_WITH_CONDITIONS),
        (FWC, FWC, ReviewDecision.APPROVED_WITH_CONDITIONS),
        (UNF, FAV, ReviewDecision.REJECTED),
        (FAV, UNF, ReviewDecision.REJECTED),
        (UNF, FWC, ReviewDecision.REJECTED),
        (FWC, UNF, ReviewDecision.REJECTED),
        (UNF, UNF, ReviewDecision.REJECTED),
    ],
)
def test_the_two_opinions_decide_when_no_committee_is_needed(dpo, rssi, decision, use_case, users):
    # Given a submitted use case that does not need the ethics committee
    review = submit(use_case)
    assert not review.ethics_required

    # When the DPO then the RSSI give their opinions
    review = both_opinions(review, users, dpo=dpo, rssi=rssi)

    # Then the round is decided as the table says, by the second opinion
    use_case.refresh_from_db()
    assert review.status == ReviewStatus.DECIDED
    assert review.decision == decision
    assert review.decided_by == users["rssi"] and review.decided_at is not None
    assert use_case.status == decision
    decided = use_case.events.get(kind=Kind.DECIDED)
    assert (decided.review, decided.from_status, decided.to_status) == (review, "in_review", decision)
    assert events(use_case) == [Kind.SUBMITTED, Kind.OPINION, Kind.OPINION, Kind.DECIDED]

    # And the conditions become checkpoints waiting for an owner, only when the use is approved
    checkpoints = Checkpoint.objects.filter(use_case=use_case, origin=Checkpoint.Origin.CONDITION)
    if decision == ReviewDecision.REJECTED:
        assert not checkpoints.exists()
        assert use_case.next_review_on is None
    else:
        assert checkpoints.count() == review.conditions.count() == [dpo, rssi].count(FWC)
        for checkpoint in checkpoints:
            assert checkpoint.owner is None and checkpoint.active
            assert checkpoint.condition.review == review
            assert checkpoint.type.title == checkpoint.condition.text
        assert use_case.next_review_on is not None


def test_the_dpo_and_rssi_fields_of_both_opinions_are_kept(use_case, users):
    review = submit(use_case)
    opinion(
        review,
        users["dpo"],
        "dpo",
        legal_basis="Mission de service public (art. 6.1.e)",
        dpia_status="not_required",
        processing_record_ref="REG-042",
        retention="1 an",
    )
    opinion(review, users["rssi"], "rssi", hosting_assessment="Hébergé en France", homologation_status="in_progress")
    dpo = review.opinions.get(role="dpo")
    rssi = review.opinions.get(role="rssi")
    assert (dpo.legal_basis, dpo.dpia_status, dpo.processing_record_ref, dpo.retention) == (
        "Mission de service public (art. 6.1.e)",
        "not_required",
        "REG-042",
        "1 an",
    )
    assert (rssi.hosting_assessment, rssi.homologation_status, rssi.legal_basis) == (
        "Hébergé en France",
        "in_progress",
        "",
    )


def test_opinions_are_append_only(use_case, users):
    review = submit(use_case)
    given = opinion(review, users["dpo"], "dpo")
    given.verdict = "unfavourable"
    with pytest.raises(ValueError):
        given.save()


# Return for changes ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_only_the_dpo_or_the_rssi_return_a_use_case_for_changes(role, person, use_case):
    # Given a submitted use case
    review = submit(use_case)
    user = person(role)

    if role in ("dpo", "rssi"):
        # When the DPO or the RSSI returns it, saying what to complete
        svc.review_return_for_changes(review=review, acting_user=user, comment="Précisez les données.")
        # Then the round is closed with that reason and the use case is a draft again
        use_case.refresh_from_db()
        review.refresh_from_db()
        assert use_case.status == UseCaseStatus.DRAFT
        assert (review.status, review.closed_reason) == (ReviewStatus.WITHDRAWN, "Précisez les données.")
        event = use_case.events.get(kind=Kind.RETURNED)
        assert (event.actor, event.comment, event.to_status) == (user, "Précisez les données.", "draft")
        return
    with pytest.raises(ForbiddenError):
        svc.review_return_for_changes(review=review, acting_user=user, comment="Précisez les données.")
    use_case.refresh_from_db()
    assert use_case.status == UseCaseStatus.SUBMITTED


def test_returning_for_changes_needs_a_comment(use_case, users):
    review = submit(use_case)
    with pytest.raises(ApplicationError) as raised:
        svc.review_return_for_changes(review=review, acting_user=users["dpo"], comment="  ")
    assert raised.value.status_code == 400 and set(raised.value.errors) == {"comment"}


def test_a_use_case_can_be_returned_after_one_opinion_and_resubmitted(use_case, users):
    # Given a round where the RSSI already gave an opinion
    review = submit(use_case)
    opinion(review, users["rssi"], "rssi")

    # When the DPO returns it and the owner submits it again
    svc.review_return_for_changes(review=review, acting_user=users["dpo"], comment="Ajoutez l'AIPD.")
    second = submit(use_case)

    # Then a second round starts from scratch
    assert (second.number, second.kind) == (2, ReviewKind.CHANGE)
    assert not second.opinions.exists()


def test_a_decided_review_cannot_be_returned(use_case, users):
    review = both_opinions(submit(use_case), users)
    with pytest.raises(TransitionError):
        svc.review_return_for_changes(review=review, acting_user=users["dpo"], comment="Trop tard.")


def test_events_are_append_only(use_case, users):
    submit(use_case)
    event = use_case.events.get(kind=Kind.SUBMITTED)
    event.comment = "réécrit"
    with pytest.raises(ValueError):
        event.save()
