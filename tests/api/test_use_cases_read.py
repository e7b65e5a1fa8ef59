"""Reading the register through the API: what each role sees, 404 outside it, filters, and query counts."""

import pytest
from django.utils import translation

from core.roles import Role
from registry import rules
from registry.services import use_case_classify
from tests.api.conftest import VISIBLE
from tests.registry.factories import MembershipFactory, ToolFactory, UseCaseFactory, UserFactory

LIST_URL = "/api/v1/use-cases/"


def detail_url(use_case):
    return f"/api/v1/use-cases/{use_case.pk}/"


def names(response):
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_each_role_lists_exactly_its_part_of_the_register(register, users, api_for, role):
    # Given the register spread over services, statuses and owners
    # When a user of a given role lists it
    response = api_for(users[role]).get(LIST_URL, {"page_size": 100})
    # Then they see exactly what their role allows, and nothing of the other collectivité
    assert names(response) == VISIBLE[role]
    assert response.json()["count"] == len(VISIBLE[role])


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_each_role_reads_what_it_sees_and_gets_404_for_the_rest(register, users, api_for, role):
    client = api_for(users[role])
    for key, use_case in register.items():
        response = client.get(detail_url(use_case))
        expected = 200 if key in VISIBLE[role] else 404
        assert response.status_code == expected, (role, key)


def test_the_outsider_sees_an_empty_register_here_and_404_on_our_use_cases(register, outsider, api_for):
    # Given the DPO of the next commune, who has no role in ours
    client = api_for(outsider)
    # When they name our collectivité, where they hold no role: refused, with the reason
    named = client.get(LIST_URL, HTTP_X_COLLECTIVITE="bellerive")
    assert named.status_code == 403
    with translation.override("fr"):
        assert named.json()["message"] == translation.gettext("You hold no role in this collectivité.")
    # When they list the register and read one of our use cases in their own collectivité
    listing = client.get(LIST_URL)
    detail = client.get(detail_url(register["ccas_approved"]))
    # Then they only ever see their own collectivité's use case, and ours does not exist for them
    assert [row["id"] for row in listing.json()["results"]] == [register["elsewhere"].pk]
    assert detail.status_code == 404
    with translation.override("fr"):
        assert detail.json() == {"message": translation.gettext("Not found."), "errors": {}}


def test_the_outsider_lists_nothing_of_ours(use_case, outsider, api_for):
    response = api_for(outsider).get(LIST_URL)
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert response.json()["results"] == []


def test_a_user_with_roles_in_two_collectivites_chooses_with_the_header(register, collectivite, users, api_for):
    # Given our DPO who is also an agent of the next commune
    other = register["elsewhere"].collectivite
    MembershipFactory(user=users["dpo"], collectivite=other, role=Role.DPO)
    client = api_for(users["dpo"])
    # When they name the other collectivité in the X-Collectivite header
    there = client.get(LIST_URL, HTTP_X_COLLECTIVITE=other.slug)
    here = client.get(LIST_URL, HTTP_X_COLLECTIVITE=str(collectivite.pk))
    # Then each list is that collectivité's register
    assert [row["id"] for row in there.json()["results"]] == [register["elsewhere"].pk]
    assert len(here.json()["results"]) == len(VISIBLE["dpo"])


def test_a_use_case_shows_its_fields_codes_and_explained_classification(users, api_for, collectivite, services, tool):
    # Given a CCAS chatbot for the public, processing health data, using the catalogue's Albert
    use_case = UseCaseFactory(
        collectivite=collectivite,
        service=services["ccas"],
        owner=users["agent"],
        tool=tool,
        art50_features=["chatbot"],
        audience="public",
        personal_data_categories=["health", "ordinary"],
        max_data_classification="C2",
    )
    # When its owner reads it
    body = api_for(users["agent"]).get(detail_url(use_case)).json()
    # Then identity, ownership with readable names, inputs as codes and the derived classification are there
    assert body["reference"] == use_case.reference
    assert body["service"] == services["ccas"].pk
    assert body["service_detail"] == {"id": services["ccas"].pk, "code": "CCAS", "name": "CCAS"}
    assert body["owner"] == users["agent"].pk
    assert body["owner_detail"]["username"] == "agent"
    assert body["tool_detail"] == {"id": tool.pk, "name": "Albert", "status": "approved"}
    assert body["status"] == "draft"
    assert body["version"] == 1
    assert body["art50_features"] == ["chatbot"]
    assert body["personal_data_categories"] == ["health", "ordinary"]
    assert body["annex_iii_point"] is None
    assert body["ai_act_risk"] == "limited"
    assert body["rgpd_sensitivity"] == "special"
    assert body["ethics_review_required"] is True
    assert body["dpia_required"] is True
    assert "transparency_notice" in body["required_checkpoints"]
    reasons = {reason["code"]: reason for reason in body["reasons"]}
    assert set(reasons["ethics_public_chatbot"]) == {
        "code",
        "kind",
        "basis",
        "explanation",
        "supports",
        "is_policy",
        "applies_from",
        "pending",
    }
    assert reasons["ethics_public_chatbot"]["kind"] == "obligation"
    # The collectivité's review policy says it is one; the AI Act's Art. 50 duty gives its date of application
    assert reasons["ethics_public_chatbot"]["is_policy"] is True
    assert reasons["ethics_public_chatbot"]["supports"] == ["ethics_review_required"]
    assert reasons["art50_chatbot"]["is_policy"] is False
    assert reasons["art50_chatbot"]["applies_from"] == "2026-08-02"
    # The new inputs with their defaults, and what the engine derived them with
    assert body["ai_system"] is True
    assert body["classification_ruleset"] == rules.RULESET_VERSION
    assert body["ai_act_role"] == "deployer"
    assert body["annex_i_product"] is False
    assert body["care_context"] is False
    assert body["systematic_monitoring"] is False
    assert body["cnil_list_types"] == []
    assert all(reason["basis"] and reason["explanation"] for reason in body["reasons"])
    for name in ("created_at", "updated_at", "submitted_at", "collectivite", "blocked", "fria_required"):
        assert name in body


class TestFilters:
    @pytest.fixture
    def dpo(self, register, users, api_for):
        return api_for(users["dpo"])

    def test_by_service_includes_the_services_below_a_direction(self, dpo, services):
        direction = names(dpo.get(LIST_URL, {"service": services["direction"].pk}))
        ccas = names(dpo.get(LIST_URL, {"service": services["ccas"].pk}))
        assert "logement_approved" in direction and "ccas_approved" in direction
        assert "com_approved" not in direction
        assert "logement_approved" not in ccas

    def test_by_status(self, dpo):
        assert names(dpo.get(LIST_URL, {"status": "submitted"})) == {"ccas_submitted", "com_submitted_ethics"}

    def test_by_derived_classification(self, dpo):
        assert names(dpo.get(LIST_URL, {"ethics_review_required": "true"})) == {
            "com_submitted_ethics",
            "com_draft_ethics",
        }
        assert names(dpo.get(LIST_URL, {"ai_act_risk": "limited"})) == {"com_submitted_ethics", "com_draft_ethics"}
        assert "com_approved" in names(dpo.get(LIST_URL, {"rgpd_sensitivity": "none", "blocked": "false"}))
        assert names(dpo.get(LIST_URL, {"dpia_required": "true"})) == set()

    def test_by_ai_system_and_technique(self, dpo, register):
        # Given a scale written by the agents (not an AI system) and an expert system among the register's AI uses
        register["com_approved"].technique = "rules"
        use_case_classify(use_case=register["com_approved"])
        register["com_approved"].save()
        register["logement_approved"].technique = "expert_system"
        use_case_classify(use_case=register["logement_approved"])
        register["logement_approved"].save()
        # Then the register can be read by what is, or is not, an AI system
        assert names(dpo.get(LIST_URL, {"ai_system": "false"})) == {"com_approved"}
        assert "com_approved" not in names(dpo.get(LIST_URL, {"ai_system": "true"}))
        assert names(dpo.get(LIST_URL, {"ai_act_risk": "out_of_scope"})) == {"com_approved"}
        assert names(dpo.get(LIST_URL, {"technique": "rules"})) == {"com_approved"}
        assert names(dpo.get(LIST_URL, {"technique": "expert_system"})) == {"logement_approved"}
        refused = dpo.get(LIST_URL, {"technique": "magic"})
        assert refused.status_code == 400
        assert "rules, expert_system, ml_predictive" in refused.json()["errors"]["technique"][0]

    def test_by_tool(self, dpo, tool):
        assert names(dpo.get(LIST_URL, {"tool": tool.pk})) == {"ccas_draft"}

    def test_a_tool_or_service_of_another_collectivite_is_refused(self, dpo, register, outsider):
        other_tool = ToolFactory(collectivite=register["elsewhere"].collectivite)
        response = dpo.get(LIST_URL, {"tool": other_tool.pk, "service": register["elsewhere"].service_id})
        assert response.status_code == 400
        assert set(response.json()["errors"]) == {"tool", "service"}

    def test_an_unknown_code_is_refused_naming_the_filter_and_the_allowed_values(self, dpo):
        response = dpo.get(LIST_URL, {"ai_act_risk": "extreme"})
        assert response.status_code == 400
        [message] = response.json()["errors"]["ai_act_risk"]
        assert "extreme" in message
        assert "prohibited, high, limited, minimal, out_of_scope" in message

    def test_search_in_reference_name_and_summary(self, dpo, register):
        assert names(dpo.get(LIST_URL, {"search": "logement_app"})) == {"logement_approved"}
        assert names(dpo.get(LIST_URL, {"search": register["com_approved"].reference})) == {"com_approved"}
        register["com_approved"].summary = "Tri automatique du courrier des usagers"
        register["com_approved"].save()
        assert names(dpo.get(LIST_URL, {"search": "courrier des usagers"})) == {"com_approved"}

    def test_ordering_by_name_and_by_risk_severity(self, dpo, register):
        ordered = [row["name"] for row in dpo.get(LIST_URL, {"ordering": "name"}).json()["results"]]
        assert ordered == sorted(ordered)
        riskiest_first = dpo.get(LIST_URL, {"ordering": "-ai_act_risk"}).json()["results"]
        assert [row["ai_act_risk"] for row in riskiest_first[:2]] == ["limited", "limited"]
        assert riskiest_first[-1]["ai_act_risk"] == "minimal"
        # Outside the AI Act comes after its lightest level
        register["com_approved"].technique = "rules"
        use_case_classify(use_case=register["com_approved"])
        register["com_approved"].save()
        riskiest_first = dpo.get(LIST_URL, {"ordering": "-ai_act_risk"}).json()["results"]
        assert riskiest_first[-1]["name"] == "com_approved"

    def test_page_size(self, dpo):
        response = dpo.get(LIST_URL, {"page_size": 2})
        body = response.json()
        assert len(body["results"]) == 2
        assert body["count"] == 9
        assert body["next"]


def _fill(collectivite, services, tool, count):
    owners = [UserFactory() for _ in range(3)]
    for index in range(count):
        UseCaseFactory(
            collectivite=collectivite,
            service=services["ccas" if index % 2 else "logement"],
            owner=owners[index % 3],
            tool=tool if index % 3 else None,
            status="approved" if index % 4 else "draft",
            personal_data_categories=["ordinary"],
        )


# Token lookup, collectivité, memberships, count, page: whatever the number of rows.
LIST_QUERIES = 5


@pytest.mark.parametrize("role", ["dpo", "chef", "agent", "comite"])
def test_the_list_costs_the_same_number_of_queries_for_5_or_50_rows(
    collectivite, services, users, tool, api_for, django_assert_max_num_queries, role
):
    client = api_for(users[role])
    # Given 5 use cases
    _fill(collectivite, services, tool, 5)
    with django_assert_max_num_queries(LIST_QUERIES):
        assert client.get(LIST_URL, {"page_size": 100}).status_code == 200
    # Given 50 use cases
    _fill(collectivite, services, tool, 45)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(LIST_URL, {"page_size": 100})
    assert response.status_code == 200
    if role in ("dpo", "chef"):
        assert len(response.json()["results"]) == 50


def test_the_list_rows_carry_the_register_columns_and_view_full_gives_every_field(users, api_for, use_case):
    client = api_for(users["dpo"])
    detail = client.get(detail_url(use_case)).json()

    row = client.get(LIST_URL).json()["results"][0]
    full = client.get(LIST_URL, {"view": "full"}).json()["results"][0]

    # a summary row: the list's columns and the classification's conclusions, no texts and no reasons
    from registry.api.serializers import USE_CASE_LIST_FIELDS

    assert set(row) == set(USE_CASE_LIST_FIELDS)
    assert {key: detail[key] for key in USE_CASE_LIST_FIELDS} == row
    assert "reasons" not in row and "description" not in row
    # the full view: each row exactly as the use case's own endpoint gives it
    assert full == detail


def test_an_unknown_view_is_refused_naming_the_allowed_values(users, api_for):
    response = api_for(users["dpo"]).get(LIST_URL, {"view": "everything"})

    assert response.status_code == 400
    assert "summary, full" in response.json()["errors"]["view"][0]


@pytest.mark.parametrize("view", ["summary", "full"])
def test_both_views_cost_the_same_number_of_queries_for_5_or_50_rows(
    collectivite, services, users, tool, api_for, django_assert_max_num_queries, view
):
    client = api_for(users["dpo"])
    _fill(collectivite, services, tool, 5)
    with django_assert_max_num_queries(LIST_QUERIES):
        client.get(LIST_URL, {"page_size": 100, "view": view})
    _fill(collectivite, services, tool, 45)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(LIST_URL, {"page_size": 100, "view": view})
    assert len(response.json()["results"]) == 50
