"""The guided creation and edit form: who may use it, what it saves, how it reports errors and conflicts,
and the classification preview that saves nothing."""

import re
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from registry import classification_inputs
from registry.choices import AiActRisk, Role, UseCaseStatus
from registry.errors import ApplicationError
from registry.forms import OPTION_HELP, STEPS, UseCaseForm
from registry.models import UseCase, UseCaseEvent
from tests.factories import MembershipFactory, ToolFactory, UserFactory

from .helpers import fr

CREATE_URL = reverse("registry:use_case_create")
PREVIEW_URL = reverse("registry:classification_preview")


def edit_url(use_case):
    return reverse("registry:use_case_edit", args=[use_case.pk])


def new_use_case_data(service, owner, **overrides):
    """What a person fills in for a simple drafting assistant (unticked boxes are simply absent)."""
    data = {
        "name": "Aide à la rédaction des courriers",
        "summary": "Un assistant propose un brouillon de réponse aux courriers simples des habitants.",
        "purpose": "Répondre plus vite aux habitants.",
        "description": "",
        "service": service.pk,
        "owner": owner.pk,
        "tool": "",
        "start_date": "",
        "end_date": "",
        "technique": "genai_text",
        "audience": "agents",
        "automation_level": "none",
        "annex_iii_point": "",
        "art6_3_ground": "",
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
    """The edit form as the page sends it back for `use_case`, with some answers changed."""
    data = new_use_case_data(use_case.service, use_case.owner)
    for name in ("name", "summary", "purpose", "description"):
        data[name] = getattr(use_case, name)
    # Every classification input, as its widget sends it: a code, the ticked codes, "on" for a ticked box.
    for item in classification_inputs.INPUTS:
        value = getattr(use_case, item.name)
        if item.kind == classification_inputs.BOOL:
            data[item.name] = "on" if value else None
        elif item.multiple:
            data[item.name] = list(value) or None
        else:
            data[item.name] = value
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
    assert str(UseCaseForm.base_fields["annex_iii_point"].help_text)[:60] in html
    # the Article 6(3) exemptions, each explained with an example
    assert str(OPTION_HELP["art6_3_ground"]["a"])[:60] in html
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
        technique="quantum",
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
    assert fr("Select a valid choice. %(value)s is not one of the available choices.") % {"value": "quantum"} in (
        field_block(html, "technique")
    )
    # the summary links to the field and the page opens on the first step with an error
    assert 'href="#id_name"' in html
    assert 'data-first-error-step="1"' in html
    # what was typed is still there
    assert "Mon résumé très précis" in html
    assert re.search(r'value="health"[^>]*checked', html)
    assert re.search(r'name="large_scale"[^>]*checked', html)


@pytest.mark.django_db
def test_an_exemption_without_an_annex_iii_domain_is_refused_next_to_the_exemption(users, services, client_for):
    agent = users["agent"]

    response = client_for(agent).post(CREATE_URL, new_use_case_data(services["ccas"], agent, art6_3_ground="d"))

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert not UseCase.objects.exists()
    message = fr("An Article 6(3) exemption only applies to an Annex III domain: choose the domain first.")
    assert message in field_block(html, "art6_3_ground")
    assert 'data-first-error-step="3"' in html


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
    assert fr("Choose a member of the collectivité.") in field_block(html, "owner")
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
    use_case.annex_iii_point = "5a"
    use_case.save()

    html = unescape(client_for(use_case.owner).get(edit_url(use_case)).content.decode())

    assert f'value="{use_case.name}"' in html
    assert re.search(r'<option value="5a" selected', html)
    assert 'name="version" value="1"' in html
    assert fr(AiActRisk.HIGH.label) in html


@pytest.mark.django_db
def test_an_edit_is_saved_and_recorded_in_the_history(use_case, users, client_for):
    chef = users["chef"]
    before = use_case.history.count()

    response = client_for(chef).post(edit_url(use_case), edit_data(use_case, name="Nouveau nom", annex_iii_point="5a"))

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


# Preview -------------------------------------------------------------------------------------------

ANNEX_III_5A = {
    "annex_iii_point": "5a",
    "technique": "ml_predictive",
    "automation_level": "determining",
    "individual_decisions": "on",
    "personal_data_categories": ["ordinary", "financial"],
}


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
        "technique": "quantum",
        "annex_iii_point": "9z",
        "art5_practices": ["zz"],
        "tool": "999999",
        "personal_data_categories": ["bogus", "health"],
        "max_data_classification": "C9",
        "decisions_per_year": "beaucoup",
        "version": "abc",
        "start_date": "hier",
        "art6_3_ground": "d",
    }

    response = client_for(users["agent"]).post(PREVIEW_URL, garbage)

    html = unescape(response.content.decode())
    assert response.status_code == 200
    gaps = re.search(r"data-preview-gaps>(.*?)</div>", html, re.S).group(1)
    assert fr("Not taken into account because the answer is not valid:") in gaps
    assert fr("How does the system produce its results?") in gaps
    assert fr(AiActRisk.MINIMAL.label) in html


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
    data = {"automation_level": "assist", "individual_decisions": "on"}

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
    assert re.search(r'<option value="5a" selected', html)
    assert re.search(r'value="financial"[^>]*checked', html)


@pytest.mark.django_db
def test_preview_on_the_edit_page_saves_nothing(use_case, client_for):
    data = edit_data(use_case, action="preview", annex_iii_point="4a", name="Pas enregistré")

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


# The inputs of rule set 2026.12 (issue 15) ---------------------------------------------------------------

# input -> (what the person answers, with what the answer needs to be coherent; the value saved)
NEW_INPUTS = {
    "annex_i_product": ({"annex_i_product": "on"}, True),
    "ai_act_role": ({"ai_act_role": "provider"}, "provider"),
    "care_context": (
        {"care_context": "on", "personal_data_categories": ["health"], "hosting_zone": "on_premise"},
        True,
    ),
    "systematic_monitoring": ({"systematic_monitoring": "on", "personal_data_categories": ["ordinary"]}, True),
    "cnil_list_types": (
        # ticked in the page's order (by heading), saved in the CNIL list's order
        {"cnil_list_types": ["social_support", "professional_alerts"], "personal_data_categories": ["ordinary"]},
        ["professional_alerts", "social_support"],
    ),
    "technique": ({"technique": "expert_system"}, "expert_system"),
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
def test_each_new_input_is_saved_through_the_form_and_kept_by_the_edit_form(name, users, services, client_for):
    agent = users["agent"]
    answers, saved = NEW_INPUTS[name]

    response = client_for(agent).post(CREATE_URL, new_use_case_data(services["ccas"], agent, **answers))

    assert response.status_code == 302
    use_case = UseCase.objects.get()
    assert getattr(use_case, name) == saved
    # the edit form shows the answer again...
    html = unescape(client_for(agent).get(edit_url(use_case)).content.decode())
    assert _checked(field_block(html, name), name, saved)
    # ...and sending it back unchanged changes nothing
    client_for(agent).post(edit_url(use_case), edit_data(use_case))
    use_case.refresh_from_db()
    assert getattr(use_case, name) == saved
    assert use_case.version == 1


@pytest.mark.django_db
def test_the_new_answers_weigh_on_the_saved_classification(users, services, client_for):
    agent = users["agent"]
    answers = {
        "technique": "expert_system",
        "annex_i_product": "on",
        "ai_act_role": "provider",
        "audience": "public",
        "personal_data_categories": ["health"],
        "care_context": "on",
        "hosting_zone": "on_premise",
    }

    client_for(agent).post(CREATE_URL, new_use_case_data(services["ccas"], agent, **answers))

    use_case = UseCase.objects.get()
    assert use_case.ai_system is True  # an expert system is AI
    assert use_case.ai_act_risk == AiActRisk.HIGH  # Annex I product, art. 6(1)
    assert "provider_conformity" in use_case.required_checkpoints  # the collectivité as provider
    assert use_case.dpia_required  # care records: CNIL list, health_care_establishment


# the step of each new question, as the form numbers them
NEW_QUESTION_STEPS = {
    "ai_act_role": 2,
    "annex_i_product": 2,
    "care_context": 4,
    "systematic_monitoring": 4,
    "cnil_list_types": 4,
}


@pytest.mark.django_db
def test_the_new_questions_are_asked_in_plain_words_in_their_steps(users, client_for):
    html = unescape(client_for(users["agent"]).get(CREATE_URL).content.decode())

    for name, step in NEW_QUESTION_STEPS.items():
        item = classification_inputs.BY_NAME[name]
        block = field_block(html, name)
        with translation.override("fr"):
            question, help_text = str(item.question), str(item.help)
        assert question in block and help_text in block
        position = html.index(f'data-field="{name}"')
        assert html.index(f'id="step-{step}"') < position < html.index(f'id="step-{step + 1}"')
    # the role's options are explained to a head of service
    with translation.override("fr"):
        role_help = [str(text) for text in classification_inputs.BY_NAME["ai_act_role"].option_help.values()]
    assert all(text in field_block(html, "ai_act_role") for text in role_help)


@pytest.mark.django_db
def test_the_cnil_list_reads_under_headings_and_says_which_types_are_deduced(users, client_for):
    html = unescape(client_for(users["agent"]).get(CREATE_URL).content.decode())

    block = field_block(html, "cnil_list_types")
    headings = re.findall(r'<legend class="option-subgroup-heading">(.*?)</legend>', block)
    assert headings == [
        fr("Social action, health and medico-social care"),
        fr("Agents and alerts"),
        fr("Profiling and contracts"),
        fr("Health, genetic, biometric and location data"),
    ]
    assert block.count('type="checkbox"') == 14  # every type of the CNIL's list, once
    assert fr("Also deduced when the system profiles agents.") in block


@pytest.mark.django_db
def test_follow_up_questions_are_tied_to_the_question_they_depend_on(users, client_for):
    html = unescape(client_for(users["agent"]).get(CREATE_URL).content.decode())

    art6_3 = field_block(html, "art6_3_ground")
    assert 'data-follows="annex_iii_point" data-follows-value=""' in art6_3
    assert "form-field-follow-up" in art6_3
    # it comes right after the Annex III question it follows up
    assert html.index('data-field="annex_iii_point"') < html.index('data-field="art6_3_ground"')
    assert 'data-follows="personal_data_categories" data-follows-value="health"' in field_block(html, "care_context")
    assert 'data-follows="individual_decisions"' in field_block(html, "administrative_appeal")


# what is refused -> (the answers, the question that gets the message, the message)
INCOHERENT = {
    "care without health data": (
        {"care_context": "on", "personal_data_categories": ["ordinary"]},
        "care_context",
        "This answer concerns health data: tick health data among the personal data.",
    ),
    "self-learning rules": (
        {"technique": "rules", "self_learning": "on"},
        "self_learning",
        "Rules written solely by people do not learn by themselves: correct the technique or this answer.",
    ),
    "CNIL type without personal data": (
        {"cnil_list_types": ["social_housing"]},
        "cnil_list_types",
        "The CNIL's list concerns processing of personal data: say which personal data is used.",
    ),
    "monitoring without personal data": (
        {"systematic_monitoring": "on"},
        "systematic_monitoring",
        "Monitoring people means processing personal data: say which personal data is used.",
    ),
    "appeal without individual decisions": (
        {"administrative_appeal": "on"},
        "administrative_appeal",
        "Decisions on administrative appeals are individual decisions: say that the use founds them too.",
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
    item = classification_inputs.BY_NAME[field]
    anchor = (
        f"id_{field}_0"
        if item.form_widget in (classification_inputs.RADIO, classification_inputs.CHECKBOXES)
        else f"id_{field}"
    )
    assert f'href="#{anchor}"' in html
    assert f'data-first-error-step="{step_of(field)}"' in html
    # every answer is still there
    assert "Mon usage à corriger" in html
    for name, value in answers.items():
        assert _checked(field_block(html, name), name, True if value == "on" else value), name


RULES_DECIDING = {
    "technique": "rules",
    "automation_level": "assist",
    "individual_decisions": "on",
    "audience": "public",
    "personal_data_categories": ["ordinary", "financial"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("javascript", [True, False], ids=["live preview", "preview button"])
def test_the_preview_of_rules_written_by_people_says_not_ai_and_keeps_the_crpa_duties(
    javascript, users, services, client_for
):
    agent = users["agent"]
    data = new_use_case_data(services["ccas"], agent, **RULES_DECIDING)

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
def test_the_preview_follows_the_new_answers(users, services, client_for):
    agent = users["agent"]
    data = new_use_case_data(services["ccas"], agent, annex_i_product="on", ai_act_role="provider")

    html = unescape(client_for(agent).post(PREVIEW_URL, data).content.decode())

    assert 'data-ai-act-risk="high"' in html
    assert 'data-reason="annex_i_high"' in html
    assert 'data-checkpoint="provider_conformity"' in html


@pytest.mark.django_db
def test_the_preview_says_why_an_incoherent_answer_is_left_out(users, services, client_for):
    agent = users["agent"]
    data = new_use_case_data(services["ccas"], agent, care_context="on", personal_data_categories=["ordinary"])

    html = unescape(client_for(agent).post(PREVIEW_URL, data).content.decode())

    gaps = re.search(r"data-preview-gaps>(.*?)</div>", html, re.S).group(1)
    with translation.override("fr"):
        question = str(classification_inputs.BY_NAME["care_context"].question)
    assert question in gaps
    assert fr("This answer concerns health data: tick health data among the personal data.") in gaps
