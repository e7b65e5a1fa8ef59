"""The charter's web pages, per role: reading and acknowledging the charter in force, the editions, editing a section
(input kept, version conflicts), publishing (DGS only), the acknowledgement rates; refusals and query counts."""

import html

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from charter import services as charter_services
from charter.models import CharterAcknowledgement, CharterEdition
from tests.registry.factories import MembershipFactory, UserFactory

from .conftest import YEAR

pytestmark = pytest.mark.django_db

# Queries of the pages (session, user, collectivité, memberships, the page's own reads, the menu): a page that
# grows a query per row or per section breaks these.
QUERIES_CURRENT = 10
QUERIES_EDITION_WITH_RATES = 14
QUERIES_EDITION_LIST = 7
QUERIES_DRAFT = 16


def text(response) -> str:
    return html.unescape(response.content.decode())


def current_url():
    return reverse("charter:current")


def edition_url(year):
    return reverse("charter:edition_detail", args=[year])


def section_url(year, key="purpose"):
    return reverse("charter:section_edit", args=[year, key])


def publish_url(year):
    return reverse("charter:edition_publish", args=[year])


def acknowledge_url(year):
    return reverse("charter:acknowledge", args=[year])


# Every member reads the charter in force --------------------------------------------------------------------


def test_an_agent_reads_the_charter_in_force_and_its_fingerprints(client_for, users, published_with_pdf):
    edition = published_with_pdf
    response = client_for(users["agent"]).get(current_url())

    assert response.status_code == 200
    page = text(response)
    assert "Objet et champ d'application" in page and "Albert" in page and "IA-2024-0001" in page
    assert edition.content_fingerprint in page
    assert edition.document.sha256 in page
    assert reverse("audits:document_download", args=[edition.document_id]) in page
    assert acknowledge_url(edition.year) in page and _("I have read the charter") in page
    assert section_url(edition.year) not in page and publish_url(edition.year) not in page
    assert "data-rates" not in page  # who read it is for the DPO, the DGS and administrators


def test_the_menu_leads_every_member_to_the_charter(client_for, users, published):
    for role in ("agent", "comite", "dpo"):
        page = text(client_for(users[role]).get(reverse("registry:use_case_list")))
        assert f'href="{current_url()}"' in page and _("Charter") in page


def test_acknowledging_records_the_date_once(client_for, users, published):
    client = client_for(users["agent"])

    response = client.post(acknowledge_url(published.year))
    assert response.status_code == 302 and response["Location"] == edition_url(published.year)
    first = CharterAcknowledgement.objects.get(edition=published, user=users["agent"])
    client.post(acknowledge_url(published.year))

    assert CharterAcknowledgement.objects.filter(edition=published, user=users["agent"]).get() == first
    page = text(client.get(current_url()))
    assert "data-acknowledged" in page and "data-acknowledge>" not in page


def test_without_a_published_edition_the_page_says_so(client_for, users, draft):
    response = client_for(users["agent"]).get(current_url())
    assert response.status_code == 200
    page = text(response)
    assert _("No edition of the charter has been published yet.") in page
    assert edition_url(draft.year) not in page  # an agent does not see the drafts...
    assert edition_url(draft.year) in text(client_for(users["dpo"]).get(current_url()))  # ...the DPO does


def test_reading_the_charter_costs_a_fixed_number_of_queries(
    client_for, users, published, django_assert_max_num_queries
):
    client = client_for(users["agent"])
    with django_assert_max_num_queries(QUERIES_CURRENT):
        assert client.get(current_url()).status_code == 200


# Refusals ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["agent", "chef", "rssi", "comite"])
def test_a_draft_is_out_of_sight_for_those_who_do_not_write_the_charter(client_for, users, draft, role):
    client = client_for(users[role])
    assert client.get(edition_url(draft.year)).status_code == 404
    assert client.get(section_url(draft.year)).status_code == 404
    assert client.get(publish_url(draft.year)).status_code == 404
    assert client.post(acknowledge_url(draft.year)).status_code == 404
    assert client.get(reverse("charter:edition_list")).status_code == 403
    assert client.post(reverse("charter:edition_list"), {"year": YEAR + 1}).status_code == 403
    assert CharterEdition.objects.count() == 1


@pytest.mark.parametrize("role", ["agent", "rssi"])
def test_a_published_edition_is_read_by_all_but_changed_by_none(client_for, users, published, role):
    client = client_for(users[role])
    assert client.get(edition_url(published.year)).status_code == 200
    assert client.get(section_url(published.year)).status_code == 403
    assert client.post(section_url(published.year), {"title": "T", "body": "B", "version": 1}).status_code == 403
    assert client.post(publish_url(published.year), {"confirm": "on", "version": 1}).status_code == 403


def test_another_collectivite_sees_nothing(client_for, outsider, published, draft):
    client = client_for(outsider)
    for url in (edition_url(published.year), edition_url(draft.year), section_url(draft.year)):
        assert client.get(url).status_code == 404
    assert client.post(acknowledge_url(published.year)).status_code == 404
    assert _("No edition of the charter has been published yet.") in text(client.get(current_url()))
    assert not CharterAcknowledgement.objects.exists()


def test_someone_without_a_role_is_refused(client, published):
    nobody = UserFactory(username="sans-role")
    client.force_login(nobody)
    assert client.get(current_url()).status_code == 403
    assert client.post(acknowledge_url(published.year)).status_code == 403


def test_a_visitor_is_sent_to_the_login_page(client, published):
    response = client.get(current_url())
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("role", ["dpo", "admin"])
def test_only_the_dgs_publishes(client_for, users, draft, role):
    client = client_for(users[role])
    assert client.get(publish_url(draft.year)).status_code == 403
    assert client.post(publish_url(draft.year), {"confirm": "on", "version": draft.version}).status_code == 403
    draft.refresh_from_db()
    assert draft.status == CharterEdition.Status.DRAFT
    assert publish_url(draft.year) not in text(client.get(edition_url(draft.year)))


# Editions ---------------------------------------------------------------------------------------------------


def test_the_dpo_creates_next_year_s_edition(client_for, users, published):
    client = client_for(users["dpo"])
    page = text(client.get(reverse("charter:edition_list")))
    assert f'value="{published.year + 1}"' in page  # the year after the latest edition is suggested

    response = client.post(reverse("charter:edition_list"), {"year": published.year + 1})

    assert response.status_code == 302 and response["Location"] == edition_url(published.year + 1)
    created = CharterEdition.objects.get(year=published.year + 1)
    assert created.status == CharterEdition.Status.DRAFT and created.sections.count() == published.sections.count()


def test_an_existing_year_is_refused_and_the_input_kept(client_for, users, draft):
    response = client_for(users["dgs"]).post(reverse("charter:edition_list"), {"year": draft.year})

    assert response.status_code == 400
    page = text(response)
    assert _("The %(year)d edition already exists.") % {"year": draft.year} in page
    assert f'value="{draft.year}"' in page


def test_the_editions_list_costs_a_fixed_number_of_queries(
    client_for, users, published, draft, django_assert_max_num_queries
):
    client = client_for(users["dpo"])
    with django_assert_max_num_queries(QUERIES_EDITION_LIST):
        response = client.get(reverse("charter:edition_list"))
    assert response.status_code == 200
    page = text(response)
    assert edition_url(published.year) in page and edition_url(draft.year) in page


def test_the_dpo_sees_who_read_it_by_service(client_for, users, services, published, django_assert_max_num_queries):
    charter_services.acknowledge(edition=published, acting_user=users["agent"])
    more = UserFactory(username="agent-logement")
    MembershipFactory(user=more, collectivite=published.collectivite, role="agent", service=services["logement"])

    client = client_for(users["dpo"])
    with django_assert_max_num_queries(QUERIES_EDITION_WITH_RATES):
        response = client.get(edition_url(published.year))

    page = text(response)
    assert "data-rates" in page
    assert 'data-rate-row="CCAS"' in page and 'data-rate-row="LOG"' in page and 'data-rate-row="overall"' in page
    assert "50 %" in page and "0 %" in page


# Editing a section ------------------------------------------------------------------------------------------


def test_the_dgs_edits_a_section(client_for, users, draft):
    section = draft.sections.get(key="purpose")
    client = client_for(users["dgs"])
    assert f'value="{section.title}"' in text(client.get(section_url(draft.year)))

    response = client.post(
        section_url(draft.year), {"title": "Objet", "body": "Premier paragraphe.\n\n- un point", "version": 1}
    )

    assert response.status_code == 302 and response["Location"] == edition_url(draft.year) + "#section-purpose"
    section.refresh_from_db()
    assert (section.title, section.body, section.version) == ("Objet", "Premier paragraphe.\n\n- un point", 2)
    page = text(client.get(response["Location"]))
    assert "<li>un point</li>" in page


def test_a_section_form_with_errors_keeps_the_input(client_for, users, draft):
    response = client_for(users["dpo"]).post(
        section_url(draft.year), {"title": "Mon nouveau titre", "body": "   ", "version": 1}
    )

    assert response.status_code == 400
    page = text(response)
    assert 'value="Mon nouveau titre"' in page and _("Write the text of the section.") in page
    assert draft.sections.get(key="purpose").version == 1


def test_a_version_conflict_keeps_the_input_and_shows_what_is_recorded(client_for, users, draft):
    # Given the DPO saved the section while the DGS was editing version 1
    section = draft.sections.get(key="purpose")
    charter_services.section_update(
        section=section, acting_user=users["dpo"], data={"title": "Objet", "body": "Texte de la DPO."}
    )

    # When the DGS sends their text
    response = client_for(users["dgs"]).post(
        section_url(draft.year), {"title": "Objet", "body": "Texte du DGS.", "version": 1}
    )

    # Then nothing is overwritten; the page shows the recorded text and keeps the DGS's, ready for version 2
    assert response.status_code == 409
    page = text(response)
    assert "data-conflict" in page and "Texte de la DPO." in page and "Texte du DGS." in page
    assert 'name="version" value="2"' in page
    section.refresh_from_db()
    assert section.body == "Texte de la DPO."


def test_a_published_section_cannot_be_edited(client_for, users, published):
    client = client_for(users["dgs"])
    assert client.get(section_url(published.year)).status_code == 409
    response = client.post(section_url(published.year), {"title": "T", "body": "B", "version": 1})
    assert response.status_code == 409 and "data-locked" in text(response)
    assert published.sections.get(key="purpose").body != "B"


def test_an_unknown_section_is_not_found(client_for, users, draft):
    assert client_for(users["dpo"]).get(section_url(draft.year, "nothing")).status_code == 404


# Publishing -------------------------------------------------------------------------------------------------


def test_the_dgs_confirms_then_publishes(client_for, users, draft, django_capture_on_commit_callbacks):
    client = client_for(users["dgs"])
    page = text(client.get(publish_url(draft.year)))
    assert 'name="confirm"' in page and 'data-document-widget="charter"' in page

    unconfirmed = client.post(publish_url(draft.year), {"version": draft.version})
    assert unconfirmed.status_code == 400 and _("Tick the box to confirm the publication.") in text(unconfirmed)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(publish_url(draft.year), {"confirm": "on", "version": draft.version})

    assert response.status_code == 302 and response["Location"] == edition_url(draft.year)
    draft.refresh_from_db()
    assert draft.status == CharterEdition.Status.PUBLISHED and draft.document.frozen
    page = text(client.get(response["Location"]))
    assert draft.content_fingerprint in page and draft.document.sha256 in page


def test_publishing_a_changed_edition_is_refused(client_for, users, draft):
    read = draft.version
    charter_services.section_update(
        section=draft.sections.get(key="purpose"), acting_user=users["dpo"], data={"title": "O", "body": "Changé."}
    )

    response = client_for(users["dgs"]).post(publish_url(draft.year), {"confirm": "on", "version": read})

    assert response.status_code == 409 and "data-publish-error" in text(response)
    draft.refresh_from_db()
    assert draft.status == CharterEdition.Status.DRAFT


def test_a_published_edition_is_not_published_again(client_for, users, published):
    response = client_for(users["dgs"]).post(publish_url(published.year), {"confirm": "on", "version": 9})
    assert response.status_code == 409


def test_a_draft_page_costs_the_same_whatever_the_register_holds(
    client_for, users, services, register, draft, django_assert_max_num_queries
):
    from tests.charter.conftest import _in_production
    from tests.registry.factories import UseCaseFactory

    client = client_for(users["dgs"])
    with django_assert_max_num_queries(QUERIES_DRAFT) as few:
        assert client.get(edition_url(draft.year)).status_code == 200
    for number in range(4):
        _in_production(
            UseCaseFactory(
                collectivite=draft.collectivite,
                service=services["logement"],
                owner=users["agent"],
                reference=f"IA-2024-01{number:02d}",
            )
        )
    with django_assert_max_num_queries(len(few)) as many:
        page = text(client.get(edition_url(draft.year)))
    assert "IA-2024-0103" in page and len(many) == len(few)


def test_administrators_see_the_charter_read_only_in_the_admin(client, published):
    staff = UserFactory(username="staff", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get(reverse("admin:charter_charteredition_changelist")).status_code == 200
    assert client.get(reverse("admin:charter_charteredition_change", args=[published.pk])).status_code == 200
    assert client.get(reverse("admin:charter_charteracknowledgement_changelist")).status_code == 200
    assert client.get(reverse("admin:charter_charteredition_add")).status_code == 403
