"""The charter's services: who writes and who publishes, what publishing freezes, concurrent edits, acknowledgements."""

import pytest
from django.utils.translation import gettext as _

from charter import defaults, selectors
from charter import services as charter_services
from charter.models import CharterAcknowledgement, CharterEdition, CharterEvent
from core.errors import ApplicationError, ConflictError, ForbiddenError
from documents import services as documents
from documents.models import Document
from registry import services as registry_services
from registry.models import UseCase

from .conftest import YEAR

pytestmark = pytest.mark.django_db


# Creating an edition ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["dpo", "dgs", "admin"])
def test_the_dpo_the_dgs_and_administrators_create_an_edition_from_the_defaults(collectivite, users, role):
    edition = charter_services.edition_create(collectivite=collectivite, acting_user=users[role], year=YEAR)

    assert edition.status == CharterEdition.Status.DRAFT and edition.year == YEAR
    sections = list(edition.sections.order_by("position"))
    assert [s.key for s in sections] == [d["key"] for d in defaults.SECTIONS]
    assert sections[0].title == "Objet et champ d'application"
    assert edition.events.get().kind == CharterEvent.Kind.CREATED


@pytest.mark.parametrize("role", ["agent", "chef", "rssi", "comite"])
def test_other_roles_may_not_create_an_edition(collectivite, users, role):
    with pytest.raises(ForbiddenError):
        charter_services.edition_create(collectivite=collectivite, acting_user=users[role], year=YEAR)
    assert not CharterEdition.objects.exists()


def test_a_member_of_another_collectivite_may_not_create_one(collectivite, outsider):
    with pytest.raises(ForbiddenError):
        charter_services.edition_create(collectivite=collectivite, acting_user=outsider, year=YEAR)


def test_a_new_edition_starts_from_the_previous_one(collectivite, users, draft):
    section = draft.sections.get(key="training")
    charter_services.section_update(
        section=section, acting_user=users["dpo"], data={"title": "Formation", "body": "Texte 2026."}
    )

    following = charter_services.edition_create(collectivite=collectivite, acting_user=users["dgs"], year=YEAR + 1)

    copied = following.sections.get(key="training")
    assert (copied.title, copied.body) == ("Formation", "Texte 2026.")
    assert following.sections.count() == draft.sections.count()


@pytest.mark.parametrize("year", [YEAR, 1999, 9999, "deux mille"])
def test_one_edition_per_year_within_reason(collectivite, users, draft, year):
    with pytest.raises(ApplicationError) as raised:
        charter_services.edition_create(collectivite=collectivite, acting_user=users["dpo"], year=year)
    assert "year" in raised.value.errors
    assert CharterEdition.objects.count() == 1


# Editing a section ------------------------------------------------------------------------------------------


def test_editing_a_section_bumps_its_version_and_the_edition_s(users, draft):
    section = draft.sections.get(key="purpose")

    saved = charter_services.section_update(
        section=section,
        acting_user=users["dgs"],
        data={"title": " Objet ", "body": "Nouveau texte.\r\n\r\n- Un point"},
        expected_version=section.version,
    )

    assert (saved.title, saved.body, saved.version) == ("Objet", "Nouveau texte.\n\n- Un point", 2)
    draft.refresh_from_db()
    assert draft.version == 2
    assert draft.events.filter(kind=CharterEvent.Kind.SECTION_UPDATED, section=saved, actor=users["dgs"]).exists()


def test_a_concurrent_edit_is_refused_and_overwrites_nothing(users, draft):
    # Given two editors who opened the same version of a section
    section = draft.sections.get(key="purpose")
    opened = section.version
    charter_services.section_update(
        section=section,
        acting_user=users["dpo"],
        data={"title": "Objet", "body": "Texte de la DPO."},
        expected_version=opened,
    )

    # When the second saves from the version they opened
    with pytest.raises(ConflictError) as raised:
        charter_services.section_update(
            section=section,
            acting_user=users["dgs"],
            data={"title": "Objet", "body": "Texte du DGS."},
            expected_version=opened,
        )

    # Then it is a 409, and the first text stands
    assert raised.value.status_code == 409
    section.refresh_from_db()
    assert section.body == "Texte de la DPO." and section.version == opened + 1


def test_a_section_needs_a_title_and_a_text(users, draft):
    section = draft.sections.get(key="purpose")
    with pytest.raises(ApplicationError) as raised:
        charter_services.section_update(section=section, acting_user=users["dpo"], data={"title": " ", "body": ""})
    assert set(raised.value.errors) == {"title", "body"}


@pytest.mark.parametrize("role", ["agent", "chef", "rssi", "comite"])
def test_only_the_charter_s_writers_edit_a_section(users, draft, role):
    section = draft.sections.get(key="purpose")
    with pytest.raises(ForbiddenError):
        charter_services.section_update(section=section, acting_user=users[role], data={"title": "T", "body": "B"})


def test_a_published_edition_cannot_be_edited(users, published):
    section = published.sections.get(key="purpose")
    with pytest.raises(ConflictError) as raised:
        charter_services.section_update(
            section=section, acting_user=users["dgs"], data={"title": "T", "body": "B"}, expected_version=1
        )
    assert raised.value.status_code == 409
    section.refresh_from_db()
    assert section.body != "B"


# Publishing -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["dpo", "admin", "agent", "rssi"])
def test_only_the_dgs_publishes(users, draft, role):
    with pytest.raises(ForbiddenError) as raised:
        charter_services.edition_publish(edition=draft, acting_user=users[role])
    assert raised.value.status_code == 403
    draft.refresh_from_db()
    assert draft.status == CharterEdition.Status.DRAFT and not draft.snapshot


def test_publishing_freezes_the_sections_and_the_register(collectivite, users, register, draft):
    edition = charter_services.edition_publish(edition=draft, acting_user=users["dgs"])

    edition.refresh_from_db()
    assert edition.status == CharterEdition.Status.PUBLISHED
    assert edition.published_by == users["dgs"] and edition.published_at is not None
    snapshot = edition.snapshot
    assert [s["key"] for s in snapshot["sections"]] == [d["key"] for d in defaults.SECTIONS]
    assert [(t["name"], t["max_data_classification"]) for t in snapshot["tools"]] == [
        ("Albert", "C2"),
        ("Whisper interne", "C3"),
    ]
    assert [t["name"] for t in snapshot["prohibited_tools"]] == ["ChatGPT gratuit"]
    groups = {g["code"]: g for g in snapshot["use_cases_by_service"]}
    assert set(groups) == {"CCAS", "COM"}  # the draft use case is not in production
    ccas = groups["CCAS"]["use_cases"][0]
    assert ccas["reference"] == "IA-2024-0001" and ccas["risk"] == register["ccas"].ai_act_risk
    assert {c["title"] for c in ccas["checkpoints"]} == {
        str(c.type.display_title) for c in register["ccas"].checkpoints.filter(active=True)
    }
    assert {m["name"] for m in snapshot["committee"]} == {
        users["comite"].get_full_name(),
        *(m.user.get_full_name() for m in collectivite.committee_members.all()),
    }
    assert snapshot["signatories"]["dgs"] == users["dgs"].get_full_name()
    assert edition.content_fingerprint == selectors.fingerprint(snapshot)
    assert len(edition.content_fingerprint) == 64
    assert edition.events.filter(kind=CharterEvent.Kind.PUBLISHED, actor=users["dgs"]).exists()


def test_publishing_asks_for_the_final_pdf(collectivite, users, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        edition = charter_services.edition_publish(edition=draft, acting_user=users["dgs"])

    document = Document.objects.get(pk=edition.document_id)
    assert (document.kind, document.year, document.status) == (Document.Kind.CHARTER, YEAR, Document.Status.READY)
    assert document.frozen and len(document.sha256) == 64


def test_the_fingerprint_stays_when_the_register_changes(collectivite, users, register, published_with_pdf):
    # Given a published edition and its final PDF
    edition = published_with_pdf
    fingerprint, snapshot, document = edition.content_fingerprint, edition.snapshot, edition.document
    file_sha, file_name = document.sha256, document.file.name

    # When Albert becomes prohibited and a use case in production is retired
    registry_services.tool_update(tool=register["tool"], acting_user=users["rssi"], data={"status": "prohibited"})
    registry_services.use_case_retire(use_case=register["com"], acting_user=users["dpo"], comment="Fin du marché.")
    assert UseCase.objects.get(pk=register["com"].pk).status == "retired"

    # Then the edition says the same, its fingerprint is the same, and its content recomputes to it
    edition.refresh_from_db()
    assert edition.snapshot == snapshot and edition.content_fingerprint == fingerprint
    assert selectors.fingerprint(selectors.edition_content(edition)) == fingerprint
    # ...while the register as it is now would say something else
    assert selectors.fingerprint(selectors.live_content(edition)) != fingerprint

    # And asking to generate the published PDF again is refused: the file stays
    with pytest.raises(ConflictError):
        documents.document_request(
            collectivite=collectivite, acting_user=users["dgs"], kind=Document.Kind.CHARTER, year=edition.year
        )
    document.refresh_from_db()
    assert (document.sha256, document.file.name, document.frozen) == (file_sha, file_name, True)


def test_a_published_edition_is_not_published_twice(users, published):
    with pytest.raises(ConflictError):
        charter_services.edition_publish(edition=published, acting_user=users["dgs"])


def test_the_dgs_publishes_the_version_they_read(users, draft):
    read = draft.version
    section = draft.sections.get(key="purpose")
    charter_services.section_update(
        section=section, acting_user=users["dpo"], data={"title": "Objet", "body": "Changé."}
    )

    with pytest.raises(ConflictError):
        charter_services.edition_publish(edition=draft, acting_user=users["dgs"], expected_version=read)
    draft.refresh_from_db()
    assert draft.status == CharterEdition.Status.DRAFT


def test_no_publication_while_a_preview_is_being_rendered(collectivite, users, draft):
    preview = documents.document_request(
        collectivite=collectivite, acting_user=users["dpo"], kind=Document.Kind.CHARTER, year=draft.year
    )
    Document.objects.filter(pk=preview.pk).update(status=Document.Status.RUNNING)

    with pytest.raises(ConflictError):
        charter_services.edition_publish(edition=draft, acting_user=users["dgs"])


def test_a_draft_preview_is_generated_again_each_time(collectivite, users, draft, django_capture_on_commit_callbacks):
    def preview():
        with django_capture_on_commit_callbacks(execute=True):
            document = documents.document_request(
                collectivite=collectivite, acting_user=users["dpo"], kind=Document.Kind.CHARTER, year=draft.year
            )
        document.refresh_from_db()
        return document

    first = preview()
    first_name = first.file.name
    second = preview()

    assert not second.frozen and second.status == Document.Status.READY
    assert second.file.name != first_name


# Acknowledging ----------------------------------------------------------------------------------------------


def test_acknowledging_is_idempotent(users, published):
    first = charter_services.acknowledge(edition=published, acting_user=users["agent"])
    again = charter_services.acknowledge(edition=published, acting_user=users["agent"])

    assert again.pk == first.pk and again.acknowledged_at == first.acknowledged_at
    assert CharterAcknowledgement.objects.filter(edition=published).count() == 1


def test_only_a_published_edition_is_acknowledged(users, draft):
    with pytest.raises(ConflictError):
        charter_services.acknowledge(edition=draft, acting_user=users["dgs"])
    with pytest.raises(ForbiddenError):  # an agent does not even see a draft
        charter_services.acknowledge(edition=draft, acting_user=users["agent"])
    assert not CharterAcknowledgement.objects.exists()


def test_a_member_of_another_collectivite_does_not_acknowledge(published, outsider):
    with pytest.raises(ForbiddenError):
        charter_services.acknowledge(edition=published, acting_user=outsider)


def test_acknowledgement_rates_by_service(collectivite, users, published):
    # Given: the CCAS has two agents (the demo agent and a committee member), the solidarities direction its head;
    # the members without a service count in the overall figure
    for name in ("agent", "chef", "dpo"):
        charter_services.acknowledge(edition=published, acting_user=users[name])

    rates = selectors.acknowledgement_rates(collectivite, published.year)

    by_code = {rate.service.code: rate for rate in rates.services}
    assert (by_code["CCAS"].agents, by_code["CCAS"].acknowledged) == (2, 1)
    assert (by_code["DSOL"].agents, by_code["DSOL"].acknowledged, by_code["DSOL"].percent) == (1, 1, 100)
    members = collectivite.memberships.values("user").distinct().count()
    assert (rates.overall.agents, rates.overall.acknowledged) == (members, 3)
    assert rates.without_service.acknowledged == 1  # the DPO
    assert rates.overall.label == _("All members")


def test_no_rate_for_a_year_without_a_published_edition(collectivite, users, draft):
    rates = selectors.acknowledgement_rates(collectivite, draft.year)
    assert rates.edition is None and rates.overall.acknowledged == 0 and rates.overall.agents > 0
