"""The security events a collectivité's DPO, RSSI or administrator may read.

An event tied to a collectivité (a role, an export, a download) belongs to it. An event tied to no collectivité
(a sign-in, a password change, an account's status) belongs to every collectivité where the person concerned
holds a role: the DPO of one collectivité does not read the sign-ins of another's staff. Events about nobody in
particular (an account deleted) are read by superusers, in the admin.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q, QuerySet

from core.access import Access

from .models import SecurityEvent


def events_visible_to(access: Access) -> QuerySet[SecurityEvent]:
    if access.collectivite_id is None:
        return SecurityEvent.objects.none()
    # The journal sits below the register (STYLE.md layers): the organisation models by the app registry.
    members = (
        apps.get_model("registry", "Membership")
        .objects.filter(collectivite_id=access.collectivite_id)
        .values("user_id")
    )
    return SecurityEvent.objects.filter(
        Q(collectivite_id=access.collectivite_id) | Q(collectivite__isnull=True, subject_user_id__in=members)
    ).select_related("subject_user")
