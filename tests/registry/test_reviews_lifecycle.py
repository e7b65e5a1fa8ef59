"""After the decision: rework, retirement, suspension and resumption, the stale-approval rule, what changed since
a round opened, and the periodic re-reviews set by the collectivité's policy."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from dateutil.relativedelta import relativedelta

from audits.models import Checkpoint
from core.access import get_access
from core.errors import ApplicationError, ForbiddenError, TransitionError
from registry import permissions
from registry import services as svc
from registry.choices import AiActRisk, AnnexIIIPoint, ReviewDecision, ReviewKind, ReviewStatus, UseCaseStatus
from registry.models import Review, UseCase, UseCaseEvent
from registry.models.use_cases import CLASSIFICATION_INPUT_FIELDS, FACT_FIELDS
from registry.selectors.reviews import review_changes
from tests.registry.factories import ToolFactory, UseCaseFactory
from tests.registry.reviews_support import both_opinions, opinion, submit, to_agenda

pytestmark = pytest.mark.django_db

ROLES = ("agent", "chef", "dpo", "rssi", "comite", "dgs", "admin", "outsider")
Kind = UseCaseEvent.Kind
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def person(users, outsider, use_case):
    def get(role):
        if role == "outsider":
            return outsider
        if role == "owner":
            return use_case.owner
        return users[role]

    return get


def reload(use_case) -> UseCase:
    return UseCase.objects.select_related("collectivite", "service", "owner", "tool").get(pk=use_case.pk)


def approve(use_case, users, status=UseCaseStatus.APPROVED) -> Review:
    """Take a draft to `approved`, `approved_with_conditions` or `in_production` through the services."""
    dpo = "favourable_with_conditions" if status == UseCaseStatus.APPROVED_WITH_CONDITIONS else "favourable"
    review = both_opinions(submit(use_case), users, dpo=dpo)
    if review.status == ReviewStatus.COMMITTEE and status == UseCaseStatus.APPROVED:
        # Health data go to the ethics committee (the collectivité's policy): its favourable opinion decides.
        item = to_agenda(review, users)
        svc.committee_opinion_record(item=item, acting_user=users["comite"], opinion="favourable")
        review.refresh_from_db()
    assert review.status == ReviewStatus.DECIDED, "the use case needs the committee"
    if status == UseCaseStatus.IN_PRODUCTION:
        svc.use_case_put_into_production(use_case=reload(use_case), acting_user=use_case.owner)
    assert reload(use_case).status == status
    return review


def edit(use_case, user, **data) -> UseCase:
    current = reload(use_case)
    return svc.use_case_update(use_case=current, acting_user=user, data=data, expected_version=current.version)


def reject(use_case, users) -> Review:
    return both_opinions(submit(use_case), users, dpo="unfavourable")


# Rework ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "role, allowed",
    [
        ("owner", True),
        ("agent", False),
        ("chef", True),
        ("dpo", True),
        ("rssi", True),
        ("comite", False),
        ("dgs", False),
        ("admin", True),
        ("outsider", False),
    ],
)
def test_who_may_take_a_rejected_use_case_back_as_a_draft(role, allowed, person, use_case, users):
    # Given a rejected use case
    reject(use_case, users)
    user = person(role)

    if not allowed:
        with pytest.raises(ForbiddenError) as raised:
            svc.use_case_rework(use_case=use_case, acting_user=user)
        assert raised.value.status_code == 403
        assert reload(use_case).status == UseCaseStatus.REJECTED
        return
    # When someone who may change it reopens it
    svc.use_case_rework(use_case=use_case, acting_user=user, comment="On revoit le périmètre.")

    # Then it is a draft again, and its next submission is reviewed as a change
    assert reload(use_case).status == UseCaseStatus.DRAFT
    event = use_case.events.get(kind=Kind.REWORKED)
    assert (event.actor, event.from_status, event.to_status) == (user, "rejected", "draft")
    assert submit(reload(use_case)).kind == ReviewKind.CHANGE


def test_only_a_rejected_use_case_is_reworked(use_case, users):
    approve(use_case, users)
    with pytest.raises(TransitionError):
        svc.use_case_rework(use_case=use_case, acting_user=users["dpo"])


# Retirement -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "role, allowed",
    [
        ("owner", True),
        ("agent", False),  # sees the approved CCAS use, may not stop it
        ("chef", True),
        ("dpo", True),
        ("rssi", True),
        ("comite", False),
        ("dgs", False),
        ("admin", True),
        ("outsider", False),
    ],
)
def test_who_may_retire_a_use(role, allowed, person, use_case, users):
    # Given an approved use case
    approve(use_case, users)
    user = person(role)

    if not allowed:
        with pytest.raises(ForbiddenError):
            svc.use_case_retire(use_case=use_case, acting_user=user, comment="Plus utilisé.")
        assert reload(use_case).status == UseCaseStatus.APPROVED
        return
    svc.use_case_retire(use_case=use_case, acting_user=user, comment="Plus utilisé.")
    retired = reload(use_case)
    assert retired.status == UseCaseStatus.RETIRED and retired.next_review_on is None
    event = use_case.events.get(kind=Kind.RETIRED)
    assert (event.actor, event.comment, event.from_status) == (user, "Plus utilisé.", "approved")


def test_retiring_needs_a_reason(use_case, users):
    approve(use_case, users)
    with pytest.raises(ApplicationError) as raised:
        svc.use_case_retire(use_case=use_case, acting_user=users["dpo"], comment=" ")
    assert raised.value.status_code == 400 and set(raised.value.errors) == {"comment"}


@pytest.mark.parametrize("state", ["submitted", "in_review", "retired"])
def test_a_use_under_review_or_already_retired_is_not_retired(state, use_case, users):
    review = submit(use_case)
    if state == "in_review":
        opinion(review, users["dpo"], "dpo")
    elif state == "retired":
        draft = svc.use_case_withdraw(use_case=use_case, acting_user=use_case.owner)
        svc.use_case_retire(use_case=draft, acting_user=users["dpo"], comment="Abandon.")
    with pytest.raises(TransitionError) as raised:
        svc.use_case_retire(use_case=use_case, acting_user=users["dpo"], comment="Abandon.")
    assert raised.value.status_code == 409


def test_retiring_a_live_use_closes_its_open_periodic_review(use_case, users):
    approve(use_case, users, UseCaseStatus.IN_PRODUCTION)
    periodic = open_periodic(use_case)
    svc.use_case_retire(use_case=use_case, acting_user=users["rssi"], comment="Remplacé par un autre outil.")
    periodic.refresh_from_db()
    assert periodic.status == ReviewStatus.WITHDRAWN


# Suspension and resumption ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_only_the_dpo_or_the_rssi_lift_a_suspension(role, person, use_case, users):
    # Given a use in production, suspended by the DPO
    approve(use_case, users, UseCaseStatus.IN_PRODUCTION)
    svc.use_case_suspend(use_case=use_case, acting_user=users["dpo"], reason="Fuite de données possible.")
    user = person(role)

    if role not in ("dpo", "rssi"):
        with pytest.raises(ForbiddenError):
            svc.use_case_resume(use_case=use_case, acting_user=user, comment="Corrigé.")
        assert reload(use_case).status == UseCaseStatus.SUSPENDED
        return
    svc.use_case_resume(use_case=use_case, acting_user=user, comment="Correctif déployé.")
    assert reload(use_case).status == UseCaseStatus.IN_PRODUCTION
    event = use_case.events.get(kind=Kind.RESUMED)
    assert (event.actor, event.from_status, event.to_status) == (user, "suspended", "in_production")


def test_resuming_needs_a_reason_and_a_suspended_use(use_case, users):
    approve(use_case, users, UseCaseStatus.IN_PRODUCTION)
    with pytest.raises(TransitionError):
        svc.use_case_resume(use_case=use_case, acting_user=users["dpo"], comment="Rien à reprendre.")
    svc.use_case_suspend(use_case=use_case, acting_user=users["dpo"], reason="Incident.")
    with pytest.raises(ApplicationError) as raised:
        svc.use_case_resume(use_case=use_case, acting_user=users["dpo"], comment="")
    assert set(raised.value.errors) == {"comment"}


def test_no_resumption_while_a_review_is_open(use_case, users):
    # Given a use in production whose periodic re-review is open, suspended meanwhile
    approve(use_case, users, UseCaseStatus.IN_PRODUCTION)
    periodic = open_periodic(use_case)
    svc.use_case_suspend(use_case=use_case, acting_user=users["rssi"], reason="Incident de sécurité.")

    # When the DPO tries to lift the suspension, it is refused until the review is decided
    with pytest.raises(TransitionError):
        svc.use_case_resume(use_case=use_case, acting_user=users["dpo"], comment="Corrigé.")

    # And once the re-review approves it, the suspension can be lifted
    both_opinions(periodic, users)
    assert reload(use_case).status == UseCaseStatus.SUSPENDED
    svc.use_case_resume(use_case=use_case, acting_user=users["dpo"], comment="Corrigé et revu.")
    assert reload(use_case).status == UseCaseStatus.IN_PRODUCTION


def test_conditions_need_an_owner_before_going_into_production(use_case, users):
    # Given a use approved with a condition (a checkpoint waiting for its owner)
    approve(use_case, users, UseCaseStatus.APPROVED_WITH_CONDITIONS)
    checkpoint = Checkpoint.objects.get(use_case=use_case, origin=Checkpoint.Origin.CONDITION)
    assert checkpoint.owner is None

    # Then it cannot go into production until someone is named
    with pytest.raises(TransitionError):
        svc.use_case_put_into_production(use_case=reload(use_case), acting_user=use_case.owner)
    Checkpoint.objects.filter(pk=checkpoint.pk).update(owner=use_case.owner)
    svc.use_case_put_into_production(use_case=reload(use_case), acting_user=use_case.owner)
    assert reload(use_case).status == UseCaseStatus.IN_PRODUCTION


# The stale-approval rule -----------------------------------------------------------------------------------------
# (set up before submission, material change after approval): every classification input, the tool, the purpose.
MATERIAL_CHANGES = [
    ({}, {"art5_practices": ["c"]}),
    ({}, {"annex_iii_point": "5a"}),
    ({"annex_iii_point": "2", "art6_3_ground": "a"}, {"art6_3_ground": "d"}),
    ({}, {"art50_features": ["synthetic_media"]}),
    ({}, {"technique": "expert_system"}),
    ({}, {"self_learning": True}),
    ({}, {"audience": "both"}),
    ({}, {"automation_level": "assist"}),
    ({"automation_level": "assist"}, {"individual_decisions": True}),
    ({"automation_level": "assist", "individual_decisions": True}, {"administrative_appeal": True}),
    ({}, {"personal_data_categories": ["ordinary"]}),
    ({"personal_data_categories": ["ordinary"]}, {"large_scale": True}),
    ({"personal_data_categories": ["ordinary"]}, {"profiling": True}),
    ({}, {"dataset_matching": True}),
    ({}, {"max_data_classification": "C2"}),
    ({}, {"hosting_zone": "eu"}),
    ({}, {"hosting_qualification": "secnumcloud"}),
    ({}, {"provider_reuse_disabled": True}),
    ({}, {"annex_i_product": True}),
    ({}, {"ai_act_role": "provider"}),
    ({"personal_data_categories": ["health"], "hosting_zone": "on_premise"}, {"care_context": True}),
    ({"personal_data_categories": ["ordinary"]}, {"systematic_monitoring": True}),
    ({"personal_data_categories": ["ordinary"]}, {"cnil_list_types": ["social_support"]}),
    ({}, {"tool": "another"}),
    ({}, {"purpose": "Répondre aussi aux courriels des usagers."}),
    # The plain facts of the guided qualification (DOMAIN.md 3b).
    ({}, {"produces_by": ["generates_text"]}),
    ({}, {"keeps_learning_in_use": "no"}),
    ({}, {"origin": "vendor_as_intended"}),
    ({}, {"ce_marked_product": "no"}),
    ({}, {"affects": "agents"}),
    ({}, {"policy_areas": ["internal_work"]}),
    ({}, {"safety_component": "no"}),
    ({}, {"task_kind": "narrow_procedural"}),
    ({}, {"effect_on_people": "no_decision_about_persons"}),
    ({}, {"decides_on_individual_cases": "no"}),
    ({}, {"on_administrative_appeals": "no"}),
    ({}, {"assesses_persons": "no"}),
    ({}, {"watches_people": "no"}),
    ({}, {"sensitive_contexts": ["none"]}),
]


def test_the_material_changes_cover_every_classification_input_the_tool_and_the_purpose():
    covered = {name for _before, change in MATERIAL_CHANGES for name in change}
    assert covered == {*CLASSIFICATION_INPUT_FIELDS, *FACT_FIELDS, "tool", "purpose"}
    assert covered == set(svc.MATERIAL_FIELDS)


def _case(collectivite, services, owner, **inputs):
    return UseCaseFactory(collectivite=collectivite, service=services["ccas"], owner=owner, **inputs)


@pytest.mark.parametrize("before, change", MATERIAL_CHANGES, ids=[next(iter(c)) for _b, c in MATERIAL_CHANGES])
def test_a_material_change_makes_an_approval_stale(
    before, change, collectivite, services, users, tool, use_case, committee
):
    # Given an approved use case
    approved_case = _case(collectivite, services, use_case.owner, tool=tool, **before)
    decided = approve(approved_case, users)
    if change.get("tool") == "another":
        change = {"tool": ToolFactory(collectivite=collectivite, name="Mistral", max_data_classification="C2")}

    # When its owner changes what was approved
    edit(approved_case, approved_case.owner, **change)

    # Then the approval is out of date and a new round reviews the change
    use_case_now = reload(approved_case)
    decided.refresh_from_db()
    assert decided.stale_at is not None
    assert (decided.status, decided.decision) == (ReviewStatus.DECIDED, ReviewDecision.APPROVED)
    assert use_case_now.status == UseCaseStatus.SUBMITTED
    new = Review.objects.get(use_case=approved_case, status=ReviewStatus.OPINIONS)
    assert (new.number, new.kind, new.snapshot_version) == (2, ReviewKind.CHANGE, use_case_now.version)
    name = next(iter(change))
    expected = {"id": change[name].pk, "label": str(change[name])} if name == "tool" else change[name]
    assert new.snapshot["fields"][name] == expected
    stale = approved_case.events.get(kind=Kind.STALE)
    assert (stale.review, stale.from_status, stale.to_status) == (new, "approved", "submitted")


@pytest.mark.parametrize(
    "status", [UseCaseStatus.APPROVED_WITH_CONDITIONS, UseCaseStatus.IN_PRODUCTION, UseCaseStatus.SUSPENDED]
)
def test_every_decided_status_is_sent_back_for_review(status, use_case, users):
    decided = approve(use_case, users, UseCaseStatus.IN_PRODUCTION if status == UseCaseStatus.SUSPENDED else status)
    if status == UseCaseStatus.SUSPENDED:
        svc.use_case_suspend(use_case=reload(use_case), acting_user=users["dpo"], reason="Incident.")
    edit(use_case, users["dpo"], personal_data_categories=["ordinary"])
    decided.refresh_from_db()
    assert decided.stale_at is not None
    assert reload(use_case).status == UseCaseStatus.SUBMITTED
    assert use_case.events.get(kind=Kind.STALE).from_status == status


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Nouveau nom"},
        {"summary": "Un nouveau résumé, plus clair."},
        {"description": "Plus de détails."},
        {"human_oversight": "Chaque courrier est relu par un agent."},
        {"lawful_basis": "Mission de service public."},
        {"data_sources": "Courriers entrants."},
        {"processing_record_ref": "REG-12"},
        {"decisions_per_year": 1200},
        {"start_date": dt.date(2026, 9, 1)},
    ],
    ids=lambda change: next(iter(change)),
)
def test_a_cosmetic_edit_keeps_the_approval(change, use_case, users):
    decided = approve(use_case, users, UseCaseStatus.IN_PRODUCTION)
    edit(use_case, use_case.owner, **change)
    decided.refresh_from_db()
    assert decided.stale_at is None
    assert reload(use_case).status == UseCaseStatus.IN_PRODUCTION
    assert not Review.objects.filter(use_case=use_case, status__in=("opinions", "committee")).exists()
    assert not use_case.events.filter(kind=Kind.STALE).exists()


def test_a_material_change_before_any_opinion_refreshes_the_open_round(use_case, users):
    # Given a submitted use case no reviewer looked at yet
    review = submit(use_case)
    assert not review.ethics_required

    # When its owner makes it high-risk
    edit(use_case, use_case.owner, annex_iii_point="5a", personal_data_categories=["ordinary"])

    # Then the same round now reviews the new version, which needs the committee
    review.refresh_from_db()
    now = reload(use_case)
    assert Review.objects.filter(use_case=use_case).count() == 1
    assert review.status == ReviewStatus.OPINIONS
    assert (review.snapshot_version, review.snapshot["fields"]["annex_iii_point"]) == (now.version, "5a")
    assert review.snapshot["classification"]["ai_act_risk"] == "high"
    assert review.ethics_required
    assert now.status == UseCaseStatus.SUBMITTED
    assert not use_case.events.filter(kind=Kind.STALE).exists()
    assert both_opinions(review, users).status == ReviewStatus.COMMITTEE


def test_a_material_change_after_an_opinion_supersedes_the_round(use_case, users):
    # Given a round the DPO already gave an opinion on
    first = submit(use_case)
    opinion(first, users["dpo"], "dpo")

    # When the owner changes the purpose
    edit(use_case, use_case.owner, purpose="Un tout autre besoin.")

    # Then that round is replaced by a new one, and the use case waits for both opinions again
    first.refresh_from_db()
    assert first.status == ReviewStatus.SUPERSEDED and first.closed_reason
    assert first.opinions.count() == 1 and first.stale_at is None
    second = Review.objects.get(use_case=use_case, status=ReviewStatus.OPINIONS)
    assert (second.number, second.kind) == (2, ReviewKind.CHANGE)
    assert reload(use_case).status == UseCaseStatus.SUBMITTED
    stale = use_case.events.get(kind=Kind.STALE)
    assert (stale.review, stale.from_status) == (second, "in_review")
    # And opinions go to the new round only
    with pytest.raises(TransitionError):
        opinion(first, users["rssi"], "rssi")
    opinion(second, users["rssi"], "rssi")


def test_a_material_change_during_the_committee_supersedes_its_agenda_item(
    collectivite, services, users, committee, use_case
):
    high = _case(collectivite, services, use_case.owner, annex_iii_point="5a", personal_data_categories=["ordinary"])
    item = to_agenda(both_opinions(submit(high), users), users)
    edit(high, high.owner, purpose="Élargi aux demandes de logement.")
    item.review.refresh_from_db()
    assert item.review.status == ReviewStatus.SUPERSEDED
    with pytest.raises(TransitionError):
        svc.vote_cast(item=item, acting_user=committee["external"].user, choice="favourable")
    assert reload(high).status == UseCaseStatus.SUBMITTED


def test_a_material_change_during_a_periodic_review_makes_the_approval_stale(use_case, users):
    decided = approve(use_case, users, UseCaseStatus.IN_PRODUCTION)
    periodic = open_periodic(use_case)
    edit(use_case, use_case.owner, hosting_zone="non_eu")
    periodic.refresh_from_db()
    decided.refresh_from_db()
    assert periodic.status == ReviewStatus.SUPERSEDED
    assert decided.stale_at is not None
    assert Review.objects.get(use_case=use_case, status=ReviewStatus.OPINIONS).kind == ReviewKind.CHANGE
    assert reload(use_case).status == UseCaseStatus.SUBMITTED


def test_a_draft_or_a_rejected_use_case_is_not_sent_for_review_by_an_edit(use_case, users):
    edit(use_case, use_case.owner, annex_iii_point="5a", personal_data_categories=["ordinary"])
    assert reload(use_case).status == UseCaseStatus.DRAFT
    assert not Review.objects.filter(use_case=use_case).exists()


def test_review_changes_shows_what_changed_since_the_snapshot(use_case, users):
    # Given an approved use case, then a cosmetic and a material change
    decided = approve(use_case, users)
    assert review_changes(decided, reload(use_case)) == []
    edit(use_case, use_case.owner, name="Courriers du CCAS")
    edit(use_case, use_case.owner, annex_iii_point="5a", personal_data_categories=["ordinary"])

    # Then the approved round lists every difference, material or not, readable by a person
    changes = {change["field"]: change for change in review_changes(decided, reload(use_case))}
    assert {"name", "annex_iii_point", "personal_data_categories", "ai_act_risk"} <= set(changes)
    assert (changes["name"]["material"], changes["name"]["after"]) == (False, "Courriers du CCAS")
    assert changes["annex_iii_point"]["material"] is True
    assert (changes["annex_iii_point"]["before"], changes["annex_iii_point"]["after"]) == (
        "—",
        str(AnnexIIIPoint.P5A.label),
    )
    assert (changes["ai_act_risk"]["before"], changes["ai_act_risk"]["after"]) == (
        str(AiActRisk.MINIMAL.label),
        str(AiActRisk.HIGH.label),
    )
    assert changes["ai_act_risk"]["material"] is True
    # And the new round, opened on the changed version, shows nothing yet
    new = Review.objects.get(use_case=use_case, status=ReviewStatus.OPINIONS)
    assert review_changes(new, reload(use_case)) == []


# Periodic re-reviews -------------------------------------------------------------------------------------------------
def open_periodic(use_case) -> Review:
    """Open the use case's periodic re-review as the daily task does on its due date."""
    assert svc.rereviews_open_due(today=reload(use_case).next_review_on) >= 1
    return Review.objects.get(use_case=use_case, kind=ReviewKind.PERIODIC, status=ReviewStatus.OPINIONS)


@pytest.mark.parametrize(
    "inputs, risk, months",
    [
        ({}, "minimal", 30),
        ({"art50_features": ["synthetic_media"]}, "limited", 18),
        ({"annex_iii_point": "5a", "personal_data_categories": ["ordinary"]}, "high", 6),
    ],
)
def test_the_next_review_date_follows_the_collectivite_policy(
    inputs, risk, months, collectivite, services, users, committee, use_case
):
    # Given a collectivité reviewing high-risk uses every 6 months, limited every 18, minimal every 30
    type(collectivite).objects.filter(pk=collectivite.pk).update(
        review_months_high=6, review_months_limited=18, review_months_minimal=30
    )
    case = _case(collectivite, services, use_case.owner, **inputs)
    assert case.ai_act_risk == risk

    # When it is approved on 15 January 2026
    with time_machine.travel(dt.datetime(2026, 1, 15, 10, 0, tzinfo=PARIS)):
        review = both_opinions(submit(case), users)
        if review.status == ReviewStatus.COMMITTEE:
            item = to_agenda(review, users)
            svc.committee_opinion_record(item=item, acting_user=users["comite"], opinion="favourable")

    # Then its next review falls as many months later as the policy says for its risk
    assert reload(case).next_review_on == dt.date(2026, 1, 15) + relativedelta(months=months)


def test_a_rejection_sets_no_review_date(use_case, users):
    reject(use_case, users)
    assert reload(use_case).next_review_on is None


def test_the_daily_task_opens_due_rereviews_once(use_case, users):
    # Given a use in production approved on 15 January 2026 (minimal risk: every 36 months by default)
    with time_machine.travel(dt.datetime(2026, 1, 15, 10, 0, tzinfo=PARIS)):
        approve(use_case, users, UseCaseStatus.IN_PRODUCTION)
    due = reload(use_case).next_review_on
    assert due == dt.date(2029, 1, 15)

    # When the task runs the day before, nothing opens
    with time_machine.travel(dt.datetime(2029, 1, 14, 6, 0, tzinfo=PARIS)):
        assert svc.rereviews_open_due() == 0

    # When it runs on the due date, a periodic round opens while the use keeps running
    with time_machine.travel(dt.datetime(2029, 1, 15, 6, 0, tzinfo=PARIS)):
        assert svc.rereviews_open_due() == 1
        # And a second run opens nothing more
        assert svc.rereviews_open_due() == 0
    periodic = Review.objects.get(use_case=use_case, kind=ReviewKind.PERIODIC)
    assert (periodic.number, periodic.status, periodic.opened_by) == (2, ReviewStatus.OPINIONS, None)
    assert reload(use_case).status == UseCaseStatus.IN_PRODUCTION
    event = use_case.events.get(kind=Kind.REREVIEW)
    assert (event.review, event.actor, event.from_status, event.to_status) == (
        periodic,
        None,
        "in_production",
        "in_production",
    )


@pytest.mark.parametrize("status", ["draft", "submitted", "in_review", "rejected", "suspended", "retired"])
def test_only_live_uses_are_reviewed_again(status, collectivite, services):
    # Given a use case that is not live, with a review date in the past
    case = UseCaseFactory(collectivite=collectivite, service=services["ccas"], status=status)
    UseCase.objects.filter(pk=case.pk).update(next_review_on=dt.date(2020, 1, 1))
    # Then the task leaves it alone
    assert svc.rereviews_open_due() == 0
    assert not Review.objects.exists()


def test_a_periodic_approval_keeps_the_use_running_and_moves_the_date(use_case, users):
    with time_machine.travel(dt.datetime(2026, 1, 15, 10, 0, tzinfo=PARIS)):
        approve(use_case, users, UseCaseStatus.IN_PRODUCTION)
    with time_machine.travel(dt.datetime(2029, 1, 20, 10, 0, tzinfo=PARIS)):
        periodic = open_periodic(use_case)
        both_opinions(periodic, users, rssi="favourable_with_conditions")
    periodic.refresh_from_db()
    now = reload(use_case)
    assert periodic.decision == ReviewDecision.APPROVED_WITH_CONDITIONS
    assert now.status == UseCaseStatus.IN_PRODUCTION
    assert now.next_review_on == dt.date(2032, 1, 20)
    assert Checkpoint.objects.filter(use_case=use_case, origin="condition", condition__review=periodic).count() == 1
    decided = use_case.events.filter(kind=Kind.DECIDED).order_by("-id").first()
    assert (decided.from_status, decided.to_status) == ("in_production", "in_production")


def test_a_periodic_rejection_suspends_the_use(use_case, users):
    approve(use_case, users, UseCaseStatus.IN_PRODUCTION)
    periodic = open_periodic(use_case)
    both_opinions(periodic, users, rssi="unfavourable")
    assert reload(use_case).status == UseCaseStatus.SUSPENDED
    decided = use_case.events.filter(kind=Kind.DECIDED).order_by("-id").first()
    assert (decided.from_status, decided.to_status) == ("in_production", "suspended")


def test_lifting_a_suspension_after_a_periodic_rejection_sets_the_next_review_by_the_policy(use_case, users):
    # Given a use suspended by its periodic re-review of 20 January 2029
    with time_machine.travel(dt.datetime(2026, 1, 15, 10, 0, tzinfo=PARIS)):
        approve(use_case, users, UseCaseStatus.IN_PRODUCTION)
    with time_machine.travel(dt.datetime(2029, 1, 20, 10, 0, tzinfo=PARIS)):
        both_opinions(open_periodic(use_case), users, rssi="unfavourable")
    # When the DPO lifts the suspension on 1 March 2029
    with time_machine.travel(dt.datetime(2029, 3, 1, 10, 0, tzinfo=PARIS)):
        svc.use_case_resume(use_case=reload(use_case), acting_user=users["dpo"], comment="Hébergement corrigé.")
        # Then the next re-review is 36 months later (minimal risk), and the daily task opens nothing now
        assert reload(use_case).next_review_on == dt.date(2032, 3, 1)
        assert svc.rereviews_open_due() == 0
    assert reload(use_case).status == UseCaseStatus.IN_PRODUCTION


def test_a_periodic_review_is_not_returned_for_changes(use_case, users, collectivite):
    approve(use_case, users, UseCaseStatus.IN_PRODUCTION)
    periodic = open_periodic(use_case)
    assert not permissions.can_return_for_changes(get_access(users["dpo"], collectivite), periodic)
    with pytest.raises(TransitionError):
        svc.review_return_for_changes(review=periodic, acting_user=users["dpo"], comment="Complétez.")
    # But the first opinion does not take a live use out of production
    opinion(periodic, users["dpo"], "dpo")
    assert reload(use_case).status == UseCaseStatus.IN_PRODUCTION
