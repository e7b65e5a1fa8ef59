"""Publication services (`transparency.services`): who may publish, what may be published, what the public record
holds, and the trail each publication, update and withdrawal leaves."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.db import connection
from django.utils import translation

from core.errors import ApplicationError, ConflictError, ForbiddenError, TransitionError
from core.roles import Role
from registry import services as registry_services
from registry.choices import ProgressStatus, UseCaseStatus
from registry.models import UseCase, UseCaseEvent, User
from tests.concurrency import race
from tests.registry import reviews_support as rs
from tests.registry.factories import MembershipFactory, UseCaseFactory, UserFactory
from tests.transparency.support import decision_use_case, published, submitted
from transparency import selectors
from transparency import services as svc
from transparency.fields import (
    ALWAYS_KEYS,
    FIELDS,
    FIELDS_BY_CODE,
    L312_FIELD_CODES,
    RECORD_KEYS,
    Lifecycle,
    default_crpa_mention,
)
from transparency.models import Publication, PublicationEvent, PublicationState

pytestmark = pytest.mark.django_db

Kind = PublicationEvent.Kind
CONTACT = "algorithmes@bellerive.example.fr"
# Public wording for a use case that founds no decision: every text of the catalogue written.
TEXTS = {
    "name": "Aide à la rédaction des courriers",
    "summary": "Un assistant propose un premier jet des courriers simples, relu par un agent.",
    "purpose": "Répondre plus vite aux courriers simples des habitants.",
    "human_intervention": "Chaque courrier est relu et signé par un agent.",
    "data_sources": "Le courrier reçu et les modèles de réponse du service.",
    "legal_basis": "Mission d'intérêt public (RGPD, art. 6(1)(e)).",
    "contact": CONTACT,
}
# Public wording for a use case that founds decisions (support.DECISION_FACTS), without any agent's name.
PUBLIC_WORDING = {
    "human_intervention": "Un instructeur relit chaque proposition avant toute décision.",
    "data_sources": "Dossiers de demande d'aide et données de la CAF.",
    "contact": CONTACT,
}


def l312_keys() -> set[str]:
    return {key for code in L312_FIELD_CODES for key in FIELDS_BY_CODE[code].keys}


def field_keys(*codes: str) -> set[str]:
    return {key for code in codes for key in FIELDS_BY_CODE[code].keys}


@pytest.fixture
def decision(use_case):
    """A submitted use case that founds individual decisions in a collectivité of 600 agents (L312-1-3)."""
    return submitted(decision_use_case(use_case))


@pytest.fixture
def plain(use_case):
    """A submitted use case that founds no decision: nothing is forced into its public record."""
    return submitted(use_case)


def publish(use_case, user, **data):
    return svc.publication_publish(use_case=use_case, acting_user=user, data={**TEXTS, **data})


def reloaded(publication) -> Publication:
    return Publication.objects.select_related("use_case").get(pk=publication.pk)


# Who may publish ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["dpo", "admin"])
def test_the_dpo_and_an_administrator_publish(decision, users, role):
    # When the DPO (or an administrator) publishes the use case
    publication = published(decision, users[role])

    # Then it is in the public register, with its trail in the publication's and in the use case's history
    publication = reloaded(publication)
    assert publication.state == PublicationState.PUBLISHED
    assert publication.published_at and publication.first_published_at == publication.published_at
    assert publication.published_version == decision.version == publication.use_case.version
    assert publication.updated_by == users[role]
    assert publication.version == 1
    event = publication.events.get()
    assert (event.kind, event.actor, event.content) == (Kind.PUBLISHED, users[role], publication.content)
    use_case_event = UseCaseEvent.objects.get(use_case=decision, kind=UseCaseEvent.Kind.PUBLISHED)
    assert use_case_event.actor == users[role]
    assert use_case_event.from_status == use_case_event.to_status == UseCaseStatus.SUBMITTED
    assert selectors.public_entries().get().pk == publication.pk


@pytest.mark.parametrize("who", ["rssi", "dgs", "chef", "agent", "comite", "outsider", "owner"])
def test_no_one_else_may_publish_save_or_withdraw(decision, users, outsider, who):
    user = {"outsider": outsider, "owner": decision.owner}.get(who) or users[who]

    # A user who is not the collectivité's DPO nor an administrator cannot publish...
    with pytest.raises(ForbiddenError):
        published(decision, user)
    # ...nor save a draft
    with pytest.raises(ForbiddenError):
        svc.publication_save(use_case=decision, acting_user=user, data=TEXTS)
    assert not Publication.objects.exists()

    # ...nor withdraw what the DPO published
    publication = published(decision, users["dpo"])
    with pytest.raises(ForbiddenError):
        svc.publication_withdraw(use_case=decision, acting_user=user, reason="Retrait.", expected_version=1)
    assert reloaded(publication).state == PublicationState.PUBLISHED
    assert not UseCaseEvent.objects.filter(kind=UseCaseEvent.Kind.UNPUBLISHED).exists()


def test_the_dpo_of_a_collectivite_cannot_publish_another_collectivites_use_case(decision, outsider):
    with pytest.raises(ForbiddenError):
        svc.publication_publish(use_case=decision, acting_user=outsider, data={"contact": CONTACT})
    assert not Publication.objects.exists()


# What may be published ---------------------------------------------------------------------------------------------
def test_a_draft_cannot_be_published(use_case, users):
    assert use_case.status == UseCaseStatus.DRAFT

    with pytest.raises(TransitionError):
        publish(use_case, users["dpo"])

    assert not Publication.objects.exists()
    assert not UseCaseEvent.objects.filter(kind=UseCaseEvent.Kind.PUBLISHED).exists()


def test_a_rejected_use_case_cannot_be_published(use_case, users):
    review = rs.submit(use_case)
    rs.both_opinions(review, users, dpo="unfavourable")
    use_case.refresh_from_db()
    assert use_case.status == UseCaseStatus.REJECTED

    with pytest.raises(TransitionError):
        publish(use_case, users["dpo"])

    assert not Publication.objects.exists()


def test_a_blocked_use_case_cannot_be_published_whatever_its_status(collectivite, services, users):
    # Given a use case blocked by the rules (C4 data), in a status that could otherwise be published
    blocked = UseCaseFactory(collectivite=collectivite, service=services["ccas"], max_data_classification="C4")
    assert blocked.blocked
    UseCase.objects.filter(pk=blocked.pk).update(status=UseCaseStatus.SUBMITTED)
    blocked.refresh_from_db()

    with pytest.raises(TransitionError):
        publish(blocked, users["dpo"])

    assert not Publication.objects.exists()


@pytest.mark.parametrize("name", ["name", "summary", "contact"])
def test_the_name_the_summary_and_the_contact_are_required(plain, users, name):
    with pytest.raises(ApplicationError) as raised:
        publish(plain, users["dpo"], **{name: "   "})

    assert set(raised.value.errors) == {name}
    assert not Publication.objects.exists()
    assert not PublicationEvent.objects.exists()


@pytest.mark.parametrize("code", ["purpose", "human_intervention", "data_sources", "legal_basis"])
def test_a_text_field_ticked_must_be_written(plain, users, code):
    # Given a use case that founds no decision: its text fields are published only if ticked
    assert not plain.public_register_required

    # A ticked text left empty is refused...
    with pytest.raises(ApplicationError) as raised:
        publish(plain, users["dpo"], fields=[code], **{code: ""})
    assert set(raised.value.errors) == {code}
    assert not Publication.objects.exists()

    # ...and an empty text not ticked is fine: it is not published
    publication = publish(plain, users["dpo"], fields=["service"], **{code: ""})
    assert not field_keys(code) & set(publication.content)


@pytest.mark.parametrize("code", ["purpose", "human_intervention", "data_sources", "legal_basis"])
def test_the_texts_l312_1_3_requires_must_be_written_even_unticked(decision, users, code):
    assert decision.public_register_required

    with pytest.raises(ApplicationError) as raised:
        publish(decision, users["dpo"], fields=[], crpa_mention="Mention.", **{code: " "})

    assert set(raised.value.errors) == {code}
    assert "L312-1-3" in str(raised.value.errors[code][0])
    assert not Publication.objects.exists()


def test_the_crpa_mention_is_required_when_decisions_carry_it(decision, users):
    assert decision.crpa_mention_required

    with pytest.raises(ApplicationError) as raised:
        publish(decision, users["dpo"], crpa_mention="")

    assert set(raised.value.errors) == {"crpa_mention"}
    assert not Publication.objects.exists()


def test_unknown_fields_and_statuses_are_refused(plain, users):
    with pytest.raises(ApplicationError) as raised:
        publish(plain, users["dpo"], fields=["service", "opinions"], dpia_status="validated")

    assert set(raised.value.errors) == {"fields", "dpia_status"}
    assert not Publication.objects.exists()


# What the public record holds --------------------------------------------------------------------------------------
def test_l312_fields_are_in_the_record_even_when_not_ticked(decision, users):
    publication = published(decision, users["dpo"], fields=[])

    content = publication.content
    assert l312_keys() <= set(content)
    assert content["purpose"] == publication.purpose
    assert content["automation_level"] == "assist" and content["individual_decisions"] is True
    assert content["decisions_per_year"] == 1200
    assert content["crpa_mention_required"] is True and content["public_register_required"] is True
    assert content["crpa_mention"] == publication.crpa_mention != ""
    # The optional fields not chosen are absent
    assert not field_keys("service", "tool", "hosting", "personal_data", "risk") & set(content)


def test_l312_fields_are_not_forced_in_a_collectivite_of_fewer_than_50_agents(other_collectivite, outsider):
    # Given a use case founding decisions in a collectivité of 40 agents: the mention is due, the register is not
    service = other_collectivite.services.get()
    use_case = decision_use_case(UseCaseFactory(collectivite=other_collectivite, service=service))
    UseCase.objects.filter(pk=use_case.pk).update(status=UseCaseStatus.SUBMITTED)
    use_case.refresh_from_db()
    assert use_case.crpa_mention_required and not use_case.public_register_required

    # When its DPO publishes it with no optional field (and no human-intervention text)
    publication = svc.publication_publish(
        use_case=use_case,
        acting_user=outsider,
        data={**TEXTS, "human_intervention": "", "crpa_mention": "Mention L311-3-1.", "fields": []},
    )

    # Then only the keys every record holds are public, with the mention
    assert set(publication.content) == set(ALWAYS_KEYS)
    assert publication.content["crpa_mention"] == "Mention L311-3-1."
    assert publication.content["public_register_required"] is False


def test_l312_fields_are_forced_from_50_agents(collectivite, use_case, users):
    # Given a collectivité of exactly 50 agents: CRPA L312-1-3 exempts only those under 50
    collectivite.agents_count = 50
    collectivite.save()
    decision = submitted(decision_use_case(use_case))
    assert decision.public_register_required

    # When its DPO publishes the use with no optional field, the rules L312-1-3 publishes are in the record
    publication = published(decision, users["dpo"], fields=[])

    assert l312_keys() <= set(publication.content)
    assert publication.content["public_register_required"] is True


def test_every_field_ticked_fills_every_key_of_the_record(plain, users):
    publication = publish(plain, users["dpo"], fields=[field.code for field in FIELDS])

    assert set(publication.content) == set(RECORD_KEYS)
    assert publication.content["tool"] == "Albert" and publication.content["provider"] == "DINUM"
    assert publication.content["service"] == "CCAS"
    # Texts come from the public wording, not from the use case
    assert publication.content["purpose"] == TEXTS["purpose"] != plain.purpose
    # A use case that founds no decision carries no mention, even if one was typed
    assert publication.content["crpa_mention"] == ""


@pytest.mark.parametrize("code", [field.code for field in FIELDS])
def test_an_optional_field_not_ticked_is_absent_from_the_record(plain, users, code):
    # When every field but one is published
    publication = publish(plain, users["dpo"], fields=[field.code for field in FIELDS if field.code != code])

    # Then that field's keys are absent, the others present, and nothing outside the record's vocabulary
    content = set(publication.content)
    assert not field_keys(code) & content
    assert content == set(RECORD_KEYS) - field_keys(code)
    assert content <= set(RECORD_KEYS)
    # The columns the public register filters on follow the record
    assert publication.ai_act_risk == (plain.ai_act_risk if code != "risk" else "")
    assert publication.automation_level == (plain.automation_level if code != "automation" else "")


def test_the_record_holds_nothing_internal(decision, users):
    # Given internal texts naming agents (support.DECISION_FACTS) and a DPO opinion with its comment
    rs.opinion(decision.reviews.get(), users["dpo"], "dpo", "favourable_with_conditions", comment="Avis de Mme X.")

    publication = published(decision, users["dpo"], fields=[field.code for field in FIELDS])

    text = str(publication.content) + publication.search_text
    for internal in ("Martine Dupont", "Jean Interne", "Avis de Mme X.", "Condition posée", decision.owner.username):
        assert internal not in text
    assert set(publication.content) <= set(RECORD_KEYS)


# Drafts, updates, withdrawals --------------------------------------------------------------------------------------
def test_a_saved_draft_does_not_change_the_public_record(decision, users):
    # Given a published record
    publication = published(decision, users["dpo"])
    content, search_text, published_at = publication.content, publication.search_text, publication.published_at

    # When the DPO saves new wording as a draft
    saved = svc.publication_save(
        use_case=decision,
        acting_user=users["dpo"],
        data={"summary": "Nouvelle formulation du résumé.", "fields": ["service", "tool"]},
        expected_version=publication.version,
    )

    # Then the wording is kept, the public still reads the old record
    saved = reloaded(saved)
    assert saved.summary == "Nouvelle formulation du résumé." and saved.fields == ["service", "tool"]
    assert saved.version == publication.version + 1
    assert (saved.content, saved.search_text, saved.published_at) == (content, search_text, published_at)
    assert saved.state == PublicationState.PUBLISHED
    assert selectors.public_record(selectors.public_entries().get())["summary"] == content["summary"]
    assert saved.events.filter(kind=Kind.SAVED).count() == 1

    # When it is published (with the wording saved)
    republished = svc.publication_publish(use_case=decision, acting_user=users["dpo"])

    # Then the public reads the new one
    assert republished.content["summary"] == "Nouvelle formulation du résumé."
    assert republished.content["tool"] == "Albert"
    assert "nouvelle formulation" in republished.search_text


def test_a_first_draft_is_saved_unpublished(decision, users):
    publication = svc.publication_save(use_case=decision, acting_user=users["dpo"], data={"contact": CONTACT})

    publication = reloaded(publication)
    assert publication.state == PublicationState.DRAFT and publication.content == {}
    assert publication.version == 1 and publication.published_at is None
    assert list(publication.events.values_list("kind", flat=True)) == [Kind.SAVED]
    assert not selectors.public_entries().exists()
    assert not UseCaseEvent.objects.filter(kind=UseCaseEvent.Kind.PUBLISHED).exists()


def test_saving_an_existing_draft_needs_the_version_edited(decision, users):
    publication = svc.publication_save(use_case=decision, acting_user=users["dpo"], data={"contact": CONTACT})

    with pytest.raises(ApplicationError) as raised:
        svc.publication_save(use_case=decision, acting_user=users["dpo"], data={"name": "Autre nom"})

    assert set(raised.value.errors) == {"version"}
    assert reloaded(publication).name == publication.name


def test_saving_the_same_wording_writes_nothing(decision, users):
    publication = svc.publication_save(use_case=decision, acting_user=users["dpo"], data={"contact": CONTACT})

    again = svc.publication_save(
        use_case=decision, acting_user=users["dpo"], data={"contact": f"  {CONTACT} "}, expected_version=1
    )

    assert reloaded(again).version == 1
    assert publication.events.count() == 1


def test_republishing_updates_the_record_and_keeps_the_first_publication_date(decision, users):
    # Given a published record
    first = published(decision, users["dpo"])
    events = UseCaseEvent.objects.filter(use_case=decision).count()

    # When the DPO publishes a new summary
    update = svc.publication_publish(
        use_case=decision,
        acting_user=users["dpo"],
        data={"summary": "Résumé mis à jour."},
        expected_version=first.version,
    )

    # Then the public record changed, its last update is now, its first publication date stays
    update = reloaded(update)
    assert update.content["summary"] == "Résumé mis à jour."
    assert update.published_at > first.published_at
    assert update.first_published_at == first.first_published_at
    assert update.version == first.version + 1
    # with a "public record updated" event holding what was published, and no new event in the use case's trail
    latest = update.events.first()
    assert (latest.kind, latest.content) == (Kind.REPUBLISHED, update.content)
    assert list(update.events.values_list("kind", flat=True)) == [Kind.REPUBLISHED, Kind.PUBLISHED]
    assert UseCaseEvent.objects.filter(use_case=decision).count() == events


def test_publishing_with_nothing_changed_writes_nothing(decision, users):
    publication = reloaded(published(decision, users["dpo"]))

    # Neither publishing again as it is, nor with the same wording sent again
    svc.publication_publish(use_case=decision, acting_user=users["dpo"])
    svc.publication_publish(
        use_case=decision,
        acting_user=users["dpo"],
        data={"summary": publication.summary, "contact": publication.contact},
        expected_version=publication.version,
    )

    after = reloaded(publication)
    assert (after.version, after.published_at, after.content) == (
        publication.version,
        publication.published_at,
        publication.content,
    )
    assert after.events.count() == 1
    assert UseCaseEvent.objects.filter(use_case=decision, kind=UseCaseEvent.Kind.PUBLISHED).count() == 1


def test_wording_that_changes_nothing_public_is_saved_without_a_new_publication(plain, users):
    # Given a record that does not publish the legal basis
    publication = reloaded(publish(plain, users["dpo"], fields=["service"]))

    # When the DPO publishes with a new legal basis text (not published)
    after = svc.publication_publish(
        use_case=plain,
        acting_user=users["dpo"],
        data={"legal_basis": "Autre base légale."},
        expected_version=publication.version,
    )

    # Then the wording is saved, the public record and its date do not move
    after = reloaded(after)
    assert after.legal_basis == "Autre base légale."
    assert (after.content, after.published_at) == (publication.content, publication.published_at)
    assert after.version == publication.version + 1
    assert list(after.events.values_list("kind", flat=True)) == [Kind.SAVED, Kind.PUBLISHED]


def test_withdrawing_needs_a_reason(decision, users):
    publication = published(decision, users["dpo"])

    with pytest.raises(ApplicationError) as raised:
        svc.publication_withdraw(use_case=decision, acting_user=users["dpo"], reason="  ", expected_version=1)

    assert set(raised.value.errors) == {"reason"}
    assert reloaded(publication).state == PublicationState.PUBLISHED


def test_only_a_published_record_can_be_withdrawn(decision, users):
    with pytest.raises(TransitionError):
        svc.publication_withdraw(use_case=decision, acting_user=users["dpo"], reason="Retrait.")

    svc.publication_save(use_case=decision, acting_user=users["dpo"], data={"contact": CONTACT})
    with pytest.raises(TransitionError):
        svc.publication_withdraw(use_case=decision, acting_user=users["dpo"], reason="Retrait.")


def test_withdrawing_then_publishing_again(decision, users):
    # Given a published record
    first = reloaded(published(decision, users["dpo"]))

    # When the DPO withdraws it
    withdrawn = svc.publication_withdraw(
        use_case=decision, acting_user=users["dpo"], reason="  Usage en cours de réévaluation.  ", expected_version=1
    )

    # Then it leaves the public list, answers "withdrawn", and both trails record why
    withdrawn = reloaded(withdrawn)
    assert withdrawn.state == PublicationState.WITHDRAWN
    assert withdrawn.withdrawn_at and withdrawn.withdrawal_reason == "Usage en cours de réévaluation."
    assert not selectors.public_entries().exists()
    assert selectors.public_entry(collectivite=decision.collectivite, reference=decision.reference) == withdrawn
    event = withdrawn.events.first()
    assert (event.kind, event.comment, event.actor) == (Kind.WITHDRAWN, "Usage en cours de réévaluation.", users["dpo"])
    unpublished = UseCaseEvent.objects.get(use_case=decision, kind=UseCaseEvent.Kind.UNPUBLISHED)
    assert unpublished.comment == "Usage en cours de réévaluation." and unpublished.actor == users["dpo"]

    # When it is published again
    again = reloaded(
        svc.publication_publish(use_case=decision, acting_user=users["admin"], expected_version=withdrawn.version)
    )

    # Then it is public again, the withdrawal forgotten in the record but kept in the trails
    assert again.state == PublicationState.PUBLISHED
    assert again.withdrawn_at is None and again.withdrawal_reason == ""
    assert again.first_published_at == first.first_published_at < again.published_at
    assert list(again.events.values_list("kind", flat=True)) == [Kind.PUBLISHED, Kind.WITHDRAWN, Kind.PUBLISHED]
    assert UseCaseEvent.objects.filter(use_case=decision, kind=UseCaseEvent.Kind.PUBLISHED).count() == 2
    assert selectors.public_entries().get() == again


# Concurrent edits (optimistic versions) ----------------------------------------------------------------------------
def test_saving_over_someone_elses_save_is_refused(decision, users):
    publication = published(decision, users["dpo"])
    svc.publication_save(
        use_case=decision, acting_user=users["admin"], data={"summary": "Version de l'admin."}, expected_version=1
    )

    with pytest.raises(ConflictError) as raised:
        svc.publication_save(
            use_case=decision, acting_user=users["dpo"], data={"summary": "Version de la DPO."}, expected_version=1
        )

    assert set(raised.value.errors) == {"version"}
    assert reloaded(publication).summary == "Version de l'admin."


def test_publishing_over_someone_elses_save_is_refused(decision, users):
    publication = published(decision, users["dpo"])
    svc.publication_save(
        use_case=decision, acting_user=users["admin"], data={"summary": "Version de l'admin."}, expected_version=1
    )

    with pytest.raises(ConflictError):
        svc.publication_publish(
            use_case=decision, acting_user=users["dpo"], data={"summary": "Version de la DPO."}, expected_version=1
        )

    after = reloaded(publication)
    assert after.summary == "Version de l'admin." and after.content == publication.content


def test_withdrawing_over_someone_elses_change_is_refused(decision, users):
    publication = published(decision, users["dpo"])
    svc.publication_save(
        use_case=decision, acting_user=users["admin"], data={"summary": "Version de l'admin."}, expected_version=1
    )

    with pytest.raises(ConflictError):
        svc.publication_withdraw(use_case=decision, acting_user=users["dpo"], reason="Retrait.", expected_version=1)

    assert reloaded(publication).state == PublicationState.PUBLISHED


# Out of date records and the lifecycle -----------------------------------------------------------------------------
def test_a_record_is_out_of_date_after_an_edit_of_the_use_case_until_published_again(decision, users):
    publication = published(decision, users["dpo"], fields=["service"])
    assert not reloaded(publication).out_of_date

    # When the use case is edited (its number of decisions a year changes)
    registry_services.use_case_update(
        use_case=decision,
        acting_user=users["dpo"],
        data={"decisions_per_year": 3000},
        expected_version=decision.version,
    )

    # Then its public record is out of date, and still shows what was published
    publication = reloaded(publication)
    assert publication.out_of_date
    assert publication.content["decisions_per_year"] == 1200

    # When the DPO publishes it again, it is up to date
    publication = svc.publication_publish(use_case=decision, acting_user=users["dpo"])
    assert not reloaded(publication).out_of_date
    assert publication.content["decisions_per_year"] == 3000
    assert publication.events.first().kind == Kind.REPUBLISHED


def test_a_draft_or_withdrawn_record_is_never_out_of_date(decision, users):
    publication = svc.publication_save(use_case=decision, acting_user=users["dpo"], data={"contact": CONTACT})
    registry_services.use_case_update(
        use_case=decision,
        acting_user=users["dpo"],
        data={"decisions_per_year": 3000},
        expected_version=decision.version,
    )

    assert not reloaded(publication).out_of_date


def test_a_status_move_alone_does_not_make_the_record_out_of_date(decision, users):
    publication = published(decision, users["dpo"], fields=["service"])

    # When the review moves on (the first opinion puts the use case "in review")
    rs.opinion(decision.reviews.get(), users["rssi"], "rssi")

    # Then what the public reads has not changed: its lifecycle is computed when it is read
    publication = reloaded(publication)
    assert publication.use_case.status == UseCaseStatus.IN_REVIEW
    assert not publication.out_of_date


def lifecycle_of(use_case) -> str:
    entry = selectors.public_entry(collectivite=use_case.collectivite, reference=use_case.reference)
    return selectors.public_record(entry)["lifecycle"]


def test_the_lifecycle_follows_the_use_case_status(collectivite, services, users):
    # Given a published use case founding decisions (not high-risk: no committee needed), still in review
    use_case = decision_use_case(
        UseCaseFactory(collectivite=collectivite, service=services["ccas"], owner=users["agent"]), annex_iii_point=""
    )
    review = rs.submit(use_case)
    published(use_case, users["dpo"])
    rs.opinion(review, users["dpo"], "dpo")
    use_case.refresh_from_db()
    assert use_case.status == UseCaseStatus.IN_REVIEW
    assert lifecycle_of(use_case) == Lifecycle.IN_DEVELOPMENT

    # approved: still in development
    rs.opinion(review, users["rssi"], "rssi")
    use_case.refresh_from_db()
    assert use_case.status == UseCaseStatus.APPROVED
    assert lifecycle_of(use_case) == Lifecycle.IN_DEVELOPMENT

    # in production: in use
    use_case = registry_services.use_case_put_into_production(use_case=use_case, acting_user=users["agent"])
    assert lifecycle_of(use_case) == Lifecycle.IN_USE

    # suspended (an internal measure): still shown in use
    use_case = registry_services.use_case_suspend(use_case=use_case, acting_user=users["dpo"], reason="Incident.")
    assert use_case.status == UseCaseStatus.SUSPENDED
    assert lifecycle_of(use_case) == Lifecycle.IN_USE

    # retired: no longer in use, and the record stays public
    use_case = registry_services.use_case_retire(use_case=use_case, acting_user=users["dpo"], comment="Fin.")
    assert use_case.status == UseCaseStatus.RETIRED
    assert lifecycle_of(use_case) == Lifecycle.OUT_OF_USE
    assert selectors.public_entries().get().use_case_id == use_case.pk


def test_a_retired_use_case_can_be_published(collectivite, services, users):
    use_case = UseCaseFactory(collectivite=collectivite, service=services["ccas"])
    UseCase.objects.filter(pk=use_case.pk).update(status=UseCaseStatus.RETIRED)
    use_case.refresh_from_db()

    publish(use_case, users["dpo"], fields=["service"])

    assert lifecycle_of(use_case) == Lifecycle.OUT_OF_USE


# The pre-filled wording --------------------------------------------------------------------------------------------
def test_the_first_wording_is_taken_from_the_use_case(decision, collectivite):
    collectivite.dpo_email = "dpo@bellerive.example.fr"
    collectivite.save()
    decision.refresh_from_db()

    publication = svc.publication_for_editing(use_case=decision)

    assert publication.pk is None and not Publication.objects.exists()
    assert (publication.name, publication.summary, publication.purpose) == (
        decision.name,
        decision.summary,
        decision.purpose,
    )
    assert publication.human_intervention == decision.human_oversight
    assert publication.legal_basis == decision.lawful_basis
    assert publication.contact == "dpo@bellerive.example.fr"
    assert publication.fields == [field.code for field in FIELDS]
    assert "dpo@bellerive.example.fr" in publication.crpa_mention and decision.name in publication.crpa_mention
    # High risk (annex III 5a): a DPIA and a FRIA to do
    assert (publication.dpia_status, publication.fria_status) == (ProgressStatus.TO_DO, ProgressStatus.TO_DO)


def test_the_first_wording_has_no_mention_when_no_decision_is_founded(plain):
    wording = svc.initial_wording(plain)

    assert wording["crpa_mention"] == ""
    assert wording["fria_status"] == ProgressStatus.NOT_REQUIRED
    assert wording["dpia_status"] == ProgressStatus.NOT_REQUIRED


def test_the_first_wording_takes_the_dpia_status_of_the_latest_dpo_opinion(decision, users):
    # Given a DPO opinion saying the DPIA is in progress, in the first round
    review = decision.reviews.get()
    rs.opinion(review, users["dpo"], "dpo", dpia_status=ProgressStatus.IN_PROGRESS)
    assert svc.initial_wording(decision)["dpia_status"] == ProgressStatus.IN_PROGRESS

    # When a material change opens a new round, whose DPO opinion says it is done
    decision.refresh_from_db()
    registry_services.use_case_update(
        use_case=decision,
        acting_user=users["dpo"],
        data={"purpose": "Nouvelle finalité."},
        expected_version=decision.version,
    )
    later = decision.reviews.get(status="opinions")
    assert later.pk != review.pk
    rs.opinion(later, users["dpo"], "dpo", dpia_status=ProgressStatus.DONE)
    rs.opinion(later, users["rssi"], "rssi")

    # Then the latest one is taken
    assert svc.initial_wording(decision)["dpia_status"] == ProgressStatus.DONE


def test_the_default_mention_names_the_contact_and_the_elements_available_on_request():
    with translation.override("en"):
        mention = default_crpa_mention(
            collectivite_name="Ville de Bellerive", name="Calcul des tarifs", contact="algorithmes@bellerive.fr"
        )

    assert "algorithmes@bellerive.fr" in mention
    assert "Ville de Bellerive" in mention and "“Calcul des tarifs”" in mention
    assert "L311-3-1" in mention and "R311-3-1-2" in mention
    # The four elements of R311-3-1-2
    for element in (
        "degree and manner in which the algorithm contributed",
        "data processed and its sources",
        "parameters and their weighting",
        "operations carried out",
    ):
        assert element in mention


def test_the_default_mention_in_french_keeps_the_articles_and_the_contact():
    mention = default_crpa_mention(collectivite_name="Ville de Bellerive", name="Tarifs", contact="dpo@bellerive.fr")

    assert "L311-3-1" in mention and "R311-3-1-2" in mention
    assert "dpo@bellerive.fr" in mention and "Ville de Bellerive" in mention


# Two DPOs at the same moment (PostgreSQL row locks) ----------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write to the whole database: row locks are only tested on PostgreSQL.",
)
def test_two_dpos_publishing_the_same_record_at_once_publish_it_once(decision, users, collectivite):
    # Given a second DPO, and a draft both opened at version 1
    second = MembershipFactory(user=UserFactory(username="dpo-adjointe"), collectivite=collectivite, role=Role.DPO).user
    svc.publication_save(use_case=decision, acting_user=users["dpo"], data={"contact": CONTACT})
    lock = svc._lock

    def slow(pk):
        use_case = lock(pk)
        time.sleep(0.3)
        return use_case

    def publish_as(user, summary):
        def action():
            return svc.publication_publish(
                use_case=decision,
                acting_user=User.objects.get(pk=user.pk),
                data={**PUBLIC_WORDING, "summary": summary},
                expected_version=1,
            )

        return action

    # When both publish their wording at the same moment
    with mock.patch.object(svc, "_lock", slow):
        results = race(publish_as(users["dpo"], "Résumé de la DPO."), publish_as(second, "Résumé de l'adjointe."))

    # Then exactly one wins, the other is told someone else saved meanwhile, and it was published once
    assert sorted(type(result).__name__ for result in results) == ["ConflictError", "Publication"], results
    winner = next(result for result in results if isinstance(result, Publication))
    publication = reloaded(winner)
    assert publication.state == PublicationState.PUBLISHED and publication.version == 2
    assert publication.content["summary"] == winner.summary
    assert publication.events.filter(kind=Kind.PUBLISHED).count() == 1
    assert UseCaseEvent.objects.filter(use_case=decision, kind=UseCaseEvent.Kind.PUBLISHED).count() == 1
