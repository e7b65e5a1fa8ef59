"""Checkpoints: sync with the classification, owners, attestations, the production guard, reminders."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from audits import services as audits
from audits.models import Attestation, Checkpoint, CheckpointType, ReminderLog
from audits.reminders import send_checkpoint_reminders
from core.errors import ApplicationError, TransitionError
from registry import services as registry
from registry.choices import UseCaseStatus

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _use_case(collectivite, services, users, **overrides):
    data = {
        "name": "Assistant de rédaction",
        "summary": "Premier jet de courriers relu par l'agent.",
        "purpose": "Gagner du temps.",
        "service": services["ccas"],
        "technique": "genai_text",
        "audience": "agents",
        "max_data_classification": "C1",
        "hosting_zone": "fr",
        **overrides,
    }
    return registry.use_case_create(collectivite=collectivite, acting_user=users["agent"], data=data)


def _with_status(use_case, status=UseCaseStatus.APPROVED):
    """Its controls run once approved: the tests that attest set the status directly."""
    type(use_case).objects.filter(pk=use_case.pk).update(status=status)
    use_case.refresh_from_db()
    return use_case


def _codes(use_case, active=True):
    return set(use_case.checkpoints.filter(active=active).values_list("type__code", flat=True))


def test_required_checkpoints_follow_the_classification_without_losing_history(collectivite, services, users):
    use_case = _use_case(collectivite, services, users)
    assert _codes(use_case) == {"output_review", "source_verification"}
    review = use_case.checkpoints.get(type__code="output_review")
    _with_status(use_case, UseCaseStatus.APPROVED)
    audits.attestation_record(checkpoint=review, acting_user=users["agent"])
    _with_status(use_case, UseCaseStatus.DRAFT)

    # The use case now processes personal data: data minimisation is required too
    use_case = registry.use_case_update(
        use_case=use_case,
        acting_user=users["agent"],
        data={"personal_data_categories": ["ordinary"]},
        expected_version=1,
    )
    assert _codes(use_case) == {"output_review", "source_verification", "data_minimisation"}

    # It becomes a rules engine: generative checkpoints are deactivated, not deleted, attestations kept
    use_case = registry.use_case_update(
        use_case=use_case, acting_user=users["agent"], data={"technique": "rules"}, expected_version=2
    )
    assert _codes(use_case) == {"data_minimisation"}
    assert _codes(use_case, active=False) == {"output_review", "source_verification"}
    assert Attestation.objects.filter(checkpoint=review).count() == 1


def test_only_the_owner_attests(collectivite, services, users):
    use_case = _use_case(collectivite, services, users)
    checkpoint = use_case.checkpoints.first()
    with pytest.raises(audits.ForbiddenError):
        audits.attestation_record(checkpoint=checkpoint, acting_user=users["dpo"])
    assert not Attestation.objects.exists()


def test_attestation_moves_the_due_date_and_is_never_edited(collectivite, services, users):
    use_case = _with_status(_use_case(collectivite, services, users))
    checkpoint = use_case.checkpoints.get(type__code="output_review")  # monthly
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=PARIS)):
        attestation = audits.attestation_record(checkpoint=checkpoint, acting_user=users["agent"])
    checkpoint.refresh_from_db()
    assert checkpoint.next_due == dt.date(2026, 4, 10)
    attestation.comment = "réécrit"
    with pytest.raises(ValueError):
        attestation.save()
    with pytest.raises(ValueError):
        attestation.delete()


def test_an_issue_needs_a_comment_and_evidence_is_checked(collectivite, services, users):
    use_case = _with_status(_use_case(collectivite, services, users))
    checkpoint = use_case.checkpoints.first()
    with pytest.raises(ApplicationError) as raised:
        audits.attestation_record(checkpoint=checkpoint, acting_user=users["agent"], outcome="issue_found")
    assert "comment" in raised.value.errors
    fake_pdf = SimpleUploadedFile("preuve.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ApplicationError) as raised:
        audits.attestation_record(checkpoint=checkpoint, acting_user=users["agent"], evidence=fake_pdf)
    assert "evidence" in raised.value.errors
    exe = SimpleUploadedFile("outil.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ApplicationError):
        audits.attestation_record(checkpoint=checkpoint, acting_user=users["agent"], evidence=exe)
    real_pdf = SimpleUploadedFile("preuve.pdf", b"%PDF-1.7\n%...", content_type="application/pdf")
    attestation = audits.attestation_record(checkpoint=checkpoint, acting_user=users["agent"], evidence=real_pdf)
    assert attestation.evidence_name == "preuve.pdf" and "preuve" not in attestation.evidence.name


@pytest.mark.parametrize(
    "instant, overdue",
    [
        # 23:30 in Paris on the due date: still on time, although it is already the next day in UTC+2...
        (dt.datetime(2026, 6, 10, 23, 30, tzinfo=PARIS), False),
        # ...and 00:30 in Paris the day after is overdue, although it is still the due date in UTC.
        (dt.datetime(2026, 6, 11, 0, 30, tzinfo=PARIS), True),
    ],
)
def test_overdue_follows_the_paris_calendar(collectivite, services, users, instant, overdue):
    from django.utils import timezone

    from audits.schedule import is_overdue

    with time_machine.travel(instant):
        assert is_overdue(dt.date(2026, 6, 10), timezone.localdate()) is overdue


def test_no_production_while_a_mandatory_checkpoint_has_no_owner(collectivite, services, users):
    use_case = _use_case(collectivite, services, users)
    UseCase = type(use_case)
    UseCase.objects.filter(pk=use_case.pk).update(status=UseCaseStatus.APPROVED)
    use_case.refresh_from_db()
    Checkpoint.objects.filter(use_case=use_case, type__code="output_review").update(owner=None)

    with pytest.raises(TransitionError) as raised:
        registry.use_case_put_into_production(use_case=use_case, acting_user=users["dpo"])
    assert "checkpoints" in raised.value.errors
    # one full sentence for the missing owner, and it is the whole refusal
    title = use_case.checkpoints.get(type__code="output_review").type.display_title
    assert raised.value.errors == {
        "checkpoints": [
            f"Le contrôle obligatoire «\u202f{title}\u202f» n'a pas de responsable\u202f: "
            "désignez la personne qui l'attestera."
        ]
    }
    assert str(raised.value.message) == raised.value.errors["checkpoints"][0]
    use_case.refresh_from_db()
    assert use_case.status == UseCaseStatus.APPROVED

    checkpoint = use_case.checkpoints.get(type__code="output_review")
    audits.checkpoint_update(checkpoint=checkpoint, acting_user=users["dpo"], owner=users["chef"], frequency="weekly")
    live = registry.use_case_put_into_production(use_case=use_case, acting_user=users["dpo"])
    assert live.status == UseCaseStatus.IN_PRODUCTION


def test_the_controls_of_a_use_case_that_is_not_live_cannot_be_attested(collectivite, services, users):
    # Given a draft, then the same use case under review, suspended, retired: its checkpoints are known, not running
    use_case = _use_case(collectivite, services, users)
    checkpoint = use_case.checkpoints.get(type__code="output_review")
    for status in (UseCaseStatus.DRAFT, UseCaseStatus.IN_REVIEW, UseCaseStatus.SUSPENDED, UseCaseStatus.RETIRED):
        _with_status(use_case, status)
        # When its owner attests, Then it is refused, saying why
        with pytest.raises(TransitionError) as raised:
            audits.attestation_record(checkpoint=checkpoint, acting_user=users["agent"])
        assert "approuvé ou en production" in str(raised.value.message)
    assert not Attestation.objects.exists()
    # Once approved, the same owner attests
    _with_status(use_case, UseCaseStatus.APPROVED)
    assert audits.attestation_record(checkpoint=checkpoint, acting_user=users["agent"]).pk


def test_every_missing_item_is_one_sentence_of_the_refusal(collectivite, services, users):
    # Given an approved use case whose two mandatory checkpoints have no owner, one a condition of approval (a
    # sentence of its own, with its full stop)
    use_case = _with_status(_use_case(collectivite, services, users))
    Checkpoint.objects.filter(use_case=use_case, type__code="output_review").update(owner=None)
    kind = CheckpointType.objects.create(
        collectivite=collectivite,
        code="condition-mention",
        title="Afficher la mention « réponse générée par IA » au public.",
        practice="La mention figure sous chaque réponse.",
        default_frequency="quarterly",
    )
    Checkpoint.objects.create(
        use_case=use_case, type=kind, origin=Checkpoint.Origin.CONDITION, owner=None, frequency="quarterly"
    )
    # When it is put into production
    with pytest.raises(TransitionError) as raised:
        registry.use_case_put_into_production(use_case=use_case, acting_user=users["chef"])
    # Then each missing item is its own full sentence, with no stray full stop inside
    sentences = raised.value.errors["checkpoints"]
    assert len(sentences) == 2 and all(s.endswith("l'attestera.") for s in sentences)
    assert any("«\u202fAfficher la mention « réponse générée par IA » au public\u202f»" in s for s in sentences)
    assert not any("., " in s or ".\u202f»" in s for s in sentences)
    assert sentences == registry.use_case_production_blockers(use_case)


def test_suspension_needs_a_reason_and_a_live_use_case(collectivite, services, users):
    use_case = _use_case(collectivite, services, users)
    with pytest.raises(TransitionError):
        registry.use_case_suspend(use_case=use_case, acting_user=users["dpo"], reason="Incident grave")
    type(use_case).objects.filter(pk=use_case.pk).update(status=UseCaseStatus.IN_PRODUCTION)
    with pytest.raises(ApplicationError):
        registry.use_case_suspend(use_case=use_case, acting_user=users["dpo"], reason=" ")
    suspended = registry.use_case_suspend(use_case=use_case, acting_user=users["dpo"], reason="Incident grave")
    assert suspended.status == UseCaseStatus.SUSPENDED
    assert suspended.events.filter(kind="suspended", comment="Incident grave", actor=users["dpo"]).exists()


def test_reminders_are_sent_once_and_the_dpo_gets_one_digest(collectivite, services, users):
    type(collectivite).objects.filter(pk=collectivite.pk).update(dpo_email="dpo@bellerive.example.org")
    with time_machine.travel(dt.datetime(2026, 3, 1, 8, 0, tzinfo=PARIS)):
        use_case = _use_case(collectivite, services, users)
    type(use_case).objects.filter(pk=use_case.pk).update(status=UseCaseStatus.IN_PRODUCTION)
    # output_review (monthly) due 2026-04-01, source_verification (monthly) due 2026-04-01
    mail.outbox.clear()
    with time_machine.travel(dt.datetime(2026, 3, 28, 7, 0, tzinfo=PARIS)):
        first = send_checkpoint_reminders()
        again = send_checkpoint_reminders()
    assert (first.due_soon, first.emails) == (2, 1)
    assert (again.due_soon, again.emails) == (0, 0)
    assert mail.outbox[0].to == [users["agent"].email]

    with time_machine.travel(dt.datetime(2026, 4, 3, 7, 0, tzinfo=PARIS)):
        late = send_checkpoint_reminders()
        late_again = send_checkpoint_reminders()
    assert (late.overdue, late.emails, late.digests) == (2, 1, 1)
    assert (late_again.overdue, late_again.emails, late_again.digests) == (0, 0, 0)
    # a week later, still overdue: one more reminder
    with time_machine.travel(dt.datetime(2026, 4, 9, 7, 0, tzinfo=PARIS)):
        assert send_checkpoint_reminders().overdue == 2
    assert ReminderLog.objects.count() == 6
