"""Reading the provider's claims (sso.claims): pure functions, table-driven, one row per provider habit."""

import pytest

from core.roles import Role
from sso import claims

ROLE_MAP = {"registre-dpo": Role.DPO, "registre-agent": Role.AGENT, "gg-rssi": Role.RSSI}


@pytest.mark.parametrize(
    ("given", "name", "expected"),
    [
        ({"roles": ["a"]}, "roles", ["a"]),
        # Keycloak: realm roles and client roles are nested objects.
        ({"realm_access": {"roles": ["a", "b"]}}, "realm_access.roles", ["a", "b"]),
        ({"resource_access": {"registre": {"roles": ["c"]}}}, "resource_access.registre.roles", ["c"]),
        # A claim named with dots (or a URL) is taken whole first.
        ({"https://idp.example/roles": ["d"]}, "https://idp.example/roles", ["d"]),
        ({"realm_access": {}}, "realm_access.roles", None),
        ({}, "", None),
    ],
)
def test_claim_by_name_or_dotted_path(given, name, expected):
    assert claims.claim(given, name) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, []),
        (["dpo", " rssi ", ""], ["dpo", "rssi"]),
        ("dpo rssi,agent;  chef", ["dpo", "rssi", "agent", "chef"]),  # LemonLDAP::NG sends one string
        ("", []),
    ],
)
def test_values_of_a_claim(value, expected):
    assert claims.values(value) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"roles": ["registre-dpo", "registre-agent", "offline_access"]}, {Role.DPO, Role.AGENT}),
        ({"roles": ["REGISTRE-DPO"]}, {Role.DPO}),  # compared case-insensitively
        ({"roles": "gg-rssi registre-dpo"}, {Role.DPO, Role.RSSI}),
        # A value named like a role but not in the map (Keycloak's realm role "admin") grants nothing.
        ({"roles": ["admin", "dpo"]}, set()),
        ({}, set()),
    ],
)
def test_mapped_roles_only_through_the_map(given, expected):
    assert claims.mapped_roles(given, roles_claim="roles", role_map=ROLE_MAP) == expected


@pytest.mark.parametrize(
    ("verified", "unverified"),
    [(None, False), (True, False), (False, True), ("false", True), ("true", False), ("0", True)],
)
def test_email_unverified_only_when_the_provider_says_so(verified, unverified):
    given = {"email": "a@b.test"} if verified is None else {"email": "a@b.test", "email_verified": verified}
    assert claims.email_unverified(given) is unverified


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"given_name": "Claire", "family_name": "Dupont"}, {"first_name": "Claire", "last_name": "Dupont"}),
        ({"given_name": "Jean Paul", "usual_name": "Martin"}, {"first_name": "Jean Paul", "last_name": "Martin"}),
        ({"name": "Only A Display Name"}, {}),
    ],
)
def test_names_standard_and_proconnect(given, expected):
    assert claims.names(given) == expected


@pytest.mark.parametrize(
    ("value", "slug", "siren"),
    [
        ("bellerive", "bellerive", ""),
        ("Bellerive", "bellerive", ""),
        ("213700149", "", "213700149"),
        ("21370014900015", "", "213700149"),  # ProConnect's siret: the SIREN is its first 9 digits
        (["21370014900015"], "", "213700149"),
        ("", "", ""),
        (None, "", ""),
    ],
)
def test_collectivite_key_by_short_name_siren_or_siret(value, slug, siren):
    key = claims.collectivite_key(value)
    assert (key.slug, key.siren) == (slug, siren)
