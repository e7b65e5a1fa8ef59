"""Writes on incidents after they are recorded: the qualification as a serious incident (AI Act art. 3(49)), the
notifications to the provider, the authorities and the persons (an append-only log), and the DPO's assessment of a
personal-data breach (RGPD art. 33 and 34). Each checks who acts, locks the incident, and records a security event.
The deadlines they start are `audits.incident_clocks`'."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import get_access
from core.errors import ApplicationError, ForbiddenError
from registry.models import User
from registry.outbox import enqueue
from security.services import record_event

from . import permissions
from .incident_clocks import CNIL_HOURS
from .models import BreachRisk, Incident, IncidentNotification, PersonsExemption, SeriousCategory
from .services import _sha256_of, validate_evidence

__all__ = ["incident_breach_assess", "incident_notification_record", "incident_qualify"]

NOTIFY_QUALIFIED = "audits.tasks.notify_incident_qualified"
# Security journal kinds (security.models.SecurityEvent.kind: free codes beyond its listed choices).
EVENT_QUALIFIED = "incident_qualified"
EVENT_NOTIFIED = "incident_notified"
EVENT_BREACH_ASSESSED = "incident_breach_assessed"
TEXT_MAX_LENGTH = 5000


def _locked(incident: Incident) -> Incident:
    return (
        Incident.objects.select_for_update(of=("self",))
        .select_related("use_case", "use_case__service", "use_case__collectivite")
        .get(pk=incident.pk)
    )


def _check_manager(acting_user: User, incident: Incident) -> None:
    access = get_access(acting_user, incident.use_case.collectivite)
    if not permissions.can_manage_incident(acting_user, access, incident.use_case):
        raise ForbiddenError(
            _("Only the DPO, the RSSI and the people who answer for this use case qualify its incidents.")
        )


def _sync_breach_deadline(incident: Incident) -> None:
    if incident.personal_data_breach and incident.aware_at:
        incident.breach_deadline = incident.aware_at + timedelta(hours=CNIL_HOURS)


@transaction.atomic
def incident_qualify(
    *,
    incident: Incident,
    acting_user: User,
    serious: bool,
    category: str = "",
    death: bool = False,
    widespread_infringement: bool = False,
    aware_at: datetime | None = None,
    comment: str = "",
) -> Incident:
    """Qualify the incident as serious (AI Act art. 3(49)) or not. A serious incident starts the clocks of art. 26(5)
    and 73 from `aware_at` (when the collectivité became aware of it); the DPO and the RSSI are told. A new
    qualification replaces the previous one (each is in the security journal)."""
    locked = _locked(incident)
    _check_manager(acting_user, locked)
    aware_at = aware_at or locked.aware_at or locked.created_at
    category = category or ""
    errors: dict[str, list] = {}
    if serious and not locked.use_case.ai_system:
        errors["serious"] = [
            _(
                "This use case is not an AI system: the AI Act does not apply, and its notion of serious incident "
                "(art. 3(49)) neither. A personal-data breach still follows the RGPD."
            )
        ]
    if serious and category not in SeriousCategory.values:
        errors["category"] = [_("Choose what the incident led to (AI Act art. 3(49), a to d).")]
    if not serious and (category or death or widespread_infringement):
        errors["serious"] = [_("A category, a death or a widespread infringement make the incident serious.")]
    if death and category != SeriousCategory.HEALTH:
        errors["death"] = [_("A death is category (a): harm to a person's health.")]
    if aware_at > timezone.now():
        errors["aware_at"] = [_("The collectivité cannot have become aware of it in the future.")]
    elif aware_at < locked.occurred_at:
        errors["aware_at"] = [_("The collectivité cannot have become aware of it before it happened.")]
    if len(comment or "") > TEXT_MAX_LENGTH:
        errors["comment"] = [_("At most %(max)s characters.") % {"max": TEXT_MAX_LENGTH}]
    if errors:
        raise ApplicationError(_("The qualification is not valid: correct it and save again."), errors=errors)
    newly_serious = bool(serious) and not locked.serious
    locked.serious = bool(serious)
    locked.serious_category = category if serious else ""
    locked.death = bool(death)
    locked.widespread_infringement = bool(widespread_infringement)
    locked.critical_infrastructure_disruption = category == SeriousCategory.INFRASTRUCTURE
    locked.aware_at = aware_at
    locked.qualification_comment = (comment or "").strip()
    locked.qualified_by = acting_user
    locked.qualified_at = timezone.now()
    # The severity the reporter chose follows the qualification, so that every page says the same.
    if serious:
        locked.severity = Incident.Severity.SERIOUS
    elif locked.severity == Incident.Severity.SERIOUS:
        locked.severity = Incident.Severity.MAJOR
    _sync_breach_deadline(locked)
    locked.save()
    if newly_serious:
        enqueue(NOTIFY_QUALIFIED, incident_id=locked.pk)
    record_event(
        kind=EVENT_QUALIFIED,
        actor=acting_user,
        collectivite=locked.use_case.collectivite_id,
        obj=locked,
        details={
            "serious": locked.serious,
            "category": locked.serious_category,
            "death": locked.death,
            "widespread_infringement": locked.widespread_infringement,
            "aware_at": locked.aware_at.isoformat(),
        },
    )
    return locked


@transaction.atomic
def incident_notification_record(
    *,
    incident: Incident,
    acting_user: User,
    recipient: str,
    sent_at: datetime | None,
    channel: str,
    stage: str = IncidentNotification.Stage.INITIAL,
    reference: str = "",
    recipient_name: str = "",
    comment: str = "",
    attachment=None,
) -> IncidentNotification:
    """Record that someone outside was notified of the incident (never changed afterwards: a complement or a correction
    is another notification)."""
    locked = _locked(incident)
    _check_manager(acting_user, locked)
    errors: dict[str, list] = {}
    if recipient not in IncidentNotification.Recipient.values:
        errors["recipient"] = [_("Choose who was notified.")]
    elif recipient in (IncidentNotification.Recipient.CNIL, IncidentNotification.Recipient.PERSONS) and not (
        locked.personal_data_breach and locked.breach_risk != BreachRisk.NOT_A_BREACH
    ):
        errors["recipient"] = [_("The CNIL and the persons are notified of a personal-data breach only.")]
    if recipient == IncidentNotification.Recipient.OTHER and not (recipient_name or "").strip():
        errors["recipient_name"] = [_("Say who was notified (for example the importer or the distributor).")]
    if sent_at is None:
        errors["sent_at"] = [_("Give the date and time of the notification.")]
    elif sent_at > timezone.now() + timedelta(minutes=5):
        errors["sent_at"] = [_("A notification cannot be recorded before it is sent.")]
    elif sent_at < locked.occurred_at:
        errors["sent_at"] = [_("A notification cannot precede the incident.")]
    if channel not in IncidentNotification.Channel.values:
        errors["channel"] = [_("Choose how it was sent.")]
    if stage not in IncidentNotification.Stage.values:
        errors["stage"] = [_("Choose the kind of report.")]
    for name, value, limit in (("reference", reference, 200), ("recipient_name", recipient_name, 200)):
        if len(value or "") > limit:
            errors[name] = [_("At most %(max)s characters.") % {"max": limit}]
    if len(comment or "") > TEXT_MAX_LENGTH:
        errors["comment"] = [_("At most %(max)s characters.") % {"max": TEXT_MAX_LENGTH}]
    if errors:
        raise ApplicationError(_("The notification is not valid: correct it and save again."), errors=errors)
    if attachment:
        try:
            validate_evidence(attachment)
        except ApplicationError as error:
            raise ApplicationError(error.message, errors={"attachment": error.errors.get("evidence", [])}) from error
    notification = IncidentNotification(
        incident=locked,
        recipient=recipient,
        recipient_name=(recipient_name or "").strip(),
        sent_at=sent_at,
        channel=channel,
        reference=(reference or "").strip(),
        stage=stage,
        comment=(comment or "").strip(),
        recorded_by=acting_user,
    )
    if attachment:
        notification.attachment_name = attachment.name[:255]
        notification.attachment_size = attachment.size
        notification.attachment_sha256 = _sha256_of(attachment)
        notification.attachment = attachment
    notification.save()
    record_event(
        kind=EVENT_NOTIFIED,
        actor=acting_user,
        collectivite=locked.use_case.collectivite_id,
        obj=locked,
        details={
            "recipient": recipient,
            "stage": stage,
            "sent_at": sent_at.isoformat(),
            "notification": notification.pk,
        },
    )
    return notification


@transaction.atomic
def incident_breach_assess(
    *,
    incident: Incident,
    acting_user: User,
    risk: str,
    cnil_not_required_reason: str = "",
    persons_exemption: str = "",
    comment: str = "",
) -> Incident:
    """The DPO's assessment of a personal-data breach: not a breach, unlikely to result in a risk (no notification to
    the CNIL, the reason recorded: RGPD art. 33(1) and 33(5)), a risk (notify the CNIL within 72 hours), or a high risk
    (and inform the persons, art. 34, unless one of the cases of art. 34(3), recorded). An incident not reported as a
    breach becomes one, its 72 hours counted from when the collectivité became aware of it."""
    locked = _locked(incident)
    access = get_access(acting_user, locked.use_case.collectivite)
    if not permissions.can_assess_breach(access):
        raise ForbiddenError(_("Only the DPO assesses a personal-data breach."))
    errors: dict[str, list] = {}
    if risk not in BreachRisk.values:
        errors["risk"] = [_("Choose the risk to the persons.")]
    reason = (cnil_not_required_reason or "").strip()
    if risk == BreachRisk.UNLIKELY and not reason:
        errors["cnil_not_required_reason"] = [
            _(
                "Say why the breach is unlikely to result in a risk to the persons: "
                "it is the record the CNIL may ask for."
            )
        ]
    persons_exemption = persons_exemption or ""
    if persons_exemption and (risk != BreachRisk.HIGH or persons_exemption not in PersonsExemption.values):
        errors["persons_exemption"] = [_("An exemption of art. 34(3) concerns a high-risk breach only.")]
    if len(comment or "") > TEXT_MAX_LENGTH or len(reason) > TEXT_MAX_LENGTH:
        errors["comment"] = [_("At most %(max)s characters.") % {"max": TEXT_MAX_LENGTH}]
    if errors:
        raise ApplicationError(_("The assessment is not valid: correct it and save again."), errors=errors)
    if risk != BreachRisk.NOT_A_BREACH and not locked.personal_data_breach:
        locked.personal_data_breach = True
        locked.aware_at = locked.aware_at or locked.created_at
    locked.breach_risk = risk
    locked.cnil_not_required_reason = reason if risk == BreachRisk.UNLIKELY else ""
    locked.persons_exemption = persons_exemption
    locked.breach_comment = (comment or "").strip()
    locked.breach_assessed_by = acting_user
    locked.breach_assessed_at = timezone.now()
    _sync_breach_deadline(locked)
    locked.save()
    record_event(
        kind=EVENT_BREACH_ASSESSED,
        actor=acting_user,
        collectivite=locked.use_case.collectivite_id,
        obj=locked,
        details={"risk": risk, "persons_exemption": persons_exemption},
    )
    return locked
