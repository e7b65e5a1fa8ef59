"""Writing security events. `record_event` never breaks the action it records: a failure is logged, not raised.

What is stored is who, when, from where and on what; never a password, a token or a file's content. The client's
address is `config.security.client_ip`'s, the one the rate limits and django-axes count with (REMOTE_ADDR, or
behind `TRUSTED_PROXY_COUNT` reverse proxies the address the outermost one appended to X-Forwarded-For).
"""

from __future__ import annotations

import logging

from django.db import transaction

from core.security import client_ip

from .middleware import current_request
from .models import SecurityEvent

logger = logging.getLogger(__name__)

USER_AGENT_MAX = 300
# Keys never stored in `details`, whatever a caller passes.
SECRET_KEYS = frozenset({"password", "password1", "password2", "old_password", "new_password1", "new_password2"})
SECRET_MARKERS = ("password", "token", "secret", "csrf")

_FROM_REQUEST = object()


def _clean_details(details: dict | None) -> dict:
    if not details:
        return {}
    return {
        key: value
        for key, value in details.items()
        if key not in SECRET_KEYS and not any(marker in key.lower() for marker in SECRET_MARKERS)
    }


def record_event(
    *,
    kind: str,
    request=None,
    actor=_FROM_REQUEST,
    subject_user=None,
    collectivite=None,  # a Collectivite or its id
    obj=None,
    username_attempted: str = "",
    details: dict | None = None,
) -> SecurityEvent | None:
    """Append one event to the trail. The request defaults to the one being served (`RequestContextMiddleware`);
    the actor defaults to its authenticated user. Returns the event, or None if it could not be written."""
    try:
        request = request if request is not None else current_request()
        if actor is _FROM_REQUEST:
            user = getattr(request, "user", None) if request is not None else None
            actor = user if user is not None and user.is_authenticated else None
        event = SecurityEvent(
            kind=kind,
            actor=actor,
            actor_username=actor.get_username() if actor is not None else "",
            subject_user=subject_user,
            username_attempted=(username_attempted or "")[:150],
            details=_clean_details(details),
        )
        if isinstance(collectivite, int):
            event.collectivite_id = collectivite
        else:
            event.collectivite = collectivite
        if request is not None:
            event.ip = client_ip(request)
            event.user_agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX]
        if obj is not None:
            event.object_type = obj._meta.label_lower
            event.object_id = str(obj.pk)[:64]
            event.object_repr = str(obj)[:200]
        # A savepoint: should the insert fail, the caller's transaction goes on unharmed.
        with transaction.atomic():
            event.save()
        return event
    except Exception:
        logger.exception("Security event %s could not be recorded", kind)
        return None


# The one-line calls of the views that hand out the register's content --------------------------------


def record_document_download(request, document) -> None:
    """A generated PDF (charter, audit report, minutes) downloaded, from the web page or the API."""
    record_event(
        kind=SecurityEvent.Kind.DOCUMENT_DOWNLOAD,
        request=request,
        collectivite=document.collectivite,
        obj=document,
        details={"document_kind": document.kind, "subject": document.subject_key},
    )


def record_evidence_download(request, attestation, access) -> None:
    """An evidence file of an attestation downloaded (its name, never its content)."""
    record_event(
        kind=SecurityEvent.Kind.EVIDENCE_DOWNLOAD,
        request=request,
        collectivite=access.collectivite_id,
        obj=attestation,
        details={"file_name": attestation.evidence_name or attestation.evidence.name.rsplit("/", 1)[-1]},
    )


def record_export(request, collectivite, file_format: str) -> None:
    """The register exported, with the filters of the export (its query string)."""
    record_event(
        kind=SecurityEvent.Kind.EXPORT,
        request=request,
        collectivite=collectivite,
        details={"format": file_format, "filters": request.GET.urlencode()[:500]},
    )


def record_import_applied(request, import_) -> None:
    """An import applied to the register: the file's name and what it changed."""
    counts = import_.counts or {}
    record_event(
        kind=SecurityEvent.Kind.IMPORT_APPLIED,
        request=request,
        collectivite=import_.collectivite,
        obj=import_,
        details={"file_name": import_.file_name, **{k: counts.get(k, 0) for k in ("create", "update", "unchanged")}},
    )
