"""An installation of the last release (before issue 19) migrates with its data: the declarations, their events and
their object permissions, and the documents, keep their rows, their ids and their content types in their new apps
(`declarations`, `documents`), and the side effects still waiting in the outbox take their tasks' new names.

The database is taken back to the release's schema with Django's migration executor, filled through the historical
models (those of that schema), then migrated forward. It runs on the database the suite runs on: SQLite by default,
PostgreSQL in CI (`DATABASE_URL=postgres://…`). It leaves the database fully migrated."""

import datetime
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from charter.models import CharterEdition
from declarations.models import Declaration, DeclarationEvent, DeclarationUserObjectPermission
from documents.models import Document
from registry.models import OutboxEntry, User

# The schema of the last release (db4cf00): the newest migration of each app concerned, nothing of the new apps.
RELEASE = [
    ("registry", "0018_durable_side_effects"),
    ("audits", "0009_durable_side_effects"),
    ("charter", "0002_french_admin_labels"),
    ("declarations", None),
    ("documents", None),
]

# Ids as the release draws them (random, above 2**31): the move must keep them as they are.
DECLARATION_ID = 2**40 + 12345
EVENT_IDS = (2**45 + 1, 2**45 + 777)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor.loader.project_state([target for target in targets if target[1] is not None]).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _release_data(apps) -> dict:
    """What an installation of the release holds, written with the release's models."""
    ContentType_ = apps.get_model("contenttypes", "ContentType")
    Permission_ = apps.get_model("auth", "Permission")
    Collectivite = apps.get_model("registry", "Collectivite")
    User_ = apps.get_model("registry", "User")
    Declaration_ = apps.get_model("registry", "Declaration")
    DeclarationEvent_ = apps.get_model("registry", "DeclarationEvent")
    DeclarationUserObjectPermission_ = apps.get_model("registry", "DeclarationUserObjectPermission")
    Document_ = apps.get_model("audits", "Document")
    CharterEdition_ = apps.get_model("charter", "CharterEdition")
    OutboxEntry_ = apps.get_model("registry", "OutboxEntry")

    # The release's content types, as its `migrate` left them (get_or_create: the test database may hold them
    # already, renamed back by the reverse migrations).
    declaration_type, _ = ContentType_.objects.get_or_create(app_label="registry", model="declaration")
    document_type, _ = ContentType_.objects.get_or_create(app_label="audits", model="document")
    view_declaration, _ = Permission_.objects.get_or_create(
        content_type=declaration_type, codename="view_declaration", defaults={"name": "Can view declaration"}
    )

    collectivite = Collectivite.objects.create(
        name="Ville d'avant", slug="ville-d-avant", siren="213100001", agents_count=120
    )
    agent = User_.objects.create(username="agent-avant", password="!")
    declaration = Declaration_.objects.create(
        id=DECLARATION_ID,
        collectivite=collectivite,
        reference="DEC-2026-0001",
        author=agent,
        submission_key=uuid.uuid4(),
        tool_name="ChatGPT",
        category="general_chatbot",
        tasks="Résumer des dossiers",
        frequency="weekly",
        device="personal_device",
        account="personal_free",
        data_entered=["health"],
        human_review="always",
        status="analysing",
        risk_score=70,
        risk_level="critical",
        possible_breach=True,
    )
    steps = (("submitted", "received"), ("analysing", "analysing"))
    for event_id, (kind, to_status) in zip(EVENT_IDS, steps, strict=True):
        DeclarationEvent_.objects.create(
            id=event_id, declaration=declaration, actor=agent, kind=kind, to_status=to_status
        )
    grant = DeclarationUserObjectPermission_.objects.create(
        user=agent, permission=view_declaration, content_object=declaration
    )

    document = Document_.objects.create(
        collectivite=collectivite,
        kind="charter",
        year=2026,
        subject_key="2026",
        status="ready",
        file="documents/1/charter/release.pdf",
        sha256="a" * 64,
        frozen=True,
    )
    edition = CharterEdition_.objects.create(
        collectivite=collectivite, year=2026, status="published", published_at=timezone.now(), document=document
    )

    now = timezone.now()
    pending = OutboxEntry_.objects.create(
        task="registry.tasks.notify_declaration_event",
        kwargs={"event_id": EVENT_IDS[1]},
        next_attempt_at=now,
    )
    pending_document = OutboxEntry_.objects.create(
        task="audits.tasks.generate_document", kwargs={"document_id": document.pk}, next_attempt_at=now
    )
    done = OutboxEntry_.objects.create(
        task="registry.tasks.notify_declaration_event",
        kwargs={"event_id": EVENT_IDS[0]},
        next_attempt_at=now - datetime.timedelta(hours=1),
        done_at=now,
    )
    return {
        "agent": agent.pk,
        "declaration_type": declaration_type.pk,
        "document_type": document_type.pk,
        "view_declaration": view_declaration.pk,
        "grant": grant.pk,
        "document": document.pk,
        "edition": edition.pk,
        "pending": pending.pk,
        "pending_document": pending_document.pk,
        "done": done.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_last_release_migrates_with_its_data():
    try:
        before = _release_data(_migrate(RELEASE))
        _migrate(_latest())

        # The declaration, its events and its grant, read through the new app's models, with their ids.
        declaration = Declaration.objects.get(pk=DECLARATION_ID)
        assert (declaration.reference, declaration.status, declaration.possible_breach) == (
            "DEC-2026-0001",
            "analysing",
            True,
        )
        assert list(declaration.events.values_list("id", "kind")) == [
            (EVENT_IDS[0], "submitted"),
            (EVENT_IDS[1], "analysing"),
        ]
        assert DeclarationEvent.objects.count() == 2
        assert Declaration._meta.db_table == "declarations_declaration"

        # The same content types (same ids), under their new labels, and none left or made under the old ones.
        assert ContentType.objects.get_for_model(Declaration).pk == before["declaration_type"]
        assert ContentType.objects.get_for_model(Document).pk == before["document_type"]
        assert not ContentType.objects.filter(app_label="registry", model__startswith="declaration").exists()
        assert not ContentType.objects.filter(app_label="audits", model="document").exists()
        assert ContentType.objects.filter(model="declaration").count() == 1
        assert ContentType.objects.filter(model="document").count() == 1

        # The object permission given under the release still grants, under the new app's label.
        permission = Permission.objects.get(pk=before["view_declaration"])
        assert (permission.content_type.app_label, permission.codename) == ("declarations", "view_declaration")
        assert DeclarationUserObjectPermission.objects.get(pk=before["grant"]).content_object == declaration
        agent = User.objects.get(pk=before["agent"])
        assert agent.has_perm("declarations.view_declaration", declaration)

        # The document, still the charter edition's, through the new model.
        edition = CharterEdition.objects.get(pk=before["edition"])
        assert isinstance(edition.document, Document)
        assert (edition.document.pk, edition.document.sha256, edition.document.frozen) == (
            before["document"],
            "a" * 64,
            True,
        )
        assert Document.objects.get(pk=before["document"]).file.name == "documents/1/charter/release.pdf"

        # The side effects still waiting run under their tasks' new names; the one done keeps its own.
        tasks = dict(OutboxEntry.objects.values_list("pk", "task"))
        assert tasks[before["pending"]] == "declarations.tasks.notify_declaration_event"
        assert tasks[before["pending_document"]] == "documents.tasks.generate_document"
        assert tasks[before["done"]] == "registry.tasks.notify_declaration_event"

        # And back again: the migrations reverse with the data (a release can be rolled back to).
        apps = _migrate(RELEASE)
        assert apps.get_model("registry", "Declaration").objects.get(pk=DECLARATION_ID).reference == "DEC-2026-0001"
        types = apps.get_model("contenttypes", "ContentType").objects
        assert types.get(app_label="registry", model="declaration").pk == before["declaration_type"]
        assert types.get(app_label="audits", model="document").pk == before["document_type"]
        ReleaseOutboxEntry = apps.get_model("registry", "OutboxEntry")
        assert ReleaseOutboxEntry.objects.get(pk=before["pending"]).task == "registry.tasks.notify_declaration_event"
    finally:
        _migrate(_latest())
        ContentType.objects.clear_cache()
