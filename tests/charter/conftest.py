"""Charter fixtures: a register with approved, restricted and prohibited tools, use cases in production in two
services with their checkpoints, the ethics committee, and the charter's editions."""

import io

import pytest
from pypdf import PdfReader

from audits import services as audits_services
from registry.choices import UseCaseStatus
from registry.models import UseCase
from tests.registry.factories import ToolFactory, UseCaseFactory

YEAR = 2026


@pytest.fixture
def register(collectivite, services, users, tool, committee):
    """Albert (approved, C2), a restricted transcription tool, a prohibited free chatbot; two use cases in
    production (CCAS, Communication) with their checkpoints, and a draft that must not appear."""
    restricted = ToolFactory(
        collectivite=collectivite,
        name="Whisper interne",
        vendor="DSI",
        category="transcription",
        hosting_zone="on_premise",
        status="restricted",
        max_data_classification="C3",
        conditions="Réservé aux comptes rendus des instances.",
    )
    prohibited = ToolFactory(
        collectivite=collectivite,
        name="ChatGPT gratuit",
        vendor="OpenAI",
        hosting_zone="non_eu",
        status="prohibited",
        max_data_classification="C0",
        conditions="Réutilise les données saisies : utiliser Albert.",
    )
    ccas = _in_production(
        UseCaseFactory(
            collectivite=collectivite,
            service=services["ccas"],
            owner=users["agent"],
            tool=tool,
            name="Aide à la rédaction des courriers du CCAS",
            reference="IA-2024-0001",
        )
    )
    com = _in_production(
        UseCaseFactory(
            collectivite=collectivite,
            service=services["communication"],
            owner=users["agent"],
            tool=restricted,
            name="Sous-titrage des vidéos municipales",
            reference="IA-2024-0002",
            audience="public",
        )
    )
    draft = UseCaseFactory(
        collectivite=collectivite, service=services["ccas"], owner=users["agent"], name="Brouillon invisible"
    )
    return {"tool": tool, "restricted": restricted, "prohibited": prohibited, "ccas": ccas, "com": com, "draft": draft}


def _in_production(use_case):
    audits_services.checkpoints_sync(use_case=use_case)
    UseCase.objects.filter(pk=use_case.pk).update(status=UseCaseStatus.IN_PRODUCTION)
    use_case.refresh_from_db()
    return use_case


@pytest.fixture
def draft(collectivite, users, register):
    from charter import services as charter_services

    return charter_services.edition_create(collectivite=collectivite, acting_user=users["dpo"], year=YEAR)


@pytest.fixture(autouse=True)
def _documents_in_a_temporary_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def published(collectivite, users, register):
    """The 2025 edition, published by the DGS. Its PDF is asked for but not generated: the test's transaction never
    commits (use `published_with_pdf` for the file)."""
    from charter import services as charter_services

    edition = charter_services.edition_create(collectivite=collectivite, acting_user=users["dpo"], year=YEAR - 1)
    return charter_services.edition_publish(edition=edition, acting_user=users["dgs"])


@pytest.fixture
def published_with_pdf(collectivite, users, register, django_capture_on_commit_callbacks):
    """The 2025 edition published by the DGS, its final PDF generated when the publication commits (eager Celery)."""
    from charter import services as charter_services

    edition = charter_services.edition_create(collectivite=collectivite, acting_user=users["dpo"], year=YEAR - 1)
    with django_capture_on_commit_callbacks(execute=True):
        edition = charter_services.edition_publish(edition=edition, acting_user=users["dgs"])
    edition.refresh_from_db()
    edition.document.refresh_from_db()
    return edition


def read(document) -> bytes:
    with document.file.open("rb") as stored:
        return stored.read()


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
