"""Shadow-AI declarations through the API: declaring (named, anonymous, twice, too often, wrongly), who reads
what, the triage actions per role and status, the view by tool, and the cost of the lists."""

import datetime as dt
import json
import re
import uuid
import zoneinfo

import pytest
import time_machine
import yaml
from django.core.cache import cache

from declarations import services as declaration_services
from declarations.models import Declaration, DeclarationEvent
from registry.models import Tool, UseCase
from tests.registry.factories import ToolFactory, UseCaseFactory

LIST_URL = "/api/v1/declarations/"
BY_TOOL_URL = "/api/v1/declarations/by-tool/"
TRIAGE_ROLES = ("dpo", "rssi", "admin")


def detail_url(declaration):
    return f"{LIST_URL}{declaration.pk}/"


def action_url(declaration, name):
    return f"{LIST_URL}{declaration.pk}/{name}/"


def answers(**overrides):
    """What an agent tells us: ChatGPT on their phone, personal account, residents' letters."""
    data = {
        "tool_name": "ChatGPT",
        "category": "general_chatbot",
        "tasks": "Rédiger des courriers aux usagers",
        "frequency": "weekly",
        "used_since": "2025-01-15",
        "device": "personal_device",
        "account": "personal_free",
        "data_entered": ["ordinary", "internal"],
        "output_use": ["sent_to_users"],
        "human_review": "always",
        "time_saved_minutes": 90,
        "need": "Répondre plus vite",
    }
    data.update(overrides)
    return data


def declared(collectivite, user, *, anonymous=False, **overrides):
    """A declaration made through the service, as the form or the API makes it."""
    data = answers(**overrides)
    data.pop("used_since")
    data.setdefault("tool", None)
    declaration, _created = declaration_services.declaration_submit(
        collectivite=collectivite, acting_user=user, data=data, anonymous=anonymous, submission_key=uuid.uuid4()
    )
    return declaration


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    """The per-user counter lives in the cache: each test starts from zero, with room for its fixtures."""
    settings.DECLARATION_RATE_LIMIT = 1000
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def albert(collectivite):
    """The approved chatbot of the catalogue, for internal documents and personal data (C2)."""
    return ToolFactory(
        collectivite=collectivite,
        name="Albert",
        category="general_chatbot",
        status="approved",
        max_data_classification="C2",
    )


@pytest.fixture
def declarations(collectivite, users, second_role_user):
    """Two agents' named declarations and an anonymous one."""
    return {
        "agent": declared(collectivite, users["agent"]),
        "other_agent": declared(collectivite, second_role_user, data_entered=["health"], tasks="Comptes rendus"),
        "anonymous": declared(collectivite, users["agent"], anonymous=True, tool_name="DeepL", category="translation"),
    }


class TestDeclare:
    def test_an_agent_declares_and_reads_its_risk_and_guidance_at_once(
        self, collectivite, users, api_for, albert, services
    ):
        # Given an agent using ChatGPT on a personal account for residents' letters
        # When they declare it
        response = api_for(users["agent"]).post(LIST_URL, answers(), format="json")
        # Then it is recorded as theirs, in their service, with the tool entering the catalogue under review
        assert response.status_code == 201, response.json()
        body = response.json()
        declaration = Declaration.objects.get(pk=body["id"])
        assert declaration.author == users["agent"] and declaration.service == services["ccas"]
        assert body["reference"].startswith("DEC-") and body["status"] == "received"
        assert body["anonymous"] is False and body["follow_up_code"] is None
        assert Tool.objects.get(pk=body["tool"]).status == "under_review"
        assert body["tool_detail"]["name"] == "ChatGPT"
        # with the assessment, each point explained
        assert body["risk_score"] == declaration.risk_score > 0
        assert body["risk_level"] in {"high", "critical"}
        factors = {factor["code"]: factor for factor in body["risk_factors"]}
        assert {"tool_under_review", "personal_data", "account", "device"} <= set(factors)
        assert all(factor["explanation"] and factor["points"] > 0 for factor in body["risk_factors"])
        # personal data in a personal account: a possible breach with its 72-hour deadline (RGPD art. 33)
        assert body["possible_breach"] is True and body["breach_deadline"]
        # and the guidance: the tool is under review, Albert is the approved alternative, no personal data
        guidance = body["guidance"]
        assert guidance["verdict"] == "under_review"
        assert guidance["alternative"] == {"name": "Albert", "max_data_classification": "C2", "conditions": ""}
        assert set(guidance["forbidden_data"]) == {"internal", "ordinary"}
        assert guidance["allowed_level"] is None
        assert "conditions" in guidance and "charter_url" in guidance
        # the agent does not see an author field filled, even their own: only the triage roles do
        assert body["author"] is None and body["history"] == []

    def test_the_guidance_offers_a_tool_of_the_same_kind_with_its_conditions_and_the_charter_in_force(
        self, collectivite, users, api_for, albert
    ):
        from charter.models import CharterEdition

        # Given the residents' website chatbot, also an approved general chatbot up to C2, and a published charter
        website = ToolFactory(
            collectivite=collectivite,
            name="Dialogue Citoyen",
            category="general_chatbot",
            status="approved",
            max_data_classification="C2",
        )
        UseCaseFactory(collectivite=collectivite, tool=website, audience="public")
        Tool.objects.filter(pk=albert.pk).update(conditions="Compte nominatif.")
        CharterEdition.objects.create(collectivite=collectivite, year=2026, status=CharterEdition.Status.PUBLISHED)
        # When an agent declares the free ChatGPT
        response = api_for(users["agent"]).post(LIST_URL, answers(), format="json")
        # Then Albert is offered with its conditions, and the charter is the edition published in the app
        guidance = response.json()["guidance"]
        assert guidance["alternative"] == {
            "name": "Albert",
            "max_data_classification": "C2",
            "conditions": "Compte nominatif.",
        }
        assert guidance["charter_url"] == "http://testserver/charte/"

    def test_a_catalogue_tool_is_chosen_by_id(self, users, api_for, albert):
        response = api_for(users["agent"]).post(
            LIST_URL, answers(tool=albert.pk, tool_name="", account="professional"), format="json"
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["tool"] == albert.pk and body["guidance"]["verdict"] == "approved"
        assert body["guidance"]["allowed_level"] == "C2" and body["guidance"]["forbidden_data"] == []

    def test_an_anonymous_declaration_keeps_no_author_and_gives_its_code_once(self, collectivite, users, api_for):
        # When an agent declares anonymously
        response = api_for(users["agent"]).post(LIST_URL, answers(anonymous=True), format="json")
        # Then nothing links the declaration to them
        assert response.status_code == 201, response.json()
        body = response.json()
        declaration = Declaration.objects.get(pk=body["id"])
        assert declaration.author is None and declaration.service is None
        assert declaration.events.get().actor is None
        assert body["anonymous"] is True and body["author"] is None
        # and the follow-up code is in this response only
        assert body["follow_up_code"] == declaration.follow_up_code
        code = declaration.follow_up_code
        agent_list = api_for(users["agent"]).get(LIST_URL)
        assert agent_list.json()["count"] == 0  # not even the author finds it: it is no longer "theirs"
        assert api_for(users["agent"]).get(detail_url(declaration)).status_code == 404
        # the DPO reads it, but never its author nor its code
        dpo = api_for(users["dpo"])
        listing, detail = dpo.get(LIST_URL), dpo.get(detail_url(declaration))
        assert detail.status_code == 200
        assert detail.json()["author"] is None and "follow_up_code" not in detail.json()
        assert [row["author"] for row in listing.json()["results"]] == [None]
        for response in (listing, detail):
            assert code not in response.content.decode()
            assert str(users["agent"]) not in response.content.decode()
        assert [event["actor"] for event in detail.json()["history"]] == [None]

    def test_sending_the_same_key_twice_records_one_declaration(self, users, api_for):
        client = api_for(users["agent"])
        key = str(uuid.uuid4())
        first = client.post(LIST_URL, answers(submission_key=key), format="json")
        second = client.post(LIST_URL, answers(submission_key=key), format="json")
        assert (first.status_code, second.status_code) == (201, 200)
        assert first.json()["id"] == second.json()["id"]
        assert Declaration.objects.count() == 1

    def test_the_idempotency_key_header_serves_when_the_body_has_no_key(self, users, api_for):
        client = api_for(users["agent"])
        key = str(uuid.uuid4())
        first = client.post(LIST_URL, answers(), format="json", HTTP_IDEMPOTENCY_KEY=key)
        second = client.post(LIST_URL, answers(), format="json", HTTP_IDEMPOTENCY_KEY=key)
        assert (first.status_code, second.status_code) == (201, 200)
        assert Declaration.objects.get().submission_key == uuid.UUID(key)

    def test_without_any_key_each_post_is_a_new_declaration(self, users, api_for):
        client = api_for(users["agent"])
        assert client.post(LIST_URL, answers(), format="json").status_code == 201
        assert client.post(LIST_URL, answers(), format="json").status_code == 201
        assert Declaration.objects.count() == 2

    def test_a_bad_idempotency_key_is_refused(self, users, api_for):
        response = api_for(users["agent"]).post(LIST_URL, answers(), format="json", HTTP_IDEMPOTENCY_KEY="twice")
        assert response.status_code == 400
        assert "submission_key" in response.json()["errors"]
        assert not Declaration.objects.exists()

    def test_a_repeated_anonymous_declaration_does_not_repeat_its_code(self, users, api_for):
        client = api_for(users["agent"])
        key = str(uuid.uuid4())
        client.post(LIST_URL, answers(anonymous=True, submission_key=key), format="json")
        again = client.post(LIST_URL, answers(anonymous=True, submission_key=key), format="json")
        assert again.status_code == 200
        assert again.json()["follow_up_code"] is None and again.json()["author"] is None

    def test_someone_elses_key_does_not_return_their_declaration(self, collectivite, users, api_for):
        # Given the agent's named declaration
        key = str(uuid.uuid4())
        api_for(users["agent"]).post(LIST_URL, answers(submission_key=key, tasks="Mon secret"), format="json")
        # When a colleague sends the same key
        response = api_for(users["chef"]).post(LIST_URL, answers(submission_key=key), format="json")
        # Then they get a conflict, not the agent's declaration
        assert response.status_code == 409
        assert "Mon secret" not in response.content.decode()
        assert set(response.json()) == {"message", "errors"}
        assert Declaration.objects.count() == 1

    def test_someone_elses_anonymous_key_answers_409_and_reveals_nothing_of_it(self, users, api_for):
        # Given an agent's anonymous declaration
        key = str(uuid.uuid4())
        created = api_for(users["agent"]).post(
            LIST_URL, answers(anonymous=True, submission_key=key, tasks="Mon secret"), format="json"
        )
        assert created.status_code == 201
        declaration = Declaration.objects.get()
        # When a colleague sends the same key
        response = api_for(users["chef"]).post(LIST_URL, answers(anonymous=True, submission_key=key), format="json")
        # Then they learn nothing: neither its answers, nor its reference, nor its follow-up code
        assert response.status_code == 409
        assert set(response.json()) == {"message", "errors"} and "submission_key" in response.json()["errors"]
        text = response.content.decode()
        for secret in ("Mon secret", declaration.reference, declaration.follow_up_code, str(declaration.pk)):
            assert secret not in text
        assert Declaration.objects.count() == 1
        # while its author, sending it again, finds it (a double submit)
        again = api_for(users["agent"]).post(LIST_URL, answers(anonymous=True, submission_key=key), format="json")
        assert again.status_code == 200 and again.json()["id"] == declaration.pk

    def test_an_anonymous_declaration_shows_the_date_only_in_the_api(self, collectivite, users, api_for):
        paris = zoneinfo.ZoneInfo("Europe/Paris")
        with time_machine.travel(dt.datetime(2026, 3, 3, 14, 37, 12, tzinfo=paris), tick=False):
            created = api_for(users["agent"]).post(LIST_URL, answers(anonymous=True), format="json")
            named = api_for(users["agent"]).post(LIST_URL, answers(), format="json")
            declaration = Declaration.objects.get(pk=created.json()["id"])
            api_for(users["dpo"]).post(action_url(declaration, "ask-to-stop"), {"message": "Merci."}, format="json")
        dpo = api_for(users["dpo"])
        detail = dpo.get(detail_url(declaration)).json()
        for body in (created.json(), detail):
            assert not re.search(r"1[34]:37", json.dumps(body))
        assert detail["created_at"] == detail["updated_at"] == detail["answered_at"] == "2026-03-03T00:00:00+01:00"
        assert detail["breach_deadline"] == "2026-03-06T00:00:00+01:00"
        assert {event["created_at"] for event in detail["history"]} == {"2026-03-03T00:00:00+01:00"}
        listed = {row["id"]: row for row in dpo.get(LIST_URL).json()["results"]}
        assert listed[declaration.pk]["created_at"] == "2026-03-03T00:00:00+01:00"
        # a named declaration keeps its time
        assert listed[named.json()["id"]]["created_at"].startswith("2026-03-03T14:37:12")

    def test_a_key_used_in_another_collectivite_does_not_return_its_declaration(self, users, outsider, api_for):
        key = str(uuid.uuid4())
        api_for(users["agent"]).post(LIST_URL, answers(submission_key=key, tasks="Mon secret"), format="json")
        response = api_for(outsider).post(LIST_URL, answers(submission_key=key), format="json")
        assert response.status_code == 409
        assert "Mon secret" not in response.content.decode()
        assert Declaration.objects.count() == 1

    def test_an_unknown_code_is_refused_naming_the_field_and_the_allowed_values(self, users, api_for):
        response = api_for(users["agent"]).post(
            LIST_URL, answers(account="borrowed", data_entered=["gossip"]), format="json"
        )
        assert response.status_code == 400
        body = response.json()
        assert set(body) == {"message", "errors"} and body["message"]
        assert "personal_free, personal_paid, professional, api" in body["errors"]["account"][0]
        assert "borrowed" in body["errors"]["account"][0]
        assert "credentials_or_code" in body["errors"]["data_entered"][0]
        assert not Declaration.objects.exists()

    def test_missing_answers_are_named(self, users, api_for):
        response = api_for(users["agent"]).post(
            LIST_URL, answers(tool_name="", data_entered=[], tasks=""), format="json"
        )
        assert response.status_code == 400
        assert {"data_entered", "tasks"} <= set(response.json()["errors"])
        # the tool is checked once the codes are right: the catalogue or a name
        response = api_for(users["agent"]).post(LIST_URL, answers(tool_name=""), format="json")
        assert response.status_code == 400 and "tool" in response.json()["errors"]
        assert not Declaration.objects.exists()

    def test_a_tool_or_service_of_another_collectivite_is_unknown(self, other_collectivite, users, api_for):
        elsewhere = ToolFactory(collectivite=other_collectivite, name="Ailleurs")
        response = api_for(users["agent"]).post(LIST_URL, answers(tool=elsewhere.pk), format="json")
        assert response.status_code == 400 and "tool" in response.json()["errors"]

    def test_declarations_are_rate_limited_per_user(self, users, api_for, settings):
        settings.DECLARATION_RATE_LIMIT = 2
        cache.clear()
        client = api_for(users["agent"])
        assert client.post(LIST_URL, answers(), format="json").status_code == 201
        assert client.post(LIST_URL, answers(), format="json").status_code == 201
        response = client.post(LIST_URL, answers(), format="json")
        assert response.status_code == 429
        assert response.json()["message"] and response.json()["errors"] == {}
        # a colleague is not held back
        assert api_for(users["dpo"]).post(LIST_URL, answers(), format="json").status_code == 201
        assert Declaration.objects.count() == 3

    def test_anyone_without_a_role_or_a_token_cannot_declare(self, api_for, anonymous, no_role_user):
        assert anonymous.post(LIST_URL, answers(), format="json").status_code == 401
        assert api_for(no_role_user).post(LIST_URL, answers(), format="json").status_code == 403
        assert not Declaration.objects.exists()


class TestRead:
    def test_an_agent_reads_only_their_own_named_declarations(self, declarations, users, api_for):
        client = api_for(users["agent"])
        assert ids(client.get(LIST_URL)) == {declarations["agent"].pk}
        assert client.get(detail_url(declarations["agent"])).status_code == 200
        assert client.get(detail_url(declarations["other_agent"])).status_code == 404

    def test_the_other_agent_cannot_read_the_first_ones(self, declarations, second_role_user, api_for):
        client = api_for(second_role_user)
        assert ids(client.get(LIST_URL)) == {declarations["other_agent"].pk}
        response = client.get(detail_url(declarations["agent"]))
        assert response.status_code == 404
        assert "Rédiger" not in response.content.decode()

    @pytest.mark.parametrize("role", ["chef", "dgs", "comite"])
    def test_heads_of_service_and_others_see_none_of_their_agents_declarations(
        self, declarations, users, api_for, role
    ):
        # no blame: a head of service, the DGS, the committee do not see who declared what
        client = api_for(users[role])
        assert ids(client.get(LIST_URL)) == set()
        for declaration in declarations.values():
            assert client.get(detail_url(declaration)).status_code == 404

    @pytest.mark.parametrize("role", TRIAGE_ROLES)
    def test_the_dpo_the_rssi_and_administrators_see_all(self, declarations, users, api_for, role):
        client = api_for(users[role])
        assert ids(client.get(LIST_URL)) == {d.pk for d in declarations.values()}
        detail = client.get(detail_url(declarations["agent"])).json()
        # with the author (never for the anonymous one) and who did what
        assert detail["author"]["id"] == users["agent"].pk
        assert detail["author"]["username"] == "agent"
        assert [(e["kind"], e["actor"]["username"]) for e in detail["history"]] == [("submitted", "agent")]
        assert client.get(detail_url(declarations["anonymous"])).json()["author"] is None

    def test_the_outsider_sees_nothing_and_gets_404(self, declarations, outsider, api_for):
        client = api_for(outsider)
        # naming our collectivité, where they hold no role, is refused; in their own, ours do not exist
        assert client.get(LIST_URL, HTTP_X_COLLECTIVITE="bellerive").status_code == 403
        assert ids(client.get(LIST_URL)) == set()
        for declaration in declarations.values():
            assert client.get(detail_url(declaration), HTTP_X_COLLECTIVITE="bellerive").status_code == 403
            assert client.get(detail_url(declaration)).status_code == 404

    def test_the_list_is_riskiest_first_and_filters_by_the_domain_codes(
        self, collectivite, users, api_for, services, albert
    ):
        low = declared(
            collectivite,
            users["agent"],
            tool=albert,
            tool_name="",
            account="professional",
            device="work_pc",
            data_entered=["public"],
            output_use=["personal_draft"],
        )
        high = declared(collectivite, users["agent"], data_entered=["health"], human_review="never")
        middle = declared(
            collectivite,
            users["dpo"],
            tool_name="DeepL",
            category="translation",
            account="personal_paid",
            device="work_pc",
        )
        assert high.risk_score > middle.risk_score > low.risk_score
        client = api_for(users["dpo"])

        def listed(**params):
            response = client.get(LIST_URL, params)
            assert response.status_code == 200, response.json()
            return [row["id"] for row in response.json()["results"]]

        assert listed() == [high.pk, middle.pk, low.pk]
        assert listed(ordering="created_at") == [low.pk, high.pk, middle.pk]
        assert listed(ordering="risk_score") == [low.pk, middle.pk, high.pk]
        assert listed(risk_level=low.risk_level) == [low.pk]
        assert listed(tool=albert.pk) == [low.pk]
        assert listed(possible_breach="false") == [low.pk]
        assert listed(service=services["direction"].pk) == [high.pk, low.pk]  # the CCAS is below it
        assert listed(search="deepl") == [middle.pk]
        assert listed(search=high.reference) == [high.pk]
        assert listed(search="courriers") == [high.pk, middle.pk, low.pk]
        declaration_services.declaration_start_analysis(declaration=middle, acting_user=users["dpo"])
        assert listed(status="analysing") == [middle.pk]
        bad = client.get(LIST_URL, {"status": "forgotten"})
        assert bad.status_code == 400
        assert "received, analysing, regularised" in bad.json()["errors"]["status"][0]


class TestQueryCounts:
    @pytest.mark.parametrize("role", ["dpo", "agent"])
    def test_the_list_costs_the_same_for_3_or_40_declarations(
        self, collectivite, users, api_for, django_assert_max_num_queries, role
    ):
        client = api_for(users[role])
        for _ in range(3):
            declared(collectivite, users["agent"])
        with django_assert_max_num_queries(LIST_QUERIES[role]):
            assert len(client.get(LIST_URL).json()["results"]) == 3
        for index in range(37):
            declared(collectivite, users["agent"], tool_name=f"Outil {index % 7}")
        with django_assert_max_num_queries(LIST_QUERIES[role]):
            assert len(client.get(LIST_URL, {"page_size": 100}).json()["results"]) == 40

    def test_the_view_by_tool_costs_the_same_for_3_or_40_declarations(
        self, collectivite, users, api_for, django_assert_max_num_queries
    ):
        client = api_for(users["dpo"])
        for _ in range(3):
            declared(collectivite, users["agent"])
        with django_assert_max_num_queries(BY_TOOL_QUERIES):
            assert len(client.get(BY_TOOL_URL).json()) == 1
        for index in range(37):
            declared(collectivite, users["agent"], tool_name=f"Outil {index % 7}")
        with django_assert_max_num_queries(BY_TOOL_QUERIES):
            assert len(client.get(BY_TOOL_URL).json()) == 8

    def test_a_declaration_with_its_history_costs_a_fixed_number(
        self, collectivite, users, api_for, django_assert_max_num_queries
    ):
        declaration = declared(collectivite, users["agent"])
        declaration_services.declaration_start_analysis(declaration=declaration, acting_user=users["dpo"])
        declaration_services.declaration_ask_to_stop(
            declaration=declaration, acting_user=users["rssi"], message="Arrêtez"
        )
        client = api_for(users["dpo"])
        with django_assert_max_num_queries(DETAIL_QUERIES):
            assert len(client.get(detail_url(declaration)).json()["history"]) == 3


# Token, collectivité and roles (3), then: count and page, plus guardian's permission for an agent; the rows'
# declarations, tools and services for the view by tool; the declaration, its history, the alternative tool of the
# guidance and the charter in force for the detail.
LIST_QUERIES = {"dpo": 5, "agent": 6}
BY_TOOL_QUERIES = 6
DETAIL_QUERIES = 7


class TestTriage:
    ACTIONS = {
        "start-analysis": {},
        "ask-to-stop": {"message": "Merci de ne plus utiliser cet outil."},
        "close": {"message": "Usage terminé."},
        "assess-breach": {"outcome": "not_a_breach", "notes": "Données fictives."},
    }

    @pytest.mark.parametrize("name", sorted(ACTIONS))
    @pytest.mark.parametrize("role", TRIAGE_ROLES)
    def test_triage_roles_act_and_get_the_updated_declaration(self, declarations, users, api_for, name, role):
        declaration = declarations["agent"]
        response = api_for(users[role]).post(action_url(declaration, name), self.ACTIONS[name], format="json")
        assert response.status_code == 200, response.json()
        body = response.json()
        declaration.refresh_from_db()
        assert body["status"] == declaration.status and body["version"] == declaration.version == 2
        assert body["history"][-1]["actor"]["username"] == users[role].username

    @pytest.mark.parametrize("name", [*sorted(ACTIONS), "regularise", "offer-alternative"])
    def test_the_author_may_not_triage_their_own_declaration(self, declarations, users, api_for, name):
        response = api_for(users["agent"]).post(action_url(declarations["agent"], name), {"message": "x"})
        assert response.status_code == 403
        assert Declaration.objects.get(pk=declarations["agent"].pk).version == 1

    @pytest.mark.parametrize("name", [*sorted(ACTIONS), "regularise", "offer-alternative"])
    @pytest.mark.parametrize("role", ["chef", "dgs"])
    def test_those_who_do_not_see_it_get_404(self, declarations, users, api_for, name, role):
        response = api_for(users[role]).post(action_url(declarations["agent"], name), {"message": "x"})
        assert response.status_code == 404

    def test_the_outsider_gets_404(self, declarations, outsider, api_for):
        response = api_for(outsider).post(action_url(declarations["agent"], "close"), {"message": "x"})
        assert response.status_code == 404

    def test_the_status_moves_only_where_the_workflow_allows(self, declarations, users, api_for):
        client = api_for(users["dpo"])
        declaration = declarations["agent"]
        assert client.post(action_url(declaration, "start-analysis")).status_code == 200
        again = client.post(action_url(declaration, "start-analysis"))
        assert again.status_code == 409 and again.json()["message"]
        assert client.post(action_url(declaration, "close"), {"message": "Terminé"}).status_code == 200
        for name, payload in [("ask-to-stop", {"message": "Stop"}), ("close", {"message": "Encore"})]:
            assert client.post(action_url(declaration, name), payload).status_code == 409
        declaration.refresh_from_db()
        assert declaration.status == "closed"
        assert list(declaration.events.values_list("kind", flat=True)) == ["submitted", "analysing", "closed"]

    @pytest.mark.parametrize("name", ["ask-to-stop", "close", "regularise", "offer-alternative"])
    def test_an_answer_needs_a_message(self, declarations, users, api_for, albert, name):
        use_case = UseCaseFactory(collectivite=declarations["agent"].collectivite)
        payload = {"message": "   ", "use_case": use_case.pk, "alternative_tool": albert.pk}
        response = api_for(users["dpo"]).post(action_url(declarations["agent"], name), payload, format="json")
        assert response.status_code == 400
        assert "message" in response.json()["errors"]
        assert Declaration.objects.get(pk=declarations["agent"].pk).status == "received"

    def test_the_agent_reads_the_answer_on_their_declaration(self, declarations, users, api_for):
        api_for(users["dpo"]).post(
            action_url(declarations["agent"], "ask-to-stop"), {"message": "Utilisez Albert."}, format="json"
        )
        body = api_for(users["agent"]).get(detail_url(declarations["agent"])).json()
        assert (body["status"], body["answer"]) == ("to_stop", "Utilisez Albert.")
        assert body["answered_at"] and body["history"] == [] and body["author"] is None

    def test_offering_an_alternative_needs_an_approved_tool(self, declarations, users, api_for, albert):
        client = api_for(users["dpo"])
        declaration = declarations["agent"]
        unapproved = client.post(
            action_url(declaration, "offer-alternative"),
            {"alternative_tool": declaration.tool_id, "message": "Essayez ceci"},
            format="json",
        )
        assert unapproved.status_code == 400 and "alternative_tool" in unapproved.json()["errors"]
        response = client.post(
            action_url(declaration, "offer-alternative"),
            {"alternative_tool": albert.pk, "message": "Albert est approuvé."},
            format="json",
        )
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "alternative_offered"
        assert response.json()["alternative_tool_detail"]["name"] == "Albert"

    def test_the_breach_assessment_is_recorded_and_shown_to_the_triage_roles_only(self, declarations, users, api_for):
        declaration = declarations["agent"]
        client = api_for(users["dpo"])
        bad = client.post(action_url(declaration, "assess-breach"), {"outcome": "maybe"}, format="json")
        assert bad.status_code == 400 and "not_a_breach" in bad.json()["errors"]["outcome"][0]
        response = client.post(
            action_url(declaration, "assess-breach"),
            {"outcome": "breach_not_notified", "notes": "Pas de risque pour les personnes."},
            format="json",
        )
        assert response.status_code == 200
        assessment = response.json()["breach_assessment"]
        assert assessment["outcome"] == "breach_not_notified" and assessment["assessed_by"]["username"] == "dpo"
        assert response.json()["status"] == "received"  # the assessment does not answer the agent
        assert api_for(users["agent"]).get(detail_url(declaration)).json()["breach_assessment"] is None

    def test_no_breach_to_assess_on_a_declaration_without_personal_data(self, collectivite, users, api_for):
        declaration = declared(collectivite, users["agent"], data_entered=["public"])
        response = api_for(users["dpo"]).post(
            action_url(declaration, "assess-breach"), {"outcome": "not_a_breach"}, format="json"
        )
        assert response.status_code == 409


class TestRegularise:
    def test_attach_several_declarations_to_an_existing_use_case(self, declarations, users, api_for, collectivite):
        use_case = UseCaseFactory(collectivite=collectivite)
        response = api_for(users["dpo"]).post(
            action_url(declarations["agent"], "regularise"),
            {
                "use_case": use_case.pk,
                "message": "Votre usage rejoint le cas d'usage encadré.",
                "other_declarations": [declarations["other_agent"].pk, declarations["agent"].pk],
            },
            format="json",
        )
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "regularised" and response.json()["use_case"] == use_case.pk
        for key in ("agent", "other_agent"):
            declaration = Declaration.objects.get(pk=declarations[key].pk)
            assert (declaration.status, declaration.use_case_id) == ("regularised", use_case.pk)
            assert declaration.events.filter(kind=DeclarationEvent.Kind.REGULARISED, actor=users["dpo"]).exists()
        assert Declaration.objects.get(pk=declarations["anonymous"].pk).status == "received"

    def test_create_a_use_case_pre_filled_from_the_declarations(self, declarations, users, api_for, services):
        # When the DPO regularises two ChatGPT declarations into a new use case, naming only its technique
        response = api_for(users["dpo"]).post(
            action_url(declarations["agent"], "regularise"),
            {
                "new_use_case": {"technique": "genai_text"},
                "message": "Un cas d'usage encadré est ouvert pour votre usage.",
                "other_declarations": [declarations["other_agent"].pk],
            },
            format="json",
        )
        assert response.status_code == 200, response.json()
        # Then the use case exists as a draft, pre-filled from what the agents declared
        use_case = UseCase.objects.get(pk=response.json()["use_case"])
        first = declarations["agent"]
        assert use_case.status == "draft" and use_case.owner == users["dpo"]
        assert use_case.tool_id == first.tool_id and use_case.service_id == first.service_id
        assert use_case.name.startswith("ChatGPT")
        assert set(use_case.personal_data_categories) == {"ordinary", "health"}
        assert use_case.max_data_classification == "C2"
        assert "Rédiger des courriers" in use_case.description and "Comptes rendus" in use_case.description
        # and both declarations point to it
        assert set(use_case.declarations.values_list("pk", flat=True)) == {first.pk, declarations["other_agent"].pk}

    def test_the_given_fields_prevail_over_the_pre_filled_ones(self, declarations, users, api_for, services):
        response = api_for(users["dpo"]).post(
            action_url(declarations["anonymous"], "regularise"),
            {
                "new_use_case": {"name": "Traduction des courriers", "service": services["communication"].pk},
                "message": "Encadré.",
            },
            format="json",
        )
        assert response.status_code == 200, response.json()
        use_case = UseCase.objects.get(pk=response.json()["use_case"])
        assert use_case.name == "Traduction des courriers" and use_case.service == services["communication"]

    def test_an_invalid_new_use_case_creates_nothing(self, declarations, users, api_for):
        response = api_for(users["dpo"]).post(
            action_url(declarations["agent"], "regularise"),
            {"new_use_case": {"technique": "magic"}, "message": "Encadré."},
            format="json",
        )
        assert response.status_code == 400
        assert "new_use_case.technique" in response.json()["errors"]
        # an anonymous declaration names no service: the use case needs one
        response = api_for(users["dpo"]).post(
            action_url(declarations["anonymous"], "regularise"),
            {"new_use_case": {}, "message": "Encadré."},
            format="json",
        )
        assert response.status_code == 400
        assert "new_use_case.service" in response.json()["errors"]
        assert not UseCase.objects.exists()

    def test_a_refused_regularisation_leaves_no_use_case_behind(self, declarations, users, api_for):
        declaration_services.declaration_close(
            declaration=declarations["agent"], acting_user=users["dpo"], message="Clos"
        )
        client = api_for(users["dpo"])
        without_message = client.post(
            action_url(declarations["other_agent"], "regularise"), {"new_use_case": {}}, format="json"
        )
        closed = client.post(
            action_url(declarations["agent"], "regularise"), {"new_use_case": {}, "message": "Encadré"}, format="json"
        )
        assert (without_message.status_code, closed.status_code) == (400, 409)
        assert not UseCase.objects.exists()

    def test_use_case_or_new_use_case_not_both_nor_neither(self, declarations, users, api_for, collectivite):
        use_case = UseCaseFactory(collectivite=collectivite)
        client = api_for(users["dpo"])
        url = action_url(declarations["agent"], "regularise")
        both = client.post(url, {"use_case": use_case.pk, "new_use_case": {}, "message": "x"}, format="json")
        neither = client.post(url, {"message": "x"}, format="json")
        assert both.status_code == neither.status_code == 400
        assert {"use_case", "new_use_case"} <= set(neither.json()["errors"])

    def test_another_collectivites_use_case_or_declaration_is_unknown(
        self, declarations, users, api_for, other_collectivite, outsider
    ):
        elsewhere = UseCaseFactory(collectivite=other_collectivite)
        theirs = declared(other_collectivite, outsider)
        client = api_for(users["dpo"])
        url = action_url(declarations["agent"], "regularise")
        response = client.post(url, {"use_case": elsewhere.pk, "message": "x"}, format="json")
        assert response.status_code == 400 and "use_case" in response.json()["errors"]
        response = client.post(
            url, {"new_use_case": {}, "message": "x", "other_declarations": [theirs.pk]}, format="json"
        )
        assert response.status_code == 400 and "other_declarations" in response.json()["errors"]
        assert Declaration.objects.get(pk=theirs.pk).status == "received"


class TestByTool:
    def test_declarations_grouped_by_tool_with_agents_services_and_data(
        self, collectivite, users, second_role_user, api_for
    ):
        declared(collectivite, users["agent"], data_entered=["ordinary"])
        declared(collectivite, users["agent"], data_entered=["internal"])
        declared(collectivite, second_role_user, data_entered=["health"])
        declared(collectivite, users["agent"], anonymous=True, data_entered=["public"])
        declared(collectivite, users["agent"], tool_name="DeepL", category="translation", data_entered=["public"])
        response = api_for(users["rssi"]).get(BY_TOOL_URL)
        assert response.status_code == 200
        chatgpt, deepl = response.json()
        assert chatgpt["tool_name"] == "ChatGPT" and chatgpt["tool_status"] == "under_review"
        assert (chatgpt["declarations"], chatgpt["agents"], chatgpt["services_count"]) == (4, 3, 2)
        assert chatgpt["service_names"] == ["CCAS", "Logement"]
        assert chatgpt["data_entered"] == ["public", "internal", "ordinary", "health"]
        assert chatgpt["possible_breaches"] == 2 and chatgpt["open"] == 4
        assert chatgpt["risk_level"] in {"high", "critical"}
        assert (deepl["tool_name"], deepl["declarations"], deepl["agents"]) == ("DeepL", 1, 1)
        # the list filters apply
        only_deepl = api_for(users["rssi"]).get(BY_TOOL_URL, {"search": "deepl"})
        assert [group["tool_name"] for group in only_deepl.json()] == ["DeepL"]

    @pytest.mark.parametrize("role", ["agent", "chef", "dgs", "comite"])
    def test_only_the_triage_roles_see_it(self, declarations, users, api_for, role):
        assert api_for(users[role]).get(BY_TOOL_URL).status_code == 403


def test_the_schema_documents_the_declarations(users, client_for):
    response = client_for(users["agent"]).get("/api/schema/")
    schema = yaml.safe_load(response.content)
    assert {
        "/api/v1/declarations/",
        "/api/v1/declarations/{id}/",
        "/api/v1/declarations/by-tool/",
        "/api/v1/declarations/{id}/start-analysis/",
        "/api/v1/declarations/{id}/regularise/",
        "/api/v1/declarations/{id}/offer-alternative/",
        "/api/v1/declarations/{id}/ask-to-stop/",
        "/api/v1/declarations/{id}/close/",
        "/api/v1/declarations/{id}/assess-breach/",
    } <= set(schema["paths"])
    create = schema["paths"]["/api/v1/declarations/"]["post"]
    assert {"200", "201", "400", "429"} <= set(create["responses"])
    assert "Idempotency-Key" in {parameter["name"] for parameter in create["parameters"]}
    enums = schema["components"]["schemas"]
    assert enums["DeclarationStatusEnum"]["enum"] == [
        "received",
        "analysing",
        "regularised",
        "alternative_offered",
        "to_stop",
        "closed",
    ]
    assert enums["DeclarationAccountEnum"]["enum"] == ["personal_free", "personal_paid", "professional", "api"]
    assert "credentials_or_code" in enums["DeclaredDataEnum"]["enum"]
    assert "delete" not in schema["paths"]["/api/v1/declarations/{id}/"]
