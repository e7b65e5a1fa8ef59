"""The agent's side of shadow-AI declarations: the form in steps, the guidance right after sending,
"My declarations", and the private follow-up page of an anonymous declaration.

No blame: nobody but the author (and the DPO / RSSI, on their triage pages) reads a named declaration;
nothing at all links an anonymous one to its author.
"""

import re
import uuid
from html import unescape

import pytest
from django.core.cache import cache
from django.urls import reverse

from declarations import services as declaration_services
from declarations.models import Declaration, DeclarationEvent
from registry.choices import DeclarationStatus
from tests.registry.factories import ToolFactory, UserFactory

from .helpers import fr

CREATE_URL = reverse("registry:declaration_create")
MINE_URL = reverse("registry:my_declarations")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    """The per-user submission counters live in the cache: start and leave each test without any."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalogue(collectivite):
    """ChatGPT on personal accounts is prohibited; Albert is approved up to C2; DeepL approved with limits."""
    return {
        "chatgpt": ToolFactory(
            collectivite=collectivite,
            name="ChatGPT (comptes personnels)",
            category="general_chatbot",
            status="prohibited",
            max_data_classification="C0",
            conditions="Interdit pour tout usage professionnel.",
        ),
        "albert": ToolFactory(
            collectivite=collectivite,
            name="Albert",
            category="general_chatbot",
            status="approved",
            max_data_classification="C2",
            conditions="Compte nominatif ; jamais au-delà de C2.",
        ),
        "deepl": ToolFactory(
            collectivite=collectivite,
            name="DeepL Pro",
            category="translation",
            status="restricted",
            max_data_classification="C1",
        ),
    }


def form_data(key=None, **overrides):
    """What an agent sends for "I use ChatGPT on my phone for my letters" (unticked boxes are absent)."""
    data = {
        "submission_key": str(key or uuid.uuid4()),
        "tool": "",
        "tool_name": "ChatGPT",
        "category": "general_chatbot",
        "tasks": "Rédiger mes courriers aux usagers",
        "frequency": "weekly",
        "used_since": "2025-03",
        "device": "personal_device",
        "account": "personal_free",
        "data_entered": ["ordinary", "internal"],
        "output_use": ["sent_to_users"],
        "human_review": "always",
        "time_saved_minutes": "60",
        "need": "Répondre plus vite aux usagers",
        "identity": "named",
    }
    data.update(overrides)
    return data


def declare(collectivite, user, *, anonymous=False, **overrides):
    """A declaration made through the service, as the form would."""
    answers = {
        "tool": None,
        "tool_name": "ChatGPT",
        "category": "general_chatbot",
        "tasks": "Rédiger des courriers",
        "frequency": "weekly",
        "device": "personal_device",
        "account": "personal_free",
        "data_entered": ["internal"],
        "output_use": ["personal_draft"],
        "human_review": "always",
    }
    answers.update(overrides)
    declaration, _created = declaration_services.declaration_submit(
        collectivite=collectivite, acting_user=user, data=answers, anonymous=anonymous, submission_key=uuid.uuid4()
    )
    return declaration


def page_text(response) -> str:
    return unescape(response.content.decode())


def detail_url(declaration):
    return reverse("registry:declaration_detail", args=[declaration.pk])


def follow_up_url(declaration):
    return reverse("registry:declaration_follow_up", args=[declaration.follow_up_code])


# The form ------------------------------------------------------------------------------------------------


def test_the_form_shows_five_steps_and_the_catalogue_with_each_tools_status(client_for, users, catalogue):
    response = client_for(users["agent"]).get(CREATE_URL)

    assert response.status_code == 200
    html = page_text(response)
    assert len(re.findall(r'<fieldset class="form-step[^"]*" id="step-\d"', html)) == 5
    for title in ("The tool", "The use", "The data", "The result", "Sending"):
        assert fr(title) in html
    assert fr("Declaring is never held against you.") in html
    # the catalogue of the collectivité, each tool with its status
    assert f"Albert — {fr('Approved')}" in html
    assert f"ChatGPT (comptes personnels) — {fr('Prohibited')}" in html
    # plain words for the data, and what "anonymous" means
    assert fr("Passwords, keys or source code") in html
    assert fr("Anonymously") in html
    key = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', html).group(1)
    assert uuid.UUID(key)


def test_every_member_sees_the_entry_to_declare_and_their_declarations(client_for, users):
    for role in ("agent", "chef", "comite", "dgs", "dpo"):
        html = page_text(client_for(users[role]).get(reverse("registry:use_case_list")))
        assert f'href="{CREATE_URL}"' in html and fr("Declare an AI use") in html
        assert f'href="{MINE_URL}"' in html and fr("My declarations") in html


def test_a_named_declaration_is_recorded_once_and_leads_to_its_guidance(client_for, users, collectivite, catalogue):
    client = client_for(users["agent"])

    response = client.post(CREATE_URL, form_data())

    declaration = Declaration.objects.get()
    assert response.status_code == 302 and response.url == detail_url(declaration)
    assert declaration.author == users["agent"]
    assert declaration.tool.name == "ChatGPT" and declaration.tool.status == "under_review"
    assert declaration.used_since.isoformat() == "2025-03-01"
    assert declaration.data_entered == ["ordinary", "internal"] and declaration.time_saved_minutes == 60
    page = client.get(response.url)
    html = page_text(page)
    assert page.status_code == 200
    assert declaration.reference in html
    assert fr("What you can do now") in html
    assert fr("Received") in html


def test_an_anonymous_declaration_keeps_no_trace_of_its_author(client_for, users, catalogue):
    client = client_for(users["agent"])

    response = client.post(CREATE_URL, form_data(identity="anonymous"))

    declaration = Declaration.objects.get()
    assert declaration.author is None and declaration.service is None
    assert DeclarationEvent.objects.get(declaration=declaration).actor is None
    assert response.status_code == 302 and response.url == follow_up_url(declaration)
    html = page_text(client.get(response.url))
    assert fr("Keep this link") in html
    assert f"http://testserver{follow_up_url(declaration)}" in html
    assert users["agent"].username not in html.split('<main id="main"')[1]
    assert str(users["agent"].get_full_name()) not in html.split('<main id="main"')[1]
    # not in "My declarations": nothing links it to the agent
    assert declaration.reference not in page_text(client.get(MINE_URL))
    assert client.get(detail_url(declaration)).status_code == 404


def test_a_double_submit_records_one_declaration(client_for, users, catalogue):
    client = client_for(users["agent"])
    data = form_data()

    first = client.post(CREATE_URL, data)
    second = client.post(CREATE_URL, data)

    assert Declaration.objects.count() == 1
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert fr("This declaration had already been sent (%(reference)s): it was not sent twice.") % {
        "reference": Declaration.objects.get().reference
    } in page_text(client.get(second.url))


def test_a_form_sent_without_its_key_is_still_recorded(client_for, users, catalogue):
    data = form_data()
    del data["submission_key"]
    assert client_for(users["agent"]).post(CREATE_URL, data).status_code == 302
    assert Declaration.objects.count() == 1


def test_a_key_already_used_by_someone_else_reveals_nothing_and_loses_nothing(client_for, users, catalogue):
    key = uuid.uuid4()
    assert client_for(users["chef"]).post(CREATE_URL, form_data(key)).status_code == 302
    theirs = Declaration.objects.get()

    response = client_for(users["agent"]).post(CREATE_URL, form_data(key, tasks="Traduire des courriers"))

    assert response.status_code == 409 and Declaration.objects.count() == 1
    html = page_text(response)
    assert theirs.reference not in html
    assert fr("This form was already sent. Open a new declaration form and send it again.") in html
    assert "Traduire des courriers</textarea>" in html
    assert f'value="{key}"' not in html  # a fresh key: sending again records the agent's declaration
    new_key = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', html).group(1)
    assert client_for(users["agent"]).post(CREATE_URL, form_data(new_key)).status_code == 302
    assert Declaration.objects.filter(author=users["agent"]).count() == 1


def test_invalid_answers_keep_everything_typed_and_say_what_to_complete(client_for, users, catalogue):
    client = client_for(users["agent"])
    key = uuid.uuid4()
    data = form_data(key, tool_name="", data_entered=[], need="Gagner du temps sur les courriers")

    response = client.post(CREATE_URL, data)

    assert response.status_code == 200 and not Declaration.objects.exists()
    html = page_text(response)
    # messages next to their fields, and a summary at the top linking to them
    tool_error = re.search(r'<div class="field-errors" id="id_tool_error">(.*?)</div>', html, re.S).group(1)
    assert fr("Choose the tool in the list, or type its name.") in tool_error
    data_error = re.search(r'<div class="field-errors" id="id_data_entered_error">(.*?)</div>', html, re.S).group(1)
    assert fr("Tick at least one kind of information (“Public information” if nothing else).") in data_error
    summary = re.search(r'<div class="alert alert-danger error-summary".*?</div>', html, re.S).group(0)
    assert 'href="#id_tool"' in summary and 'href="#id_data_entered_0"' in summary
    assert 'data-first-error-step="1"' in html
    # everything typed is kept, with the same submission key
    assert f'value="{key}"' in html
    assert "Rédiger mes courriers aux usagers</textarea>" in html
    assert "Gagner du temps sur les courriers</textarea>" in html
    assert 'value="2025-03"' in html
    for name, value in (
        ("frequency", "weekly"),
        ("device", "personal_device"),
        ("account", "personal_free"),
        ("output_use", "sent_to_users"),
        ("human_review", "always"),
        ("identity", "named"),
    ):
        assert re.search(rf'name="{name}" value="{value}" id="[^"]+" checked', html), name
    assert re.search(r'<option value="60" selected>', html)
    assert re.search(r'<option value="general_chatbot" selected>', html)


def test_an_answer_the_service_refuses_is_shown_next_to_its_field(client_for, users, catalogue):
    response = client_for(users["agent"]).post(CREATE_URL, form_data(used_since="2999-01"))

    assert response.status_code == 200 and not Declaration.objects.exists()
    html = page_text(response)
    error = re.search(r'<div class="field-errors" id="id_used_since_error">(.*?)</div>', html, re.S).group(1)
    assert fr("This date is in the future.") in error
    assert 'data-first-error-step="2"' in html and 'value="2999-01"' in html


def test_too_many_declarations_answer_429_and_lose_nothing(client_for, users, catalogue, settings):
    settings.DECLARATION_RATE_LIMIT = 1
    client = client_for(users["agent"])
    assert client.post(CREATE_URL, form_data()).status_code == 302

    response = client.post(CREATE_URL, form_data(tasks="Résumer les rapports du conseil"))

    assert response.status_code == 429
    assert Declaration.objects.count() == 1
    html = page_text(response)
    assert (
        fr("You have sent many declarations in the last hour. Please wait a little before sending another one.") in html
    )
    assert fr("Nothing was sent and your answers are kept below: send them again in a while.") in html
    assert "Résumer les rapports du conseil</textarea>" in html


def test_a_catalogue_tool_needs_no_category_and_a_typed_one_does(client_for, users, catalogue):
    client = client_for(users["agent"])
    response = client.post(CREATE_URL, form_data(tool=catalogue["deepl"].pk, tool_name="", category=""))
    assert response.status_code == 302
    assert Declaration.objects.get().category == "translation"

    response = client.post(CREATE_URL, form_data(category=""))
    assert response.status_code == 200
    assert fr("Choose the kind of tool.") in page_text(response)


def test_a_member_without_a_role_cannot_declare(client, collectivite):
    stranger = UserFactory(username="sans-role")
    client.force_login(stranger)
    response = client.get(CREATE_URL)
    assert response.status_code == 403
    assert fr("You have no role in the register") in page_text(response)


def test_anonymous_visitors_are_sent_to_the_login_page(client, users, collectivite):
    declaration = declare(collectivite, users["agent"])
    for url in (CREATE_URL, MINE_URL, detail_url(declaration), follow_up_url(declaration)):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


# The guidance --------------------------------------------------------------------------------------------


def test_the_guidance_names_the_alternative_and_what_not_to_enter(client_for, users, collectivite, catalogue):
    client = client_for(users["agent"])
    response = client.post(
        CREATE_URL, form_data(tool=catalogue["chatgpt"].pk, tool_name="", data_entered=["ordinary", "internal"])
    )

    html = page_text(client.get(response.url))

    verdict = fr("%(tool)s may not be used for work in the collectivité.") % {"tool": "ChatGPT (comptes personnels)"}
    assert verdict in html
    alternative = re.search(r'data-guidance="alternative">(.*?)</div>', html, re.S).group(1)
    assert "<strong>Albert</strong>" in alternative and "C2" in alternative
    forbidden = re.search(r'data-guidance="forbidden">(.*?)</div>', html, re.S).group(1)
    assert fr("Internal documents") in forbidden
    assert fr("Ordinary personal data (identity, contact details…)") in forbidden
    assert "Interdit pour tout usage professionnel." in html  # the tool's conditions
    # personal data into a personal account: a possible breach, said kindly
    breach = re.search(r'data-guidance="breach">(.*?)</div>', html, re.S).group(1)
    assert "72" in breach and fr("Personal data went into a personal account or an unchecked tool") in breach
    assert fr("The collectivité's AI usage charter is being prepared.") in html


def test_an_approved_tool_within_its_level_needs_no_alternative(client_for, users, collectivite, catalogue):
    collectivite.charter_url = "https://intranet.example.org/charte-ia"
    collectivite.save()
    client = client_for(users["agent"])
    response = client.post(
        CREATE_URL,
        form_data(tool=catalogue["albert"].pk, tool_name="", account="professional", data_entered=["ordinary"]),
    )

    html = page_text(client.get(response.url))

    assert 'data-guidance="alternative"' not in html and 'data-guidance="breach"' not in html
    forbidden = re.search(r'data-guidance="forbidden">(.*?)</div>', html, re.S).group(1)
    assert "<li>" not in forbidden
    assert 'href="https://intranet.example.org/charte-ia"' in html
    assert "C2" in html


def test_the_guidance_shows_the_alternatives_conditions_and_points_to_the_published_charter(
    client_for, users, collectivite, catalogue
):
    from charter.models import CharterEdition

    # Given a charter published in the app while the settings still hold an old address
    CharterEdition.objects.create(collectivite=collectivite, year=2026, status=CharterEdition.Status.PUBLISHED)
    collectivite.charter_url = "https://intranet.example.org/charte-en-preparation"
    collectivite.save()
    client = client_for(users["agent"])
    # When an agent declares the prohibited ChatGPT for internal documents
    response = client.post(CREATE_URL, form_data(tool=catalogue["chatgpt"].pk, tool_name="", data_entered=["internal"]))

    html = page_text(client.get(response.url))

    # Then Albert is offered with its own conditions of use
    alternative = re.search(r'data-guidance="alternative-conditions">(.*?)</div>', html, re.S).group(1)
    assert "Conditions d'utilisation d'Albert" in alternative  # « de » elided before the tool's name
    assert "Compte nominatif\u202f; jamais au-delà de C2." in alternative  # in French typography
    # and the charter link opens the charter in force in the app, not the address of the settings
    assert f'href="{reverse("charter:current")}"' in html
    assert "charte-en-preparation" not in html
    assert fr("The collectivité's AI usage charter is being prepared.") not in html


def test_without_an_approved_tool_of_that_kind_none_is_offered_and_the_dpo_is_named(
    client_for, users, collectivite, catalogue
):
    collectivite.dpo_email = "dpo@bellerive.example.org"
    collectivite.save()
    client = client_for(users["agent"])
    # An image generator: the catalogue approves no tool of that kind (Albert is a chatbot)
    response = client.post(CREATE_URL, form_data(tool_name="Midjourney", category="image", data_entered=["public"]))

    html = page_text(client.get(response.url))

    assert 'data-guidance="alternative"' not in html and "<strong>Albert</strong>" not in html
    block = re.search(r'data-guidance="no-alternative">(.*?)</div>', html, re.S).group(1)
    assert fr("The catalogue has no approved tool of this kind that may receive what you enter.") in block
    assert 'href="mailto:dpo@bellerive.example.org"' in block


def test_the_answer_and_the_trail_show_on_the_result_page(client_for, users, collectivite, catalogue):
    declaration = declare(collectivite, users["agent"])
    declaration_services.declaration_offer_alternative(
        declaration=declaration,
        acting_user=users["dpo"],
        alternative_tool=catalogue["albert"],
        message="Merci ! Utilisez Albert pour vos courriers.",
    )

    html = page_text(client_for(users["agent"]).get(detail_url(declaration)))

    assert "Merci\u202f! Utilisez Albert pour vos courriers." in html
    assert fr("Alternative offered") in html
    trail = re.search(r'<ol class="declaration-events">(.*?)</ol>', html, re.S).group(1)
    assert fr("Declared") in trail and str(users["dpo"]) in trail
    assert str(users["agent"]) not in trail


# My declarations ----------------------------------------------------------------------------------------


def test_my_declarations_lists_only_my_named_ones_with_the_answer(client_for, users, collectivite, catalogue):
    mine = declare(collectivite, users["agent"], tool_name="Gemini")
    declare(collectivite, users["agent"], anonymous=True, tool_name="Claude")
    declare(collectivite, users["chef"], tool_name="Perplexity")
    declaration_services.declaration_ask_to_stop(
        declaration=mine, acting_user=users["dpo"], message="Merci, arrêtez Gemini : utilisez Albert."
    )

    html = page_text(client_for(users["agent"]).get(MINE_URL))

    assert mine.reference in html and "Gemini" in html
    assert "Claude" not in html and "Perplexity" not in html
    assert "Merci, arrêtez Gemini\u202f: utilisez Albert." in html
    assert fr("To stop") in html


def test_my_declarations_invites_to_declare_when_empty(client_for, users):
    html = page_text(client_for(users["agent"]).get(MINE_URL))
    assert fr("You have not declared any AI use yet") in html
    assert html.count(f'href="{CREATE_URL}"') >= 2


# session, user, collectivité, membership (access), the user's collectivités (switcher), the declarations.
QUERIES_MY_DECLARATIONS = 8  # + the menu: committee seat, "My tasks" count


@pytest.mark.parametrize("rows", [2, 20])
def test_my_declarations_in_a_constant_number_of_queries(
    client_for, users, collectivite, catalogue, settings, django_assert_max_num_queries, rows
):
    settings.DECLARATION_RATE_LIMIT = 100
    for index in range(rows):
        declaration = declare(collectivite, users["agent"], tool=catalogue["albert"] if index % 2 else None)
        if index % 3 == 0:
            declaration_services.declaration_offer_alternative(
                declaration=declaration, acting_user=users["dpo"], alternative_tool=catalogue["albert"], message="Ok"
            )
    client = client_for(users["agent"])

    with django_assert_max_num_queries(QUERIES_MY_DECLARATIONS) as captured:
        response = client.get(MINE_URL)
    print(f"my declarations, {rows} rows: {len(captured)} queries")

    assert response.status_code == 200
    assert page_text(response).count('class="registre-panel declaration-item"') == rows


# Who reads what -----------------------------------------------------------------------------------------


def test_an_agent_never_reads_another_agents_declaration(client_for, users, collectivite, services):
    from core.roles import Role
    from tests.registry.factories import MembershipFactory

    colleague = UserFactory(username="collegue")
    MembershipFactory(user=colleague, collectivite=collectivite, role=Role.AGENT, service=services["ccas"])
    declaration = declare(collectivite, users["agent"])

    assert client_for(users["agent"]).get(detail_url(declaration)).status_code == 200
    assert client_for(colleague).get(detail_url(declaration)).status_code == 404
    # no blame: the head of service, the DGS and the ethics committee do not read it either
    for role in ("chef", "dgs", "comite"):
        assert client_for(users[role]).get(detail_url(declaration)).status_code == 404, role


def test_someone_of_another_collectivite_gets_404(client_for, users, collectivite, outsider):
    declaration = declare(collectivite, users["agent"], anonymous=True)
    client = client_for(outsider)
    assert client.get(detail_url(declaration)).status_code == 404
    assert client.get(follow_up_url(declaration)).status_code == 404


def test_the_dpo_and_the_rssi_are_sent_to_the_triage_page(client_for, users, collectivite):
    declaration = declare(collectivite, users["agent"])
    for role in ("dpo", "rssi"):
        response = client_for(users[role]).get(detail_url(declaration))
        assert response.status_code == 302
        assert response.url == reverse("registry:declaration_triage", args=[declaration.pk])


def test_the_follow_up_page_needs_the_exact_code(client_for, users, collectivite):
    declaration = declare(collectivite, users["agent"], anonymous=True)
    declaration_services.declaration_close(
        declaration=declaration, acting_user=users["dpo"], message="Merci pour votre déclaration."
    )
    client = client_for(users["chef"])  # any member holding the link

    assert client.get(reverse("registry:declaration_follow_up", args=["0" * 32])).status_code == 404
    assert client.get(reverse("registry:declaration_follow_up", args=["court"])).status_code == 404
    response = client.get(follow_up_url(declaration))
    assert response.status_code == 200
    html = page_text(response)
    assert "Merci pour votre déclaration." in html and fr("Closed") in html
    assert Declaration.objects.get().status == DeclarationStatus.CLOSED
