"""The charter's PDF, read back with pypdf: its sections, the tools, the use cases by service, the committee, the
fingerprint of a published edition, the draft mention of a preview."""

import re

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _

from charter import defaults
from charter import pdf as charter_pdf
from charter import services as charter_services
from charter.selectors import live_content
from documents import services as documents
from documents.models import Document
from documents.pdf import render_pdf
from registry import services as registry_services
from tests.registry.factories import UseCaseFactory

from .conftest import pdf_pages, pdf_text, read

pytestmark = pytest.mark.django_db


def _flat(text: str) -> str:
    """The extracted text on one line: words a cell or a line wrapped come back together."""
    # WeasyPrint hyphenates French words with U+2010 at line ends: join them back.
    text = re.sub(r"[\u2010-]\n", "", text.replace("\u202f", " "))
    return re.sub(r"\s+", " ", text)


def _render(edition) -> str:
    document = Document(collectivite=edition.collectivite, kind=Document.Kind.CHARTER, year=edition.year)
    spec = charter_pdf.build(document)
    return pdf_text(render_pdf(spec, collectivite=edition.collectivite, generated_at=timezone.now()).content)


def test_the_published_charter_has_its_sections_data_and_fingerprint(users, register, published_with_pdf):
    edition = published_with_pdf
    content = read(edition.document)
    pages = pdf_pages(content)
    text = _flat("\n".join(pages))

    # Cover: the title, the edition, who published it, the content fingerprint
    cover = _flat(pages[0])
    assert _("AI usage charter") in cover
    assert _("%(year)d edition") % {"year": edition.year} in cover
    assert users["dgs"].get_full_name() in cover
    assert edition.content_fingerprint in cover.replace(" ", "")
    # Every section, in order, numbered
    positions = [text.index(section["title"]) for section in defaults.SECTIONS]
    assert positions == sorted(positions)
    assert "1. Objet et champ d'application" in text
    # The tools: approved with their highest classification, prohibited with why
    assert _("Approved tools") in text and _("Prohibited tools") in text
    assert "Albert" in text and "C2 — sensible" in text
    assert "Whisper interne" in text and "C3 — Diffusion Restreinte" in text
    assert "ChatGPT gratuit" in text and "Réutilise les données saisies" in text
    # The use cases in production by service, with their risk and checkpoints; not the draft
    register_part = text[text.index(_("Use cases in production, by service")) :]
    assert register_part.index("CCAS") < register_part.index("IA-2024-0001")
    assert register_part.index("Communication") < register_part.index("IA-2024-0002")
    assert "Aide à la rédaction des courriers du CCAS" in register_part
    assert str(register["ccas"].get_ai_act_risk_display()) in register_part
    checkpoint = register["ccas"].checkpoints.filter(active=True).select_related("type").first()
    assert str(checkpoint.type.display_title) in register_part
    assert "Brouillon invisible" not in text
    # The committee and the signatures; the fingerprint again at the end
    assert "Chercheuse, université de Tours" in text
    assert _("The director general of services") in text and _("The mayor") in text
    assert edition.content_fingerprint in _flat(pages[-1]).replace(" ", "")
    assert _("DRAFT") not in text


def test_the_published_charter_is_rendered_from_its_snapshot_only(users, register, published):
    # Given a published edition, then a register that changed
    registry_services.tool_update(tool=register["tool"], acting_user=users["rssi"], data={"status": "prohibited"})
    registry_services.use_case_retire(use_case=register["com"], acting_user=users["dpo"], comment="Fin.")
    register["restricted"].name = "Outil renommé"
    register["restricted"].save()

    # When its PDF is rendered
    text = _flat(_render(published))

    # Then it says what was frozen
    approved = text[text.index(_("Approved tools")) : text.index(_("Prohibited tools"))]
    assert "Albert" in approved and "Whisper interne" in approved and "Outil renommé" not in text
    assert "IA-2024-0002" in text
    assert published.content_fingerprint in text.replace(" ", "")


def test_the_builder_marks_a_published_edition_final_and_a_draft_not(published, draft):
    published_spec = charter_pdf.build(Document(collectivite=published.collectivite, kind="charter", year=2025))
    draft_spec = charter_pdf.build(Document(collectivite=draft.collectivite, kind="charter", year=2026))

    assert published_spec.freeze is True and draft_spec.freeze is False
    assert [title for _anchor, title in draft_spec.toc][:3] == [
        "1. Objet et champ d'application",
        "2. Principes",
        "3. " + _("Approved and prohibited tools"),
    ]


def test_a_draft_preview_says_it_is_a_draft_and_shows_the_register_now(
    collectivite, users, register, draft, django_capture_on_commit_callbacks
):
    section = draft.sections.get(key="training")
    charter_services.section_update(
        section=section, acting_user=users["dpo"], data={"title": "Formation", "body": "- Un atelier « Albert »."}
    )
    registry_services.tool_update(tool=register["tool"], acting_user=users["rssi"], data={"status": "prohibited"})

    with django_capture_on_commit_callbacks(execute=True):
        document = documents.document_request(
            collectivite=collectivite, acting_user=users["dpo"], kind=Document.Kind.CHARTER, year=draft.year
        )
    document.refresh_from_db()
    pages = pdf_pages(read(document))
    text = _flat("\n".join(pages))

    assert not document.frozen
    assert _flat(_("DRAFT — this edition is not in force")) in _flat(pages[0])
    assert all(_("DRAFT") in page for page in pages)  # the watermark on every page
    assert "Un atelier « Albert »." in text
    prohibited = text[text.index(_("Prohibited tools")) :]
    assert "Albert" in prohibited.split(_("Use cases in production, by service"))[0]
    assert _("Content fingerprint (SHA-256)") not in text


def test_an_edition_without_use_cases_in_production_says_so(collectivite, users):
    edition = charter_services.edition_create(collectivite=collectivite, acting_user=users["dpo"], year=2026)
    text = _flat(_render(edition))
    assert _("No use case was in production when this edition was written.") in text
    assert _("No tool is approved yet.") in text


def test_an_algorithm_that_is_not_an_ai_system_is_listed_as_such(collectivite, services, users, register, draft):
    # given rules written by people in production in the CCAS, next to its AI use
    from registry.choices import AiActRisk

    from .conftest import _in_production

    rules_based = _in_production(
        UseCaseFactory(
            collectivite=collectivite,
            service=services["ccas"],
            owner=users["agent"],
            name="Calcul du quotient familial",
            reference="IA-2024-0003",
            technique="rules",
        )
    )
    assert rules_based.ai_act_risk == AiActRisk.OUT_OF_SCOPE

    # when the draft is rendered
    text = _flat(_render(draft))

    # then it is in its service's table, said in words not to be an AI system, and the AI use keeps its level
    register_part = text[text.index(_("Use cases in production, by service")) :]
    row = register_part[register_part.index("IA-2024-0003") :]
    assert row.index("Calcul du quotient familial") < row.index(str(AiActRisk.OUT_OF_SCOPE.label))
    assert str(register["ccas"].get_ai_act_risk_display()) in register_part
    ccas = next(group for group in live_content(draft)["use_cases_by_service"] if group["code"] == "CCAS")
    assert {row["reference"]: row["risk"] for row in ccas["use_cases"]}["IA-2024-0003"] == "out_of_scope"
