"""`python manage.py sso_check`: reads the provider's discovery document and keys now, prints the endpoints found and
the addresses to register at the provider; fails with a clear message when the provider cannot be used."""

from urllib.parse import urljoin

import requests
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.shortcuts import resolve_url
from django.urls import reverse

from ... import conf


class Command(BaseCommand):
    help = "Check the single sign-on settings against the identity provider (discovery document, keys)."

    def handle(self, *args, **options):
        if not conf.enabled():
            raise CommandError("Single sign-on is off: OIDC_RP_CLIENT_ID is not set.")
        url = conf.discovery_url()
        if url:
            try:
                document = conf.fetch_discovery(url)
            except conf.ProviderUnavailable as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Discovery document: {url}")
        else:
            document = {}
            self.stdout.write("No OIDC_OP_DISCOVERY_URL: explicit endpoints.")
        endpoints = {}
        for name, key in conf.ENDPOINTS.items():
            endpoints[name] = getattr(settings, name, "") or document.get(key, "")
            self.stdout.write(f"  {name} = {endpoints[name] or '(none)'}")
        if not endpoints["OIDC_OP_LOGOUT_ENDPOINT"]:
            self.stdout.write("  No end-session endpoint: signing out ends the register's session only.")

        algorithm = str(conf.setting("OIDC_RP_SIGN_ALGO"))
        if algorithm.startswith(("RS", "ES", "PS")) and not getattr(settings, "OIDC_RP_IDP_SIGN_KEY", None):
            jwks = endpoints["OIDC_OP_JWKS_ENDPOINT"]
            if not jwks:
                raise CommandError(f"OIDC_RP_SIGN_ALGO={algorithm} needs the provider's keys: no jwks_uri.")
            try:
                response = requests.get(  # nosec B113 — timeout=OIDC_TIMEOUT
                    jwks, timeout=conf.setting("OIDC_TIMEOUT"), verify=conf.setting("OIDC_VERIFY_SSL", True)
                )
                response.raise_for_status()
                keys = response.json().get("keys", [])
            except (requests.RequestException, ValueError, AttributeError) as exc:
                raise CommandError(f"The provider's keys ({jwks}) could not be read: {exc}") from exc
            if not keys:
                raise CommandError(f"The provider publishes no key at {jwks}.")
            self.stdout.write(f"Signing keys: {len(keys)} ({algorithm}).")

        site = settings.SITE_URL.rstrip("/") + "/"
        self.stdout.write("Register at the provider:")
        self.stdout.write(f"  redirect URI: {urljoin(site, reverse('sso:callback').lstrip('/'))}")
        self.stdout.write(
            f"  post-logout redirect URI: {urljoin(site, resolve_url(settings.LOGOUT_REDIRECT_URL).lstrip('/'))}"
        )
        self.stdout.write(f"Scopes asked: {conf.setting('OIDC_RP_SCOPES')}")
        roles_claim = conf.setting("OIDC_ROLES_CLAIM", "")
        if roles_claim:
            mapping = ", ".join(f"{key} → {value}" for key, value in sorted(conf.role_map().items())) or "(empty)"
            self.stdout.write(f"Roles from the claim {roles_claim}: {mapping}")
        else:
            self.stdout.write("No OIDC_ROLES_CLAIM: administrators give the roles.")
        self.stdout.write(self.style.SUCCESS(f"{conf.label()}: reachable."))
