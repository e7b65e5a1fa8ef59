"""Why a sign-in through the provider was refused: one code per reason, kept in the security trail, and the message
the person reads on the refusal page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from . import conf


class Reason:
    NO_EMAIL = "no_email"
    EMAIL_NOT_VERIFIED = "email_not_verified"
    SHARED_EMAIL = "shared_email"
    NO_ACCOUNT = "no_account"
    INACTIVE = "inactive"
    INVALID_CLAIMS = "invalid_claims"
    PROVIDER_ERROR = "provider_error"
    SESSION_EXPIRED = "session_expired"
    INVALID_ANSWER = "invalid_answer"
    UNAVAILABLE = "provider_unavailable"


MESSAGES = {
    Reason.NO_EMAIL: _(
        "%(label)s did not send your e-mail address, which the register needs to find your account. Ask the "
        "administrator of the register to check the single sign-on settings."
    ),
    Reason.EMAIL_NOT_VERIFIED: _(
        "%(label)s says that your e-mail address %(email)s is not verified: the register does not use an unverified "
        "address to find or create an account. Verify your address with %(label)s, then sign in again."
    ),
    Reason.SHARED_EMAIL: _(
        "Several accounts of the register have the e-mail address %(email)s: the register cannot tell which one is "
        "yours. Ask the administrator of the register to keep this address on one account only."
    ),
    Reason.NO_ACCOUNT: _(
        "No account of the register has the e-mail address %(email)s, and accounts are not created at the first "
        "sign-in here. Ask the administrator of the register to create yours."
    ),
    Reason.INACTIVE: _("Your account of the register is deactivated. Ask the administrator of the register."),
    Reason.INVALID_CLAIMS: _(
        "The answer of %(label)s does not say who you are. Ask the administrator of the register to check the "
        "single sign-on settings."
    ),
    Reason.PROVIDER_ERROR: _("%(label)s did not sign you in (%(detail)s)."),
    Reason.SESSION_EXPIRED: _("This sign-in attempt has expired or was already used. Start again from the login page."),
    Reason.INVALID_ANSWER: _(
        "The answer of %(label)s could not be verified, so you are not signed in. Try again; if it happens again, "
        "tell the administrator of the register."
    ),
    Reason.UNAVAILABLE: _(
        "%(label)s cannot be reached at the moment, so you cannot sign in with it. Try again in a few minutes; if it "
        "lasts, tell the administrator of the register."
    ),
}


class SignInRefused(PermissionDenied):
    """A sign-in through the provider refused. A PermissionDenied, so that Django's `authenticate()` stops at it."""

    def __init__(self, reason: str, *, email: str = "", user=None, detail: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.email = email
        self.user = user
        self.detail = detail

    @property
    def message(self) -> str:
        return str(MESSAGES[self.reason]) % {"label": conf.label(), "email": self.email, "detail": self.detail}
