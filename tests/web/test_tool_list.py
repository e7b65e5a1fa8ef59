"""The tool catalogue: every member reads their collectivité's, with what each tool may receive."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.registry.factories import ToolFactory

from .helpers import ROLES, fr

TOOLS_URL = reverse("registry:tool_list")


@pytest.fixture
def catalogue(collectivite, other_collectivite, tool):
    return {
        "albert": tool,
        "chatgpt": ToolFactory(
            collectivite=collectivite,
            name="ChatGPT (compte personnel)",
            vendor="OpenAI",
            status="prohibited",
            hosting_zone="non_eu",
            provider_reuse_disabled=False,
            max_data_classification="C0",
            conditions="Interdit : utiliser Albert.",
        ),
        "transcription": ToolFactory(
            collectivite=collectivite,
            name="Transcripteur",
            vendor="Éditeur FR",
            category="transcription",
            status="restricted",
            hosting_zone="on_premise",
            hosting_qualification="secnumcloud",
            max_data_classification="C3",
        ),
        "neighbour": ToolFactory(collectivite=other_collectivite, name="Outil de la voisine"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", [role for role in ROLES if role != "outsider"])
def test_every_member_reads_the_catalogue_of_their_collectivite(role, catalogue, users, client_for):
    response = client_for(users[role]).get(TOOLS_URL)

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert set(re.findall(r'data-tool="([^"]+)"', html)) == {"Albert", "ChatGPT (compte personnel)", "Transcripteur"}


@pytest.mark.django_db
def test_the_outsider_reads_only_their_own_catalogue(catalogue, outsider, client_for):
    html = unescape(client_for(outsider).get(TOOLS_URL).content.decode())

    assert set(re.findall(r'data-tool="([^"]+)"', html)) == {"Outil de la voisine"}


@pytest.mark.django_db
def test_a_row_tells_status_vendor_hosting_reuse_limit_and_conditions(catalogue, users, client_for):
    html = unescape(client_for(users["agent"]).get(TOOLS_URL).content.decode())

    row = re.search(r'<tr data-tool="ChatGPT \(compte personnel\)">(.*?)</tr>', html, re.S).group(1)
    assert fr("Prohibited") in row
    assert "OpenAI" in row
    assert fr("Outside the EU") in row
    assert fr("The vendor may reuse our data") in row
    assert fr("C0 — public / open data") in row
    assert "Interdit\u202f: utiliser Albert." in row  # in French typography (config.typography)
    secure = re.search(r'<tr data-tool="Transcripteur">(.*?)</tr>', html, re.S).group(1)
    assert fr("SecNumCloud") in secure and fr("On premises") in secure and fr("Restricted") in secure


@pytest.mark.django_db
def test_approved_tools_come_first(catalogue, users, client_for):
    html = unescape(client_for(users["agent"]).get(TOOLS_URL).content.decode())

    assert re.findall(r'data-tool="([^"]+)"', html) == ["Albert", "Transcripteur", "ChatGPT (compte personnel)"]


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    assert client.get(TOOLS_URL)["Location"].startswith(reverse("login"))
