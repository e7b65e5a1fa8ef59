"""Where an account comes from: its identities at OpenID Connect providers, and the roles a provider granted."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OidcIdentity(models.Model):
    """A person as a provider knows them (issuer + subject), linked to one account of the register.

    A sign-in finds the account by (issuer, subject) first, then, the first time, by e-mail address. An account may
    hold several identities (a provider replaced; ProConnect gives one subject per identity provider behind it).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="oidc_identities"
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject (sub)"), max_length=255)
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)
    # Roles the provider gave at the last sign-in that could not be placed (unknown collectivité or service):
    # [{"role": "agent", "collectivite": "...", "service": "..."}], for an administrator to settle.
    pending_roles = models.JSONField(_("roles waiting for an administrator"), default=list, blank=True)

    class Meta:
        verbose_name = _("identity at a provider")
        verbose_name_plural = _("identities at a provider")
        ordering = ["-last_login_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_identity_unique")]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer}"


class OidcRoleGrant(models.Model):
    """Marks a membership as granted from the provider's role claim.

    Sign-ins keep these memberships in line with the claim (added, and removed when the claim no longer gives
    them). A membership without this mark was given by an administrator: a sign-in never removes it.
    """

    identity = models.ForeignKey(
        OidcIdentity, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("identity")
    )
    membership = models.OneToOneField(
        "registry.Membership", on_delete=models.CASCADE, related_name="sso_grant", verbose_name=_("membership")
    )
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role granted by the provider")
        verbose_name_plural = _("roles granted by the provider")

    def __str__(self) -> str:
        return str(self.membership)
