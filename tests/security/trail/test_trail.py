"""The audit trail of security events: each kind is written by the real action, the journal shows a collectivité's
DPO, RSSI and administrators their own people's events only, the trail is append-only and holds no secret."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from audits import services as audits
from core.models import AppendOnlyError
from core.roles import Role
from documents.models import Document
from registry.models import Membership, UseCase
from security.middleware import RequestContextMiddleware
from security.models import SecurityEvent
from security.services import client_ip, record_event
from tests.registry.factories import MembershipFactory, UserFactory

Kind = SecurityEvent.Kind
PASSWORD = "Un-mot-de-passe-tres-secret-42"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"


def events(kind):
    return list(SecurityEvent.objects.filter(kind=kind).order_by("pk"))


def only(kind) -> SecurityEvent:
    found = events(kind)
    assert len(found) == 1, found
    return found[0]


def trail_dump() -> str:
    return serializers.serialize("json", SecurityEvent.objects.all())


@pytest.fixture
def person(users):
    user = users["agent"]
    user.set_password(PASSWORD)
    user.save()
    SecurityEvent.objects.all().delete()
    return user


# Sign-in, sign-out, lockout --------------------------------------------------------------------------


def test_a_sign_in_is_recorded_with_the_address_and_the_browser(person):
    client = Client(HTTP_USER_AGENT="Firefox/140 " + "x" * 400)
    response = client.post(reverse("login"), {"username": "agent", "password": PASSWORD})
    assert response.status_code == 302
    event = only(Kind.LOGIN_SUCCEEDED)
    assert event.actor == person and event.subject_user == person and event.actor_username == "agent"
    assert event.ip == "127.0.0.1"
    assert event.user_agent.startswith("Firefox/140") and len(event.user_agent) == 300
    assert PASSWORD not in trail_dump()


def test_an_api_token_handed_out_is_a_sign_in_of_the_trail(person):
    client = Client(HTTP_USER_AGENT="curl/8.5")
    response = client.post("/api/v1/auth/token/", {"username": "agent", "password": PASSWORD})
    assert response.status_code == 200
    event = only(Kind.LOGIN_SUCCEEDED)
    assert event.actor == person and event.subject_user == person
    assert event.details == {"backend": "api_token"} and event.user_agent == "curl/8.5"
    assert PASSWORD not in trail_dump() and response.json()["token"] not in trail_dump()


def test_a_failed_sign_in_keeps_the_username_tried_never_the_password(person):
    response = Client().post(reverse("login"), {"username": "agent", "password": PASSWORD + "!"})
    assert response.status_code == 200
    event = only(Kind.LOGIN_FAILED)
    assert event.actor is None and event.username_attempted == "agent" and event.subject_user == person
    assert event.ip == "127.0.0.1"
    Client().post(reverse("login"), {"username": "nobody", "password": PASSWORD})
    unknown = events(Kind.LOGIN_FAILED)[-1]
    assert unknown.username_attempted == "nobody" and unknown.subject_user is None
    assert PASSWORD not in trail_dump()


def test_a_sign_out_is_recorded(person):
    client = Client()
    client.post(reverse("login"), {"username": "agent", "password": PASSWORD})
    client.post(reverse("logout"))
    event = only(Kind.LOGOUT)
    assert event.actor == person and event.subject_user == person


def test_a_lockout_is_recorded(person, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _attempt in range(3):
        client.post(reverse("login"), {"username": "agent", "password": "wrong"})
    event = only(Kind.LOCKED_OUT)
    assert event.username_attempted == "agent" and event.subject_user == person and event.actor is None
    assert event.ip == "127.0.0.1"
    assert len(events(Kind.LOGIN_FAILED)) == 3


def test_behind_a_proxy_the_address_is_the_one_the_proxy_appended(settings):
    # (tests/security/test_proxies.py covers spoofed, list-valued and malformed headers in full)
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"
    request.META["HTTP_X_FORWARDED_FOR"] = "not an address"
    assert client_ip(request) == "10.0.0.1"


# Accounts ------------------------------------------------------------------------------------------------


def test_an_account_created_its_password_and_its_flags_changed(db):
    user = UserFactory(username="nouvelle")
    assert only(Kind.USER_CREATED).subject_user == user

    user.set_password(PASSWORD)
    user.save()
    event = only(Kind.PASSWORD_CHANGED)
    assert event.subject_user == user and event.actor is None  # outside a request: no actor, no address
    assert event.ip is None

    user.is_staff = True
    user.is_active = False
    user.save()
    event = only(Kind.USER_FLAGS_CHANGED)
    assert event.details == {"is_active": {"from": True, "to": False}, "is_staff": {"from": False, "to": True}}

    user.first_name = "Nina"
    user.save()
    user.save(update_fields=["last_login"])
    assert len(events(Kind.USER_FLAGS_CHANGED)) == 1 and len(events(Kind.PASSWORD_CHANGED)) == 1
    assert user.password not in trail_dump() and PASSWORD not in trail_dump()


def test_group_membership_changes_are_recorded(db):
    user = UserFactory()
    group = Group.objects.create(name="Relecteurs")
    user.groups.add(group)
    user.groups.remove(group)
    assert only(Kind.GROUP_JOINED).object_repr == "Relecteurs"
    assert only(Kind.GROUP_LEFT).subject_user == user


# Roles ---------------------------------------------------------------------------------------------------


def test_a_role_granted_changed_and_revoked_through_the_orm(collectivite, services):
    user = UserFactory(username="mobile")
    membership = Membership.objects.create(
        user=user, collectivite=collectivite, role=Role.AGENT, service=services["ccas"]
    )
    granted = only(Kind.ROLE_GRANTED)
    assert granted.collectivite == collectivite and granted.subject_user == user
    assert granted.details["role"] == Role.AGENT and granted.details["service_id"] == services["ccas"].pk
    assert granted.object_type == "registry.membership" and granted.object_id == str(membership.pk)

    membership.role = Role.HEAD_OF_SERVICE
    membership.service = services["direction"]
    membership.save()
    changed = only(Kind.ROLE_CHANGED)
    assert changed.details["role"] == Role.HEAD_OF_SERVICE
    assert changed.details["before"]["role"] == Role.AGENT
    assert changed.details["before"]["service_id"] == services["ccas"].pk

    membership.save()  # nothing changed: nothing recorded
    assert len(events(Kind.ROLE_CHANGED)) == 1

    membership.delete()
    revoked = only(Kind.ROLE_REVOKED)
    assert revoked.subject_user == user and revoked.collectivite == collectivite


def test_a_role_granted_during_a_request_names_who_granted_it(collectivite, users, services):
    request = RequestFactory().post("/admin/", REMOTE_ADDR="192.0.2.10", HTTP_USER_AGENT="Edge")
    request.user = users["admin"]
    newcomer = UserFactory(username="recrue")

    def view(request):
        MembershipFactory(user=newcomer, collectivite=collectivite, role=Role.RSSI)
        return None

    RequestContextMiddleware(view)(request)
    event = SecurityEvent.objects.get(kind=Kind.ROLE_GRANTED, subject_user=newcomer)
    assert event.actor == users["admin"] and event.actor_username == "admin"
    assert event.ip == "192.0.2.10" and event.user_agent == "Edge"
    # and the request is forgotten once served
    MembershipFactory(user=newcomer, collectivite=collectivite, role=Role.DPO)
    assert SecurityEvent.objects.filter(kind=Kind.ROLE_GRANTED, subject_user=newcomer).latest("pk").actor is None


def test_deleting_a_person_keeps_the_trail_and_deletes_them(collectivite, use_case, users):
    # given a person with a role and an object permission
    person = users["agent"]
    assign_perm("registry.view_usecase", person, use_case)
    person_pk = person.pk
    # when the account is deleted (the trail's link to the account must not block it, on PostgreSQL either)
    person.delete()
    # then the deletion is recorded, the role revoked without a link to the gone account
    deleted = only(Kind.USER_DELETED)
    assert deleted.details == {"username": "agent"} and deleted.subject_user is None
    revoked = only(Kind.ROLE_REVOKED)
    assert revoked.subject_user is None and revoked.details["user_id"] == person_pk
    # and the events about them stay, unlinked
    assert SecurityEvent.objects.filter(object_id=str(person_pk), object_type="registry.user").count() >= 1
    assert not SecurityEvent.objects.filter(subject_user_id=person_pk).exists()


# Object permissions (django-guardian) -------------------------------------------------------------------


def test_direct_object_permissions_granted_and_revoked(collectivite, use_case, users):
    reader = users["comite"]
    assign_perm("registry.review_usecase", reader, use_case)
    granted = only(Kind.PERMISSION_GRANTED)
    assert granted.subject_user == reader and granted.collectivite == collectivite
    assert granted.object_type == "registry.usecase" and granted.object_id == str(use_case.pk)
    assert granted.details == {"permission": "review_usecase"}

    remove_perm("registry.review_usecase", reader, use_case)
    revoked = only(Kind.PERMISSION_REVOKED)
    assert revoked.subject_user == reader and revoked.object_id == str(use_case.pk)


def test_generic_object_permissions_are_recorded_too(collectivite, tool, users):
    # the tool catalogue has no direct permission table: guardian's generic UserObjectPermission holds it
    assign_perm("registry.change_tool", users["agent"], tool)
    event = only(Kind.PERMISSION_GRANTED)
    assert event.object_type == "registry.tool" and event.collectivite == collectivite
    remove_perm("registry.change_tool", users["agent"], tool)
    assert only(Kind.PERMISSION_REVOKED).subject_user == users["agent"]


def test_a_use_case_deleted_with_its_permissions_records_no_revocation(use_case, users):
    assign_perm("registry.view_usecase", users["agent"], use_case)
    UseCase.objects.filter(pk=use_case.pk).delete()
    assert events(Kind.PERMISSION_REVOKED) == []


# Exports, imports, downloads ------------------------------------------------------------------------------


@pytest.mark.parametrize("name,file_format", [("exchange:export_csv", "csv"), ("exchange:export_xlsx", "xlsx")])
def test_a_register_export_is_recorded_with_its_filters(client_for, users, collectivite, use_case, name, file_format):
    response = client_for(users["dpo"]).get(reverse(name), {"status": "draft", "q": "aide"})
    assert response.status_code == 200
    event = only(Kind.EXPORT)
    assert event.actor == users["dpo"] and event.collectivite == collectivite
    assert event.details == {"format": file_format, "filters": "status=draft&q=aide"}


def test_a_refused_export_records_nothing(client_for, users):
    assert client_for(users["agent"]).get(reverse("exchange:export_csv")).status_code == 403
    assert events(Kind.EXPORT) == []


def test_an_applied_import_is_recorded(client_for, users, services, collectivite):
    client = client_for(users["dpo"])
    header = "name;summary;purpose;service;technique;audience"
    upload = SimpleUploadedFile("r.csv", "\r\n".join([header, "U1;R.;B.;CCAS;rules;agents"]).encode())
    response = client.post(reverse("exchange:import_start"), {"file": upload})
    record_pk = int(response["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert client.post(reverse("exchange:import_apply", args=[record_pk])).status_code == 302
    event = only(Kind.IMPORT_APPLIED)
    assert event.collectivite == collectivite and event.details["create"] == 1 and event.details["file_name"] == "r.csv"


@pytest.fixture
def annual_report(media, collectivite, users):
    document = Document(
        collectivite=collectivite,
        kind=Document.Kind.ANNUAL_REPORT,
        year=2026,
        subject_key="2026",
        status=Document.Status.READY,
        requested_by=users["dpo"],
    )
    document.file.save("rapport.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


def test_a_document_download_is_recorded_on_the_web_and_the_api(client_for, users, annual_report, collectivite):
    client = client_for(users["dpo"])
    response = client.get(reverse("audits:document_download", args=[annual_report.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    event = only(Kind.DOCUMENT_DOWNLOAD)
    assert event.actor == users["dpo"] and event.collectivite == collectivite
    assert event.object_type == "documents.document" and event.object_id == str(annual_report.pk)
    assert event.details == {"document_kind": "annual_report", "subject": "2026"}
    assert PDF.decode("latin-1") not in trail_dump()

    api = client.get(f"/api/v1/documents/{annual_report.pk}/download/")
    assert api.status_code == 200
    assert len(events(Kind.DOCUMENT_DOWNLOAD)) == 2


def test_a_download_refused_records_nothing(client_for, outsider, annual_report):
    assert client_for(outsider).get(reverse("audits:document_download", args=[annual_report.pk])).status_code == 404
    assert events(Kind.DOCUMENT_DOWNLOAD) == []


def test_an_evidence_download_is_recorded(media, client_for, users, use_case, collectivite):
    UseCase.objects.filter(pk=use_case.pk).update(status="approved")  # its controls run: it may be attested
    use_case.refresh_from_db()
    audits.checkpoints_sync(use_case=use_case)
    checkpoint = use_case.checkpoints.first()
    evidence = SimpleUploadedFile("preuve.pdf", PDF, content_type="application/pdf")
    attestation = audits.attestation_record(checkpoint=checkpoint, acting_user=use_case.owner, evidence=evidence)
    response = client_for(users["rssi"]).get(reverse("audits:evidence_download", args=[attestation.pk]))
    assert response.status_code == 200
    event = only(Kind.EVIDENCE_DOWNLOAD)
    assert event.actor == users["rssi"] and event.collectivite == collectivite
    assert event.details == {"file_name": "preuve.pdf"} and event.object_id == str(attestation.pk)


# Robustness and append-only ------------------------------------------------------------------------------


def test_a_trail_that_cannot_be_written_never_breaks_the_action(person, monkeypatch, caplog):
    def broken(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(SecurityEvent, "save", broken)
    response = Client().post(reverse("login"), {"username": "agent", "password": PASSWORD})
    assert response.status_code == 302
    assert "Security event login_succeeded could not be recorded" in caplog.text
    assert record_event(kind=Kind.EXPORT) is None


def test_details_never_keep_secrets(db):
    event = record_event(kind=Kind.EXPORT, details={"password": "x", "api_token": "y", "format": "csv"})
    assert event.details == {"format": "csv"}


def test_an_event_is_never_changed_nor_deleted_one_by_one(db):
    event = record_event(kind=Kind.EXPORT, details={"format": "csv"})
    event.details = {"format": "xlsx"}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert SecurityEvent.objects.get(pk=event.pk).details == {"format": "csv"}


def test_the_admin_reads_events_and_changes_none(db, client_for):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    event = record_event(kind=Kind.EXPORT, actor=superuser, details={"format": "csv"})
    client = client_for(superuser)
    changelist = client.get(reverse("admin:security_securityevent_changelist"), {"kind": "export", "q": "root"})
    assert (
        changelist.status_code == 200
        and f'href="{reverse("admin:security_securityevent_change", args=[event.pk])}' in changelist.content.decode()
    )
    assert client.get(reverse("admin:security_securityevent_add")).status_code == 403
    change = client.get(reverse("admin:security_securityevent_change", args=[event.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert client.post(reverse("admin:security_securityevent_change", args=[event.pk]), {}).status_code == 403
    assert (
        client.post(reverse("admin:security_securityevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    )
    assert SecurityEvent.objects.filter(pk=event.pk).exists()


def test_old_events_are_purged(db):
    old = record_event(kind=Kind.EXPORT)
    recent = record_event(kind=Kind.EXPORT)
    SecurityEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    SecurityEvent.objects.filter(pk=recent.pk).update(created_at=timezone.now() - dt.timedelta(days=100))

    out = StringIO()
    call_command("purge_security_events", "--dry-run", stdout=out)
    assert out.getvalue().startswith("1 ") and SecurityEvent.objects.count() == 2
    call_command("purge_security_events", stdout=StringIO())
    assert list(SecurityEvent.objects.values_list("pk", flat=True)) == [recent.pk]
    call_command("purge_security_events", "--older-than-days", "90", stdout=StringIO())
    assert not SecurityEvent.objects.exists()


# The journal page --------------------------------------------------------------------------------------------

JOURNAL = "security:journal"


@pytest.mark.parametrize(
    "role,expected",
    [("dpo", 200), ("rssi", 200), ("admin", 200), ("agent", 403), ("chef", 403), ("comite", 403), ("dgs", 403)],
)
def test_who_may_read_the_journal(client_for, users, role, expected):
    assert client_for(users[role]).get(reverse(JOURNAL)).status_code == expected


def test_anonymous_people_are_sent_to_the_login_page(db):
    response = Client().get(reverse(JOURNAL))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_person_without_any_role_is_refused(db, client_for):
    assert client_for(UserFactory()).get(reverse(JOURNAL)).status_code == 403


def shown(response) -> set[int]:
    import re

    return {int(pk) for pk in re.findall(r'data-event-id="(\d+)"', response.content.decode())}


def test_the_journal_shows_the_collectivites_people_only(client_for, users, collectivite, outsider, other_collectivite):
    # given events of here, of next door, and sign-ins of people of each
    here = record_event(kind=Kind.EXPORT, actor=users["dpo"], collectivite=collectivite)
    there = record_event(kind=Kind.EXPORT, actor=outsider, collectivite=other_collectivite)
    login_here = record_event(kind=Kind.LOGIN_SUCCEEDED, actor=users["agent"], subject_user=users["agent"])
    login_there = record_event(kind=Kind.LOGIN_SUCCEEDED, actor=outsider, subject_user=outsider)
    failed_unknown = record_event(kind=Kind.LOGIN_FAILED, actor=None, username_attempted="ghost")
    # a person with roles in both collectivités: their sign-ins are read by both
    both = UserFactory(username="double")
    MembershipFactory(user=both, collectivite=collectivite, role=Role.RSSI)
    MembershipFactory(user=both, collectivite=other_collectivite, role=Role.RSSI)
    login_both = record_event(kind=Kind.LOGIN_SUCCEEDED, actor=both, subject_user=both)

    ours = shown(client_for(users["rssi"]).get(reverse(JOURNAL)))
    theirs = shown(client_for(outsider).get(reverse(JOURNAL)))
    assert {here.pk, login_here.pk, login_both.pk} <= ours
    assert not {there.pk, login_there.pk, failed_unknown.pk} & ours
    assert {there.pk, login_there.pk, login_both.pk} <= theirs
    assert not {here.pk, login_here.pk} & theirs


def test_the_journal_filters(client_for, users, collectivite):
    export = record_event(kind=Kind.EXPORT, actor=users["dpo"], collectivite=collectivite)
    login = record_event(kind=Kind.LOGIN_SUCCEEDED, actor=users["agent"], subject_user=users["agent"])
    old = record_event(kind=Kind.LOGIN_SUCCEEDED, actor=users["chef"], subject_user=users["chef"])
    SecurityEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    client = client_for(users["admin"])

    assert shown(client.get(reverse(JOURNAL), {"kind": "export"})) == {export.pk}
    by_person = shown(client.get(reverse(JOURNAL), {"person": "agen"}))
    assert login.pk in by_person and export.pk not in by_person
    today = timezone.localdate()
    recent = shown(client.get(reverse(JOURNAL), {"since": (today - dt.timedelta(days=1)).isoformat()}))
    assert {export.pk, login.pk} <= recent and old.pk not in recent
    until = shown(client.get(reverse(JOURNAL), {"until": (today - dt.timedelta(days=29)).isoformat()}))
    assert old.pk in until and export.pk not in until

    wrong = client.get(
        reverse(JOURNAL), {"since": today.isoformat(), "until": (today - dt.timedelta(days=3)).isoformat()}
    )
    assert wrong.status_code == 200 and wrong.context["filter"].form.errors.keys() == {"until"}
    assert client.get(reverse(JOURNAL), {"kind": "nonsense"}).context["filter"].form.errors.keys() == {"kind"}


def test_the_journal_costs_the_same_queries_whatever_its_size(
    client_for, users, collectivite, services, django_assert_max_num_queries
):
    client = client_for(users["dpo"])
    for index in range(60):
        person = users["agent"] if index % 2 else users["chef"]
        record_event(kind=Kind.LOGIN_SUCCEEDED, actor=person, subject_user=person)
        MembershipFactory(user=UserFactory(), collectivite=collectivite, role=Role.AGENT, service=services["ccas"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse(JOURNAL))
    assert response.status_code == 200 and len(shown(response)) == 50
    with django_assert_max_num_queries(8):
        assert client.get(reverse(JOURNAL), {"page": 2}).status_code == 200


def test_a_member_taking_a_seat_is_granted_each_planned_case_in_the_trail(collectivite, services, users):
    from registry import services as registry_services
    from tests.registry.factories import UseCaseFactory
    from tests.registry.reviews_support import both_opinions, session, submit, to_agenda

    case = UseCaseFactory(collectivite=collectivite, service=services["ccas"], owner=users["agent"])
    review = both_opinions(submit(case), users, rssi="favourable", ask_committee=True)
    to_agenda(review, users, session(collectivite, users, held=False))
    newcomer = users["chef"]

    registry_services.committee_member_add(collectivite=collectivite, acting_user=users["dpo"], user=newcomer)

    granted = SecurityEvent.objects.filter(kind=Kind.PERMISSION_GRANTED, subject_user=newcomer)
    assert [(event.object_type, event.object_id) for event in granted] == [("registry.usecase", str(case.pk))]
