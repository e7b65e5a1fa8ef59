"""Builders for review-workflow tests: take a use case through the real services, step by step."""

from __future__ import annotations

import datetime

from django.utils import timezone

from registry import services
from registry.models import CommitteeMember, Review


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


def session(collectivite, users, *, held=True, present=None, **data):
    """A committee session. `held` (the default): dated an hour ago and opened by the DPO with the members `present`
    (every member in office by default), as the rules of procedure require before the committee gives an opinion.
    `held=False`: planned in a week."""
    future = timezone.now() + datetime.timedelta(days=7)
    data.setdefault("held_on", timezone.now() - datetime.timedelta(hours=1) if held else future)
    data.setdefault("place", "Salle du conseil")
    created = services.session_create(collectivite=collectivite, acting_user=users["dpo"], data=data)
    if held:
        return hold(created, users, present=present)
    return created


def hold(committee_session, users, present=None):
    """Open a session on its date with the attendance: `present` (members or ids; every member in office by
    default)."""
    if present is None:
        present = CommitteeMember.objects.filter(collectivite_id=committee_session.collectivite_id, active=True)
    return services.session_open(session=committee_session, acting_user=users["dpo"], present=list(present))


def to_agenda(review, users, committee_session=None):
    """A review waiting for the committee, put on a (new) planned session's agenda."""
    committee_session = committee_session or session(review.collectivite, users)
    return services.agenda_add(session=committee_session, review=review, acting_user=users["dpo"])
