"""System checks of the single sign-on settings, and the settings read from the environment by config/settings."""

from __future__ import annotations

import json
import os
import subprocess  # nosec B404 — runs this project's settings module, a fixed command
import sys
from pathlib import Path

import pytest

from sso.checks import sso_https, sso_settings

ROOT = Path(__file__).resolve().parents[2]
BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "sso.backends.LocalPasswordGate",
    "django.contrib.auth.backends.ModelBackend",
    "sso.backends.OidcBackend",
    "guardian.backends.ObjectPermissionBackend",
]


def ids(messages) -> list[str]:
    return sorted(message.id for message in messages)


@pytest.fixture
def configured(settings):
    settings.AUTHENTICATION_BACKENDS = list(BACKENDS)
    settings.OIDC_RP_CLIENT_ID = "registre"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_DISCOVERY_URL = "https://idp.test/.well-known/openid-configuration"
    settings.LOCAL_PASSWORD_LOGIN = "admins"
    return settings


def test_the_default_settings_have_nothing_to_say():
    assert sso_settings(None) == []
    assert sso_https(None) == []


def test_a_complete_configuration_has_nothing_to_say(configured):
    assert sso_settings(None) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"LOCAL_PASSWORD_LOGIN": "some"}, ["sso.E001"]),
        ({"AUTHENTICATION_BACKENDS": [b for b in BACKENDS if "Gate" not in b]}, ["sso.E002"]),
        ({"AUTHENTICATION_BACKENDS": [*BACKENDS[2:3], *BACKENDS[:2], *BACKENDS[3:]]}, ["sso.E002"]),
        ({"AUTHENTICATION_BACKENDS": [b for b in BACKENDS if "Oidc" not in b]}, ["sso.E003"]),
        ({"OIDC_OP_DISCOVERY_URL": ""}, ["sso.E004", "sso.E005"]),
        (
            {
                "OIDC_OP_DISCOVERY_URL": "",
                "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://a",
                "OIDC_OP_TOKEN_ENDPOINT": "https://t",
            },
            ["sso.E005"],
        ),
        ({"OIDC_RP_CLIENT_SECRET": ""}, ["sso.E006"]),
        ({"OIDC_ROLES_CLAIM": "roles", "OIDC_ROLE_MAP": {"x": "mayor"}, "OIDC_COLLECTIVITE": "b"}, ["sso.E007"]),
        ({"OIDC_ROLES_CLAIM": "roles", "OIDC_COLLECTIVITE": "b"}, ["sso.W002"]),
        ({"OIDC_ROLES_CLAIM": "roles", "OIDC_ROLE_MAP": {"x": "dpo"}}, ["sso.W003"]),
        ({"OIDC_RP_CLIENT_ID": ""}, ["sso.W001"]),
    ],
)
def test_what_would_fail_is_said_at_start_up(configured, changes, expected):
    for name, value in changes.items():
        setattr(configured, name, value)

    assert ids(sso_settings(None)) == expected


def test_a_provider_in_clear_http_is_a_deployment_warning(configured):
    configured.OIDC_OP_DISCOVERY_URL = "http://idp.test/.well-known/openid-configuration"

    assert ids(sso_https(None)) == ["sso.W004"]


def _settings_from_environment(**environ) -> dict:
    """config.settings.base read in a fresh interpreter with this environment: the values single sign-on needs."""
    code = (
        "import json; from config.settings import base as s; print(json.dumps({"
        "'form_action': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'],"
        "'role_map': s.OIDC_ROLE_MAP, 'pkce': s.OIDC_USE_PKCE, 'policy': s.LOCAL_PASSWORD_LOGIN,"
        "'backends': s.AUTHENTICATION_BACKENDS, 'apps': s.INSTALLED_APPS}, default=str))"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith(("OIDC_", "LOCAL_PASSWORD"))}
    env.update(environ)
    result = subprocess.run(  # nosec B603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_environment_configures_single_sign_on():
    read = _settings_from_environment(
        OIDC_RP_CLIENT_ID="registre",
        OIDC_OP_DISCOVERY_URL="https://auth.agentconnect.gouv.fr/api/v2/.well-known/openid-configuration",
        OIDC_ROLE_MAP="registre-dpo=dpo,registre-agent=agent",
        OIDC_USE_PKCE="false",
        LOCAL_PASSWORD_LOGIN="admins",
    )

    assert read["role_map"] == {"registre-dpo": "dpo", "registre-agent": "agent"}
    assert read["pkce"] is False and read["policy"] == "admins"
    # Signing out redirects a form's submission to the provider: its origin is allowed as a form target.
    assert read["form_action"][-1] == "https://auth.agentconnect.gouv.fr"
    assert "sso" in read["apps"]
    backends = read["backends"]
    assert backends.index("sso.backends.LocalPasswordGate") < backends.index(
        "django.contrib.auth.backends.ModelBackend"
    )
    assert "sso.backends.OidcBackend" in backends


def test_without_single_sign_on_forms_post_to_the_register_only():
    read = _settings_from_environment()

    assert read["form_action"] == ["'self'"]
    assert read["policy"] == "all"
