"""The tool catalogue and the services tree through the API: scoped reads, catalogue managers' writes."""

import pytest

from registry.models import Tool, UseCaseEvent
from tests.registry.factories import ServiceFactory, ToolFactory

TOOLS_URL = "/api/v1/tools/"
SERVICES_URL = "/api/v1/services/"


def new_tool(**fields):
    payload = {
        "name": "Transcripteur",
        "vendor": "Éditeur SAS",
        "category": "transcription",
        "hosting_zone": "fr",
        "status": "approved",
        "max_data_classification": "C2",
    }
    payload.update(fields)
    return payload


@pytest.fixture
def catalogue(collectivite, other_collectivite, tool):
    return {
        "albert": tool,
        "chatgpt": ToolFactory(
            collectivite=collectivite, name="ChatGPT", vendor="OpenAI", hosting_zone="non_eu", status="prohibited"
        ),
        "deepl": ToolFactory(
            collectivite=collectivite, name="DeepL", vendor="DeepL SE", category="translation", status="restricted"
        ),
        "elsewhere": ToolFactory(collectivite=other_collectivite, name="Outil voisin"),
    }


class TestToolsRead:
    @pytest.mark.parametrize("role", ["agent", "chef", "dpo", "rssi", "comite", "dgs", "admin"])
    def test_every_member_reads_the_catalogue_of_their_collectivite_only(self, catalogue, users, api_for, role):
        response = api_for(users[role]).get(TOOLS_URL)
        assert response.status_code == 200
        assert [row["name"] for row in response.json()["results"]] == ["Albert", "ChatGPT", "DeepL"]

    def test_a_tool_of_another_collectivite_is_404(self, catalogue, users, api_for):
        response = api_for(users["dpo"]).get(f"{TOOLS_URL}{catalogue['elsewhere'].pk}/")
        assert response.status_code == 404

    def test_the_outsider_sees_only_their_own_catalogue(self, catalogue, outsider, api_for):
        client = api_for(outsider)
        assert [row["name"] for row in client.get(TOOLS_URL).json()["results"]] == ["Outil voisin"]
        assert client.get(f"{TOOLS_URL}{catalogue['albert'].pk}/").status_code == 404

    def test_a_tool_shows_its_codes(self, catalogue, users, api_for):
        body = api_for(users["agent"]).get(f"{TOOLS_URL}{catalogue['chatgpt'].pk}/").json()
        assert body["status"] == "prohibited"
        assert body["hosting_zone"] == "non_eu"
        assert body["max_data_classification"] == "C2"
        assert body["category"] == "general_chatbot"

    def test_filters_and_search(self, catalogue, users, api_for):
        client = api_for(users["agent"])

        def names(**params):
            return {row["name"] for row in client.get(TOOLS_URL, params).json()["results"]}

        assert names(status="prohibited") == {"ChatGPT"}
        assert names(category="translation") == {"DeepL"}
        assert names(hosting_zone="fr") == {"Albert", "DeepL"}
        assert names(search="openai") == {"ChatGPT"}
        assert names(search="alb") == {"Albert"}

    def test_an_unknown_code_in_a_filter_is_a_400_with_the_allowed_values(self, catalogue, users, api_for):
        response = api_for(users["agent"]).get(TOOLS_URL, {"status": "banned"})
        assert response.status_code == 400
        assert "approved, restricted, under_review, prohibited" in response.json()["errors"]["status"][0]

    def test_the_list_costs_a_fixed_number_of_queries(
        self, collectivite, users, api_for, django_assert_max_num_queries
    ):
        client = api_for(users["agent"])
        for _ in range(3):
            ToolFactory(collectivite=collectivite)
        with django_assert_max_num_queries(5):
            client.get(TOOLS_URL)
        for _ in range(30):
            ToolFactory(collectivite=collectivite)
        with django_assert_max_num_queries(5):
            assert len(client.get(TOOLS_URL).json()["results"]) == 33


class TestToolsWrite:
    @pytest.mark.parametrize("role", ["dpo", "rssi", "admin"])
    def test_catalogue_managers_add_a_tool_to_their_collectivite(self, users, api_for, collectivite, role):
        response = api_for(users[role]).post(TOOLS_URL, new_tool(), format="json")
        assert response.status_code == 201, response.json()
        tool = Tool.objects.get(pk=response.json()["id"])
        assert tool.collectivite == collectivite
        assert response.json()["collectivite"] == collectivite.pk

    @pytest.mark.parametrize("role", ["agent", "chef", "comite", "dgs"])
    def test_other_roles_may_not_add_or_change_tools(self, catalogue, users, api_for, role):
        client = api_for(users[role])
        assert client.post(TOOLS_URL, new_tool(), format="json").status_code == 403
        albert = catalogue["albert"]
        assert client.patch(f"{TOOLS_URL}{albert.pk}/", {"status": "prohibited"}, format="json").status_code == 403
        albert.refresh_from_db()
        assert albert.status == "approved"
        assert not Tool.objects.filter(name="Transcripteur").exists()

    def test_a_tool_of_another_collectivite_cannot_be_changed(self, catalogue, users, api_for):
        response = api_for(users["dpo"]).patch(
            f"{TOOLS_URL}{catalogue['elsewhere'].pk}/", {"status": "prohibited"}, format="json"
        )
        assert response.status_code == 404

    def test_there_is_no_deletion(self, catalogue, users, api_for):
        assert api_for(users["dpo"]).delete(f"{TOOLS_URL}{catalogue['albert'].pk}/").status_code == 405

    def test_an_unknown_code_is_refused_naming_the_field(self, users, api_for):
        response = api_for(users["dpo"]).post(TOOLS_URL, new_tool(hosting_zone="mars"), format="json")
        assert response.status_code == 400
        assert "on_premise, fr, eu, non_eu, unknown" in response.json()["errors"]["hosting_zone"][0]

    def test_a_duplicate_name_is_refused_on_the_name(self, catalogue, users, api_for):
        response = api_for(users["dpo"]).post(TOOLS_URL, new_tool(name="Albert"), format="json")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["name"]

    def test_the_same_name_is_fine_in_another_collectivite(self, catalogue, outsider, api_for):
        response = api_for(outsider).post(TOOLS_URL, new_tool(name="Albert"), format="json")
        assert response.status_code == 201

    def test_prohibiting_a_tool_reclassifies_the_use_cases_relying_on_it(self, use_case, users, api_for, tool):
        # Given a draft using Albert, not blocked
        assert not use_case.blocked
        # When the RSSI prohibits Albert
        response = api_for(users["rssi"]).patch(f"{TOOLS_URL}{tool.pk}/", {"status": "prohibited"}, format="json")
        # Then the use case is blocked, with the reason, a new version and an event
        assert response.status_code == 200
        use_case.refresh_from_db()
        assert use_case.blocked
        assert "block_tool_prohibited" in {reason.code for reason in use_case.reasons}
        assert use_case.version == 2
        assert use_case.events.filter(kind=UseCaseEvent.Kind.RECLASSIFIED).exists()

    def test_a_change_without_effect_on_classification_leaves_use_cases_alone(self, use_case, users, api_for, tool):
        response = api_for(users["rssi"]).patch(f"{TOOLS_URL}{tool.pk}/", {"conditions": "Compte pro"}, format="json")
        assert response.status_code == 200
        use_case.refresh_from_db()
        assert use_case.version == 1


class TestServices:
    @pytest.mark.parametrize("role", ["agent", "comite", "dgs"])
    def test_members_read_the_tree_of_their_collectivite(self, services, users, outsider, api_for, role):
        response = api_for(users[role]).get(SERVICES_URL)
        assert response.status_code == 200
        rows = response.json()["results"]
        assert [(row["code"], row["parent"], row["depth"]) for row in rows] == [
            ("DSOL", None, 0),
            ("CCAS", services["direction"].pk, 1),
            ("LOG", services["direction"].pk, 1),
            ("COM", None, 0),
        ]

    def test_a_service_of_another_collectivite_is_404(self, services, users, outsider, other_collectivite, api_for):
        foreign = ServiceFactory(collectivite=other_collectivite)
        client = api_for(users["agent"])
        assert client.get(f"{SERVICES_URL}{foreign.pk}/").status_code == 404
        assert client.get(f"{SERVICES_URL}{services['ccas'].pk}/").json()["name"] == "CCAS"

    def test_the_services_are_read_only(self, services, users, api_for):
        client = api_for(users["admin"])
        assert client.post(SERVICES_URL, {"code": "X", "name": "X"}, format="json").status_code == 405
        assert client.patch(f"{SERVICES_URL}{services['ccas'].pk}/", {"name": "X"}, format="json").status_code == 405

    def test_the_list_costs_a_fixed_number_of_queries(
        self, collectivite, services, users, api_for, django_assert_max_num_queries
    ):
        client = api_for(users["agent"])
        with django_assert_max_num_queries(5):
            client.get(SERVICES_URL)
        for index in range(20):
            ServiceFactory(collectivite=collectivite, parent=services["direction"], code=f"X{index}")
        with django_assert_max_num_queries(5):
            assert len(client.get(SERVICES_URL).json()["results"]) == 24

    def test_a_service_shows_its_place_in_the_tree(self, services, users, api_for):
        row = api_for(users["agent"]).get(f"{SERVICES_URL}{services['ccas'].pk}/").json()
        assert row == {
            "id": services["ccas"].pk,
            "code": "CCAS",
            "name": "CCAS",
            "parent": services["direction"].pk,
            "depth": 1,
        }
