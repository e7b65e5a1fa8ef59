"""`{% sso_login_button %}`: the "Log in with <provider>" button of the login page, when single sign-on is on."""

from django import template

from .. import conf

register = template.Library()


@register.inclusion_tag("sso/button.html", takes_context=True)
def sso_login_button(context):
    return {
        "sso_enabled": conf.enabled(),
        "sso_label": conf.label(),
        "password_policy": conf.password_policy(),
        "next": context.get("next", ""),
    }
