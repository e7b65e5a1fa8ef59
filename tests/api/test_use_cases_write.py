"""Writing the register through the API: who may create and change what, bad input, conflicts, transitions."""

import pytest
from django.utils.translation import gettext as _

from core.roles import Role
from registry import rules
from registry.models import UseCase, UseCaseEvent
from tests.api.coherence import INCOHERENT, form_messages
from tests.registry.factories import MembershipFactory, ToolFactory, UseCaseFactory, UserFactory

LIST_URL = "/api/v1/use-cases/"


def detail_url(use_case):
    return f"/api/v1/use-cases/{use_case.pk}/"


def new_use_case(service, **fields):
    payload = {
        "name": "Aide à la rédaction des réponses aux usagers",
        "summary": "Un assistant propose un brouillon de réponse que l'agent relit et corrige.",
        "purpose": "Répondre plus vite aux courriers simples.",
        "service": service.pk,
        "technique": "genai_text",
        "audience": "agents",
    }
    payload.update(fields)
    return payload


class TestCreate:
    @pytest.mark.parametrize(
        ("role", "service"),
        [
            ("agent", "ccas"),
            ("chef", "logement"),
            ("chef", "direction"),
            ("dpo", "communication"),
            ("rssi", "ccas"),
            ("admin", "communication"),
        ],
    )
    def test_allowed_roles_declare_a_draft_in_their_services(self, users, services, api_for, role, service):
        # When a user declares a use case in a service they may declare for
        response = api_for(users[role]).post(LIST_URL, new_use_case(services[service]), format="json")
        # Then it is created as their draft, with a reference and its classification
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["status"] == "draft"
        assert body["owner"] == users[role].pk
        assert body["reference"].startswith("IA-")
        assert body["version"] == 1
        assert body["ai_act_risk"] == "minimal"
        use_case = UseCase.objects.get(pk=body["id"])
        assert use_case.events.get().kind == UseCaseEvent.Kind.CREATED

    @pytest.mark.parametrize(
        ("role", "service"), [("agent", "communication"), ("agent", "logement"), ("chef", "communication")]
    )
    def test_a_service_outside_ones_own_is_forbidden(self, users, services, api_for, role, service):
        response = api_for(users[role]).post(LIST_URL, new_use_case(services[service]), format="json")
        assert response.status_code == 403
        assert response.json()["message"]
        assert not UseCase.objects.exists()

    @pytest.mark.parametrize("role", ["dgs", "comite"])
    def test_roles_that_only_read_cannot_declare(self, users, services, api_for, role):
        response = api_for(users[role]).post(LIST_URL, new_use_case(services["communication"]), format="json")
        assert response.status_code == 403
        assert not UseCase.objects.exists()

    def test_the_classification_is_computed_from_the_codes_sent(self, users, services, api_for):
        payload = new_use_case(
            services["ccas"],
            annex_iii_point="5a",
            automation_level="determining",
            individual_decisions=True,
            personal_data_categories=["financial", "ordinary"],
            profiling=True,
        )
        body = api_for(users["agent"]).post(LIST_URL, payload, format="json").json()
        assert body["ai_act_risk"] == "high"
        assert body["fria_required"] is True
        assert body["crpa_mention_required"] is True
        assert body["personal_data_categories"] == ["ordinary", "financial"]
        assert "decision_validation" in body["required_checkpoints"]
        assert any(reason["basis"].startswith(_("AI Act, art. 6(2) and Annex III")) for reason in body["reasons"])

    def test_the_tool_brings_its_hosting_unless_given(self, users, services, api_for):
        tool = ToolFactory(collectivite=services["ccas"].collectivite, hosting_zone="eu", provider_reuse_disabled=True)
        payload = new_use_case(services["ccas"], tool=tool.pk)
        body = api_for(users["agent"]).post(LIST_URL, payload, format="json").json()
        assert body["tool"] == tool.pk
        assert body["hosting_zone"] == "eu"
        assert body["provider_reuse_disabled"] is True


class TestBadInput:
    @pytest.mark.parametrize(
        ("field", "value", "allowed"),
        [
            ("technique", "quantum", "rules, expert_system, ml_predictive, genai_text"),
            ("audience", "everyone", "agents, public, both"),
            ("annex_iii_point", "9z", "1a, 1b, 1c, 2, 3a"),
            ("max_data_classification", "C9", "C0, C1, C2, C3, C4"),
            ("personal_data_categories", ["health", "dna"], "ordinary, financial, location"),
            ("art5_practices", ["z"], "a, b, c, d, e, f, g, h"),
            ("art50_features", ["hologram"], "chatbot, synthetic_media, deepfake"),
        ],
    )
    def test_an_unknown_code_is_a_400_naming_the_field_and_the_allowed_values(
        self, users, services, api_for, field, value, allowed
    ):
        payload = new_use_case(services["ccas"], **{field: value})
        response = api_for(users["agent"]).post(LIST_URL, payload, format="json")
        assert response.status_code == 400
        body = response.json()
        assert body["message"]
        assert list(body["errors"]) == [field]
        [message] = body["errors"][field]
        assert allowed in message
        assert not UseCase.objects.exists()

    def test_a_single_code_where_a_list_is_expected_is_refused(self, users, services, api_for):
        response = api_for(users["agent"]).post(
            LIST_URL, new_use_case(services["ccas"], personal_data_categories="health"), format="json"
        )
        assert response.status_code == 400
        assert "personal_data_categories" in response.json()["errors"]

    def test_missing_fields_are_named(self, users, services, api_for):
        response = api_for(users["agent"]).post(LIST_URL, {"service": services["ccas"].pk}, format="json")
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert {"name", "summary", "purpose", "audience"} <= set(errors)
        # The technique may be unknown (null: an AI system whose technique the DPO confirms)
        assert "technique" not in errors

    @pytest.mark.parametrize("field", ["service", "owner", "tool"])
    def test_a_record_of_another_collectivite_is_refused_as_unknown(
        self, users, services, api_for, register, outsider, field
    ):
        elsewhere = register["elsewhere"]
        foreign = {
            "service": elsewhere.service_id,
            "owner": outsider.pk,
            "tool": ToolFactory(collectivite=elsewhere.collectivite).pk,
        }
        before = UseCase.objects.count()
        payload = {**new_use_case(services["ccas"]), field: foreign[field]}
        response = api_for(users["dpo"]).post(LIST_URL, payload, format="json")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == [field]
        assert UseCase.objects.count() == before

    def test_the_outsider_cannot_declare_in_our_services(self, outsider, services, api_for):
        response = api_for(outsider).post(LIST_URL, new_use_case(services["ccas"]), format="json")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["service"]

    def test_inconsistent_answers_are_refused_with_the_field_named_and_nothing_saved(self, users, services, api_for):
        # An Art. 6(3) exemption without an Annex III domain: valid codes, inconsistent answers
        response = api_for(users["agent"]).post(
            LIST_URL, new_use_case(services["ccas"], art6_3_ground="a"), format="json"
        )
        assert response.status_code == 400
        assert "art6_3_ground" in response.json()["errors"]
        assert not UseCase.objects.exists()
        assert not UseCaseEvent.objects.exists()

    @pytest.mark.parametrize(("case", "values", "field"), INCOHERENT, ids=[case for case, _v, _f in INCOHERENT])
    def test_every_incoherence_the_form_refuses_is_refused(self, users, services, api_for, case, values, field):
        response = api_for(users["agent"]).post(LIST_URL, new_use_case(services["ccas"], **values), format="json")
        assert response.status_code == 400
        assert response.json()["errors"] == {field: form_messages(values, field)}
        assert not UseCase.objects.exists()


class TestNewInputs:
    """The inputs of rule set 2026.12 are written and read back through the API like the others."""

    NEW_INPUTS = {
        "technique": "expert_system",
        "ai_act_role": "provider",
        "annex_i_product": True,
        "personal_data_categories": ["health", "ordinary"],
        "care_context": True,
        "systematic_monitoring": True,
        "cnil_list_types": ["social_support", "health_care_establishment"],
        "hosting_zone": "fr",
        "hosting_qualification": "hds",
    }

    def test_a_use_case_is_created_with_the_new_inputs_and_their_verdicts(self, users, services, api_for):
        response = api_for(users["agent"]).post(
            LIST_URL, new_use_case(services["ccas"], **self.NEW_INPUTS), format="json"
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        for name, value in self.NEW_INPUTS.items():
            expected = ["health_care_establishment", "social_support"] if name == "cnil_list_types" else value
            assert body[name] == (["ordinary", "health"] if name == "personal_data_categories" else expected), name
        assert body["ai_system"] is True
        assert body["ai_act_risk"] == "high"  # Annex I product (AI Act art. 6(1))
        assert "provider_conformity" in body["required_checkpoints"]
        assert body["classification_ruleset"] == rules.RULESET_VERSION
        use_case = UseCase.objects.get(pk=body["id"])
        assert (use_case.ai_act_role, use_case.care_context, use_case.classification_ruleset) == (
            "provider",
            True,
            rules.RULESET_VERSION,
        )

    def test_the_inputs_left_out_take_their_defaults(self, users, services, api_for):
        body = api_for(users["agent"]).post(LIST_URL, new_use_case(services["ccas"]), format="json").json()
        assert body["ai_act_role"] == "deployer"
        assert body["annex_i_product"] is False
        assert body["care_context"] is False
        assert body["systematic_monitoring"] is False
        assert body["cnil_list_types"] == []

    def test_switching_to_rules_takes_the_use_out_of_the_ai_act(self, use_case, users, api_for):
        response = api_for(users["chef"]).patch(
            detail_url(use_case),
            {"version": 1, "technique": "rules", "individual_decisions": True, "automation_level": "assist"},
            format="json",
        )
        assert response.status_code == 200, response.json()
        body = response.json()
        assert (body["ai_system"], body["ai_act_risk"]) == (False, "out_of_scope")
        assert body["crpa_mention_required"] is True
        use_case.refresh_from_db()
        assert use_case.ai_act_risk == "out_of_scope" and use_case.ai_system is False

    def test_the_rule_set_is_read_only(self, use_case, users, api_for):
        response = api_for(users["chef"]).patch(
            detail_url(use_case), {"version": 1, "classification_ruleset": "1999.01", "ai_system": False}, format="json"
        )
        assert response.status_code == 200
        use_case.refresh_from_db()
        assert use_case.classification_ruleset == rules.RULESET_VERSION
        assert use_case.ai_system is True


@pytest.fixture
def com_agent(collectivite, services):
    """An agent of the Communication service, outside the head of service's direction."""
    user = UserFactory(username="agent-com")
    MembershipFactory(user=user, collectivite=collectivite, role=Role.AGENT, service=services["communication"])
    return user


class TestUpdate:
    def test_the_head_of_service_edits_a_use_case_of_their_direction(self, use_case, users, api_for):
        response = api_for(users["chef"]).patch(
            detail_url(use_case),
            {"version": 1, "name": "Nouveau nom", "personal_data_categories": ["health"]},
            format="json",
        )
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["name"] == "Nouveau nom"
        assert body["version"] == 2
        assert body["rgpd_sensitivity"] == "special"
        assert body["ethics_review_required"] is True
        use_case.refresh_from_db()
        assert use_case.name == "Nouveau nom"
        assert use_case.events.filter(kind=UseCaseEvent.Kind.UPDATED, actor=users["chef"]).exists()

    @pytest.mark.parametrize("role", ["dpo", "rssi", "admin"])
    def test_dpo_rssi_and_admin_edit_any_use_case(self, register, users, api_for, role):
        target = register["com_approved"]
        response = api_for(users[role]).patch(detail_url(target), {"version": 1, "name": "Revu"}, format="json")
        assert response.status_code == 200

    def test_the_owner_edits_their_own_draft(self, register, users, api_for):
        target = register["agent_own_draft"]
        response = api_for(users["agent"]).patch(detail_url(target), {"version": 1, "name": "À moi"}, format="json")
        assert response.status_code == 200

    def test_a_full_update_with_put(self, use_case, users, api_for, services):
        payload = new_use_case(services["logement"], version=1, owner=use_case.owner_id, name="Remplacé")
        response = api_for(users["chef"]).put(detail_url(use_case), payload, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["service"] == services["logement"].pk

    @pytest.mark.parametrize(
        ("role", "key", "expected"),
        [
            ("agent", "ccas_approved", 403),  # seen (own service, approved) but not theirs to change
            ("agent", "ccas_draft", 404),  # someone else's draft: not even seen
            ("agent", "com_approved", 404),
            ("chef", "com_approved", 404),
            ("dgs", "ccas_draft", 403),  # sees everything, changes nothing
            ("dgs", "com_approved", 403),
            ("comite", "com_submitted_ethics", 404),  # not on an agenda of theirs: not seen
            ("comite", "ccas_draft", 404),
        ],
    )
    def test_out_of_scope_is_404_and_forbidden_is_403(self, register, users, api_for, role, key, expected):
        target = register[key]
        response = api_for(users[role]).patch(detail_url(target), {"version": 1, "name": "Piraté"}, format="json")
        assert response.status_code == expected
        target.refresh_from_db()
        assert target.name != "Piraté"
        assert target.version == 1

    def test_the_outsider_gets_404(self, register, outsider, api_for):
        response = api_for(outsider).patch(
            detail_url(register["ccas_approved"]), {"version": 1, "name": "x"}, format="json"
        )
        assert response.status_code == 404

    def test_the_head_of_service_cannot_move_a_use_case_out_of_their_direction(
        self, use_case, users, api_for, services
    ):
        response = api_for(users["chef"]).patch(
            detail_url(use_case), {"version": 1, "service": services["communication"].pk}, format="json"
        )
        assert response.status_code == 403
        assert response.json()["errors"]["service"] == [
            _("You cannot create or move a use case in this service: choose one of yours.")
        ]
        use_case.refresh_from_db()
        assert use_case.service == services["ccas"]

    def test_handing_a_use_case_to_someone_outside_one_s_services_is_forbidden_on_the_field(
        self, register, users, api_for, com_agent
    ):
        target = register["agent_own_draft"]
        response = api_for(users["agent"]).patch(
            detail_url(target), {"version": 1, "owner": com_agent.pk}, format="json"
        )
        assert response.status_code == 403
        assert list(response.json()["errors"]) == ["owner"]
        target.refresh_from_db()
        assert target.owner == users["agent"]
        assert target.version == 1

    def test_the_dpo_moves_a_use_case_anywhere_and_hands_it_to_anyone(
        self, use_case, users, api_for, services, com_agent
    ):
        response = api_for(users["dpo"]).patch(
            detail_url(use_case),
            {"version": 1, "service": services["communication"].pk, "owner": com_agent.pk},
            format="json",
        )
        assert response.status_code == 200, response.json()
        assert response.json()["service"] == services["communication"].pk
        assert response.json()["owner"] == com_agent.pk

    def test_the_version_is_required(self, use_case, users, api_for):
        response = api_for(users["chef"]).patch(detail_url(use_case), {"name": "Sans version"}, format="json")
        assert response.status_code == 400
        assert "version" in response.json()["errors"]
        use_case.refresh_from_db()
        assert use_case.name != "Sans version"

    def test_the_second_of_two_concurrent_edits_gets_a_conflict_and_overwrites_nothing(self, use_case, users, api_for):
        # Given the head of service and the DPO both read version 1
        chef, dpo = api_for(users["chef"]), api_for(users["dpo"])
        assert chef.get(detail_url(use_case)).json()["version"] == 1
        assert dpo.get(detail_url(use_case)).json()["version"] == 1
        # When the head of service saves first, then the DPO saves with the version they read
        first = chef.patch(detail_url(use_case), {"version": 1, "name": "Version du chef"}, format="json")
        second = dpo.patch(
            detail_url(use_case), {"version": 1, "name": "Version du DPO", "summary": "Autre"}, format="json"
        )
        # Then the DPO gets a clear conflict, and the head of service's version stands
        assert first.status_code == 200
        assert second.status_code == 409
        body = second.json()
        assert set(body) == {"message", "errors"}
        assert body["message"]
        assert "2" in body["errors"]["version"][0]
        use_case.refresh_from_db()
        assert use_case.name == "Version du chef"
        assert use_case.summary != "Autre"
        assert use_case.version == 2

    def test_an_invalid_code_among_valid_changes_saves_nothing(self, use_case, users, api_for):
        response = api_for(users["chef"]).patch(
            detail_url(use_case), {"version": 1, "name": "Nouveau", "technique": "quantum"}, format="json"
        )
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["technique"]
        use_case.refresh_from_db()
        assert (use_case.name, use_case.version) != ("Nouveau", 2)
        assert use_case.version == 1

    def test_inconsistent_answers_save_nothing(self, use_case, users, api_for):
        # Profiling without any personal data: each code is valid, together they are not
        response = api_for(users["chef"]).patch(
            detail_url(use_case), {"version": 1, "name": "Nouveau", "profiling": True}, format="json"
        )
        assert response.status_code == 400
        assert "profiling" in response.json()["errors"]
        use_case.refresh_from_db()
        assert use_case.name != "Nouveau"
        assert use_case.profiling is False
        assert use_case.version == 1
        assert not use_case.events.filter(kind=UseCaseEvent.Kind.UPDATED).exists()
        assert use_case.history.count() == 1

    def test_an_update_is_checked_with_the_answers_it_keeps(self, use_case, users, api_for):
        # Given a use case processing health data in a care context
        ok = api_for(users["chef"]).patch(
            detail_url(use_case),
            {
                "version": 1,
                "personal_data_categories": ["health"],
                "care_context": True,
                "hosting_qualification": "hds",
            },
            format="json",
        )
        assert ok.status_code == 200, ok.json()
        # When only the personal data change, the care context it keeps no longer holds
        response = api_for(users["chef"]).patch(
            detail_url(use_case), {"version": 2, "personal_data_categories": ["ordinary"]}, format="json"
        )
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["care_context"]
        use_case.refresh_from_db()
        assert use_case.personal_data_categories == ["health"] and use_case.version == 2

    def test_read_only_fields_are_ignored(self, use_case, users, api_for):
        response = api_for(users["chef"]).patch(
            detail_url(use_case),
            {"version": 1, "status": "approved", "ai_act_risk": "prohibited", "reference": "X", "blocked": True},
            format="json",
        )
        assert response.status_code == 200
        use_case.refresh_from_db()
        assert (use_case.status, use_case.ai_act_risk, use_case.blocked) == ("draft", "minimal", False)
        assert use_case.reference != "X"

    def test_an_agent_handing_their_draft_over_is_told_it_was_saved_and_is_out_of_their_sight(
        self, register, users, api_for
    ):
        # The agent hands their own draft to a CCAS colleague: a draft is seen by its owner only
        target, colleague = register["agent_own_draft"], register["ccas_draft"].owner
        client = api_for(users["agent"])

        response = client.patch(detail_url(target), {"version": 1, "owner": colleague.pk}, format="json")

        # Then the answer says what happened, not a server error, and gives back only what the change set
        assert response.status_code == 200, response.content
        body = response.json()
        assert body == {
            "visible": False,
            "message": body["message"],
            "id": target.pk,
            "reference": target.reference,
            "owner": colleague.pk,
            "version": 2,
        }
        assert target.reference in body["message"] and str(colleague) in body["message"]
        # and the change is saved: the colleague answers for it, the agent no longer sees it
        target.refresh_from_db()
        assert target.owner == colleague
        assert colleague.has_perm("registry.change_usecase", target)
        assert not users["agent"].has_perm("registry.change_usecase", target)
        assert client.get(detail_url(target)).status_code == 404

    def test_declaring_a_draft_for_a_colleague_answers_it_is_out_of_sight(self, register, users, services, api_for):
        colleague = register["ccas_draft"].owner
        response = api_for(users["agent"]).post(
            LIST_URL, new_use_case(services["ccas"], owner=colleague.pk), format="json"
        )
        assert response.status_code == 201, response.content
        assert response.json()["visible"] is False
        assert UseCase.objects.get(pk=response.json()["id"]).owner == colleague

    def test_the_schema_documents_both_answers_to_a_change(self, users, client_for):
        import yaml

        schema = yaml.safe_load(client_for(users["agent"]).get("/api/schema/").content)
        patch = schema["paths"]["/api/v1/use-cases/{id}/"]["patch"]["responses"]["200"]
        written = patch["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        variants = {ref["$ref"].rsplit("/", 1)[-1] for ref in schema["components"]["schemas"][written]["oneOf"]}
        assert variants == {"UseCase", "UseCaseOutOfSight"}
        assert "visible" in schema["components"]["schemas"]["UseCaseOutOfSight"]["required"]
        submit = schema["paths"]["/api/v1/use-cases/{id}/submit/"]["post"]["responses"]["200"]
        assert submit["content"]["application/json"]["schema"]["$ref"].endswith(written)

    def test_there_is_no_deletion(self, use_case, users, api_for):
        response = api_for(users["dpo"]).delete(detail_url(use_case))
        assert response.status_code == 405
        assert response.json()["message"]
        assert UseCase.objects.filter(pk=use_case.pk).exists()


class TestTransitions:
    def test_the_owner_submits_a_draft_with_a_comment(self, use_case, api_for):
        response = api_for(use_case.owner).post(
            f"{detail_url(use_case)}submit/", {"comment": "Prêt pour relecture", "version": 1}, format="json"
        )
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "submitted"
        assert response.json()["submitted_at"]
        event = use_case.events.get(kind=UseCaseEvent.Kind.SUBMITTED)
        assert event.comment == "Prêt pour relecture"

    def test_withdraw_brings_a_submitted_use_case_back_to_draft(self, register, users, api_for):
        target = register["ccas_submitted"]
        response = api_for(users["chef"]).post(f"{detail_url(target)}withdraw/", format="json")
        assert response.status_code == 200
        assert response.json()["status"] == "draft"

    @pytest.mark.parametrize(
        ("role", "key", "expected"),
        [
            ("agent", "ccas_draft", 404),
            ("agent", "ccas_approved", 403),
            ("dgs", "ccas_draft", 403),
            ("comite", "com_submitted_ethics", 404),
        ],
    )
    def test_who_may_not_submit(self, register, users, api_for, role, key, expected):
        target = register[key]
        action = "withdraw" if target.status == "submitted" else "submit"
        response = api_for(users[role]).post(f"{detail_url(target)}{action}/", format="json")
        assert response.status_code == expected
        target.refresh_from_db()
        assert target.version == 1

    def test_submitting_twice_is_a_conflict(self, register, users, api_for):
        response = api_for(users["chef"]).post(f"{detail_url(register['ccas_submitted'])}submit/", format="json")
        assert response.status_code == 409
        assert response.json()["message"]

    def test_a_stale_version_is_a_conflict(self, use_case, users, api_for):
        response = api_for(users["chef"]).post(f"{detail_url(use_case)}submit/", {"version": 7}, format="json")
        assert response.status_code == 409
        use_case.refresh_from_db()
        assert use_case.status == "draft"

    def test_a_blocked_use_case_cannot_be_submitted(self, collectivite, services, users, api_for):
        blocked = UseCaseFactory(
            collectivite=collectivite, service=services["ccas"], owner=users["agent"], max_data_classification="C4"
        )
        assert blocked.blocked
        response = api_for(users["agent"]).post(f"{detail_url(blocked)}submit/", format="json")
        assert response.status_code == 409
        blocked.refresh_from_db()
        assert blocked.status == "draft"
