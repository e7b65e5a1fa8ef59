"""The login form, with the password policy: when LOCAL_PASSWORD_LOGIN keeps passwords for administrators (or for
nobody), a refused sign-in says so and points to the provider, whatever was wrong (an unknown username, a wrong
password or an account that must use the provider: the message does not tell them apart)."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import conf

POLICY_MESSAGES = {
    conf.POLICY_ADMINS: _(
        "Only the administrators of the register sign in with a password here: sign in with %(label)s. "
        "Administrators: check your username and password."
    ),
    conf.POLICY_NONE: _("Signing in with a password is switched off here: sign in with %(label)s."),
}


class LoginForm(AuthenticationForm):
    def get_invalid_login_error(self):
        message = POLICY_MESSAGES.get(conf.password_policy())
        if message is None:
            return super().get_invalid_login_error()
        return ValidationError(str(message) % {"label": conf.label()}, code="password_login_reserved")
