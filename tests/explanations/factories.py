"""Builders for the explanation tests: a published use case founding decisions, and requests made by the service."""

from __future__ import annotations

import datetime

from django.utils import timezone

from explanations import services
from tests.transparency.support import decision_use_case, published, submitted

PERSON = {
    "requester_name": "Camille Martin",
    "requester_email": "camille.martin@example.org",
    "requester_address": "3 rue des Lilas\n99000 Bellerive",
    "requester_phone": "",
    "decision_date": datetime.date(2026, 11, 2),
    "decision_reference": "AIDE-2026-118",
    "decision_service": "CCAS",
    "elements": ["contribution", "parameters"],
    "message": "Pourquoi mon aide a-t-elle été refusée ?",
}


def published_decision_use_case(use_case, dpo, **changes):
    """The `use_case` fixture, founding decisions (Annex III 5a: high risk), submitted and published."""
    decision_use_case(use_case, **changes)
    submitted(use_case)
    use_case.refresh_from_db()
    published(use_case, dpo)
    use_case.refresh_from_db()
    return use_case


def make_request(collectivite, use_case=None, *, received_at=None, **data):
    created = services.request_create(
        collectivite=collectivite, data={**PERSON, **data}, use_case=use_case, received_at=received_at or timezone.now()
    )
    return created.request, created.token
