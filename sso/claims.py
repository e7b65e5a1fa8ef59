"""Reading the provider's claims as plain data: names, e-mail, the roles, the collectivité and the service it says.

Pure functions of the claims and the settings' values (no ORM, no request), the easiest part to test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.roles import Role

# Roles held in a service (Membership.clean): without a known service they wait for an administrator.
SERVICE_ROLES = frozenset({Role.AGENT, Role.HEAD_OF_SERVICE})

_SEPARATORS = re.compile(r"[\s,;]+")


def claim(claims: dict, name: str):
    """A claim by its name, or by a dotted path into nested objects (Keycloak: `realm_access.roles`,
    `resource_access.registre.roles`). A name that is itself a key wins (some claim names hold dots or are URLs)."""
    if not name:
        return None
    if name in claims:
        return claims[name]
    value = claims
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def values(value) -> list[str]:
    """A claim's values as a list of strings: a JSON list, or one string of values separated by spaces/commas."""
    if value is None:
        return []
    if isinstance(value, list | tuple | set):
        return [str(item).strip() for item in value if str(item).strip()]
    return [item for item in _SEPARATORS.split(str(value)) if item]


def first(value) -> str:
    """The first value of a claim that may be a list (a service code, a SIRET)."""
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value if value is not None else "").strip()


def email(claims: dict) -> str:
    return str(claims.get("email") or "").strip()


def email_unverified(claims: dict) -> bool:
    """Whether the provider says the e-mail address is NOT verified. Absent means verified: ProConnect and Entra ID
    do not send the claim; some providers send the string "false"."""
    verified = claims.get("email_verified")
    if verified is None:
        return False
    if isinstance(verified, str):
        return verified.strip().lower() in ("false", "0", "no")
    return verified is False


def names(claims: dict) -> dict[str, str]:
    """First and last names (ProConnect's `usual_name` is the family name in use). Only names the claims give."""
    found = {}
    given = str(claims.get("given_name") or "").strip()
    family = str(claims.get("family_name") or claims.get("usual_name") or "").strip()
    if given:
        found["first_name"] = given[:150]
    if family:
        found["last_name"] = family[:150]
    return found


def mapped_roles(claims: dict, *, roles_claim: str, role_map: dict[str, str]) -> set[str]:
    """The register's roles the provider's role claim maps to. Only values listed in the map count (compared
    case-insensitively): an unmapped value such as Keycloak's realm role "admin" never becomes a role here."""
    received = {value.lower() for value in values(claim(claims, roles_claim))}
    return {role_map[value] for value in received if value in role_map and role_map[value] in Role.values}


@dataclass(frozen=True)
class CollectiviteKey:
    """How to find the collectivité a claim names: by short name (slug) or by SIREN (a SIRET's first 9 digits)."""

    slug: str = ""
    siren: str = ""

    def __bool__(self) -> bool:
        return bool(self.slug or self.siren)

    def __str__(self) -> str:
        return self.siren or self.slug


def collectivite_key(value) -> CollectiviteKey:
    """ProConnect sends the agent's establishment as `siret` (14 digits): its SIREN is the collectivité's."""
    text = first(value).replace(" ", "")
    if not text:
        return CollectiviteKey()
    if text.isdigit() and len(text) in (9, 14):
        return CollectiviteKey(siren=text[:9])
    return CollectiviteKey(slug=text.lower())
