"""Loads the demo's public register of algorithms (data: demo/publications.py): the DPO publishes, updates and
withdraws records through the publication services, each story only while its use case has no publication."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from demo.publications import PUBLISHER, STORIES
from registry.models import Collectivite, UseCase, UseCaseEvent
from transparency import services
from transparency.models import Publication, PublicationEvent


def seed(loader, collectivite: Collectivite) -> int:
    """Run each story whose use case has no publication yet; returns the number of steps taken."""
    names = [story["use_case"] for story in STORIES]
    use_cases = {
        use_case.name: use_case
        for use_case in UseCase.objects.filter(collectivite=collectivite, name__in=names).exclude(
            publication__isnull=False
        )
    }
    publisher = loader.users[PUBLISHER]
    today = timezone.localdate()
    steps = 0
    for story in STORIES:
        use_case = use_cases.get(story["use_case"])
        if use_case is None:
            continue
        for days_ago, action, data in story["steps"]:
            moment = timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(11, 30)))
            _step(use_case, publisher, action, dict(data), moment)
            steps += 1
    return steps


def _step(use_case: UseCase, publisher, action: str, data: dict, moment: datetime) -> None:
    """One step through the services, then what it wrote dated at `moment`."""
    started = timezone.now()
    version = Publication.objects.filter(use_case=use_case).values_list("version", flat=True).first()
    if action == "publish":
        publication = services.publication_publish(
            use_case=use_case, acting_user=publisher, data=data, expected_version=version
        )
    elif action == "save":
        publication = services.publication_save(
            use_case=use_case, acting_user=publisher, data=data, expected_version=version
        )
    else:
        publication = services.publication_withdraw(
            use_case=use_case, acting_user=publisher, reason=data["reason"], expected_version=version
        )
    for name in ("first_published_at", "published_at", "withdrawn_at", "updated_at"):
        Publication.objects.filter(pk=publication.pk, **{f"{name}__gte": started}).update(**{name: moment})
    PublicationEvent.objects.filter(publication=publication, created_at__gte=started).update(created_at=moment)
    # The use case's trail: dated then, and counted as notified (the demo's past sends no e-mail).
    UseCaseEvent.objects.filter(
        use_case=use_case,
        created_at__gte=started,
        kind__in=(UseCaseEvent.Kind.PUBLISHED, UseCaseEvent.Kind.UNPUBLISHED),
    ).update(created_at=moment, notified_at=moment)
