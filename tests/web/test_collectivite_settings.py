"""The collectivité's settings page: administrators change them, the DGS and the DPO read them, the others are
refused; bad input and a concurrent change keep what was typed; the logo is checked; a change of size or policy
reclassifies the register; every change is in the security journal."""

import io
import os
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from PIL import Image

from core.roles import Role
from registry.models import Collectivite, UseCase
from registry.services.use_cases import SETTINGS_CHANGED
from security.models import SecurityEvent
from tests.registry.factories import MembershipFactory, UseCaseFactory, UserFactory

pytestmark = [pytest.mark.django_db]


def settings_url(collectivite):
    return reverse("registry:collectivite_settings", args=[collectivite.pk])


def settings_data(collectivite, **overrides):
    """The form as the page sends it back (unticked boxes absent), with some answers changed."""
    data = {
        "version": collectivite.version,
        "name": collectivite.name,
        "kind": collectivite.kind,
        "population": collectivite.population or "",
        "agents_count": collectivite.agents_count,
        "review_months_high": collectivite.review_months_high,
        "review_months_limited": collectivite.review_months_limited,
        "review_months_minimal": collectivite.review_months_minimal,
        "committee_quorum_percent": collectivite.committee_quorum_percent,
        "charter_url": collectivite.charter_url,
        "primary_colour": collectivite.primary_colour,
        "dpo_name": collectivite.dpo_name,
        "dpo_email": collectivite.dpo_email,
        "rssi_name": collectivite.rssi_name,
        "rssi_email": collectivite.rssi_email,
    }
    if collectivite.ethics_review_personal_data:
        data["ethics_review_personal_data"] = "on"
    if collectivite.ethics_review_public_audience:
        data["ethics_review_public_audience"] = "on"
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def image(fmt="PNG", size=(120, 60), name="logo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#1f5f5b").save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# Who may see and change the settings ---------------------------------------------------------------------------------
def test_an_administrator_sees_every_section_and_the_siren_read_only(collectivite, users, client_for):
    response = client_for(users["admin"]).get(settings_url(collectivite))

    assert response.status_code == 200
    html = response.content.decode()
    for section in ("identity", "size", "review-policy", "charter", "branding", "contacts"):
        assert f'data-settings-section="{section}"' in html
    assert collectivite.siren in html and 'name="siren"' not in html
    assert 'name="agents_count"' in html and "disabled" not in html
    # What the number of agents changes is said (CRPA L312-1-3), and the page has the colour preview.
    assert (
        escape(
            _("Today: 50 agents or more, so the rules of the algorithms founding individual decisions are published.")
        )
        in html
    )
    assert "data-colour-preview" in html


@pytest.mark.parametrize("role", ["dpo", "dgs"])
def test_the_dpo_and_the_dgs_read_the_settings_without_changing_them(collectivite, users, client_for, role):
    client = client_for(users[role])

    page = client.get(settings_url(collectivite))
    refused = client.post(settings_url(collectivite), settings_data(collectivite, name="Autre nom"))

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-settings="read-only"' in html
    assert 'name="agents_count"' in html and "disabled" in html
    assert escape(_("Save the settings")) not in html
    assert refused.status_code == 403
    assert Collectivite.objects.get(pk=collectivite.pk).name == collectivite.name


@pytest.mark.parametrize("role", ["agent", "chef", "rssi", "comite"])
def test_other_roles_are_refused(collectivite, users, client_for, role):
    client = client_for(users[role])

    assert client.get(settings_url(collectivite)).status_code == 403
    assert client.post(settings_url(collectivite), settings_data(collectivite, name="X")).status_code == 403


def test_the_administrator_of_another_collectivite_finds_nothing(collectivite, other_collectivite, client_for):
    neighbour_admin = UserFactory(username="admin-voisin")
    MembershipFactory(user=neighbour_admin, collectivite=other_collectivite, role=Role.ADMIN)
    client = client_for(neighbour_admin)

    assert client.get(settings_url(collectivite)).status_code == 404
    assert client.post(settings_url(collectivite), settings_data(collectivite, name="Pris")).status_code == 404
    assert client.get(settings_url(other_collectivite)).status_code == 200
    assert Collectivite.objects.get(pk=collectivite.pk).name == collectivite.name


def test_an_anonymous_visitor_is_sent_to_the_login_page(collectivite, client):
    response = client.get(settings_url(collectivite))

    assert response.status_code == 302 and reverse("login") in response["Location"]


# Saving ---------------------------------------------------------------------------------------------------------------
def test_an_administrator_saves_and_the_change_is_in_the_security_journal(collectivite, users, client_for):
    client = client_for(users["admin"])

    response = client.post(
        settings_url(collectivite),
        settings_data(
            collectivite, name="Ville de Bellerive-sur-Loire", dpo_name="Claire Dumont", primary_colour="#7a1f3d"
        ),
    )

    assert response.status_code == 302
    saved = Collectivite.objects.get(pk=collectivite.pk)
    assert (saved.name, saved.dpo_name, saved.primary_colour) == (
        "Ville de Bellerive-sur-Loire",
        "Claire Dumont",
        "#7a1f3d",
    )
    assert saved.version == collectivite.version + 1
    assert saved.siren == collectivite.siren
    event = SecurityEvent.objects.get(kind=SETTINGS_CHANGED)
    assert event.actor == users["admin"] and event.collectivite_id == collectivite.pk
    assert sorted(event.details["fields"]) == ["dpo_name", "name", "primary_colour"]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [_("The settings were saved.")]


def test_a_siren_sent_anyway_is_ignored(collectivite, users, client_for):
    client_for(users["admin"]).post(settings_url(collectivite), settings_data(collectivite, siren="219905122"))

    assert Collectivite.objects.get(pk=collectivite.pk).siren == collectivite.siren


def test_saving_unchanged_settings_records_nothing(collectivite, users, client_for):
    response = client_for(users["admin"]).post(settings_url(collectivite), settings_data(collectivite))

    assert response.status_code == 302
    assert Collectivite.objects.get(pk=collectivite.pk).version == collectivite.version
    assert not SecurityEvent.objects.filter(kind=SETTINGS_CHANGED).exists()


def test_bad_input_keeps_what_was_typed_and_saves_nothing(collectivite, users, client_for):
    response = client_for(users["admin"]).post(
        settings_url(collectivite),
        settings_data(
            collectivite,
            name="Nom tapé par l'administrateur",
            agents_count="beaucoup",
            primary_colour="bleu",
            review_months_high="0",
            dpo_email="pas-une-adresse",
        ),
    )

    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Nom tapé par l'administrateur" in html and 'value="beaucoup"' in html
    form = response.context["form"]
    assert {"agents_count", "primary_colour", "review_months_high", "dpo_email"} <= set(form.errors)
    assert Collectivite.objects.get(pk=collectivite.pk).name == collectivite.name
    assert not SecurityEvent.objects.filter(kind=SETTINGS_CHANGED).exists()


def test_a_second_administrator_saving_an_old_version_gets_409_with_what_they_typed(collectivite, users, client_for):
    # Given two administrators who opened the page at the same version
    second_admin = UserFactory(username="admin2")
    MembershipFactory(user=second_admin, collectivite=collectivite, role=Role.ADMIN)
    opened = settings_data(collectivite)

    # When the first saves, then the second
    first = client_for(users["admin"]).post(settings_url(collectivite), {**opened, "dpo_name": "Claire Dumont"})
    second = client_for(second_admin).post(
        settings_url(collectivite), {**opened, "dpo_name": "Jean Martin", "charter_url": "https://example.org/charte"}
    )

    # Then the second is refused with its answers kept, and the first's change stays
    assert first.status_code == 302
    assert second.status_code == 409
    html = unescape(second.content.decode())
    assert 'data-settings="conflict"' in html
    assert 'value="Jean Martin"' in html and "https://example.org/charte" in html
    assert "Claire Dumont" in html  # what was saved meanwhile, to compare
    saved = Collectivite.objects.get(pk=collectivite.pk)
    assert (saved.dpo_name, saved.charter_url, saved.version) == ("Claire Dumont", "", collectivite.version + 1)


# The logo -------------------------------------------------------------------------------------------------------------
def test_a_png_logo_is_stored_under_a_name_of_ours(collectivite, users, client_for):
    response = client_for(users["admin"]).post(
        settings_url(collectivite), {**settings_data(collectivite), "logo": image(name="../../mon logo.png")}
    )

    assert response.status_code == 302
    saved = Collectivite.objects.get(pk=collectivite.pk)
    assert saved.logo.name.startswith(f"logos/{collectivite.slug}-") and saved.logo.name.endswith(".png")
    assert "mon logo" not in saved.logo.name
    assert SecurityEvent.objects.get(kind=SETTINGS_CHANGED).details["fields"] == ["logo"]


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        SimpleUploadedFile("logo.png", b"not an image at all"),
        pytest.param("too_big", id="too-many-pixels"),
        pytest.param("gif", id="gif"),
    ],
)
def test_a_logo_that_is_not_a_safe_image_is_refused(collectivite, users, client_for, upload):
    if upload == "too_big":
        upload = image(size=(2500, 100))
    elif upload == "gif":
        upload = image(fmt="GIF", name="logo.gif")

    response = client_for(users["admin"]).post(
        settings_url(collectivite), {**settings_data(collectivite, name="Nom gardé"), "logo": upload}
    )

    assert response.status_code == 200
    assert "logo" in response.context["form"].errors
    assert "Nom gardé" in unescape(response.content.decode())
    saved = Collectivite.objects.get(pk=collectivite.pk)
    assert not saved.logo and saved.name == collectivite.name


def test_the_logo_can_be_removed_and_its_file_goes_after_commit(
    collectivite, users, client_for, django_capture_on_commit_callbacks
):
    client = client_for(users["admin"])
    client.post(settings_url(collectivite), {**settings_data(collectivite), "logo": image()})
    collectivite.refresh_from_db()
    stored = collectivite.logo.path
    assert os.path.exists(stored)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(settings_url(collectivite), settings_data(collectivite, remove_logo="on"))

    assert response.status_code == 302
    assert not Collectivite.objects.get(pk=collectivite.pk).logo
    assert not os.path.exists(stored)


# Reclassification -----------------------------------------------------------------------------------------------------
def test_a_smaller_collectivite_is_reclassified_and_told_so(
    collectivite, services, users, client_for, django_capture_on_commit_callbacks
):
    # Given a use case founding individual decisions in a collectivité of 600 agents: its rules must be published
    use_case = UseCaseFactory(
        collectivite=collectivite,
        service=services["ccas"],
        owner=users["agent"],
        individual_decisions=True,
        automation_level="assist",
        personal_data_categories=["ordinary"],
    )
    assert use_case.public_register_required

    # When the administrator sets 30 agents (under the CRPA L312-1-3 threshold)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(users["admin"]).post(
            settings_url(collectivite), settings_data(collectivite, agents_count=30)
        )

    # Then the page says the register is being reclassified, and the use case no longer requires publication
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert (
        _(
            "The number of agents or the review policy changed: the register is being reclassified. "
            "Use cases whose obligations change show it in their history."
        )
        in messages
    )
    refreshed = UseCase.objects.get(pk=use_case.pk)
    assert not refreshed.public_register_required
    assert refreshed.events.filter(kind="reclassified").count() == 1


def test_a_change_of_contacts_reclassifies_nothing(collectivite, users, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(users["admin"]).post(
            settings_url(collectivite), settings_data(collectivite, rssi_name="T. L.")
        )

    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [_("The settings were saved.")]
    assert callbacks == []


def test_the_page_costs_a_fixed_number_of_queries(collectivite, users, client_for, django_assert_max_num_queries):
    client = client_for(users["admin"])
    with django_assert_max_num_queries(12):
        assert client.get(settings_url(collectivite)).status_code == 200
