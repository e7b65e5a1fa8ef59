"""The guided qualification in the pages (DOMAIN.md 3b, issue 16): the questionnaire of the use-case form, the live
panel that shows each legal answer with the answers and the article behind it, the use case's "Qualification"
block, the DPO's expert view (set a legal answer directly, lift it, confirm) and its refusals, and "Mes tâches"."""

import itertools
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from registry import qualification
from registry import services as svc
from registry.choices import AiActRisk
from registry.forms import FOLLOW_UPS
from registry.models import UseCase, UseCaseEvent
from tests.registry.factories import UseCaseFactory

from .helpers import QUIET_FACTS, answer_questionnaire, fr

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("registry:use_case_create")
PREVIEW_URL = reverse("registry:classification_preview")
TASKS_URL = reverse("registry:my_tasks")


def page(response, status=200) -> str:
    assert response.status_code == status, response.status_code
    return unescape(response.content.decode())


def detail_url(use_case):
    return reverse("registry:use_case_detail", args=[use_case.pk])


def edit_url(use_case):
    return reverse("registry:use_case_edit", args=[use_case.pk])


def expert_url(use_case):
    return reverse("registry:qualification", args=[use_case.pk])


def set_url(use_case, name):
    return reverse("registry:qualification_set", args=[use_case.pk, name])


def lift_url(use_case, name):
    return reverse("registry:qualification_lift", args=[use_case.pk, name])


def confirm_url(use_case):
    return reverse("registry:qualification_confirm", args=[use_case.pk])


def form_data(service, owner, **answers):
    """The creation form for a use, with the quiet answers of the questionnaire unless `answers` say otherwise
    (None: the question is left out)."""
    data = {
        "name": "Présélection des candidatures",
        "summary": "Un outil classe les candidatures reçues.",
        "purpose": "Recruter plus vite.",
        "service": service.pk,
        "owner": owner.pk,
        "max_data_classification": "C1",
        "hosting_zone": "fr",
        "hosting_qualification": "none",
        "action": "save",
        **QUIET_FACTS,
        **answers,
    }
    return {name: value for name, value in data.items() if value is not None}


def field(html: str, name: str) -> str:
    """The HTML of one question of the form, up to the next question."""
    start = html.index(f'data-field="{name}"')
    end = html.find("data-field=", start + 20)
    return html[start:end]


def row(html: str, name: str) -> str:
    """The HTML of one legal answer's row (panel, page or expert view)."""
    match = re.search(rf'data-qualification="{name}".*?(?=data-qualification="|</tbody>|</dl>|</section>)', html, re.S)
    assert match, f"no row for {name}"
    return match.group(0)


# The follow-ups of the page say what the qualification decides -------------------------------------------------


def _opens(spec: dict, answers: list[str]) -> bool:
    """What the page's script decides (use_case_form.js `opens`)."""
    if "values" in spec:
        return any(code in spec["values"] for code in answers)
    return any(code not in spec["except"] for code in answers)


@pytest.mark.parametrize("name", FOLLOW_UPS)
def test_a_follow_up_opens_in_the_page_exactly_when_the_qualification_asks_it(name):
    spec = FOLLOW_UPS[name]
    earlier = qualification.FACTS_BY_NAME[spec["field"]]
    combos = (
        [list(c) for size in (1, 2) for c in itertools.combinations(earlier.codes, size)]
        if earlier.multiple
        else [[code] for code in earlier.codes]
    )
    for answers in combos:
        facts = {spec["field"]: answers if earlier.multiple else answers[0]}
        assert _opens(spec, answers) == qualification.is_open(name, facts), (name, answers)


# The questionnaire --------------------------------------------------------------------------------------------


def test_an_answer_i_dont_know_is_saved_and_goes_to_the_dpo(users, services, client_for):
    chef = users["chef"]

    response = client_for(chef).post(CREATE_URL, form_data(services["ccas"], chef, origin="unknown"))

    assert response.status_code == 302
    use_case = UseCase.objects.get()
    assert use_case.origin == "unknown"
    assert use_case.qualification_to_confirm
    assert [question["question"] for question in use_case.qualification_questions] == ["origin"]
    html = page(client_for(chef).get(detail_url(use_case)))
    block = html[html.index('id="qualification"') :]
    assert 'data-dpo-question="origin"' in block
    with translation.override("fr"):
        assert str(qualification.FACTS_BY_NAME["origin"].question) in block


def test_a_legal_input_posted_to_the_form_is_not_taken(users, services, client_for):
    chef = users["chef"]

    client_for(chef).post(
        CREATE_URL, form_data(services["ccas"], chef, annex_iii_point="4a", automation_level="fully_automated")
    )

    use_case = UseCase.objects.get()
    assert use_case.annex_iii_point == "" and use_case.automation_level == "none"
    assert use_case.ai_act_risk == AiActRisk.MINIMAL


def test_the_live_panel_shows_each_legal_answer_with_the_answers_and_the_article_behind_it(users, client_for):
    data = {
        "produces_by": ["learned_from_data"],
        "policy_areas": ["social_benefits"],
        "task_kind": "assesses_or_recommends",
        "effect_on_people": "agent_usually_follows",
        "decides_on_individual_cases": "yes",
        "on_administrative_appeals": "no",
    }

    html = page(client_for(users["agent"]).post(PREVIEW_URL, data))

    annex = row(html, "annex_iii_point")
    with translation.override("fr"):
        because = str(qualification.FACTS_BY_NAME["policy_areas"].options[0].label)
        article = str(qualification.INPUT_ARTICLES["annex_iii_point"])
    assert "5a" in annex and fr("because:") in annex and because in annex and article in annex
    assert fr(AiActRisk.HIGH.label) in html
    # nothing was unknown: no question goes to the DPO
    assert "data-dpo-questions" not in html


def test_the_live_panel_lists_the_questions_that_will_go_to_the_dpo(users, client_for):
    data = {**QUIET_FACTS, "effect_on_people": "unknown", "decides_on_individual_cases": "yes"}
    data["on_administrative_appeals"] = "no"

    html = page(client_for(users["agent"]).post(PREVIEW_URL, data))

    questions = re.search(r"data-dpo-questions>(.*?)</div>", html, re.S).group(1)
    assert 'data-dpo-question="effect_on_people"' in questions
    assert fr("not known") in questions
    # the most demanding plausible reading applies meanwhile: a score that weighs decisively
    assert 'data-qualification="automation_level"' in html
    with translation.override("fr"):
        assert str(qualification.I_DONT_KNOW) in row(html, "automation_level")


def test_the_edit_form_of_a_use_case_recorded_before_the_questionnaire_asks_the_rest(use_case, client_for):
    # given a use case recorded through its legal answers (a writing assistant for agents): the migration's world
    assert use_case.facts_to_complete
    client = client_for(use_case.owner)

    html = page(client.get(edit_url(use_case)))

    # the answers its legal inputs imply are shown; the others are asked, marked "to answer"
    assert "data-facts-to-complete" in html
    assert re.search(r'name="produces_by" value="generates_text"[^>]*checked', html)
    assert re.search(r'name="affects" value="agents"[^>]*checked', html)
    assert "data-to-complete" in field(html, "origin") and "data-to-complete" not in field(html, "produces_by")

    # saving without answering them is refused next to each question, nothing typed is lost
    data = {
        "name": "Nom corrigé",
        "summary": use_case.summary,
        "purpose": use_case.purpose,
        "service": use_case.service_id,
        "owner": use_case.owner_id,
        "tool": use_case.tool_id,
        "max_data_classification": "C1",
        "hosting_zone": "fr",
        "hosting_qualification": "none",
        "art5_practices": ["none"],
        "produces_by": ["generates_text"],
        "affects": "agents",
        "version": use_case.version,
        "action": "save",
    }
    refused = page(client.post(edit_url(use_case), data))
    assert 'id="error-summary"' in refused and "Nom corrigé" in refused
    assert 'href="#id_origin_0"' in refused and 'href="#id_watches_people_0"' in refused
    use_case.refresh_from_db()
    assert use_case.name != "Nom corrigé"

    # answered, the facts are complete
    response = client.post(edit_url(use_case), {**QUIET_FACTS, **data})
    assert response.status_code == 302
    use_case.refresh_from_db()
    assert not use_case.facts_to_complete and use_case.name == "Nom corrigé"


def test_the_preview_of_an_edit_form_keeps_the_dpo_s_legal_answers(use_case, users, client_for):
    answer_questionnaire(use_case)
    svc.qualification_override_set(
        use_case=use_case,
        acting_user=users["dpo"],
        input_name="annex_iii_point",
        value="4b",
        justification="L'outil répartit les tâches des agents.",
    )
    data = {**QUIET_FACTS, "name": use_case.name}
    url = f"{PREVIEW_URL}?use_case={use_case.pk}"

    html = page(client_for(use_case.owner).post(url, data))

    assert 'data-ai-act-risk="high"' in html
    assert 'data-source="override"' in row(html, "annex_iii_point")
    assert "L'outil répartit les tâches des agents." in html
    # the preview of a use case out of sight answers 404
    assert client_for(users["agent"]).post(url, data).status_code == 404


# The use case's page ------------------------------------------------------------------------------------------


def test_the_page_shows_each_legal_answer_its_source_and_the_dpo_s_justification(use_case, users, client_for):
    answer_questionnaire(use_case, affects="public", policy_areas=["public_information"])
    use_case.personal_data_categories = ["ordinary"]
    svc.use_case_classify(use_case=use_case)
    use_case.save()
    svc.qualification_override_set(
        use_case=use_case,
        acting_user=users["dpo"],
        input_name="cnil_list_types",
        value=["social_support"],
        justification="Le dialogue se fait avec les habitants.",
    )

    html = page(client_for(users["dpo"]).get(detail_url(use_case)))

    block = html[html.index('id="qualification"') :]
    audience = row(block, "audience")
    assert 'data-source="facts"' in audience and fr("from the answers").lower() in audience.lower()
    with translation.override("fr"):
        assert str(qualification.FACTS_BY_NAME["affects"].label_of("public")) in audience
    override = row(block, "cnil_list_types")
    assert 'data-source="override"' in override and fr("set by the DPO").lower() in override.lower()
    assert "Le dialogue se fait avec les habitants." in override and str(users["dpo"].get_full_name()) in override
    # the answers' reason ("none of these activities") is not shown as the reason of the DPO's value
    assert "data-because" not in override
    # the DPO finds the expert view; the answers to the questionnaire are listed
    assert expert_url(use_case) in block
    assert 'data-fact="affects"' in block
    # the trail says it in the reader's language, with the justification
    event = use_case.events.get(kind=UseCaseEvent.Kind.QUALIFIED)
    trail = html[html.index(f'data-event="{event.kind}"') :]
    assert "«\u202fLe dialogue se fait avec les habitants.\u202f»" in trail


def test_the_owner_sees_the_questions_to_answer_with_a_link_to_the_form(use_case, client_for):
    html = page(client_for(use_case.owner).get(detail_url(use_case)))

    block = html[html.index('id="qualification"') :]
    assert "data-facts-to-complete" in block and 'data-missing-fact="origin"' in block
    assert edit_url(use_case) in block
    # the values recorded before the questionnaire are kept and say so
    assert 'data-source="stored"' in row(block, "technique")
    assert fr("recorded before the questionnaire").capitalize() in row(block, "technique")
    # a head of service or an agent does not get the expert view
    assert expert_url(use_case) not in html


# The DPO's expert view ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [("dpo", 200), ("rssi", 200), ("chef", 403), ("dgs", 403), ("owner", 403)])
def test_who_opens_the_expert_view(role, status, use_case, users, client_for):
    user = use_case.owner if role == "owner" else users[role]

    assert client_for(user).get(expert_url(use_case)).status_code == status


def test_a_use_case_out_of_sight_answers_404(use_case, outsider, client_for):
    assert client_for(outsider).get(expert_url(use_case)).status_code == 404


def test_the_dpo_sets_a_legal_answer_with_a_justification(use_case, users, client_for):
    answer_questionnaire(use_case)
    client = client_for(users["dpo"])
    assert 'name="value"' in row(page(client.get(expert_url(use_case))), "annex_iii_point")

    response = client.post(
        set_url(use_case, "annex_iii_point"),
        {"value": "4b", "justification": "Les tâches des agents sont réparties par l'outil.", "version": 1},
    )

    assert response.status_code == 302
    use_case.refresh_from_db()
    assert use_case.annex_iii_point == "4b" and use_case.ai_act_risk == AiActRisk.HIGH
    override = use_case.qualification_overrides["annex_iii_point"]
    assert override["justification"] == "Les tâches des agents sont réparties par l'outil."
    assert override["derived"] is None and override["by"] == users["dpo"].pk
    # the trail names the legal answer, old -> new, in French
    html = page(client.get(detail_url(use_case)))
    trail = html[html.index('data-event="qualified"') :]
    with translation.override("fr"):
        label = str(UseCase._meta.get_field("annex_iii_point").verbose_name)
    assert label[:1].upper() + label[1:] in trail and "→" in trail


def test_a_justification_is_required_and_nothing_typed_is_lost(use_case, users, client_for):
    response = client_for(users["dpo"]).post(
        set_url(use_case, "annex_iii_point"), {"value": "4b", "justification": "  ", "version": use_case.version}
    )

    html = page(response, 400)
    entry = row(html, "annex_iii_point")
    assert fr("Say why you set this answer: the justification is kept with it.") in entry
    assert re.search(r'<option value="4b" selected', entry)
    use_case.refresh_from_db()
    assert use_case.annex_iii_point == "" and not use_case.qualification_overrides


def test_a_stale_version_is_refused_with_a_conflict_and_keeps_what_was_typed(use_case, users, client_for):
    old = use_case.version
    svc.use_case_update(use_case=use_case, acting_user=users["chef"], data={"purpose": "Autre"}, expected_version=old)

    response = client_for(users["dpo"]).post(
        set_url(use_case, "annex_iii_point"), {"value": "4a", "justification": "Tri de candidatures.", "version": old}
    )

    html = page(response, 409)
    assert 'id="conflict-alert"' in html
    entry = row(html, "annex_iii_point")
    assert "Tri de candidatures." in entry and re.search(r'<option value="4a" selected', entry)
    assert f'name="version" value="{old + 1}"' in entry  # sending it again now works
    use_case.refresh_from_db()
    assert use_case.annex_iii_point == ""


@pytest.mark.parametrize(
    ("role", "name"),
    [("agent", "annex_iii_point"), ("chef", "annex_iii_point"), ("rssi", "annex_iii_point"), ("dpo", "hosting_zone")],
)
def test_only_the_dpo_sets_the_legal_answers_and_the_rssi_the_security_ones(role, name, use_case, users, client_for):
    user = use_case.owner if role == "agent" else users[role]  # an agent who sees the use case: its owner
    value = "fr" if name == "hosting_zone" else "4a"

    response = client_for(user).post(
        set_url(use_case, name), {"value": value, "justification": "Parce que.", "version": use_case.version}
    )

    assert response.status_code == 403
    use_case.refresh_from_db()
    assert not use_case.qualification_overrides


def test_the_rssi_sets_the_hosting_directly(use_case, users, client_for):
    response = client_for(users["rssi"]).post(
        set_url(use_case, "hosting_zone"),
        {"value": "non_eu", "justification": "Le contrat prévoit un hébergement aux États-Unis.", "version": 1},
    )

    assert response.status_code == 302
    use_case.refresh_from_db()
    assert use_case.hosting_zone == "non_eu" and "hosting_zone" in use_case.qualification_overrides
    hosting = row(page(client_for(users["rssi"]).get(detail_url(use_case))), "hosting_zone")
    assert fr("set by the RSSI").lower() in hosting.lower()


def test_the_dpo_lifts_a_legal_answer_and_the_facts_decide_again(use_case, users, client_for):
    answer_questionnaire(use_case)
    svc.qualification_override_set(
        use_case=use_case,
        acting_user=users["dpo"],
        input_name="annex_iii_point",
        value="4b",
        justification="Pour voir.",
    )
    use_case.refresh_from_db()
    client = client_for(users["dpo"])
    assert lift_url(use_case, "annex_iii_point") in page(client.get(expert_url(use_case)))

    response = client.post(lift_url(use_case, "annex_iii_point"), {"comment": "", "version": use_case.version})

    assert response.status_code == 302
    use_case.refresh_from_db()
    assert use_case.annex_iii_point == "" and not use_case.qualification_overrides
    assert use_case.events.filter(kind=UseCaseEvent.Kind.UNQUALIFIED).exists()


def test_an_override_the_facts_no_longer_support_is_flagged(use_case, users, client_for):
    answer_questionnaire(use_case, policy_areas=["recruitment"], task_kind="narrow_procedural")
    svc.qualification_override_set(
        use_case=use_case,
        acting_user=users["dpo"],
        input_name="art6_3_ground",
        value="",
        justification="Le tri n'est pas une simple tâche procédurale.",
    )
    use_case.refresh_from_db()
    # the owner then changes the facts: the tool now prepares the file
    svc.use_case_update(
        use_case=use_case,
        acting_user=use_case.owner,
        data={"task_kind": "prepares_file_for_agent"},
        expected_version=use_case.version,
    )

    html = page(client_for(users["dpo"]).get(detail_url(use_case)))

    block = html[html.index('id="qualification"') :]
    assert "data-overrides-to-review" in block and "data-to-review" in row(block, "art6_3_ground")
    assert "Le tri n'est pas une simple tâche procédurale." in row(block, "art6_3_ground")


# Confirming ----------------------------------------------------------------------------------------------------


@pytest.fixture
def unknown_origin(use_case):
    """A use case whose origin the owner did not know: a qualification to confirm."""
    return answer_questionnaire(use_case, origin="unknown")


@pytest.mark.parametrize("role", ["rssi", "chef", "owner"])
def test_only_the_dpo_confirms_a_qualification(role, unknown_origin, users, client_for):
    user = unknown_origin.owner if role == "owner" else users[role]

    response = client_for(user).post(confirm_url(unknown_origin), {"comment": "", "version": unknown_origin.version})

    assert response.status_code == 403
    unknown_origin.refresh_from_db()
    assert unknown_origin.qualification_to_confirm


def test_the_dpo_confirms_the_qualification_with_a_comment(unknown_origin, users, client_for):
    client = client_for(users["dpo"])
    html = page(client.get(detail_url(unknown_origin)))
    assert "data-confirm-qualification" in html

    response = client.post(
        confirm_url(unknown_origin), {"comment": "Logiciel d'un éditeur, usage prévu.", "version": 1}
    )

    assert response.status_code == 302 and response["Location"].endswith("#qualification")
    unknown_origin.refresh_from_db()
    assert not unknown_origin.qualification_to_confirm
    assert unknown_origin.qualification_confirmation["comment"] == "Logiciel d'un éditeur, usage prévu."
    html = page(client.get(detail_url(unknown_origin)))
    assert "data-qualification-confirmed" in html and "data-confirm-qualification" not in html
    trail = html[html.index('data-event="qualification_ok"') :]
    with translation.override("fr"):
        assert str(qualification.FACTS_BY_NAME["origin"].question) in trail


def test_a_confirmation_on_a_stale_page_is_refused_and_keeps_the_comment(unknown_origin, users, client_for):
    svc.use_case_update(
        use_case=unknown_origin, acting_user=users["chef"], data={"purpose": "Autre"}, expected_version=1
    )

    response = client_for(users["dpo"]).post(confirm_url(unknown_origin), {"comment": "Vu avec le DSI.", "version": 1})

    html = page(response, 409)
    assert 'id="conflict-alert"' in html and "Vu avec le DSI." in html
    unknown_origin.refresh_from_db()
    assert unknown_origin.qualification_to_confirm


# Mes tâches ----------------------------------------------------------------------------------------------------


def test_the_dpo_finds_the_qualifications_to_confirm_with_their_questions(unknown_origin, users, client_for):
    html = page(client_for(users["dpo"]).get(TASKS_URL))

    section = html[html.index('data-tasks="qualifications"') :]
    section = section[: section.index("</section>")]
    assert f'data-task="{unknown_origin.reference}"' in section
    assert detail_url(unknown_origin) + "#qualification" in section
    with translation.override("fr"):
        assert str(qualification.FACTS_BY_NAME["origin"].question) in section
    assert fr("Qualifications to confirm") in html


def test_the_owner_finds_the_use_cases_whose_facts_to_complete(use_case, users, client_for):
    html = page(client_for(use_case.owner).get(TASKS_URL))

    section = html[html.index('data-tasks="facts"') :]
    section = section[: section.index("</section>")]
    assert f'data-task="{use_case.reference}"' in section and edit_url(use_case) in section
    # the DPO sees no such section item for a use case they do not own
    dpo = page(client_for(users["dpo"]).get(TASKS_URL))
    assert f'data-task="{use_case.reference}"' not in dpo[dpo.index('data-tasks="facts"') :]


def test_the_qualification_sections_of_mes_taches_cost_the_same_queries_whatever_their_length(
    collectivite, services, users, tool, client_for, django_assert_max_num_queries
):
    client = client_for(users["dpo"])

    def add(count):
        for _ in range(count):
            # the DPO owns both: one qualification to confirm, one use case whose facts are to complete
            kwargs = {"collectivite": collectivite, "service": services["ccas"], "owner": users["dpo"], "tool": tool}
            answer_questionnaire(UseCaseFactory(**kwargs), origin="unknown")
            UseCaseFactory(**kwargs)

    add(1)
    client.get(TASKS_URL)
    with CaptureQueriesContext(connection) as few:
        client.get(TASKS_URL)
    add(4)
    with CaptureQueriesContext(connection) as many:
        html = page(client.get(TASKS_URL))

    for section in ("qualifications", "facts"):
        items = html[html.index(f'data-tasks="{section}"') :]
        assert items[: items.index("</section>")].count("data-task=") == 5, section
    assert len(many) == len(few)
    with django_assert_max_num_queries(len(few)):
        client.get(TASKS_URL)
