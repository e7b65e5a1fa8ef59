"""The pages: who sees them (403 for other roles, 404 for another structure's item), forms that keep what was
typed, 409 on a stale decision, and a fixed number of queries per page."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from mutualisation import services
from mutualisation.models import Adoption, Decision
from registry.models import Tool

pytestmark = pytest.mark.django_db


@pytest.fixture
def structure_client(client_for, structure_users, membership):
    return client_for(structure_users["dpo"])


# Structure side ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), [("dpo", 200), ("admin", 200), ("rssi", 403)])
def test_the_shared_list_is_for_the_structure_dpo_and_administrators(
    client_for, structure_users, membership, role, expected
):
    response = client_for(structure_users[role]).get(reverse("mutualisation:shared_list"))
    assert response.status_code == expected


def test_sharing_from_the_page(structure_client, structure_tool, structure_type, structure_section):
    response = structure_client.post(reverse("mutualisation:shared_list"), {"source": f"tool:{structure_tool.pk}"})
    assert response.status_code == 302
    page = structure_client.get(reverse("mutualisation:shared_list")).content.decode()
    assert escape(structure_tool.name) in page
    assert escape(_("Shared reference content")) in page


def test_the_share_form_keeps_the_choice_and_says_what_is_wrong(structure_client, structure_tool, tool):
    # Another collectivité's tool is not among the choices.
    response = structure_client.post(reverse("mutualisation:shared_list"), {"source": f"tool:{tool.pk}"})
    assert response.status_code == 400
    assert (
        escape(_("Choose one of the structure's own tools, checkpoint types or charter sections."))
        in response.content.decode()
    )
    response = structure_client.post(reverse("mutualisation:shared_list"), {"source": ""})
    assert response.status_code == 400
    assert f'value="tool:{structure_tool.pk}"' in response.content.decode()


def test_withdrawing_from_the_page_and_another_structure_item_is_404(structure_client, shared, neighbour_item):
    url = reverse("mutualisation:item_withdraw", args=[shared["tool"].pk])
    assert structure_client.post(url, {"version": 1}).status_code == 302
    shared["tool"].refresh_from_db()
    assert shared["tool"].withdrawn
    other = reverse("mutualisation:item_withdraw", args=[neighbour_item.pk])
    assert structure_client.post(other).status_code == 404


def test_the_shared_list_costs_a_fixed_number_of_queries(structure_client, shared, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        response = structure_client.get(reverse("mutualisation:shared_list"))
    assert response.status_code == 200
    assert response.content.decode().count("data-item=") == 3


# Member side -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [("agent", 403), ("chef", 403), ("comite", 403), ("dgs", 403), ("dpo", 200), ("rssi", 200), ("admin", 200)],
)
def test_the_offered_pages_by_role(client_for, users, shared, role, expected):
    client = client_for(users[role])
    assert client.get(reverse("mutualisation:offered_list")).status_code == expected
    assert client.get(reverse("mutualisation:offered_detail", args=[shared["tool"].pk])).status_code == expected


@pytest.mark.parametrize("role", ["agent", "dgs", "rssi"])
def test_deciding_is_refused_to_other_roles(client_for, users, shared, role):
    # The RSSI decides on tools, not on charter sections.
    url = reverse("mutualisation:offered_decide", args=[shared["charter_section"].pk])
    response = client_for(users[role]).post(url, {"action": "adopt", "expected_version": 1, "expected_revision": 0})
    assert response.status_code == 403
    assert not Adoption.objects.exists()


def test_another_structure_item_is_404(client_for, users, shared, neighbour_item):
    client = client_for(users["dpo"])
    for name in ("mutualisation:offered_detail", "mutualisation:offered_adapt"):
        assert client.get(reverse(name, args=[neighbour_item.pk])).status_code == 404
    response = client.post(reverse("mutualisation:offered_decide", args=[neighbour_item.pk]), {"action": "adopt"})
    assert response.status_code == 404


def test_the_neighbour_sees_nothing_of_our_structure(client_for, outsider, shared, neighbour_item):
    client = client_for(outsider)
    assert client.get(reverse("mutualisation:offered_detail", args=[shared["tool"].pk])).status_code == 404
    page = client.get(reverse("mutualisation:offered_list")).content.decode()
    assert escape(neighbour_item.title) in page and escape(shared["tool"].title) not in page


def test_adopting_from_the_page(client_for, users, shared, collectivite):
    client = client_for(users["dpo"])
    url = reverse("mutualisation:offered_decide", args=[shared["tool"].pk])
    response = client.post(url, {"action": "adopt", "expected_version": 1, "expected_revision": 0})
    assert response.status_code == 302
    assert Tool.objects.filter(collectivite=collectivite, name=shared["tool"].key).exists()
    # The same page sent again (a second tab, a colleague): 409, the decision shown, nothing written twice.
    response = client.post(url, {"action": "decline", "expected_version": 1, "expected_revision": 0})
    assert response.status_code == 409
    assert 'data-standing="adopted"' in response.content.decode()
    assert Adoption.objects.get().decision == Decision.ADOPTED


def test_a_collision_asks_for_a_confirmation_on_the_page(client_for, users, shared, collectivite):
    Tool.objects.create(
        collectivite=collectivite, name=shared["tool"].key, vendor="X", category="general_chatbot", hosting_zone="fr"
    )
    client = client_for(users["dpo"])
    url = reverse("mutualisation:offered_decide", args=[shared["tool"].pk])
    response = client.post(url, {"action": "adopt", "expected_version": 1, "expected_revision": 0})
    assert response.status_code == 400
    assert 'name="confirm"' in response.content.decode()
    response = client.post(url, {"action": "adopt", "expected_version": 1, "expected_revision": 0, "confirm": "on"})
    assert response.status_code == 302
    assert Tool.objects.filter(collectivite=collectivite).count() == 1


def test_the_adapt_form_keeps_what_was_typed(client_for, users, shared):
    client = client_for(users["dpo"])
    url = reverse("mutualisation:offered_adapt", args=[shared["checkpoint_type"].pk])
    page = client.get(url).content.decode()
    assert "Relire un échantillon" in page
    response = client.post(
        url,
        {
            "title": "",
            "practice": "Notre pratique à nous.",
            "default_frequency": "monthly",
            "expected_version": 1,
            "expected_revision": 0,
        },
    )
    assert response.status_code == 400
    assert "Notre pratique à nous." in response.content.decode()
    response = client.post(
        url,
        {
            "title": "Notre revue",
            "practice": "Notre pratique à nous.",
            "default_frequency": "monthly",
            "expected_version": 1,
            "expected_revision": 0,
        },
    )
    assert response.status_code == 302
    adoption = Adoption.objects.get()
    assert adoption.decision == Decision.ADAPTED


def test_the_update_of_an_adapted_item_is_compared_field_by_field(
    client_for, users, shared, collectivite, structure, structure_users, structure_tool
):
    services.item_adapt(
        item=shared["tool"], member=collectivite, acting_user=users["dpo"], data={"conditions": "Nos conditions."}
    )
    structure_tool.vendor = "Nouvel éditeur"
    structure_tool.save()
    services.item_share(
        structure=structure, kind="tool", source_object=structure_tool, acting_user=structure_users["dpo"]
    )
    page = (
        client_for(users["dpo"]).get(reverse("mutualisation:offered_detail", args=[shared["tool"].pk])).content.decode()
    )
    assert 'data-standing="update"' in page
    assert '<tr data-field="vendor" class="changed">' in page and '<tr data-field="conditions" class="changed">' in page
    assert '<tr data-field="name">' in page
    assert "Nouvel éditeur" in page and "Nos conditions." in page


def test_the_offered_list_costs_a_fixed_number_of_queries(
    client_for, users, shared, collectivite, neighbour_item, django_assert_max_num_queries
):
    services.item_adopt(item=shared["tool"], member=collectivite, acting_user=users["dpo"])
    services.item_decline(item=shared["checkpoint_type"], member=collectivite, acting_user=users["dpo"])
    client = client_for(users["dpo"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("mutualisation:offered_list"))
    page = response.content.decode()
    assert page.count("data-standing=") == 3
    assert 'data-standing="adopted"' in page and 'data-standing="declined"' in page and 'data-standing="new"' in page


def test_the_menu_links_show_to_the_people_concerned_only(rf, users, structure_users, structure, collectivite, shared):
    from django.template import Context, Template

    from core.access import get_access

    template = Template(
        "{% load mutualisation_tags %}{% mutualisation_links as links %}{{ links.shared }} {{ links.offered }}"
    )

    def links(user, where):
        request = rf.get("/")
        return template.render(
            Context({"request": request, "access": get_access(user, where), "current_collectivite": where})
        )

    assert links(users["dpo"], collectivite) == "False True"
    assert links(users["rssi"], collectivite) == "False True"
    assert links(structure_users["dpo"], structure) == "True False"
    assert links(structure_users["rssi"], structure) == "False False"
    assert links(users["agent"], collectivite) == "False False"
