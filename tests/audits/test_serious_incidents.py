"""Serious incidents (AI Act art. 3(49), 26(5), 73) and personal-data breaches (RGPD 33, 34): the qualification, the
deadlines each category starts, the notifications, the breach assessment, who may act, and the reminders."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audits import incidents
from audits.incident_clocks import Status, incident_clocks
from audits.incident_reminders import send_incident_reminders
from audits.models import Incident, IncidentNotification, IncidentReminderLog
from core.errors import ApplicationError, ForbiddenError
from core.models import AppendOnlyError
from core.roles import Role
from security.models import SecurityEvent
from tests.audits.incidents_support import member, record

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def _midday():
    """A fixed afternoon in Paris: « immediately » means the same day, which a test run near midnight would cross."""
    with time_machine.travel(dt.datetime(2026, 3, 11, 15, 0, tzinfo=PARIS), tick=True):
        yield


def qualify(incident, user, **kwargs):
    arguments = {"serious": True, "category": "c", **kwargs}
    return incidents.incident_qualify(incident=incident, acting_user=user, **arguments)


def notify(incident, user, recipient, *, sent_at=None, stage="initial", **kwargs):
    return incidents.incident_notification_record(
        incident=incident,
        acting_user=user,
        recipient=recipient,
        sent_at=sent_at or timezone.now(),
        channel=kwargs.pop("channel", "email"),
        stage=stage,
        **kwargs,
    )


def clocks_of(incident):
    incident = Incident.objects.select_related("use_case").get(pk=incident.pk)
    return {clock.code: clock for clock in incident_clocks(incident)}


# Deadlines per category ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "days"),
    [
        ({"category": "c"}, 15),  # art. 73(2)
        ({"category": "d"}, 15),
        ({"category": "a"}, 15),  # serious harm to health, nobody died
        ({"category": "a", "death": True}, 10),  # art. 73(4)
        ({"category": "c", "widespread_infringement": True}, 2),  # art. 3(61), 73(3)
        ({"category": "b"}, 2),  # critical infrastructure, art. 73(3)
        ({"category": "a", "death": True, "widespread_infringement": True}, 2),  # the shortest applies
    ],
)
def test_the_authority_deadline_follows_the_category_in_calendar_days(high_risk, users, options, days):
    # Given an incident the collectivité became aware of on a Friday evening
    aware = dt.datetime(2026, 3, 6, 18, 30, tzinfo=PARIS)
    with time_machine.travel(aware + dt.timedelta(hours=1), tick=False):
        incident = record(high_risk, users["dpo"], hours_ago=3)
        # When the DPO qualifies it
        qualify(incident, users["dpo"], aware_at=aware, **options)
    clocks = clocks_of(incident)
    # Then the authority is due `days` calendar days later, at midnight (weekends included), the provider the same day
    assert clocks["authority"].due_at == dt.datetime(2026, 3, 6 + days, 23, 59, 59, tzinfo=PARIS)
    assert clocks["provider"].due_at == dt.datetime(2026, 3, 6, 23, 59, 59, tzinfo=PARIS)
    incident.refresh_from_db()
    assert incident.critical_infrastructure_disruption is (options["category"] == "b")


def test_a_breach_gives_the_cnil_72_hours_from_awareness_and_keeps_breach_deadline(high_risk, users):
    incident = record(high_risk, users["dpo"], breach=True)
    assert incident.breach_deadline == incident.aware_at + dt.timedelta(hours=72)
    earlier = incident.created_at - dt.timedelta(hours=1)
    qualify(incident, users["dpo"], aware_at=earlier)
    incident.refresh_from_db()
    assert incident.breach_deadline == earlier + dt.timedelta(hours=72)
    assert clocks_of(incident)["cnil"].due_at == incident.breach_deadline


def test_each_deadline_met_late_or_overdue(high_risk, users):
    aware = timezone.now() - dt.timedelta(days=20)
    with time_machine.travel(aware + dt.timedelta(minutes=5), tick=False):
        incident = record(high_risk, users["rssi"], hours_ago=2, breach=True)
        qualify(incident, users["rssi"], aware_at=aware)
        notify(incident, users["rssi"], "provider", sent_at=aware + dt.timedelta(minutes=2))
    notify(incident, users["rssi"], "authority", sent_at=aware + dt.timedelta(days=17), reference="ASM-1")
    clocks = clocks_of(incident)
    assert clocks["provider"].status == Status.MET
    assert clocks["authority"].status == Status.LATE and clocks["authority"].initial_only
    assert clocks["cnil"].status == Status.OVERDUE and clocks["cnil"].time_left.startswith("en retard de")
    notify(incident, users["rssi"], "authority", stage="complete")
    assert not clocks_of(incident)["authority"].initial_only


def test_a_running_clock_says_the_time_left_in_french(high_risk, users):
    incident = record(high_risk, users["dpo"], hours_ago=1)
    qualify(incident, users["dpo"])
    clock = clocks_of(incident)["authority"]
    assert clock.status == Status.DUE and clock.time_left.startswith("il reste") and "jours" in clock.time_left


def test_outside_high_risk_the_ai_act_clocks_are_advice_only(limited, users):
    incident = record(limited, users["dpo"], hours_ago=24 * 30)
    qualify(incident, users["dpo"], aware_at=incident.occurred_at)
    clocks = clocks_of(incident)
    assert clocks["authority"].status == Status.ADVISORY and not clocks["authority"].open
    assert clocks["provider"].status == Status.ADVISORY


def test_not_an_ai_system_cannot_be_a_serious_incident(limited, users):
    type(limited).objects.filter(pk=limited.pk).update(ai_system=False, ai_act_risk="out_of_scope")
    limited.refresh_from_db()
    incident = record(limited, users["dpo"])
    with pytest.raises(ApplicationError) as error:
        qualify(incident, users["dpo"])
    assert "serious" in error.value.errors
    # not serious stays possible
    incidents.incident_qualify(incident=incident, acting_user=users["dpo"], serious=False)


# The qualification --------------------------------------------------------------------------------------------------


def test_qualifying_syncs_the_severity_journals_and_alerts_once(high_risk, users, django_capture_on_commit_callbacks):
    incident = record(high_risk, users["dpo"], severity="minor")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        qualify(incident, users["rssi"], comment="Droit à l'aide sociale atteint.")
    incident.refresh_from_db()
    assert incident.serious and incident.severity == "serious" and incident.qualified_by == users["rssi"]
    assert SecurityEvent.objects.filter(kind="incident_qualified", object_id=str(incident.pk)).exists()
    assert len(mail.outbox) == 1 and "Incident grave" in mail.outbox[0].subject
    assert mail.outbox[0].to
    # qualifying again does not alert again; not serious lowers the severity
    with django_capture_on_commit_callbacks(execute=True):
        qualify(incident, users["rssi"], category="d")
        incidents.incident_qualify(incident=incident, acting_user=users["rssi"], serious=False)
    incident.refresh_from_db()
    assert len(mail.outbox) == 1 and incident.severity == "major" and incident.serious is False


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"category": ""}, "category"),
        ({"category": "b", "death": True}, "death"),
        ({"aware_at": dt.timedelta(days=1)}, "aware_at"),  # in the future
        ({"aware_at": -dt.timedelta(days=30)}, "aware_at"),  # before the incident
    ],
)
def test_an_invalid_qualification_says_which_field(high_risk, users, options, field):
    incident = record(high_risk, users["dpo"])
    if "aware_at" in options:
        options = {**options, "aware_at": timezone.now() + options["aware_at"]}
    with pytest.raises(ApplicationError) as error:
        qualify(incident, users["dpo"], **options)
    assert field in error.value.errors


@pytest.mark.parametrize("who", ["dpo", "rssi", "admin", "owner", "chef"])
def test_the_dpo_rssi_and_those_who_answer_for_the_use_case_qualify(high_risk, users, owner, who):  # noqa: F811
    user = owner if who == "owner" else users[who]
    incident = record(high_risk, users["dpo"])
    qualify(incident, user)
    notify(incident, user, "provider")


def test_an_agent_another_head_of_service_and_another_collectivite_are_refused(
    high_risk, users, collectivite, services, outsider
):
    incident = record(high_risk, users["dpo"])
    other_head = member(collectivite, "chef-com", Role.HEAD_OF_SERVICE, services["communication"])
    for user in (users["agent"], other_head, outsider, users["dgs"], users["comite"]):
        with pytest.raises(ForbiddenError):
            qualify(incident, user)
        with pytest.raises(ForbiddenError):
            notify(incident, user, "provider")
        with pytest.raises(ForbiddenError):
            incidents.incident_breach_assess(incident=incident, acting_user=user, risk="risk")


# Notifications ------------------------------------------------------------------------------------------------------


def test_a_notification_is_append_only_with_its_file(high_risk, users):
    incident = record(high_risk, users["dpo"])
    upload = SimpleUploadedFile("accuse.pdf", b"%PDF-1.7\naccuse de reception\n", content_type="application/pdf")
    notification = notify(incident, users["dpo"], "authority", reference="ASM-2026-7", attachment=upload)
    assert notification.attachment_sha256 and notification.attachment_name == "accuse.pdf"
    assert SecurityEvent.objects.filter(kind="incident_notified").count() == 1
    notification.comment = "changé"
    with pytest.raises(AppendOnlyError):
        notification.save()
    with pytest.raises(AppendOnlyError):
        notification.delete()


@pytest.mark.parametrize(
    ("recipient", "options", "field"),
    [
        ("cnil", {}, "recipient"),  # not a breach
        ("other", {}, "recipient_name"),
        ("provider", {"sent_at": dt.timedelta(days=1)}, "sent_at"),
        ("provider", {"channel": "pigeon"}, "channel"),
        ("provider", {"stage": "draft"}, "stage"),
        ("provider", {"attachment": SimpleUploadedFile("x.exe", b"MZ")}, "attachment"),
    ],
)
def test_an_invalid_notification_says_which_field(high_risk, users, recipient, options, field):
    incident = record(high_risk, users["dpo"])
    if "sent_at" in options:
        options = {**options, "sent_at": timezone.now() + options["sent_at"]}
    with pytest.raises(ApplicationError) as error:
        notify(incident, users["dpo"], recipient, **options)
    assert field in error.value.errors
    assert not IncidentNotification.objects.exists()


# The breach ---------------------------------------------------------------------------------------------------------


def test_the_dpo_assesses_a_breach_and_the_clocks_follow(high_risk, users):
    incident = record(high_risk, users["dpo"], breach=True)
    # unlikely to result in a risk: no CNIL clock, the reason is the record
    with pytest.raises(ApplicationError):
        incidents.incident_breach_assess(incident=incident, acting_user=users["dpo"], risk="unlikely")
    incidents.incident_breach_assess(
        incident=incident, acting_user=users["dpo"], risk="unlikely", cnil_not_required_reason="Données chiffrées."
    )
    assert clocks_of(incident)["cnil"].status == Status.NOT_REQUIRED
    # high risk: the persons are informed as soon as possible, unless art. 34(3)
    incidents.incident_breach_assess(incident=incident, acting_user=users["dpo"], risk="high")
    clocks = clocks_of(incident)
    assert clocks["cnil"].status == Status.DUE and clocks["persons"].status == Status.PENDING
    incidents.incident_breach_assess(incident=incident, acting_user=users["dpo"], risk="high", persons_exemption="a")
    assert clocks_of(incident)["persons"].status == Status.NOT_REQUIRED
    notify(incident, users["dpo"], "cnil", reference="CNIL-123", channel="portal")
    assert clocks_of(incident)["cnil"].status == Status.MET
    assert SecurityEvent.objects.filter(kind="incident_breach_assessed").count() == 3  # the refused one is not


def test_only_the_dpo_assesses_a_breach_and_an_incident_can_become_one(high_risk, users):
    incident = record(high_risk, users["dpo"])
    with pytest.raises(ForbiddenError):
        incidents.incident_breach_assess(incident=incident, acting_user=users["rssi"], risk="risk")
    incidents.incident_breach_assess(incident=incident, acting_user=users["dpo"], risk="risk")
    incident.refresh_from_db()
    assert incident.personal_data_breach and incident.breach_deadline == incident.aware_at + dt.timedelta(hours=72)
    incidents.incident_breach_assess(incident=incident, acting_user=users["dpo"], risk="not_a_breach")
    assert "cnil" not in clocks_of(incident)


# Reminders ----------------------------------------------------------------------------------------------------------


def test_reminders_before_the_deadline_and_when_overdue_are_sent_once(high_risk, users):
    start = timezone.now()
    incident = record(high_risk, users["dpo"], hours_ago=1, breach=True)
    qualify(incident, users["dpo"], aware_at=incident.created_at)
    notify(incident, users["dpo"], "provider")
    mail.outbox.clear()
    # Nothing is due soon on the first day
    assert send_incident_reminders(now=start + dt.timedelta(hours=1)).emails == 0
    # 50 hours later the CNIL's deadline is within 24 hours
    run = send_incident_reminders(now=start + dt.timedelta(hours=50))
    assert run.due_soon == 1 and len(mail.outbox) == 1 and "CNIL" in mail.outbox[0].subject
    assert send_incident_reminders(now=start + dt.timedelta(hours=51)).emails == 0
    # 4 days later the CNIL is overdue (once), 14 days later the authority is due soon, then overdue
    assert send_incident_reminders(now=start + dt.timedelta(days=4)).overdue == 1
    assert send_incident_reminders(now=start + dt.timedelta(days=4, hours=3)).emails == 0
    run = send_incident_reminders(now=start + dt.timedelta(days=14, hours=12))
    assert run.due_soon == 1 and run.overdue == 1  # the authority's is near; the CNIL's, a week late, again
    run = send_incident_reminders(now=start + dt.timedelta(days=17))
    assert run.overdue == 1 and run.due_soon == 0  # the authority's
    assert IncidentReminderLog.objects.filter(incident=incident).count() == 5
