"""Who holds which roles where: a user's access in one collectivité, the base of every permission rule."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps

from core.roles import Role

SEE_ALL_ROLES = frozenset({Role.DPO, Role.RSSI, Role.DGS, Role.ADMIN})


EDIT_ALL_ROLES = frozenset({Role.DPO, Role.RSSI, Role.ADMIN})


@dataclass(frozen=True)
class Access:
    """What a user holds in one collectivité: roles, services they belong to, services they head."""

    collectivite_id: int | None
    roles: frozenset[str] = frozenset()
    agent_service_ids: frozenset[int] = frozenset()
    headed_service_paths: tuple[str, ...] = field(default_factory=tuple)
    headed_service_ids: frozenset[int] = frozenset()

    @property
    def is_member(self) -> bool:
        return bool(self.roles)

    @property
    def sees_all(self) -> bool:
        return bool(self.roles & SEE_ALL_ROLES)

    @property
    def edits_all(self) -> bool:
        return bool(self.roles & EDIT_ALL_ROLES)

    def has(self, role: str) -> bool:
        return role in self.roles

    def heads_service(self, service) -> bool:
        return any(service.path.startswith(path) for path in self.headed_service_paths)


def get_access(user, collectivite) -> Access:
    """The user's access in a collectivité, computed once per request and cached on the user."""
    if collectivite is None or not user.is_authenticated:
        return Access(collectivite_id=None)
    cache = user.__dict__.setdefault("_registry_access", {})
    if collectivite.pk not in cache:
        # The organisation models stay in `registry`, where AUTH_USER_MODEL points (moving a custom user model
        # rewrites every app's migration history): core reaches them through the app registry, not an import.
        Membership = apps.get_model("registry", "Membership")
        memberships = list(Membership.objects.filter(user=user, collectivite=collectivite).select_related("service"))
        cache[collectivite.pk] = Access(
            collectivite_id=collectivite.pk,
            roles=frozenset(m.role for m in memberships),
            agent_service_ids=frozenset(m.service_id for m in memberships if m.service_id),
            headed_service_paths=tuple(m.service.path for m in memberships if m.role == Role.HEAD_OF_SERVICE),
            headed_service_ids=frozenset(m.service_id for m in memberships if m.role == Role.HEAD_OF_SERVICE),
        )
    return cache[collectivite.pk]
