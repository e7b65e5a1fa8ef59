"""Who may see and answer explanation requests: the DPO (and the administrators) all the collectivité's, the heads of
the owning service (or of a service above it) the requests on their services' use cases. Agents do not: a request
holds a person's identity and contact, read on a need-to-know basis (RGPD art. 5, 1, f)."""

from __future__ import annotations

from core.access import Access
from core.roles import Role

ALL_REQUESTS_ROLES = frozenset({Role.DPO, Role.ADMIN})
# Who signs the letter: the DPO, or the head of the owning service (an administrator prepares, never signs).
SIGNING_ROLES = frozenset({Role.DPO})


def can_see_queue(access: Access) -> bool:
    return bool(access.roles & ALL_REQUESTS_ROLES) or bool(access.headed_service_paths)


def heads_request_service(access: Access, request) -> bool:
    service = request.service
    return service is not None and access.heads_service(service)


def can_view_request(access: Access, request) -> bool:
    if request.collectivite_id != access.collectivite_id:
        return False
    return bool(access.roles & ALL_REQUESTS_ROLES) or heads_request_service(access, request)


def can_draft(access: Access, request) -> bool:
    return request.is_open and can_view_request(access, request)


def can_sign(access: Access, request) -> bool:
    """Send the answer or reject the request: the DPO, or the head of the owning service."""
    if not request.is_open or request.collectivite_id != access.collectivite_id:
        return False
    return bool(access.roles & SIGNING_ROLES) or heads_request_service(access, request)


def can_assign_use_case(access: Access) -> bool:
    """Only who sees every request may say which use case an unattributed one is about."""
    return bool(access.roles & ALL_REQUESTS_ROLES)
