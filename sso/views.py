"""The sign-in through the provider (start, callback), the page of an account waiting for its roles, the sign-out
that ends the provider's session too, and the login page with its password policy.

The start and callback answer 404 while single sign-on is not configured. A refused sign-in shows why (403, or 503
when the provider cannot be reached) and is recorded in the security trail with its reason; nobody is signed in.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.crypto import get_random_string
from django.views.decorators.http import require_GET
from django.views.generic import View
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
    OIDCLogoutView,
)

from core.roles import Role
from security.models import SecurityEvent
from security.services import record_event

from . import conf
from .backends import OidcBackend
from .conf import ProviderUnavailable
from .errors import Reason, SignInRefused
from .forms import LoginForm

logger = logging.getLogger(__name__)

REFUSED = 403
UNAVAILABLE = 503


def refuse(request, refusal: SignInRefused, *, issuer: str = ""):
    """The refusal page, and the failed sign-in in the security trail with its reason. Whoever was signed in stays
    so: a link to the callback must not be a way to sign people out."""
    details = {"method": "oidc", "reason": refusal.reason}
    if issuer:
        details["issuer"] = issuer
    if refusal.detail:
        details["detail"] = refusal.detail[:200]
    record_event(
        kind=SecurityEvent.Kind.LOGIN_FAILED,
        request=request,
        actor=None,
        subject_user=refusal.user,
        username_attempted=refusal.email[:150],
        details=details,
    )
    status = UNAVAILABLE if refusal.reason == Reason.UNAVAILABLE else REFUSED
    context = {"message": refusal.message, "reason": refusal.reason, "sso_label": conf.label()}
    return render(request, "sso/refused.html", context, status=status)


class StartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's authorization endpoint (state, nonce, PKCE kept in the session)."""

    get_settings = staticmethod(conf.setting)

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the endpoints are read in dispatch: the provider may be unreachable

    def dispatch(self, request, *args, **kwargs):
        if not conf.enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = conf.setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailable as exc:
            logger.warning("Single sign-on: %s", exc)
            return refuse(request, SignInRefused(Reason.UNAVAILABLE))
        self.OIDC_RP_CLIENT_ID = conf.setting("OIDC_RP_CLIENT_ID")
        return super().dispatch(request, *args, **kwargs)

    def get_extra_params(self, request):
        params = dict(conf.setting("OIDC_AUTH_REQUEST_EXTRA_PARAMS", {}) or {})
        # ProConnect: acr_values (e.g. eidas1), prompt=login to ask for the password again.
        for name, setting_name in (("acr_values", "OIDC_ACR_VALUES"), ("prompt", "OIDC_PROMPT")):
            value = conf.setting(setting_name, "")
            if value:
                params[name] = value
        return params


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code (or an error): the code is exchanged for the tokens, the
    id token verified, the account found or created, the person signed in."""

    get_settings = staticmethod(conf.setting)

    def get(self, request):
        if not conf.enabled():
            raise Http404
        states = request.session.get("oidc_states") or {}
        state = request.GET.get("state", "")
        entry = states.pop(state, None) if state else None
        if entry is not None:
            request.session["oidc_states"] = states  # an answer is used once: replaying it finds nothing
        error = request.GET.get("error")
        if error and entry is not None:
            # The provider's own words (its state came back): "access_denied", "the user cancelled"...
            detail = str(request.GET.get("error_description") or error)[:200]
            return refuse(request, SignInRefused(Reason.PROVIDER_ERROR, detail=detail))
        if entry is None or not request.GET.get("code"):
            # Without the state of a sign-in under way, nothing of the request is shown: a forged link must not put
            # its words on the register's page.
            return refuse(request, SignInRefused(Reason.SESSION_EXPIRED, detail=str(error or "")[:200]))
        next_url = request.session.pop("oidc_login_next", None)  # read now: signing in may flush the session

        backend = OidcBackend()
        try:
            user = backend.authenticate(request, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier"))
        except SignInRefused as refusal:
            return refuse(request, refusal, issuer=backend.issuer)
        except (ProviderUnavailable, requests.ConnectionError, requests.Timeout) as exc:
            logger.warning("Single sign-on: the provider cannot be reached: %s", exc)
            return refuse(request, SignInRefused(Reason.UNAVAILABLE))
        except (requests.RequestException, SuspiciousOperation, jwt.InvalidTokenError, ValueError, KeyError) as exc:
            logger.warning("Single sign-on: the provider's answer was not accepted: %s", exc)
            return refuse(request, SignInRefused(Reason.INVALID_ANSWER, detail=type(exc).__name__))
        if user is None:
            return refuse(request, SignInRefused(Reason.INVALID_ANSWER))

        auth.login(request, user, backend=conf.BACKEND)
        # For the sign-out at the provider (RP-initiated logout's id_token_hint).
        request.session["oidc_id_token"] = backend.id_token
        if not user.memberships.exists():
            return redirect("sso:pending")
        return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


@require_GET
@login_required
def pending(request):
    """An account without any role yet (created at its first sign-in, or its roles removed): who to ask, and which
    roles the provider gave that wait for an administrator. Someone with a role goes to the home page."""
    if request.user.memberships.exists():
        return redirect("registry:home")
    identities = list(request.user.oidc_identities.all())
    waiting = [
        {**item, "role_label": Role(item["role"]).label if item.get("role") in Role.values else item.get("role")}
        for identity in identities
        for item in identity.pending_roles
    ]
    return render(
        request,
        "sso/pending.html",
        {"identities": identities, "waiting_roles": waiting, "sso_label": conf.label()},
    )


class LogoutView(OIDCLogoutView):
    """Signs out of the register; a person signed in through the provider is sent to its end-session endpoint so
    that its session ends too (`OIDC_OP_LOGOUT_URL_METHOD`, by default `provider_logout_url`). POST only."""

    get_settings = staticmethod(conf.setting)


def provider_logout_url(request) -> str:
    """Where the sign-out sends the browser: the provider's end_session_endpoint (OpenID Connect RP-Initiated Logout
    1.0: id_token_hint, post_logout_redirect_uri, state) for a session opened through it, else the login page."""
    after = resolve_url(settings.LOGOUT_REDIRECT_URL)
    id_token = request.session.get("oidc_id_token")
    if not id_token or not conf.enabled():
        return after
    try:
        endpoint = conf.setting("OIDC_OP_LOGOUT_ENDPOINT", "")
    except ProviderUnavailable as exc:
        logger.warning("Single sign-on: %s; signed out of the register only", exc)
        return after
    if not endpoint:
        return after
    params = {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": request.build_absolute_uri(after),
        "state": get_random_string(32),  # ProConnect requires one (32 characters at least)
    }
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"


class LoginView(auth_views.LoginView):
    """Django's login page, with the password policy (LOCAL_PASSWORD_LOGIN) and the provider's button."""

    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["password_login_enabled"] = conf.password_policy() != conf.POLICY_NONE
        return context
