"""Loads the demo's charter (data: demo/charter.py) through the charter services: last year's edition created by
the DPO and published by the DGS, acknowledged by about 60 % of the people, and this year's draft."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from charter import services as charter_services
from charter.models import CharterAcknowledgement, CharterEdition, CharterEvent
from demo import charter as charter_demo
from registry.models import (
    Collectivite,
    Membership,
    User,
)

if TYPE_CHECKING:
    from demo.loaders.bellerive import DemoLoader


def load_charter(loader: DemoLoader, collectivite: Collectivite) -> None:
    """The demo's charter (demo/charter.py), each part only while it is missing: last year's edition, created by the
    DPO and published by the DGS through the services (its PDF is asked for, and generated when the load commits:
    eagerly in the embedded mode), dated in the past; its acknowledgements; this year's draft with one section
    rewritten by the DPO. The charter sends no e-mail."""
    users, created = loader.users, loader.created
    today = timezone.localdate()
    last_year, this_year = today.year - 1, today.year
    published = CharterEdition.objects.filter(collectivite=collectivite, year=last_year).first()
    if published is None:
        published = charter_services.edition_create(
            collectivite=collectivite, acting_user=users[charter_demo.EDITOR], year=last_year
        )
        created["charter_editions"] += 1
    if not published.is_published:
        published = charter_services.edition_publish(edition=published, acting_user=users[charter_demo.PUBLISHED_BY])
        month, day = charter_demo.PUBLISHED_AT_THE_LATEST
        published_on = min(today - timedelta(days=charter_demo.PUBLISHED_DAYS_AGO), date(last_year, month, day))
        moment = timezone.make_aware(datetime.combine(published_on, time(10, 0)))
        CharterEdition.objects.filter(pk=published.pk).update(
            created_at=moment - timedelta(days=20), published_at=moment
        )
        CharterEvent.objects.filter(edition=published).update(created_at=moment)
        published.refresh_from_db()
    _charter_acknowledgements(loader, collectivite, published)

    if not CharterEdition.objects.filter(collectivite=collectivite, year=this_year).exists():
        draft = charter_services.edition_create(
            collectivite=collectivite, acting_user=users[charter_demo.EDITOR], year=this_year
        )
        created["charter_editions"] += 1
        edit = charter_demo.DRAFT_EDIT
        section = draft.sections.get(key=edit["key"])
        charter_services.section_update(
            section=section,
            acting_user=users[charter_demo.EDITOR],
            data={"title": edit["title"], "body": edit["body"]},
            expected_version=section.version,
        )


def _charter_acknowledgements(loader: DemoLoader, collectivite: Collectivite, edition: CharterEdition) -> None:
    """The people who read last year's edition: in each service the first of its people (by login) up to the
    service's share, and the members without a service named in the data; each on a day after the publication."""
    members: dict[str, list[str]] = {}
    for username, service_code in Membership.objects.filter(
        collectivite=collectivite, service__isnull=False
    ).values_list("user__username", "service__code"):
        members.setdefault(service_code, []).append(username)
    readers = set(charter_demo.ACKNOWLEDGED_WITHOUT_SERVICE)
    for code, usernames in members.items():
        people = sorted(set(usernames))
        readers.update(people[: round(len(people) * charter_demo.ACKNOWLEDGED_SHARE.get(code, 0))])
    readers -= set(charter_demo.NOT_ACKNOWLEDGED)
    done = set(edition.acknowledgements.values_list("user__username", flat=True))
    delays = itertools.cycle(charter_demo.ACKNOWLEDGED_AFTER_DAYS)
    for username in sorted(readers - done):
        user = loader.users.get(username) or User.objects.get(username=username)
        acknowledgement = charter_services.acknowledge(edition=edition, acting_user=user)
        moment = edition.published_at + timedelta(days=next(delays), hours=len(username) % 7)
        CharterAcknowledgement.objects.filter(pk=acknowledgement.pk).update(acknowledged_at=moment)
        loader.created["charter_acknowledgements"] += 1
