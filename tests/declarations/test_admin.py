"""Django admin of the shadow-AI declarations: read-mostly, and silent about anonymous authors."""

import uuid
from html import unescape

import pytest

from declarations import services as declaration_services
from tests.registry.factories import UserFactory
from tests.web.helpers import fr

pytestmark = pytest.mark.django_db


def _declare(collectivite, user, *, anonymous):
    declaration, _created = declaration_services.declaration_submit(
        collectivite=collectivite,
        acting_user=user,
        data={
            "tool_name": "Gemini",
            "category": "general_chatbot",
            "tasks": "Rédiger des courriers",
            "frequency": "weekly",
            "device": "personal_device",
            "account": "personal_free",
            "data_entered": ["ordinary"],
            "output_use": ["sent_to_users"],
            "human_review": "always",
        },
        anonymous=anonymous,
        submission_key=uuid.uuid4(),
    )
    return declaration


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_the_list_names_named_authors_only(collectivite, users, superuser_client):
    # Given a named and an anonymous declaration by the same agent
    agent = users["agent"]
    agent.first_name, agent.last_name = "Léa", "Girard"
    agent.save()
    named = _declare(collectivite, agent, anonymous=False)
    anonymous = _declare(collectivite, agent, anonymous=True)

    # When the administrator opens the list of declarations
    response = superuser_client.get("/admin/declarations/declaration/")

    # Then the anonymous row says so and nothing more; the named one shows its author
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert page.count("Léa Girard") == 1
    assert fr("Anonymous") in page
    assert named.reference in page and anonymous.reference in page


def test_a_declaration_is_read_only_and_keeps_its_follow_up_code_hidden(collectivite, users, superuser_client):
    declaration = _declare(collectivite, users["agent"], anonymous=True)

    page = superuser_client.get(f"/admin/declarations/declaration/{declaration.pk}/change/")
    assert page.status_code == 200
    assert declaration.follow_up_code not in page.content.decode()
    assert str(declaration.submission_key) not in page.content.decode()
    assert superuser_client.get("/admin/declarations/declaration/add/").status_code == 403

    # events are immutable
    event = declaration.events.get()
    assert superuser_client.get("/admin/declarations/declarationevent/").status_code == 200
    response = superuser_client.post(f"/admin/declarations/declarationevent/{event.pk}/change/", {"message": "x"})
    assert response.status_code == 403 or event.__class__.objects.get(pk=event.pk).message == ""
    assert superuser_client.get(f"/admin/declarations/declarationevent/{event.pk}/delete/").status_code == 403
