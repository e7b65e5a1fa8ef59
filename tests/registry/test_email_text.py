"""Plain-text e-mails read as typed: no HTML entity (« d&#x27;action », « &amp; », « &lt; ») in a subject or a body,
French quotation marks around what they quote, and links on the address the app is served at (SITE_URL)."""

import datetime as dt
import re
import uuid
import zoneinfo

import pytest
import time_machine
from django.core import mail

from audits import services as audits
from audits.reminders import send_checkpoint_reminders
from core.roles import Role
from declarations import services as declaration_services
from registry import services as svc
from registry.choices import ToolStatus, UseCaseStatus
from tests.registry.factories import MembershipFactory, ToolFactory, UseCaseFactory, UserFactory

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
SITE = "https://registre.ccas-bellerive.example"
# What people type: an apostrophe, an ampersand, angle brackets and straight double quotes.
TRICKY = 'd\'action & <sociale> "urgente"'
ENTITY = re.compile(r"&(#x?[0-9a-fA-F]+|[a-zA-Z]+);")
NNBSP = "\u202f"


@pytest.fixture(autouse=True)
def _served_at(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def ccas(collectivite):
    collectivite.name = "Centre communal d'action sociale & <Bellerive>"
    collectivite.dpo_email = "dpo@ccas.example.org"
    collectivite.save()
    return collectivite


def _sent(django_capture_on_commit_callbacks, step):
    start = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        step()
    sent = mail.outbox[start:]
    assert sent, "an e-mail is sent"
    return sent


def assert_reads_as_typed(message, *typed):
    for text in (message.subject, message.body):
        assert not ENTITY.search(text), f"HTML entity in an e-mail: {ENTITY.search(text).group()!r} in {text!r}"
    for value in typed:
        assert value in message.subject + message.body
    assert "\n" not in message.subject


def _declaration(collectivite, user, **overrides):
    data = {
        "tool": None,
        "tool_name": f"Outil {TRICKY}",
        "category": "general_chatbot",
        "tasks": "Courriers aux usagers",
        "frequency": "weekly",
        "device": "personal_device",
        "account": "personal_free",
        "data_entered": ["health"],
        "output_use": ["sent_to_users"],
        "human_review": "never",
        **overrides,
    }
    declaration, _created = declaration_services.declaration_submit(
        collectivite=collectivite, acting_user=user, data=data, anonymous=False, submission_key=uuid.uuid4()
    )
    return declaration


def test_the_declaration_alert_reads_as_typed_with_french_quotes(ccas, users, django_capture_on_commit_callbacks):
    sent = _sent(django_capture_on_commit_callbacks, lambda: _declaration(ccas, users["agent"]))

    message = sent[0]
    assert_reads_as_typed(message, f"Outil {TRICKY}", ccas.name)
    assert f"«{NNBSP}Outil {TRICKY}{NNBSP}»" in message.body
    assert f"{SITE}/" in message.body


def test_the_answer_to_a_declaration_reads_as_typed(ccas, users, django_capture_on_commit_callbacks):
    declaration = _declaration(ccas, users["agent"])
    alternative = ToolFactory(collectivite=ccas, name=f"Assistant {TRICKY}", status=ToolStatus.APPROVED)

    sent = _sent(
        django_capture_on_commit_callbacks,
        lambda: declaration_services.declaration_offer_alternative(
            declaration=declaration, acting_user=users["dpo"], alternative_tool=alternative, message=f"Voir {TRICKY}"
        ),
    )

    (message,) = [m for m in sent if m.to == [users["agent"].email]]
    assert_reads_as_typed(message, f"Voir {TRICKY}", f"Assistant {TRICKY}", ccas.name)
    assert f"«{NNBSP}Outil {TRICKY}{NNBSP}»" in message.body
    assert f"{SITE}/" in message.body


def test_a_review_step_reads_as_typed_with_french_quotes(ccas, services, users, django_capture_on_commit_callbacks):
    owner = UserFactory(username="porteuse", first_name="Zoé", last_name="D'Arc & <Co>")
    MembershipFactory(user=owner, collectivite=ccas, role=Role.AGENT, service=services["ccas"])
    services["ccas"].name = f"Aide {TRICKY}"
    services["ccas"].save()
    use_case = UseCaseFactory(collectivite=ccas, service=services["ccas"], owner=owner, name=f"Tri {TRICKY}")

    sent = _sent(
        django_capture_on_commit_callbacks,
        lambda: svc.use_case_submit(use_case=use_case, acting_user=owner, comment=f"Relire {TRICKY}"),
    )

    message = sent[0]
    assert_reads_as_typed(message, f"Tri {TRICKY}", f"Aide {TRICKY}", "D'Arc & <Co>", ccas.name)
    assert f"{use_case.reference} «{NNBSP}Tri {TRICKY}{NNBSP}»" in message.body
    assert f"{SITE}/registre/" in message.body or f"{SITE}/" in message.body
    assert '"Tri' not in message.body


def test_an_incident_reads_as_typed(ccas, use_case, users, django_capture_on_commit_callbacks):
    use_case.name = f"Tri {TRICKY}"
    use_case.save()

    sent = _sent(
        django_capture_on_commit_callbacks,
        lambda: audits.incident_record(
            use_case=use_case,
            acting_user=users["dpo"],
            data={
                "occurred_at": dt.datetime(2026, 3, 1, 9, 0, tzinfo=PARIS),
                "description": f"Réponse {TRICKY}",
                "severity": "serious",
                "personal_data_breach": True,
            },
        ),
    )

    message = sent[0]
    assert_reads_as_typed(message, f"Tri {TRICKY}", f"Réponse {TRICKY}")
    assert f"{SITE}/" in message.body


def test_reminders_and_the_digest_read_as_typed(ccas, services, users):
    users["agent"].first_name, users["agent"].last_name = "Zoé", "D'Arc & <Co>"
    users["agent"].save()
    with time_machine.travel(dt.datetime(2026, 3, 1, 8, 0, tzinfo=PARIS)):
        use_case = svc.use_case_create(
            collectivite=ccas,
            acting_user=users["agent"],
            data={
                "name": f"Tri {TRICKY}",
                "summary": "Premier jet de courriers relu par l'agent.",
                "purpose": "Gagner du temps.",
                "service": services["ccas"],
                "technique": "genai_text",
                "audience": "agents",
                "max_data_classification": "C1",
                "hosting_zone": "fr",
            },
        )
    type(use_case).objects.filter(pk=use_case.pk).update(status=UseCaseStatus.IN_PRODUCTION)
    mail.outbox.clear()

    with time_machine.travel(dt.datetime(2026, 4, 3, 7, 0, tzinfo=PARIS)):
        run = send_checkpoint_reminders()

    assert (run.emails, run.digests) == (1, 1)
    reminder = next(m for m in mail.outbox if m.to == [users["agent"].email])
    digest = next(m for m in mail.outbox if m is not reminder)
    assert_reads_as_typed(reminder, f"Tri {TRICKY}", "Zoé D'Arc & <Co>")
    assert f"«{NNBSP}Mes contrôles{NNBSP}»" in reminder.body
    assert f"Tri {TRICKY}{NNBSP}: " in reminder.body
    assert f"{SITE}/" in reminder.body
    assert_reads_as_typed(digest, ccas.name)
    assert f"{SITE}/" in digest.body


def test_every_email_template_is_rendered_as_text():
    """Text templates (the e-mails') go through `registry.emails` (no autoescaping): never through
    `render_to_string`, which would escape what people typed as HTML."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sources = [
        path
        for path in root.glob("*/**/*.py")
        if path.parts[len(root.parts)] not in {".venv", "tests", "bench", "node_modules"}
    ]
    offenders = [
        str(path.relative_to(root))
        for path in sources
        if re.search(r"render_to_string\([^)]*\.txt", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
