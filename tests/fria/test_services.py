"""The AIDF's services: pre-fill, draft and optimistic lock, submission, the DPO's review, the notification, a new
version, the refusals, and the production of a use case held back until its AIDF is approved and notified."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.errors import ApplicationError, ConflictError, ForbiddenError, TransitionError
from fria import services
from fria.models import PART_FIELDS, Fria, FriaEvent, FriaStatus, FriaVersion
from registry import services as registry_services
from registry.choices import UseCaseStatus
from registry.models import UseCase
from security.models import SecurityEvent
from tests.audits.factories import CheckpointFactory
from tests.fria.factories import PART_TEXTS, approved_fria, notified_fria, submitted_fria, written_fria

pytestmark = pytest.mark.django_db


# Pre-fill ---------------------------------------------------------------------------------------------------------


def test_a_new_aidf_is_prefilled_from_the_use_case_its_checkpoints_and_its_tool(scoring, owner, users):
    # A human-control checkpoint of the use case (audits), with its owner.
    checkpoint = CheckpointFactory(use_case=scoring, code="decision_validation", owner=users["agent"])

    fria = services.fria_start(use_case=scoring, acting_user=owner)

    assert fria.status == FriaStatus.DRAFT and fria.number == 1
    assert "Aider l'instruction des demandes d'aide sociale." in fria.processes
    assert "Un score classe les demandes" in fria.processes
    assert "Environ 1\xa0200 décisions" in fria.period
    assert "4 janvier 2027" in fria.period
    assert "Le public" in fria.affected_persons or "public" in fria.affected_persons.lower()
    assert "Albert" in fria.risks and "DINUM" in fria.risks  # the provider's information (art. 13)
    assert "relu par un travailleur social" in fria.human_oversight
    assert str(checkpoint.type.display_title).rstrip(".") in fria.human_oversight
    assert users["agent"].get_full_name() in fria.human_oversight
    assert "incident" in fria.measures.lower()
    assert list(fria.events.values_list("kind", flat=True)) == [FriaEvent.Kind.STARTED]


def test_starting_twice_returns_the_same_aidf(scoring, owner):
    first = services.fria_start(use_case=scoring, acting_user=owner)
    assert services.fria_start(use_case=scoring, acting_user=owner).pk == first.pk
    assert Fria.objects.count() == 1


def test_a_use_case_that_requires_no_aidf_cannot_get_one(use_case, users):
    assert not use_case.fria_required
    with pytest.raises(ForbiddenError):
        services.fria_start(use_case=use_case, acting_user=users["dpo"])


# The draft and its lock -------------------------------------------------------------------------------------------


def test_the_draft_is_saved_and_counts_a_version(scoring, owner):
    fria = services.fria_start(use_case=scoring, acting_user=owner)
    saved = services.fria_update(
        fria=fria, acting_user=owner, data={"risks": "  Risque d'erreur.  "}, expected_version=fria.version
    )
    assert saved.risks == "Risque d'erreur."
    assert saved.version == fria.version + 1
    assert saved.processes == fria.processes  # fields not sent are kept


def test_two_editors_never_overwrite_each_other(scoring, owner, users):
    fria = services.fria_start(use_case=scoring, acting_user=owner)
    read = fria.version
    services.fria_update(fria=fria, acting_user=users["chef"], data={"risks": "Du chef."}, expected_version=read)

    with pytest.raises(ConflictError):
        services.fria_update(fria=fria, acting_user=owner, data={"risks": "Du porteur."}, expected_version=read)

    assert Fria.objects.get(pk=fria.pk).risks == "Du chef."


def test_an_aipd_file_is_checked_as_evidence_files_are(scoring, owner, settings, tmp_path):
    fria = services.fria_start(use_case=scoring, acting_user=owner)
    with pytest.raises(ApplicationError) as refused:
        services.fria_update(
            fria=fria, acting_user=owner, data={}, aipd_file=SimpleUploadedFile("aipd.exe", b"MZ\x00\x00")
        )
    assert "aipd_file" in refused.value.errors
    with pytest.raises(ApplicationError) as refused:
        services.fria_update(fria=fria, acting_user=owner, data={}, aipd_file=SimpleUploadedFile("aipd.pdf", b"hello"))
    assert "aipd_file" in refused.value.errors

    settings.MEDIA_ROOT = str(tmp_path)
    saved = services.fria_update(
        fria=fria, acting_user=owner, data={}, aipd_file=SimpleUploadedFile("AIPD CCAS.pdf", b"%PDF-1.4 test")
    )
    assert saved.aipd_file_name == "AIPD CCAS.pdf" and len(saved.aipd_file_sha256) == 64


# Submission and review -----------------------------------------------------------------------------------------


def test_an_incomplete_aidf_cannot_be_submitted(scoring, owner):
    fria = services.fria_start(use_case=scoring, acting_user=owner)
    fria = services.fria_update(fria=fria, acting_user=owner, data={"risks": "", "aipd_reference": ""})

    with pytest.raises(ApplicationError) as refused:
        services.fria_submit(fria=fria, acting_user=owner)

    assert set(refused.value.errors) == {"risks", "aipd_reference"}  # the use case requires an AIPD (art. 27(4))
    assert "partie d)" in str(refused.value.errors["risks"][0])


def test_a_submission_freezes_the_version_and_the_dpo_approves_it(scoring, owner, users):
    fria = written_fria(scoring, owner)

    version = services.fria_submit(fria=fria, acting_user=owner)

    fria.refresh_from_db()
    assert fria.status == FriaStatus.SUBMITTED
    assert version.number == 1 and version.risks == PART_TEXTS["risks"] and version.aipd_reference == "AIPD-2026-04"
    with pytest.raises(TransitionError):
        services.fria_update(fria=fria, acting_user=owner, data={"risks": "Après coup."})

    services.fria_review(
        fria=fria,
        acting_user=users["dpo"],
        decision="approved",
        comment="Complet.",
        committee_reference="Séance du 12 mars 2026",
        committee_comment="Avis favorable du comité.",
    )

    fria.refresh_from_db()
    version.refresh_from_db()
    assert fria.status == FriaStatus.APPROVED and fria.number == 1
    assert version.decision == FriaVersion.Decision.APPROVED and version.reviewed_by == users["dpo"]
    assert version.committee_reference == "Séance du 12 mars 2026"
    kinds = set(SecurityEvent.objects.values_list("kind", flat=True))
    assert {services.SECURITY_SUBMITTED, services.SECURITY_REVIEWED} <= kinds


def test_the_dpo_sends_it_back_with_comments_and_a_new_version_starts_from_it(scoring, owner, users):
    fria = submitted_fria(scoring, owner)

    with pytest.raises(ApplicationError) as refused:
        services.fria_review(fria=fria, acting_user=users["dpo"], decision="returned", comment="  ")
    assert "comment" in refused.value.errors

    services.fria_review(fria=fria, acting_user=users["dpo"], decision="returned", comment="Préciser les risques.")

    fria.refresh_from_db()
    assert fria.status == FriaStatus.DRAFT and fria.number == 2
    assert fria.risks == PART_TEXTS["risks"]  # version 2 starts from version 1
    assert FriaVersion.objects.get(fria=fria, number=1).decision == FriaVersion.Decision.RETURNED
    services.fria_update(fria=fria, acting_user=owner, data={"risks": "Risques précisés."})
    services.fria_submit(fria=fria, acting_user=owner)
    assert list(fria.versions.values_list("number", "risks")) == [
        (2, "Risques précisés."),
        (1, PART_TEXTS["risks"]),
    ]


def test_only_the_dpo_reviews(scoring, owner, users):
    fria = submitted_fria(scoring, owner)
    for who in ("rssi", "chef", "admin"):
        with pytest.raises(ForbiddenError):
            services.fria_review(fria=fria, acting_user=users[who], decision="approved")
    with pytest.raises(ForbiddenError):
        services.fria_review(fria=fria, acting_user=owner, decision="approved")


# Notification --------------------------------------------------------------------------------------------------


def test_the_notification_completes_the_aidf(scoring, owner, users):
    fria = approved_fria(scoring, owner, users["dpo"])
    with pytest.raises(ApplicationError) as refused:
        services.fria_notify(
            fria=fria,
            acting_user=owner,
            notified_on=timezone.localdate() + datetime.timedelta(days=2),
            means="",
            authority="",
        )
    assert set(refused.value.errors) == {"notified_on", "notification_means", "notification_authority"}

    services.fria_notify(
        fria=fria,
        acting_user=owner,
        notified_on=datetime.date(2026, 11, 30),
        means="Courriel",
        authority="Autorité nommée par la collectivité",
        reference="ASM-1",
    )

    fria.refresh_from_db()
    assert fria.status == FriaStatus.NOTIFIED and fria.completed
    assert fria.notified_on == datetime.date(2026, 11, 30)
    version = fria.versions.get()
    assert version.notified_on == datetime.date(2026, 11, 30) and version.notification_reference == "ASM-1"
    assert SecurityEvent.objects.filter(kind=services.SECURITY_NOTIFIED).exists()
    # The next notification of the collectivité starts from the authority it named.
    assert services.default_authority(scoring.collectivite_id) == "Autorité nommée par la collectivité"


def test_a_submitted_aidf_cannot_be_notified(scoring, owner):
    fria = submitted_fria(scoring, owner)
    with pytest.raises(TransitionError):
        services.fria_notify(
            fria=fria, acting_user=owner, notified_on=timezone.localdate(), means="Courriel", authority="ASM"
        )


def test_a_new_version_of_a_notified_aidf_must_be_approved_and_notified_again(scoring, owner, users):
    fria = notified_fria(scoring, owner, users["dpo"])

    reopened = services.fria_reopen(fria=fria, acting_user=owner, expected_version=fria.version)

    assert reopened.status == FriaStatus.DRAFT and reopened.number == 2 and reopened.notified_on is None
    assert reopened.risks == PART_TEXTS["risks"]
    assert fria.versions.get(number=1).notified_on is not None  # the record of the first stays


# Permissions ---------------------------------------------------------------------------------------------------


def test_who_may_not_write_the_aidf_is_refused(scoring, owner, other_head, ccas_agent, other_dpo, users):
    for intruder in (other_head, ccas_agent, other_dpo, users["dgs"], users["comite"]):
        with pytest.raises(ForbiddenError):
            services.fria_start(use_case=scoring, acting_user=intruder)
    fria = services.fria_start(use_case=scoring, acting_user=owner)
    for intruder in (other_head, ccas_agent, other_dpo, users["dgs"]):
        with pytest.raises(ForbiddenError):
            services.fria_update(fria=fria, acting_user=intruder, data={"risks": "Intrus."})
        with pytest.raises(ForbiddenError):
            services.fria_submit(fria=fria, acting_user=intruder)
    with pytest.raises(ForbiddenError):
        services.fria_review(fria=fria, acting_user=other_dpo, decision="approved")
    # The head of the CCAS's direction answers for its use cases, as the DPO does.
    for allowed in (users["chef"], users["dpo"]):
        services.fria_update(fria=fria, acting_user=allowed, data={"risks": "Complété."})


# Production ----------------------------------------------------------------------------------------------------


def _approved(use_case):
    UseCase.objects.filter(pk=use_case.pk).update(status=UseCaseStatus.APPROVED)
    for checkpoint in use_case.checkpoints.filter(owner__isnull=True):
        checkpoint.owner = use_case.owner
        checkpoint.save()
    return UseCase.objects.get(pk=use_case.pk)


def test_production_waits_for_the_aidf_approved_and_notified(scoring, owner, users):
    use_case = _approved(scoring)

    with pytest.raises(TransitionError) as refused:
        registry_services.use_case_put_into_production(use_case=use_case, acting_user=owner)
    assert "fria" in refused.value.errors
    assert "analyse d'impact sur les droits fondamentaux" in str(refused.value.errors["fria"][0])

    fria = submitted_fria(use_case, owner)
    assert "DPO" in registry_services.production_blockers_by_field(UseCase.objects.get(pk=use_case.pk))["fria"][0]
    services.fria_review(fria=fria, acting_user=users["dpo"], decision="approved")
    blockers = registry_services.production_blockers_by_field(UseCase.objects.get(pk=use_case.pk))
    assert "notifi" in blockers["fria"][0]
    with pytest.raises(TransitionError):
        registry_services.use_case_put_into_production(use_case=use_case, acting_user=owner)

    services.fria_notify(
        fria=Fria.objects.get(pk=fria.pk),
        acting_user=owner,
        notified_on=timezone.localdate(),
        means="Formulaire",
        authority="ASM",
    )
    assert registry_services.production_blockers_by_field(UseCase.objects.get(pk=use_case.pk)) == {}
    live = registry_services.use_case_put_into_production(use_case=use_case, acting_user=owner)
    assert live.status == UseCaseStatus.IN_PRODUCTION


def test_a_use_case_that_requires_no_aidf_is_not_held_back(use_case):
    assert "fria" not in registry_services.production_blockers_by_field(use_case)


def test_each_part_is_in_the_six_of_article_27():
    assert PART_FIELDS == ("processes", "period", "affected_persons", "risks", "human_oversight", "measures")
