"""Builders for review-workflow tests: take a use case through the real services, step by step."""

from __future__ import annotations

import datetime

from django.utils import timezone

from registry import services
from registry.models import Review


def submit(use_case, user=None) -> Review:
    """Submit a draft through the service; returns its open review round."""
    use_case = services.use_case_submit(use_case=use_case, acting_user=user or use_case.owner)
    return use_case.reviews.get(status__in=("opinions", "committee"))


def opinion(review, user, role, verdict="favourable", **data):
    data.setdefault("comment", "" if verdict == "favourable" else "Motif détaillé.")
    if verdict == "favourable_with_conditions":
        data.setdefault("conditions", [f"Condition posée par le {role.upper()}."])
    return services.opinion_give(review=review, acting_user=user, role=role, data={"verdict": verdict, **data})


def both_opinions(review, users, dpo="favourable", rssi="favourable", **data):
    opinion(review, users["dpo"], "dpo", dpo, **data)
    opinion(review, users["rssi"], "rssi", rssi, **data)
    review.refresh_from_db()
    return review


def session(collectivite, users, **data):
    data.setdefault("held_on", timezone.now() + datetime.timedelta(days=7))
    data.setdefault("place", "Salle du conseil")
    return services.session_create(collectivite=collectivite, acting_user=users["dpo"], data=data)


def to_agenda(review, users, committee_session=None):
    """A review waiting for the committee, put on a (new) planned session's agenda."""
    committee_session = committee_session or session(review.collectivite, users)
    return services.agenda_add(session=committee_session, review=review, acting_user=users["dpo"])
