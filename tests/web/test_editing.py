"""The guided creation and edit form: who may use it, what it saves, how it reports errors and conflicts,
and the classification preview that saves nothing. The form asks plain facts (DOMAIN.md 3b) and the direct
answers; the legal inputs the facts derive are not its fields (tests/web/test_qualification.py covers the
questionnaire, the live qualification and the DPO's expert view)."""

import re
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from core.errors import ApplicationError
from core.roles import Role
from core.typography import typeset_text
from registry import classification_inputs, qualification
from registry.choices import AiActRisk, UseCaseStatus
from registry.forms import STEPS
from registry.models import UseCase, UseCaseEvent
from tests.registry.factories import MembershipFactory, ToolFactory, UserFactory

from .helpers import QUIET_FACTS, answer_questionnaire, fr

CREATE_URL = reverse("registry:use_case_create")
PREVIEW_URL = reverse("registry:classification_preview")


def edit_url(use_case):
    return reverse("registry:use_case_edit", args=[use_case.pk])


def new_use_case_data(service, owner, **overrides):
    """What a person fills in for a simple drafting assistant (unticked boxes are simply absent)."""
    data = {
        **QUIET_FACTS,
        "name": "Aide à la rédaction des courriers",
        "summary": "Un assistant propose un brouillon de réponse aux courriers simples des habitants.",
        "purpose": "Répondre plus vite aux habitants.",
        "description": "",
        "service": service.pk,
        "owner": owner.pk,
        "tool": "",
        "start_date": "",
        "end_date": "",
        "max_data_classification": "C1",
        "data_sources": "",
        "lawful_basis": "",
        "processing_record_ref": "",
        "hosting_zone": "fr",
        "hosting_qualification": "none",
        "human_oversight": "",
        "decisions_per_year": "",
        "action": "save",
    }
    data.update(overrides)
    return data


def edit_data(use_case, **overrides):
    """The edit form as the page sends it back for `use_case`, with some answers changed (a question the use case
    has not answered yet gets its quiet answer)."""
    data = new_use_case_data(use_case.service, use_case.owner)
    for name in ("name", "summary", "purpose", "description"):
        data[name] = getattr(use_case, name)
    # Every direct answer, as its widget sends it: a code, the ticked codes, "on" for a ticked box.
    for item in classification_inputs.INPUTS:
        if item.name in qualification.DERIVED_INPUTS:
            continue
        value = getattr(use_case, item.name)
        if item.kind == classification_inputs.BOOL:
            data[item.name] = "on" if value else None
        elif item.multiple:
            data[item.name] = list(value) or None
        else:
            data[item.name] = value
    data["art5_practices"] = list(use_case.art5_practices) or ["none"]
    # Every fact answered so far; a follow-up the answers leave closed is not sent.
    for name in qualification.FACT_NAMES:
        value = getattr(use_case, name)
        if value:
            data[name] = value
        elif name not in QUIET_FACTS:
            data.pop(name, None)
    data["tool"] = use_case.tool_id or ""
    data["version"] = use_case.version
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


FIELD_END = r'(?=<div class="form-field|</fieldset>\s*<fieldset class="form-step|<div class="form-actions")'


def field_block(html: str, name: str) -> str:
    """The HTML of one field of the form, from its wrapper to the next field's."""
    match = re.search(rf'<div class="form-field[^"]*" data-field="{name}".*?{FIELD_END}', html, re.S)
    assert match, f"field {name} not found"
    return match.group(0)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# Creating ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_creation_form_shows_the_steps_and_plain_language_help(users, services, client_for):
    response = client_for(users["agent"]).get(CREATE_URL)

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert html.count('class="form-step ') == 6
    # plain facts, each answer with its example, « Je ne sais pas » where the declaration has it
    with translation.override("fr"):
        fact = qualification.FACTS_BY_NAME["effect_on_people"]
        question, example = str(fact.question), str(fact.options[2].example)
        dont_know = str(qualification.I_DONT_KNOW)
    block = field_block(html, "effect_on_people")
    assert question in block and example in block and dont_know in block
    # the legal inputs the facts derive are not asked any more
    for name in ("annex_iii_point", "art6_3_ground", "technique", "automation_level", "cnil_list_types"):
        assert f'name="{name}"' not in html, name
    # personal data grouped: ordinary / highly personal / Art. 9 / Art. 10
    assert fr("Sensitive data (RGPD, art. 9)") in html
    assert fr("Offences and convictions (RGPD, art. 10)") in html
    assert fr("Preview the classification") in html


@pytest.mark.django_db
def test_an_agent_is_offered_only_the_services_they_may_create_in(users, services, client_for):
    response = client_for(users["agent"]).get(CREATE_URL)

    html = unescape(response.content.decode())
    service_select = field_block(html, "service")
    assert f'value="{services["communication"].pk}"' not in service_select
    # their only service, and themselves as the person accountable, are proposed
    assert f'<option value="{services["ccas"].pk}" selected' in service_select
    assert f'<option value="{users["agent"].pk}" selected' in field_block(html, "owner")


@pytest.mark.django_db
def test_an_agent_creates_a_draft_in_their_own_service(users, services, client_for):
    agent = users["agent"]

    response = client_for(agent).post(CREATE_URL, new_use_case_data(services["ccas"], agent))

    use_case = UseCase.objects.get(name="Aide à la rédaction des courriers")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:use_case_detail", args=[use_case.pk])
    assert use_case.service == services["ccas"]
    assert use_case.owner == agent
    assert use_case.status == UseCaseStatus.DRAFT
    assert use_case.ai_act_risk == AiActRisk.MINIMAL
    assert any(use_case.reference in message for message in messages_of(response))
    assert use_case.events.filter(kind=UseCaseEvent.Kind.CREATED, actor=agent).exists()


@pytest.mark.django_db
def test_an_agent_cannot_create_in_another_service(users, services, client_for):
    agent = users["agent"]

    response = client_for(agent).post(CREATE_URL, new_use_case_data(services["communication"], agent))

    assert response.status_code == 200
    assert not UseCase.objects.exists()
    block = field_block(unescape(response.content.decode()), "service")
    assert fr("You cannot create or move a use case in this service: choose one of yours.") in block


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["dgs", "comite"])
def test_roles_without_a_service_cannot_create(role, users, client_for):
    client = client_for(users[role])

    assert client.get(CREATE_URL).status_code == 403
    assert client.post(CREATE_URL, {"name": "x"}).status_code == 403


@pytest.mark.django_db
def test_someone_without_any_role_cannot_create(db, client_for):
    assert client_for(UserFactory(username="nobody")).get(CREATE_URL).status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(client):
    response = client.get(CREATE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_invalid_answers_get_french_messages_and_everything_typed_is_kept(users, services, client_for):
    agent = users["agent"]
    data = new_use_case_data(
        services["ccas"],
        agent,
        name="",
        origin="quantum",
        summary="Mon résumé très précis",
        personal_data_categories=["health"],
        large_scale="on",
    )

    response = client_for(agent).post(CREATE_URL, data)

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert not UseCase.objects.exists()
    assert 'id="error-summary"' in html
    assert fr("This field is required.") in field_block(html, "name")
    assert "Ce champ est obligatoire." in html  # Django's own French message, whatever our catalogue holds
    # (Django's French writes a curly apostrophe; our pages write one apostrophe style, the straight one)
    assert typeset_text(fr("Select a valid choice. %(value)s is not one of the available choices."), language="fr") % {
        "value": "quantum"
    } in field_block(html, "origin")
    # the summary links to the field and the page opens on the first step with an error
    assert 'href="#id_name"' in html
    assert 'data-first-error-step="1"' in html
    # what was typed is still there
    assert "Mon résumé très précis" in html
    assert re.search(r'value="health"[^>]*checked', html)
    assert re.search(r'name="large_scale"[^>]*checked', html)


@pytest.mark.django_db
def test_an_open_follow_up_left_unanswered_is_asked_again_next_to_it(users, services, client_for):
    agent = users["agent"]
    # recruitment is an area where the follow-up "what exactly does the tool do?" is asked
    data = new_use_case_data(services["ccas"], agent, name="Tri des candidatures", policy_areas=["recruitment"])

    response = client_for(agent).post(CREATE_URL, data)

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert not UseCase.objects.exists()
    message = fr("Answer this question. If you are not sure, choose “I don't know”: the DPO will be asked.")
    assert message in field_block(html, "task_kind")
    assert 'data-first-error-step="3"' in html
    assert "Tri des candidatures" in html and re.search(r'value="recruitment"[^>]*checked', html)


@pytest.mark.django_db
def test_a_follow_up_the_answers_close_is_not_recorded(users, services, client_for):
    agent = users["agent"]
    # the agent first chose recruitment and answered the follow-up, then changed the area to their own work
    data = new_use_case_data(
        services["ccas"], agent, task_kind="assesses_or_recommends", on_administrative_appeals="yes"
    )

    response = client_for(agent).post(CREATE_URL, data)

    assert response.status_code == 302
    use_case = UseCase.objects.get()
    assert use_case.task_kind == "" and use_case.on_administrative_appeals == ""
    assert use_case.annex_iii_point == "" and use_case.administrative_appeal is False


@pytest.mark.django_db
def test_an_error_from_the_service_is_shown_next_to_its_field(users, services, client_for, monkeypatch):
    def refuse(**kwargs):
        raise ApplicationError("Refusé", errors={"name": ["Ce nom est déjà pris."], "reference": ["Interne."]})

    monkeypatch.setattr("registry.services.use_case_create", refuse)
    agent = users["agent"]

    response = client_for(agent).post(CREATE_URL, new_use_case_data(services["ccas"], agent))

    html = unescape(response.content.decode())
    assert "Ce nom est déjà pris." in field_block(html, "name")
    assert "Interne." in html  # a field the form does not show: at the top of the summary


@pytest.mark.django_db
def test_owner_and_tool_are_limited_to_the_collectivite(users, services, outsider, other_collectivite, client_for):
    agent = users["agent"]
    foreign_tool = ToolFactory(collectivite=other_collectivite, name="Outil voisin")

    response = client_for(agent).post(CREATE_URL, new_use_case_data(services["ccas"], outsider, tool=foreign_tool.pk))

    html = unescape(response.content.decode())
    assert not UseCase.objects.exists()
    assert fr("Choose someone who works in one of your services or heads it.") in field_block(html, "owner")
    assert fr("Choose a tool of the collectivité's catalogue.") in field_block(html, "tool")
    assert "Outil voisin" not in html


@pytest.mark.django_db
def test_tools_show_their_status_in_the_list(users, collectivite, client_for):
    ToolFactory(collectivite=collectivite, name="ChatGPT gratuit", status="prohibited")

    html = unescape(client_for(users["agent"]).get(CREATE_URL).content.decode())

    assert re.search(rf"ChatGPT gratuit[^<]*{re.escape(fr('Prohibited'))}", html)


@pytest.mark.django_db
def test_the_page_carries_each_tool_s_hosting_to_fill_the_hosting_step(users, tool, client_for):
    html = unescape(client_for(users["agent"]).get(CREATE_URL).content.decode())

    hosting = re.search(r'<script id="tool-hosting" type="application/json">(.*?)</script>', html).group(1)
    assert f'"{tool.pk}": {{"hosting_zone": "fr"' in hosting


# Editing -------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, expected",
    [
        ("owner", 200),
        ("chef", 200),
        ("dpo", 200),
        ("rssi", 200),
        ("admin", 200),
        ("dgs", 403),  # sees everything, changes nothing
        ("agent", 404),
        ("comite", 404),  # a colleague's draft is out of their scope
        ("outsider", 404),  # another collectivité
    ],
)
def test_who_may_open_the_edit_form(role, expected, use_case, users, outsider, client_for):
    user = {"owner": use_case.owner, "outsider": outsider}.get(role) or users[role]

    assert client_for(user).get(edit_url(use_case)).status_code == expected
    response = client_for(user).post(edit_url(use_case), edit_data(use_case, name="Changé"))
    assert response.status_code == (302 if expected == 200 else expected)
    use_case.refresh_from_db()
    assert (use_case.name == "Changé") == (expected == 200)


@pytest.mark.django_db
def test_the_edit_form_shows_the_saved_answers_and_classification(use_case, client_for):
    answer_questionnaire(use_case, **SOCIAL_AID_SCORE)

    html = unescape(client_for(use_case.owner).get(edit_url(use_case)).content.decode())

    assert f'value="{use_case.name}"' in html
    assert re.search(r'value="social_benefits"[^>]*checked', field_block(html, "policy_areas"))
    assert re.search(r'value="assesses_or_recommends"[^>]*checked', field_block(html, "task_kind"))
    assert 'name="version" value="1"' in html
    assert fr(AiActRisk.HIGH.label) in html
    # the panel says where the high risk comes from
    assert 'data-qualification="annex_iii_point"' in html


@pytest.mark.django_db
def test_an_edit_is_saved_and_recorded_in_the_history(use_case, users, client_for):
    chef = users["chef"]
    before = use_case.history.count()

    response = client_for(chef).post(edit_url(use_case), edit_data(use_case, name="Nouveau nom", **SOCIAL_AID_SCORE))

    use_case.refresh_from_db()
    assert response.status_code == 302
    assert use_case.name == "Nouveau nom"
    assert use_case.ai_act_risk == AiActRisk.HIGH
    assert use_case.version == 2
    assert use_case.history.count() == before + 1
    assert use_case.history.latest("history_date").history_user == chef
    assert use_case.events.filter(kind=UseCaseEvent.Kind.UPDATED, actor=chef).exists()
    assert messages_of(response) == [fr("Your changes were saved.")]


@pytest.mark.django_db
def test_saving_without_changes_changes_nothing(use_case, client_for):
    answer_questionnaire(use_case)

    response = client_for(use_case.owner).post(edit_url(use_case), edit_data(use_case))

    use_case.refresh_from_db()
    assert response.status_code == 302
    assert use_case.version == 1
    assert messages_of(response) == [fr("Nothing was changed.")]


@pytest.mark.django_db
def test_the_second_of_two_concurrent_edits_gets_a_conflict_and_overwrites_nothing(use_case, users, client_for):
    # given the head of service and the DPO both opened the form at version 1
    chef, dpo = client_for(users["chef"]), client_for(users["dpo"])
    first = edit_data(use_case, name="Version du chef de service")
    second = edit_data(use_case, name="Version du DPO", summary="Résumé revu par le DPO")

    # when the head of service saves, then the DPO saves
    assert chef.post(edit_url(use_case), first).status_code == 302
    response = dpo.post(edit_url(use_case), second)

    # then the DPO is told someone else saved, by whom, and keeps what they typed
    html = unescape(response.content.decode())
    assert response.status_code == 409
    assert 'id="conflict-alert"' in html
    assert fr("Your changes were not saved") in html
    assert str(users["chef"]) in html
    assert "Version du DPO" in html and "Résumé revu par le DPO" in html
    # and the register keeps the first change
    use_case.refresh_from_db()
    assert use_case.name == "Version du chef de service"
    assert use_case.version == 2


@pytest.mark.django_db
def test_a_missing_version_is_refused(use_case, client_for):
    data = edit_data(use_case, name="Sans version")
    del data["version"]

    response = client_for(use_case.owner).post(edit_url(use_case), data)

    use_case.refresh_from_db()
    assert response.status_code == 200
    assert use_case.name != "Sans version"
    assert 'id="error-summary"' in unescape(response.content.decode())


@pytest.mark.django_db
def test_an_agent_may_not_move_a_use_case_to_another_collectivite_s_service(use_case, outsider, client_for):
    foreign_service = outsider.memberships.exclude(service=None).get().service

    response = client_for(use_case.owner).post(edit_url(use_case), edit_data(use_case, service=foreign_service.pk))

    use_case.refresh_from_db()
    assert response.status_code == 200
    assert use_case.service_id != foreign_service.pk


@pytest.fixture
def com_agent(collectivite, services):
    """An agent of the Communication service, outside the head of service's direction."""
    user = UserFactory(username="agent-com")
    MembershipFactory(user=user, collectivite=collectivite, role=Role.AGENT, service=services["communication"])
    return user


def _options(block: str) -> set[str]:
    return set(re.findall(r'<option value="(\d+)"', block))


@pytest.mark.django_db
def test_a_head_of_service_cannot_move_a_use_case_out_of_their_direction_with_the_edit_form(
    use_case, users, services, client_for
):
    # The page offers only the services of their direction...
    html = unescape(client_for(users["chef"]).get(edit_url(use_case)).content.decode())
    assert _options(field_block(html, "service")) == {
        str(services[name].pk) for name in ("direction", "ccas", "logement")
    }

    # ...and a hand-made post naming another service gets the form back, with the reason on the field
    response = client_for(users["chef"]).post(
        edit_url(use_case), edit_data(use_case, service=services["communication"].pk, name="Déplacé")
    )

    assert response.status_code == 200
    block = field_block(unescape(response.content.decode()), "service")
    assert fr("You cannot create or move a use case in this service: choose one of yours.") in block
    use_case.refresh_from_db()
    assert use_case.service == services["ccas"]
    assert use_case.name != "Déplacé"
    assert use_case.version == 1


@pytest.mark.django_db
def test_the_edit_form_offers_only_the_people_one_may_hand_the_case_to(use_case, users, com_agent, client_for):
    html = unescape(client_for(users["chef"]).get(edit_url(use_case)).content.decode())
    offered = _options(field_block(html, "owner"))

    assert {str(use_case.owner_id), str(users["agent"].pk), str(users["chef"].pk)} <= offered
    assert str(com_agent.pk) not in offered

    response = client_for(users["chef"]).post(edit_url(use_case), edit_data(use_case, owner=com_agent.pk))
    assert response.status_code == 200
    block = field_block(unescape(response.content.decode()), "owner")
    assert fr("Choose someone who works in one of your services or heads it.") in block
    use_case.refresh_from_db()
    assert use_case.owner != com_agent


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["dpo", "admin"])
def test_the_dpo_and_administrators_move_a_use_case_to_any_service(
    role, use_case, users, services, com_agent, client_for
):
    client = client_for(users[role])
    html = unescape(client.get(edit_url(use_case)).content.decode())
    assert str(services["communication"].pk) in _options(field_block(html, "service"))

    response = client.post(
        edit_url(use_case), edit_data(use_case, service=services["communication"].pk, owner=com_agent.pk)
    )

    assert response.status_code == 302
    use_case.refresh_from_db()
    assert use_case.service == services["communication"]
    assert use_case.owner == com_agent


@pytest.mark.django_db
def test_the_creation_form_offers_only_one_s_services_and_people(users, services, com_agent, client_for):
    html = unescape(client_for(users["chef"]).get(CREATE_URL).content.decode())

    assert str(services["communication"].pk) not in _options(field_block(html, "service"))
    assert str(com_agent.pk) not in _options(field_block(html, "owner"))


@pytest.mark.django_db
def test_an_agent_handing_their_draft_to_a_colleague_is_sent_to_the_register_and_told(use_case, users, client_for):
    # The draft's owner hands it to a CCAS colleague: a draft is seen by its owner only, so they lose sight of it
    owner, colleague = use_case.owner, users["agent"]

    response = client_for(owner).post(edit_url(use_case), edit_data(use_case, owner=colleague.pk))

    assert response.status_code == 302
    assert response["Location"] == reverse("registry:use_case_list")
    use_case.refresh_from_db()
    assert use_case.owner == colleague
    assert colleague.has_perm("registry.change_usecase", use_case)
    with translation.override("fr"):
        expected = fr(
            "Your changes were saved. The use case %(reference)s is now in the hands of %(owner)s: you no longer see "
            "it in your register."
        ) % {"reference": use_case.reference, "owner": colleague}
    assert messages_of(response) == [expected]
    # and the register they land on answers normally
    assert client_for(owner).get(response["Location"]).status_code == 200


# Preview -------------------------------------------------------------------------------------------

# A score for social aid that agents usually follow (Annex III, point 5 a), as the questionnaire answers it.
SOCIAL_AID_SCORE = {
    "produces_by": ["learned_from_data"],
    "affects": "public",
    "policy_areas": ["social_benefits"],
    "task_kind": "assesses_or_recommends",
    "effect_on_people": "agent_usually_follows",
    "decides_on_individual_cases": "yes",
    "on_administrative_appeals": "no",
}
ANNEX_III_5A = {**SOCIAL_AID_SCORE, "personal_data_categories": ["ordinary", "financial"]}


@pytest.mark.django_db
def test_the_live_preview_classifies_without_saving(users, services, client_for):
    agent = users["agent"]
    data = new_use_case_data(services["ccas"], agent, **ANNEX_III_5A)

    response = client_for(agent).post(PREVIEW_URL, data)

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert fr(AiActRisk.HIGH.label) in html
    assert fr("AI Act, art. 6(2) and Annex III") in html  # the legal basis of the high-risk classification
    assert "art. 27" in html  # the FRIA
    assert not UseCase.objects.exists()
    assert "<html" not in html  # a fragment, not a page


@pytest.mark.django_db
def test_the_preview_never_fails_on_partial_or_invalid_answers(users, client_for):
    garbage = {
        "produces_by": ["quantum"],
        "policy_areas": "9z",
        "effect_on_people": ["a", "b"],
        "art5_practices": ["zz"],
        "tool": "999999",
        "personal_data_categories": ["bogus", "health"],
        "max_data_classification": "C9",
        "decisions_per_year": "beaucoup",
        "version": "abc",
        "start_date": "hier",
        "task_kind": "d",
        "annex_iii_point": "5a",
    }

    response = client_for(users["agent"]).post(PREVIEW_URL, garbage)

    html = unescape(response.content.decode())
    assert response.status_code == 200
    gaps = re.search(r"data-preview-gaps>(.*?)</div>", html, re.S).group(1)
    assert fr("Not taken into account because the answer is not valid:") in gaps
    with translation.override("fr"):
        assert str(qualification.FACTS_BY_NAME["produces_by"].question) in gaps
    # nothing answered: no Annex III domain is assumed, and a legal input posted directly is ignored
    assert fr(AiActRisk.HIGH.label) not in html


@pytest.mark.django_db
def test_the_preview_takes_the_valid_answers_even_if_others_are_missing(users, client_for):
    response = client_for(users["dgs"]).post(PREVIEW_URL, {"art5_practices": ["c"]})

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert fr(AiActRisk.PROHIBITED.label) in html
    assert 'data-reason="art5_prohibited"' in html
    # what is still to answer is named, not called invalid
    assert fr("Not answered yet (a default answer is assumed):") in html
    assert fr("Not taken into account because the answer is not valid:") not in html


@pytest.mark.django_db
def test_the_preview_uses_the_collectivite_policy(users, collectivite, client_for):
    # the collectivité has 600 agents: individual decisions must be published (CRPA L312-1-3)
    data = {"effect_on_people": "agent_reexamines_whole_case", "decides_on_individual_cases": "yes"}

    html = unescape(client_for(users["agent"]).post(PREVIEW_URL, data).content.decode())

    assert 'data-reason="public_register"' in html


@pytest.mark.django_db
def test_the_preview_is_post_only_and_for_members(users, client_for, client):
    assert client_for(users["agent"]).get(PREVIEW_URL).status_code == 405
    assert client.post(PREVIEW_URL, {}).status_code == 302
    assert client_for(UserFactory(username="nobody")).post(PREVIEW_URL, {}).status_code == 403


@pytest.mark.django_db
def test_preview_without_javascript_redisplays_the_form_with_the_classification(users, services, client_for):
    agent = users["agent"]
    data = new_use_case_data(services["ccas"], agent, action="preview", name="", **ANNEX_III_5A)

    response = client_for(agent).post(CREATE_URL, data)

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert not UseCase.objects.exists()
    assert fr(AiActRisk.HIGH.label) in html
    assert 'id="error-summary"' not in html  # a preview is not a submission: no errors flagged yet
    assert re.search(r'value="social_benefits"[^>]*checked', html)
    assert re.search(r'value="financial"[^>]*checked', html)


@pytest.mark.django_db
def test_preview_on_the_edit_page_saves_nothing(use_case, client_for):
    data = edit_data(
        use_case,
        action="preview",
        policy_areas=["recruitment"],
        task_kind="assesses_or_recommends",
        name="Pas enregistré",
    )

    response = client_for(use_case.owner).post(edit_url(use_case), data)

    use_case.refresh_from_db()
    assert response.status_code == 200
    assert use_case.name != "Pas enregistré"
    assert use_case.version == 1
    assert fr(AiActRisk.HIGH.label) in unescape(response.content.decode())


@pytest.mark.django_db
def test_a_head_of_service_creates_in_a_service_of_their_direction(users, services, collectivite, client_for):
    chef = users["chef"]
    colleague = UserFactory(username="collegue")
    MembershipFactory(user=colleague, collectivite=collectivite, role=Role.AGENT, service=services["logement"])

    response = client_for(chef).post(CREATE_URL, new_use_case_data(services["logement"], colleague))

    assert response.status_code == 302
    assert UseCase.objects.get().owner == colleague


@pytest.mark.django_db
def test_a_submitted_use_case_can_still_be_corrected_by_its_owner(use_case, client_for):
    UseCase.objects.filter(pk=use_case.pk).update(status=UseCaseStatus.SUBMITTED)
    use_case.refresh_from_db()

    response = client_for(use_case.owner).get(edit_url(use_case))

    assert response.status_code == 200
    assert fr("Submitted") in unescape(response.content.decode())


@pytest.mark.django_db
def test_a_retired_use_case_cannot_be_edited(use_case, client_for):
    UseCase.objects.filter(pk=use_case.pk).update(status=UseCaseStatus.RETIRED)

    assert client_for(use_case.owner).get(edit_url(use_case)).status_code == 403


# The inputs of rule set 2026.12 (issue 15), now reached through the facts (issue 16) ---------------------

# legal input -> (the facts a person answers, with the direct answers the case needs; the value saved)
NEW_INPUTS = {
    "annex_i_product": ({"ce_marked_product": "notified_body"}, True),
    "ai_act_role": ({"origin": "built_for_us"}, "provider"),
    "care_context": (
        {"sensitive_contexts": ["care"], "personal_data_categories": ["health"], "hosting_zone": "on_premise"},
        True,
    ),
    "systematic_monitoring": ({"watches_people": "yes", "personal_data_categories": ["ordinary"]}, True),
    "cnil_list_types": (
        {"sensitive_contexts": ["social_support", "whistleblowing"], "personal_data_categories": ["ordinary"]},
        ["social_support", "professional_alerts"],
    ),
    "technique": ({"produces_by": ["reasons_on_knowledge_base"]}, "expert_system"),
}


def step_of(name: str) -> int:
    return next(number for number, step in enumerate(STEPS, start=1) if name in step.fields)


def _checked(block: str, name: str, value) -> bool:
    """Whether the field's HTML shows `value` as the answer (a ticked box, a chosen option)."""
    if value is True:
        return bool(re.search(rf'name="{name}"[^>]*checked', block))
    values = value if isinstance(value, list) else [value]
    return all(re.search(rf'value="{code}"[^>]*(checked|selected)', block) for code in values)


@pytest.mark.django_db
@pytest.mark.parametrize("name", NEW_INPUTS)
def test_each_legal_input_is_derived_from_the_facts_and_the_edit_form_keeps_them(name, users, services, client_for):
    agent = users["agent"]
    answers, saved = NEW_INPUTS[name]

    response = client_for(agent).post(CREATE_URL, new_use_case_data(services["ccas"], agent, **answers))

    assert response.status_code == 302
    use_case = UseCase.objects.get()
    assert getattr(use_case, name) == saved
    # the edit form shows the facts again...
    html = unescape(client_for(agent).get(edit_url(use_case)).content.decode())
    for fact, value in answers.items():
        assert _checked(field_block(html, fact), fact, value), fact
    # ...and sending it back unchanged changes nothing
    client_for(agent).post(edit_url(use_case), edit_data(use_case))
    use_case.refresh_from_db()
    assert getattr(use_case, name) == saved
    assert use_case.version == 1


@pytest.mark.django_db
def test_the_facts_weigh_on_the_saved_classification(users, services, client_for):
    agent = users["agent"]
    answers = {
        "produces_by": ["reasons_on_knowledge_base"],
        "ce_marked_product": "notified_body",
        "origin": "built_for_us",
        "affects": "public",
        "personal_data_categories": ["health"],
        "sensitive_contexts": ["care"],
        "hosting_zone": "on_premise",
    }

    client_for(agent).post(CREATE_URL, new_use_case_data(services["ccas"], agent, **answers))

    use_case = UseCase.objects.get()
    assert use_case.ai_system is True  # an expert system is AI
    assert use_case.ai_act_risk == AiActRisk.HIGH  # Annex I product, art. 6(1)
    assert "provider_conformity" in use_case.required_checkpoints  # the collectivité as provider
    assert use_case.dpia_required  # care records: CNIL list, health_care_establishment


@pytest.mark.django_db
def test_the_facts_are_asked_in_plain_words_in_their_steps(users, client_for):
    html = unescape(client_for(users["agent"]).get(CREATE_URL).content.decode())

    steps = {"tool": 2, "decisions": 3, "data": 4}
    for fact in qualification.FACTS:
        block = field_block(html, fact.name)
        with translation.override("fr"):
            question, help_text = str(fact.question), str(fact.help)
        assert question in block and help_text in block, fact.name
        position = html.index(f'data-field="{fact.name}"')
        step = steps[fact.step]
        assert html.index(f'id="step-{step}"') < position < html.index(f'id="step-{step + 1}"'), fact.name
    # the prohibited practices come first, in words
    step_2 = html[html.index('id="step-2"') : html.index('id="step-3"')]
    assert step_2.index('data-field="art5_practices"') < step_2.index('data-field="produces_by"')
    with translation.override("fr"):
        manipulation = str(classification_inputs.BY_NAME["art5_practices"].option_help["a"])
    assert manipulation in field_block(html, "art5_practices")


@pytest.mark.django_db
def test_every_fact_and_direct_answer_is_asked_once_and_no_derived_input(users, client_for):
    asked = [name for step in STEPS for name in step.fields]

    assert len(asked) == len(set(asked))
    assert set(qualification.FACT_NAMES) <= set(asked)
    assert not set(qualification.DERIVED_INPUTS) & set(asked)
    direct = {item.name for item in classification_inputs.INPUTS} - set(qualification.DERIVED_INPUTS)
    assert direct <= set(asked)


@pytest.mark.django_db
def test_follow_up_questions_are_tied_to_the_question_they_depend_on(users, client_for):
    html = unescape(client_for(users["agent"]).get(CREATE_URL).content.decode())

    task = field_block(html, "task_kind")
    assert 'data-follows="policy_areas"' in task and "form-field-follow-up" in task
    assert 'data-follows-except="infrastructure_operations public_information public_communication internal_work"' in (
        task
    )
    assert html.index('data-field="policy_areas"') < html.index('data-field="safety_component"')
    assert html.index('data-field="safety_component"') < html.index('data-field="task_kind"')
    safety = field_block(html, "safety_component")
    assert 'data-follows-values="critical_infrastructure_safety infrastructure_operations"' in safety
    appeals = field_block(html, "on_administrative_appeals")
    assert 'data-follows="decides_on_individual_cases" data-follows-values="yes unknown"' in appeals
    assert 'data-follows="produces_by" data-follows-except="written_rules"' in field_block(
        html, "keeps_learning_in_use"
    )
    # without JavaScript every follow-up shows, saying when it is asked
    assert 'class="follow-up-when" data-nojs-only' in appeals


# what is refused -> (the answers, the question that gets the message, the message)
INCOHERENT = {
    "large scale without personal data": (
        {"large_scale": "on"},
        "large_scale",
        "Large scale refers to personal data: say which personal data is used.",
    ),
    "no practice and a practice": (
        {"art5_practices": ["none", "c"]},
        "art5_practices",
        "You ticked “none of these things” and a practice: untick one of them.",
    ),
    "a follow-up left unanswered": (
        {"decides_on_individual_cases": "yes", "effect_on_people": "agent_reexamines_whole_case"},
        "on_administrative_appeals",
        "Answer this question. If you are not sure, choose “I don't know”: the DPO will be asked.",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", INCOHERENT)
def test_an_incoherent_answer_is_refused_next_to_its_question_and_nothing_typed_is_lost(
    case, users, services, client_for
):
    agent = users["agent"]
    answers, field, message = INCOHERENT[case]

    response = client_for(agent).post(
        CREATE_URL, new_use_case_data(services["ccas"], agent, name="Mon usage à corriger", **answers)
    )

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert not UseCase.objects.exists()
    block = field_block(html, field)
    assert fr(message) in block
    assert "has-error" in block.split(">", 1)[0]
    # the summary links to the question, and the page opens on its step
    anchor = f"id_{field}" if field == "large_scale" else f"id_{field}_0"
    assert f'href="#{anchor}"' in html
    assert f'data-first-error-step="{step_of(field)}"' in html
    # every answer is still there
    assert "Mon usage à corriger" in html
    for name, value in answers.items():
        assert _checked(field_block(html, name), name, True if value == "on" else value), name


RULES_DECIDING = {
    "produces_by": ["written_rules"],
    "affects": "public",
    "policy_areas": ["social_benefits"],
    "task_kind": "assesses_or_recommends",
    "effect_on_people": "agent_reexamines_whole_case",
    "decides_on_individual_cases": "yes",
    "on_administrative_appeals": "no",
    "personal_data_categories": ["ordinary", "financial"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("javascript", [True, False], ids=["live preview", "preview button"])
def test_the_preview_of_rules_written_by_people_says_not_ai_and_keeps_the_crpa_duties(
    javascript, users, services, client_for
):
    agent = users["agent"]
    data = new_use_case_data(services["ccas"], agent, **RULES_DECIDING)
    data.pop("keeps_learning_in_use")  # not asked for rules written by people

    if javascript:
        response = client_for(agent).post(PREVIEW_URL, data)
    else:
        response = client_for(agent).post(CREATE_URL, {**data, "action": "preview"})

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert not UseCase.objects.exists()
    assert 'data-ai-act-risk="out_of_scope"' in html
    assert fr(AiActRisk.OUT_OF_SCOPE.label) in html
    assert 'data-ai-system="false"' in html and fr("No: rules written by people") in html
    assert 'data-reason="not_ai_system"' in html
    # the AI Act's duties are gone, the CRPA's stay (L311-3-1, AI or not)
    crpa = re.search(r'data-obligation="crpa_mention_required">(.*?)</li>', html, re.S).group(1)
    assert fr("Required") in crpa and fr("Not required") not in crpa
    fria = re.search(r'data-obligation="fria_required">(.*?)</li>', html, re.S).group(1)
    assert fr("Not required") in fria
    assert 'data-checkpoint="crpa_mention"' in html and 'data-checkpoint="decision_validation"' in html
    assert 'data-reason="ai_literacy"' not in html


@pytest.mark.django_db
def test_the_preview_follows_the_facts(users, services, client_for):
    agent = users["agent"]
    data = new_use_case_data(services["ccas"], agent, ce_marked_product="notified_body", origin="built_for_us")

    html = unescape(client_for(agent).post(PREVIEW_URL, data).content.decode())

    assert 'data-ai-act-risk="high"' in html
    assert 'data-reason="annex_i_high"' in html
    assert 'data-checkpoint="provider_conformity"' in html


@pytest.mark.django_db
def test_the_preview_says_why_an_incoherent_answer_is_left_out(users, services, client_for):
    agent = users["agent"]
    data = new_use_case_data(services["ccas"], agent, large_scale="on")

    html = unescape(client_for(agent).post(PREVIEW_URL, data).content.decode())

    gaps = re.search(r"data-preview-gaps>(.*?)</div>", html, re.S).group(1)
    with translation.override("fr"):
        question = str(classification_inputs.BY_NAME["large_scale"].question)
    assert question in gaps
    assert fr("Large scale refers to personal data: say which personal data is used.") in gaps
