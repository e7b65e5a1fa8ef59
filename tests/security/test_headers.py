"""Security headers on every kind of response: internal pages, the public register, the API, the admin, errors.

The Content-Security-Policy is enforced (not report-only) and allows no inline script or style: a scan of the
templates served to browsers proves none is left. Only the Swagger UI carries a nonce, for its own inline script.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.transparency.support import decision_use_case, published, submitted

pytestmark = pytest.mark.django_db

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def assert_security_headers(response):
    assert "Content-Security-Policy" in response, response.request["PATH_INFO"]
    assert "Content-Security-Policy-Report-Only" not in response
    policy = directives(response["Content-Security-Policy"])
    for name, value in EXPECTED_CSP.items():
        assert policy[name] == value, (name, policy)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    features = {item.strip() for item in response["Permissions-Policy"].split(",")}
    assert {"camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"} <= features


@pytest.fixture
def published_record(use_case, users):
    return published(submitted(decision_use_case(use_case)), users["dpo"], fields=["service", "risk", "tool"])


ANONYMOUS_URLS = [
    "login",
    "admin_login",
    "public_index",
    "public_register",
    "public_entry",
    "public_api_list",
    "api_schema_refused",
    "not_found",
    "internal_page_redirect",
]
MEMBER_URLS = ["use_case_list", "use_case_detail", "dashboard", "compliance", "api_use_cases", "api_schema"]


def url_of(name, use_case):
    slug = use_case.collectivite.slug
    urls = {
        "login": lambda: reverse("login"),
        "admin_login": lambda: reverse("admin:login"),
        "public_index": lambda: reverse("public:index"),
        "public_register": lambda: reverse("public:register", kwargs={"slug": slug}),
        "public_entry": lambda: reverse("public:entry", kwargs={"slug": slug, "reference": use_case.reference}),
        "public_api_list": lambda: "/api/v1/public/use-cases/",
        "api_schema_refused": lambda: reverse("api-schema"),
        "not_found": lambda: "/nothing-here/",
        "internal_page_redirect": lambda: reverse("registry:use_case_list"),
        "use_case_list": lambda: reverse("registry:use_case_list"),
        "use_case_detail": lambda: reverse("registry:use_case_detail", args=[use_case.pk]),
        "dashboard": lambda: reverse("registry:home"),
        "compliance": lambda: reverse("audits:compliance"),
        "api_use_cases": lambda: "/api/v1/use-cases/",
        "api_schema": lambda: reverse("api-schema"),
    }
    return urls[name]()


@pytest.mark.parametrize("name", ANONYMOUS_URLS)
def test_anonymous_responses_carry_the_security_headers(name, published_record):
    response = Client().get(url_of(name, published_record.use_case))

    assert response.status_code < 500
    assert_security_headers(response)


@pytest.mark.parametrize("name", MEMBER_URLS)
def test_member_responses_carry_the_security_headers(name, use_case, users, client_for):
    response = client_for(users["dpo"]).get(url_of(name, use_case))

    assert response.status_code == 200, name
    assert_security_headers(response)


def test_api_token_endpoint_carries_the_security_headers(users):
    response = Client().post("/api/v1/auth/token/", {"username": "nobody", "password": "wrong"})

    assert response.status_code == 400
    assert_security_headers(response)


def test_public_pages_get_the_same_policy_for_everyone_without_a_nonce(published_record, users, client_for):
    url = reverse("public:register", kwargs={"slug": published_record.use_case.collectivite.slug})

    anonymous = Client().get(url)
    member = client_for(users["dpo"]).get(url)

    assert anonymous["Content-Security-Policy"] == member["Content-Security-Policy"]
    assert "nonce-" not in anonymous["Content-Security-Policy"]
    assert anonymous.content == member.content


def test_swagger_ui_inline_script_is_allowed_by_its_own_nonce_only(users, client_for):
    response = client_for(users["dpo"]).get(reverse("api-docs"))

    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", directives(response["Content-Security-Policy"])["script-src"]).group(1)
    html = response.content.decode()
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline_scripts, "the Swagger UI page is expected to hold its inline script"
    assert all(f'nonce="{nonce}"' in attributes for attributes in inline_scripts)
    # a second page view gets another nonce
    again = client_for(users["dpo"]).get(reverse("api-docs"))
    assert nonce not in again["Content-Security-Policy"]


def test_login_cookies_are_same_site_lax(users):
    client = Client()
    users["agent"].set_password("a-good-long-password")
    users["agent"].save()

    response = client.post(reverse("login"), {"username": users["agent"].username, "password": "a-good-long-password"})

    assert response.status_code == 302
    assert client.cookies[settings.SESSION_COOKIE_NAME]["samesite"] == "Lax"
    assert client.cookies[settings.SESSION_COOKIE_NAME]["httponly"] is True
    assert client.cookies[settings.CSRF_COOKIE_NAME]["samesite"] == "Lax"


# --- Templates: nothing the policy would refuse ----------------------------------------------------------------

TEMPLATE_ROOTS = [Path(settings.BASE_DIR) / "templates"] + [
    Path(settings.BASE_DIR) / app / "templates" for app in ("registry", "audits", "charter", "transparency", "exchange")
]
# Rendered by WeasyPrint into PDF (no browser, no CSP), and the Swagger UI page whose inline code has a nonce.
NOT_SERVED_TO_BROWSERS = ("documents/", "charter/charter_pdf.html", "explanations/letter.html", "drf_spectacular/")
INLINE = {
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "style element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE),
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def browser_templates():
    for root in TEMPLATE_ROOTS:
        if not root.exists():
            continue
        for path in sorted(root.rglob("*.html")):
            relative = path.relative_to(root).as_posix()
            if not relative.startswith(NOT_SERVED_TO_BROWSERS):
                yield relative, path


def test_templates_served_to_browsers_hold_no_inline_script_or_style():
    found = [
        f"{relative}: {kind}"
        for relative, path in browser_templates()
        for kind, pattern in INLINE.items()
        if pattern.search(path.read_text())
    ]

    assert list(browser_templates()), "no template scanned"
    assert found == []


def test_the_scan_catches_what_the_policy_would_refuse():
    # the patterns are not vacuous: each finds the construct it is named after
    samples = {
        "style attribute": '<span style="width: 5%">',
        "style element": "<style>p { color: red }</style>",
        "event handler attribute": '<button onclick="go()">',
        "inline script": "<script>alert(1)</script>",
        "javascript: URL": '<a href="javascript:go()">',
    }
    for kind, sample in samples.items():
        assert INLINE[kind].search(sample), kind
    assert not INLINE["inline script"].search('<script src="/static/x.js" defer></script>')
    assert not INLINE["inline script"].search('<script id="d" type="application/json">{}</script>')
    assert not INLINE["event handler attribute"].search('<form data-confirm="Sure?">')
