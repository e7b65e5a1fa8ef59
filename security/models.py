"""The audit trail of security events: who signed in or failed to, whose roles and permissions changed, who
exported the register or downloaded a document. Append-only: a row is never changed, only purged when too old."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import AppendOnlyModel


class SecurityEvent(AppendOnlyModel):
    # Never changed nor deleted one by one; the rows older than the retention period go in one statement
    # (purge_security_events).
    append_only_purgeable = True

    class Kind(models.TextChoices):
        LOGIN_SUCCEEDED = "login_succeeded", _("Sign-in")
        LOGIN_FAILED = "login_failed", _("Failed sign-in")
        LOGOUT = "logout", _("Sign-out")
        LOCKED_OUT = "locked_out", _("Account locked out")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        USER_CREATED = "user_created", _("Account created")
        USER_DELETED = "user_deleted", _("Account deleted")
        USER_FLAGS_CHANGED = "user_flags_changed", _("Account status changed")
        ROLE_GRANTED = "role_granted", _("Role granted")
        ROLE_REVOKED = "role_revoked", _("Role revoked")
        ROLE_CHANGED = "role_changed", _("Role changed")
        PERMISSION_GRANTED = "permission_granted", _("Permission granted")
        PERMISSION_REVOKED = "permission_revoked", _("Permission revoked")
        GROUP_JOINED = "group_joined", _("Added to a group")
        GROUP_LEFT = "group_left", _("Removed from a group")
        EXPORT = "export", _("Register exported")
        IMPORT_APPLIED = "import_applied", _("Import applied")
        DOCUMENT_DOWNLOAD = "document_download", _("Document downloaded")
        EVIDENCE_DOWNLOAD = "evidence_download", _("Evidence downloaded")
        SETTINGS_CHANGED = "settings_changed", _("Collectivité settings changed")
        EXPLANATION_RECEIVED = "explanation_received", _("Explanation request received")
        EXPLANATION_VIEWED = "explanation_viewed", _("Explanation request read")
        EXPLANATION_SENT = "explanation_sent", _("Explanation sent")
        EXPLANATION_REJECTED = "explanation_rejected", _("Explanation request rejected")
        EXPLANATION_PURGED = "explanation_purged", _("Explanation request anonymised")
        FRIA_SUBMITTED = "fria_submitted", _("AIDF submitted for review")
        FRIA_REVIEWED = "fria_reviewed", _("AIDF reviewed")
        FRIA_NOTIFIED = "fria_notified", _("AIDF notified to the authority")
        INCIDENT_QUALIFIED = "incident_qualified", _("Incident qualified")
        INCIDENT_NOTIFIED = "incident_notified", _("Incident notification recorded")
        INCIDENT_BREACH_ASSESSED = "incident_breach_assessed", _("Personal-data breach assessed")

    kind = models.CharField(_("event"), max_length=30, choices=Kind.choices)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    # Who acted (null: anonymous, a failed sign-in, or a change made outside a request: shell, command).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The actor's username when the event was written: the trail outlives the account.
    actor_username = models.CharField(_("by (username)"), max_length=150, blank=True)
    # Whom the event is about: the person signing in, whose role, permission or account changed.
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person concerned"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username_attempted = models.CharField(_("username attempted"), max_length=150, blank=True)
    collectivite = models.ForeignKey(
        "registry.Collectivite",
        verbose_name=_("collectivité"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["collectivite", "-created_at"], name="secevent_collectivite_date"),
            models.Index(fields=["subject_user", "-created_at"], name="secevent_subject_date"),
            models.Index(fields=["kind", "-created_at"], name="secevent_kind_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.actor_username or self.username_attempted or '-'}"
