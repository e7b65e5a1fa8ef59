"""One append-only base for the event models (core.models.AppendOnlyModel): a saved event is never changed nor
deleted, one by one or in bulk; the trail's bookkeeping (when written, when notified) and the cascade of a parent's
deletion stay open, and the security trail's retention purge too."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from charter.models import CharterEdition, CharterEvent
from core.models import AppendOnlyError, AppendOnlyModel
from declarations import services as declaration_services
from declarations.models import DeclarationEvent
from registry.choices import MemberVote, OpinionVerdict, ReviewerRole, ReviewKind
from registry.models import AgendaItem, CommitteeSession, Opinion, ReviewCondition, UseCaseEvent, Vote
from registry.services import reviews as review_services
from security.models import SecurityEvent
from tests.declarations.support import breach_answers
from tests.registry.factories import UserFactory
from transparency.models import Publication, PublicationEvent

pytestmark = pytest.mark.django_db

EVENT_MODELS = (
    UseCaseEvent,
    Opinion,
    ReviewCondition,
    Vote,
    PublicationEvent,
    CharterEvent,
    SecurityEvent,
    DeclarationEvent,
)


def _review(use_case, users):
    return review_services.review_open(use_case=use_case, acting_user=users["dpo"], kind=ReviewKind.INITIAL)


def _use_case_event(use_case, users, committee):
    return UseCaseEvent.objects.create(use_case=use_case, kind=UseCaseEvent.Kind.UPDATED, comment="before")


def _opinion(use_case, users, committee):
    return Opinion.objects.create(
        review=_review(use_case, users),
        role=ReviewerRole.DPO,
        author=users["dpo"],
        verdict=OpinionVerdict.FAVOURABLE,
        comment="before",
    )


def _condition(use_case, users, committee):
    return ReviewCondition.objects.create(
        review=_review(use_case, users), source=ReviewCondition.Source.DPO, text="before", created_by=users["dpo"]
    )


def _vote(use_case, users, committee):
    session = CommitteeSession.objects.create(
        collectivite=use_case.collectivite, held_on=timezone.now(), created_by=users["dpo"]
    )
    item = AgendaItem.objects.create(session=session, review=_review(use_case, users))
    return Vote.objects.create(item=item, member=committee["chair"], choice=MemberVote.FAVOURABLE, comment="before")


def _publication_event(use_case, users, committee):
    publication = Publication.objects.create(
        collectivite=use_case.collectivite, use_case=use_case, name="Tri du courrier", summary="Un tri."
    )
    return PublicationEvent.objects.create(publication=publication, kind=PublicationEvent.Kind.SAVED, comment="before")


def _edition(collectivite):
    return CharterEdition.objects.create(collectivite=collectivite, year=2026)


def _charter_event(use_case, users, committee):
    return CharterEvent.objects.create(
        edition=_edition(use_case.collectivite), kind=CharterEvent.Kind.CREATED, comment="before"
    )


def _security_event(use_case, users, committee):
    return SecurityEvent.objects.create(
        kind=SecurityEvent.Kind.EXPORT, collectivite=use_case.collectivite, object_repr="before"
    )


def _declaration_event(use_case, users, committee):
    declaration, _created = declaration_services.declaration_submit(
        collectivite=use_case.collectivite,
        acting_user=users["agent"],
        data={**breach_answers(), "data_entered": ["public"]},
        anonymous=False,
        submission_key=uuid.uuid4(),
    )
    return DeclarationEvent.objects.create(
        declaration=declaration, kind=DeclarationEvent.Kind.ANALYSING, actor=users["dpo"], message="before"
    )


MAKERS = {
    UseCaseEvent: (_use_case_event, "comment"),
    Opinion: (_opinion, "comment"),
    ReviewCondition: (_condition, "text"),
    Vote: (_vote, "comment"),
    PublicationEvent: (_publication_event, "comment"),
    CharterEvent: (_charter_event, "comment"),
    SecurityEvent: (_security_event, "object_repr"),
    DeclarationEvent: (_declaration_event, "message"),
}


@pytest.fixture
def make(use_case, users, committee):
    def make(model):
        maker, field = MAKERS[model]
        return maker(use_case, users, committee), field

    return make


def test_every_event_model_stands_on_the_one_base():
    assert all(issubclass(model, AppendOnlyModel) for model in EVENT_MODELS)
    assert set(MAKERS) == set(EVENT_MODELS)


@pytest.mark.parametrize("model", EVENT_MODELS, ids=lambda model: model.__name__)
def test_a_saved_event_is_never_changed(make, model):
    event, field = make(model)
    setattr(event, field, "after")

    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk=event.pk).update(**{field: "after"})

    assert getattr(model.objects.get(pk=event.pk), field) == "before"


@pytest.mark.parametrize("model", EVENT_MODELS, ids=lambda model: model.__name__)
def test_an_event_is_never_deleted_one_by_one(make, model):
    event, _field = make(model)

    with pytest.raises(AppendOnlyError):
        event.delete()

    assert model.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    "model", [model for model in EVENT_MODELS if model is not SecurityEvent], ids=lambda model: model.__name__
)
def test_nor_in_bulk(make, model):
    event, _field = make(model)

    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        model.objects.all().delete()

    assert model.objects.filter(pk=event.pk).exists()


def test_a_parents_related_manager_refuses_too(make):
    event, _field = make(UseCaseEvent)

    with pytest.raises(AppendOnlyError):
        event.use_case.events.update(kind=UseCaseEvent.Kind.RETIRED)
    with pytest.raises(AppendOnlyError):
        event.use_case.events.all().delete()

    assert UseCaseEvent.objects.get(pk=event.pk).kind == UseCaseEvent.Kind.UPDATED


def test_the_trails_bookkeeping_stays_writable(make):
    """The outbox claims an event by setting `notified_at`; the demo and the anonymity of a declaration date it."""
    event, _field = make(UseCaseEvent)
    moment = timezone.now() - dt.timedelta(days=3)

    assert UseCaseEvent.objects.filter(pk=event.pk, notified_at__isnull=True).update(notified_at=moment) == 1
    assert UseCaseEvent.objects.filter(pk=event.pk).update(created_at=moment) == 1

    saved = UseCaseEvent.objects.get(pk=event.pk)
    assert saved.notified_at == moment and saved.created_at == moment and saved.comment == "before"


def test_the_security_trail_is_purged_in_bulk_only(make):
    event, _field = make(SecurityEvent)

    with pytest.raises(AppendOnlyError):
        event.delete()
    assert SecurityEvent.objects.filter(pk=event.pk).delete()[0] == 1


def test_deleting_a_parent_still_takes_its_events_and_clears_an_actor(collectivite):
    """The cascade goes through Django's collector (the plain base manager), not through the refused paths."""
    actor = UserFactory(username="ancien_agent")
    edition = _edition(collectivite)
    kept = CharterEvent.objects.create(edition=edition, kind=CharterEvent.Kind.CREATED, actor=actor)

    actor.delete()
    assert CharterEvent.objects.get(pk=kept.pk).actor is None

    edition.delete()
    assert not CharterEvent.objects.filter(pk=kept.pk).exists()
