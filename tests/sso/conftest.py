"""Single sign-on fixtures: a real OpenID Connect provider (django-oauth-toolkit, tests/sso/provider/) started once in
a second process on 127.0.0.1, and the register configured to use it: under pytest-django's live server for the
browser journeys (`browser_sso`), through Django's test client for the others (`person`: the provider is still reached
over HTTP, the register runs in the test's transaction, which keeps these tests fast on PostgreSQL).
"""

from __future__ import annotations

import copy
import json
import os
import re
import socket
import subprocess  # nosec B404 — starts the test provider, a fixed command
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from django.urls import reverse

from sso import conf
from tests.browser.conftest import browser, page, screenshot  # noqa: F401  (the browser journeys' fixtures)

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_PASSWORD = "provider-password-42"  # nosec B105 — a test account of the test provider
TEST_CLIENT_URL = "http://testserver"  # Django's test client's host
CLIENT_ID = "registre-ia-tests"
CLIENT_SECRET = "registre-ia-tests-secret-0123456789"  # nosec B105
LABEL = "Fournisseur de test"
ROLE_MAP = {"registre-dpo": "dpo", "registre-agent": "agent", "registre-chef": "head_of_service"}

# The provider's people: username -> password and the claims it sends about them.
USERS = {
    "claire.dpo": {
        "claims": {
            "email": "Claire.Dupont@Bellerive.test",
            "email_verified": True,
            "given_name": "Claire",
            "family_name": "Dupont",
            "roles": ["registre-dpo"],
        }
    },
    "paul.agent": {
        "claims": {
            "email": "paul.martin@bellerive.test",
            "given_name": "Paul",
            "family_name": "Martin",
            "roles": ["registre-agent"],
            "service": "CCAS",
        }
    },
    "nina.norole": {"claims": {"email": "nina.petit@bellerive.test", "given_name": "Nina", "family_name": "Petit"}},
    "ursula.unverified": {
        "claims": {
            "email": "ursula@bellerive.test",
            "email_verified": False,
            "given_name": "Ursula",
            "family_name": "Faure",
            "roles": ["registre-dpo"],
        }
    },
    "sam.shared": {"claims": {"email": "partage@bellerive.test", "given_name": "Sam", "family_name": "Bernard"}},
}
for _entry in USERS.values():
    _entry["password"] = PROVIDER_PASSWORD


@dataclass
class Provider:
    url: str
    users_file: Path
    log_file: Path
    env: dict = field(default_factory=dict)

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def write_users(self, users: dict) -> None:
        self.users_file.write_text(json.dumps(users), encoding="utf-8")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _rsa_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _provider_command(env: dict, *arguments: str) -> None:
    done = subprocess.run(  # nosec B603
        [sys.executable, "-m", "django", "provider_setup", "--client-id", CLIENT_ID, *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode:
        raise RuntimeError(f"provider_setup failed: {done.stderr}")


@pytest.fixture(scope="session")
def provider(tmp_path_factory):
    """The test provider, running for the whole session, with the register's application registered for the test
    client's host (http://testserver); `live_provider` adds the live server's addresses."""
    workdir = tmp_path_factory.mktemp("oidc-provider")
    port = free_port()
    found = Provider(url=f"http://127.0.0.1:{port}", users_file=workdir / "users.json", log_file=workdir / "log.txt")
    found.write_users(USERS)
    found.env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.sso.provider.settings",
        "PROVIDER_DB": str(workdir / "provider.sqlite3"),
        "PROVIDER_RSA_KEY": _rsa_key(),
        "PROVIDER_ISSUER": found.issuer,
        "PROVIDER_USERS": str(found.users_file),
    }
    _provider_command(
        found.env,
        "--client-secret",
        CLIENT_SECRET,
        "--redirect-uri",
        f"{TEST_CLIENT_URL}/oidc/callback/",
        "--post-logout-redirect-uri",
        f"{TEST_CLIENT_URL}/connexion/",
    )
    log = found.log_file.open("w")
    process = subprocess.Popen(  # nosec B603
        [sys.executable, "-m", "django", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=found.env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(found.discovery_url, timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the test provider did not start: {found.log_file.read_text()}")
            time.sleep(0.1)
        yield found
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def live_provider(provider, live_server):
    """The provider, with the live server's callback and post-logout addresses registered (browser journeys)."""
    _provider_command(
        provider.env,
        "--redirect-uri",
        f"{live_server.url}/oidc/callback/",
        "--post-logout-redirect-uri",
        f"{live_server.url}/connexion/",
    )
    return provider


@pytest.fixture
def provider_claims(provider):
    """`change(username, **claims)`: what the provider says of a person from now on (None removes a claim); the
    provider's people are back as they were after the test."""
    users = copy.deepcopy(USERS)

    def change(username: str, **claims):
        entry = users[username]["claims"]
        for name, value in claims.items():
            if value is None:
                entry.pop(name, None)
            else:
                entry[name] = value
        provider.write_users(users)

    yield change
    provider.write_users(USERS)


@pytest.fixture
def sso(settings, provider):
    """The register configured for the test provider, as config/settings/base.py reads it from the environment
    (the provider's origin in the CSP's form-action included): roles from the `roles` claim, in Bellerive, the
    service from the `service` claim."""
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_DISCOVERY_URL = provider.discovery_url
    settings.OIDC_LABEL = LABEL
    settings.OIDC_ROLES_CLAIM = "roles"
    settings.OIDC_ROLE_MAP = dict(ROLE_MAP)
    settings.OIDC_COLLECTIVITE = "bellerive"
    settings.OIDC_SERVICE_CLAIM = "service"
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = [*policy["DIRECTIVES"]["form-action"], provider.url]
    settings.CONTENT_SECURITY_POLICY = policy
    conf.clear_discovery_cache()
    yield provider
    conf.clear_discovery_cache()


@pytest.fixture
def browser_sso(sso, live_provider):
    """`sso` for the browser journeys: the register under the live server, known to the provider."""
    return live_provider


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Visitor:
    """A person's browser without a browser: the register through Django's test client (in the test's transaction,
    no live server needed), the provider through `requests` over HTTP. Redirects from one to the other are followed
    by hand, as a browser would."""

    def __init__(self):
        self.register = Client()
        self.http = requests.Session()

    def to_provider(self, response):
        """Follow the register's redirect to the provider, then the provider's own redirects."""
        assert response.status_code == 302 and response["Location"].startswith("http"), response
        return self.follow_provider(self.http.get(response["Location"], timeout=15, allow_redirects=False))

    def follow_provider(self, answer):
        """The provider's redirects, up to a page of its own or a redirect back to the register."""
        while answer.is_redirect and not self.sent_back(answer):
            answer = self.http.get(urljoin(answer.url, answer.headers["Location"]), timeout=15, allow_redirects=False)
        return answer

    @staticmethod
    def sent_back(answer) -> bool:
        return answer.is_redirect and answer.headers["Location"].startswith(f"{TEST_CLIENT_URL}/")

    def to_register(self, answer, follow=True):
        """The provider sends the browser back to the register (http://testserver/...)."""
        target = urlsplit(answer.headers["Location"])
        return self.register.get(target.path, dict(parse_qsl(target.query)), follow=follow)

    def provider_login(self, login_page, username: str, password: str):
        assert "/accounts/login/" in login_page.url, login_page.url
        token = _CSRF.search(login_page.text).group(1)
        answer = self.http.post(
            login_page.url,
            data={"csrfmiddlewaretoken": token, "username": username, "password": password},
            timeout=15,
            allow_redirects=False,
        )
        return self.follow_provider(answer)

    def at_provider(self, username: str, password: str = PROVIDER_PASSWORD, next: str | None = None):
        """From the SSO button through the provider's login form: the provider's last answer (a redirect back to
        the register, or its login form again)."""
        answer = self.to_provider(self.register.get(reverse("sso:start"), {"next": next} if next else {}))
        if not self.sent_back(answer):
            answer = self.provider_login(answer, username, password)
        return answer

    def sign_in(self, username: str, password: str = PROVIDER_PASSWORD, next: str | None = None):
        """The SSO button, the provider's login form, back to the register: the register's last page (or the
        provider's login form again, when it refused the password)."""
        answer = self.at_provider(username, password, next)
        return self.to_register(answer) if self.sent_back(answer) else answer


@pytest.fixture
def visitor(sso, db):
    """`visitor()`: a new browser (test client + requests) for the register configured with the test provider."""
    return Visitor
