"""The DPO / RSSI side of shadow-AI declarations: the triage queue, the view by tool, a declaration's triage
page and its actions, the breach assessment, and the regularisation into a new or an existing use case."""

import re
import uuid
from datetime import timedelta
from html import unescape

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from declarations import services as declaration_services
from declarations.models import Declaration, DeclarationEvent
from declarations.triage import FACTOR_TEXTS
from registry.choices import BreachOutcome, DeclarationStatus, DeclaredData, RiskLevel, ToolStatus
from registry.models import UseCase
from tests.registry.factories import ServiceFactory, ToolFactory, UseCaseFactory, UserFactory

from .helpers import QUIET_FACTS, fr

QUEUE_URL = reverse("registry:declaration_queue")
TOOLS_URL = reverse("registry:declaration_tools")
REGULARISE_URL = reverse("registry:declaration_regularise")
CREATE_URL = reverse("registry:use_case_create")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    """Tests declare many times as the same agent: the hourly limit is tested with the services."""
    settings.DECLARATION_RATE_LIMIT = 10_000
    cache.clear()
    yield
    cache.clear()


def answers(**overrides):
    """A low-risk use by default: an approved-looking professional account, public data, reviewed."""
    data = {
        "tool": None,
        "tool_name": "ChatGPT",
        "category": "general_chatbot",
        "tasks": "Rédiger des courriers aux usagers",
        "frequency": "weekly",
        "device": "work_pc",
        "account": "professional",
        "data_entered": ["public"],
        "output_use": ["personal_draft"],
        "human_review": "always",
        "time_saved_minutes": 60,
        "need": "Répondre plus vite",
    }
    data.update(overrides)
    return data


def declare(collectivite, user, *, anonymous=False, **overrides) -> Declaration:
    declaration, _created = declaration_services.declaration_submit(
        collectivite=collectivite,
        acting_user=user,
        data=answers(**overrides),
        anonymous=anonymous,
        submission_key=uuid.uuid4(),
    )
    return declaration


def risky(collectivite, user, **overrides) -> Declaration:
    """Health data typed into a personal free account on a personal phone, sent to residents unreviewed."""
    values = {
        "device": "personal_device",
        "account": "personal_free",
        "data_entered": ["health", "ordinary"],
        "output_use": ["individual_decision"],
        "human_review": "never",
    }
    values.update(overrides)
    return declare(collectivite, user, **values)


def closed_message() -> str:
    return fr("This action is not possible: the declaration is “%(status)s”.") % {"status": fr("Closed")}


def page_text(response) -> str:
    return unescape(response.content.decode())


def references_in(response) -> list[str]:
    return re.findall(r'data-reference="([^"]+)"', page_text(response))


def triage_url(declaration) -> str:
    return reverse("registry:declaration_triage", args=[declaration.pk])


def action_url(declaration, action) -> str:
    return reverse("registry:declaration_action", args=[declaration.pk, action])


# Who may triage ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [("dpo", 200), ("rssi", 200), ("admin", 200), ("agent", 403), ("chef", 403), ("comite", 403), ("dgs", 403)],
)
def test_only_the_dpo_the_rssi_and_administrators_triage(role, expected, collectivite, users, client_for):
    # given a declaration by an agent
    declaration = declare(collectivite, users["agent"])
    client = client_for(users[role])

    # when each role opens the queue, the view by tool, the declaration and tries an action
    responses = [
        client.get(QUEUE_URL),
        client.get(TOOLS_URL),
        client.get(triage_url(declaration)),
    ]
    post = client.post(action_url(declaration, "start"))

    # then only the triage roles get in; heads of service and the DGS do not see agents' declarations
    assert [r.status_code for r in responses] == [expected] * 3
    if expected == 200:
        assert declaration.reference in page_text(responses[0])
        assert post.status_code == 302
    else:
        assert post.status_code == 403
        assert declaration.reference not in page_text(responses[0])
        declaration.refresh_from_db()
        assert declaration.status == DeclarationStatus.RECEIVED


def test_a_dpo_of_another_collectivite_does_not_see_ours(collectivite, users, outsider, client_for):
    # given a declaration here, and the DPO of the commune next door
    declaration = declare(collectivite, users["agent"])
    client = client_for(outsider)

    # when they open their queue, then the declaration's page and post an action on it
    queue = client.get(QUEUE_URL)
    detail = client.get(triage_url(declaration))
    post = client.post(action_url(declaration, "close"), {"message": "Fermé"})
    regularise = client.post(REGULARISE_URL, {"declarations": declaration.pk})

    # then their queue holds nothing of ours, and our declaration is not found
    assert queue.status_code == 200 and declaration.reference not in page_text(queue)
    assert detail.status_code == 404 and post.status_code == 404
    assert regularise.status_code == 302 and regularise["Location"] == QUEUE_URL
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.RECEIVED


def test_someone_without_a_role_is_refused_and_a_visitor_sent_to_log_in(collectivite, users, client, client_for):
    declaration = declare(collectivite, users["agent"])

    nobody = client_for(UserFactory(username="sans-role")).get(QUEUE_URL)
    visitor = client.get(triage_url(declaration))

    assert nobody.status_code == 403
    assert visitor.status_code == 302 and visitor["Location"].startswith(reverse("login"))


def test_unknown_declaration_or_action_is_not_found(collectivite, users, client_for):
    declaration = declare(collectivite, users["agent"])
    client = client_for(users["dpo"])

    assert client.get(reverse("registry:declaration_triage", args=[declaration.pk + 1000])).status_code == 404
    assert client.post(action_url(declaration, "approve")).status_code == 404
    assert client.get(action_url(declaration, "start")).status_code == 405


def test_the_menu_shows_triage_to_the_triage_roles_only(collectivite, users, client_for):
    link = f'href="{QUEUE_URL}"'
    assert link in client_for(users["dpo"]).get(reverse("registry:use_case_list")).content.decode()
    assert link not in client_for(users["chef"]).get(reverse("registry:use_case_list")).content.decode()


# The queue -------------------------------------------------------------------------------------------


def test_the_queue_lists_the_riskiest_first(collectivite, users, client_for):
    # given a low, a critical and a medium-risk declaration, declared in this order
    low = declare(collectivite, users["agent"])
    critical = risky(collectivite, users["agent"])
    medium = declare(collectivite, users["agent"], account="personal_paid", data_entered=["internal"])
    assert low.risk_score < medium.risk_score < critical.risk_score

    # when the DPO opens the queue
    response = client_for(users["dpo"]).get(QUEUE_URL)

    # then the riskiest comes first
    assert references_in(response) == [critical.reference, medium.reference, low.reference]


def test_a_row_shows_what_the_dpo_needs_to_sort(collectivite, services, users, client_for):
    # given a named risky declaration in the CCAS, and an anonymous one
    named = risky(collectivite, users["agent"])
    anonymous = declare(collectivite, users["agent"], anonymous=True, tool_name="DeepL", category="translation")

    html = page_text(client_for(users["dpo"]).get(QUEUE_URL))

    row = re.search(rf'<tr data-reference="{named.reference}">(.*?)</tr>', html, re.S).group(1)
    assert "ChatGPT" in row and fr("Under review") in row  # the tool and its catalogue status
    assert "CCAS" in row and fr("Named agent") in row
    assert fr(RiskLevel(named.risk_level).label) in row and f"{named.risk_score}/100" in row
    assert fr("To assess") in row  # a possible breach, within its 72 hours
    assert fr("Received") in row
    other = re.search(rf'<tr data-reference="{anonymous.reference}">(.*?)</tr>', html, re.S).group(1)
    assert fr("Anonymous") in other and fr("No service") in other
    assert f'name="declarations" value="{named.pk}"' in row


def test_counters_show_what_to_handle_first(collectivite, users, client_for):
    # given two received declarations, one of them a possible breach, and an overdue breach being analysed
    declare(collectivite, users["agent"])
    risky(collectivite, users["agent"])
    late = risky(collectivite, users["agent"])
    Declaration.objects.filter(pk=late.pk).update(
        status=DeclarationStatus.ANALYSING, breach_deadline=timezone.now() - timedelta(hours=1)
    )

    html = page_text(client_for(users["dpo"]).get(QUEUE_URL))

    def counter(name):
        return int(re.search(rf'data-counter="{name}">(\d+)<', html).group(1))

    assert (counter("received"), counter("to_assess"), counter("overdue")) == (2, 2, 1)
    row = re.search(rf'<tr data-reference="{late.reference}">(.*?)</tr>', html, re.S).group(1)
    assert fr("Overdue") in row


@pytest.fixture
def mixed(collectivite, services, users):
    """Declarations that differ by one trait each: tool, service, status, risk, breach, search text."""
    chef = users["chef"]  # member of the direction: their declarations go to the direction
    deepl = ToolFactory(collectivite=collectivite, name="DeepL", category="translation", status="approved")
    items = {
        "ccas_low": declare(collectivite, users["agent"], tasks="Résumer des notes internes"),
        "ccas_breach": risky(collectivite, users["agent"], tasks="Préparer les dossiers APA"),
        "direction_deepl": declare(collectivite, chef, tool=deepl, tool_name="", category="translation"),
        "anonymous": declare(collectivite, users["agent"], anonymous=True, tool_name="Mistral"),
    }
    com = ServiceFactory(collectivite=collectivite, name="Com 2", code="COM2", parent=services["communication"])
    items["com_closed"] = declare(collectivite, users["agent"], service=com)
    declaration_services.declaration_close(declaration=items["com_closed"], acting_user=users["dpo"], message="Merci")
    return items


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "closed"}, {"com_closed"}),
        ({"status": "open"}, {"ccas_low", "ccas_breach", "direction_deepl", "anonymous"}),
        ({"breach": "possible"}, {"ccas_breach"}),
        ({"breach": "to_assess"}, {"ccas_breach"}),
        ({"breach": "overdue"}, set()),
        ({"q": "APA"}, {"ccas_breach"}),
        ({"q": "mistral"}, {"anonymous"}),
        ({"q": "DEC-"}, {"ccas_low", "ccas_breach", "direction_deepl", "anonymous", "com_closed"}),
    ],
)
def test_filters_narrow_the_queue(params, expected, mixed, users, client_for):
    response = client_for(users["dpo"]).get(QUEUE_URL, params)

    assert response.status_code == 200
    assert set(references_in(response)) == {mixed[name].reference for name in expected}


def test_filter_by_service_tool_and_risk(mixed, services, users, client_for):
    client = client_for(users["dpo"])
    deepl = mixed["direction_deepl"].tool
    level = mixed["ccas_breach"].risk_level

    by_service = client.get(QUEUE_URL, {"service": services["communication"].pk})  # includes the services below
    by_ccas = client.get(QUEUE_URL, {"service": services["ccas"].pk})
    by_tool = client.get(QUEUE_URL, {"tool": deepl.pk})
    by_risk = client.get(QUEUE_URL, {"risk_level": level})

    assert set(references_in(by_service)) == {mixed["com_closed"].reference}
    assert set(references_in(by_ccas)) == {mixed["ccas_low"].reference, mixed["ccas_breach"].reference}
    assert set(references_in(by_tool)) == {mixed["direction_deepl"].reference}
    assert mixed["ccas_breach"].reference in references_in(by_risk)
    assert mixed["ccas_low"].reference not in references_in(by_risk)


def test_an_unknown_filter_value_is_explained_not_a_crash(mixed, users, client_for):
    response = client_for(users["dpo"]).get(QUEUE_URL, {"risk_level": "apocalyptic"})

    assert response.status_code == 200
    assert re.search(rf"<title>{fr('Error:')} ", page_text(response))


def test_pagination_keeps_the_filters(collectivite, users, client_for):
    # given 55 open declarations and a closed one
    for _n in range(55):
        declare(collectivite, users["agent"])
    declaration_services.declaration_close(
        declaration=declare(collectivite, users["agent"]), acting_user=users["dpo"], message="x"
    )

    client = client_for(users["dpo"])
    first = client.get(QUEUE_URL, {"status": "open"})
    second = client.get(QUEUE_URL, {"status": "open", "page": 2})

    assert len(references_in(first)) == 50 and len(references_in(second)) == 5
    assert "?status=open&page=2" in page_text(first)


# Session, user, collectivité, memberships, the user's collectivités (switcher), services and tools of the
# filter form, the counters, the count and the page of rows.
QUEUE_QUERY_BUDGET = 11  # + the "My tasks" count in the menu


def test_the_queue_costs_the_same_queries_for_3_or_60_rows(
    collectivite, users, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(users["rssi"])
    counts = []
    for rows, added in ((3, 3), (60, 57)):
        for index in range(added):
            if index % 3 == 0:
                risky(collectivite, users["agent"])
            elif index % 3 == 1:
                declare(collectivite, users["chef"], anonymous=True, tool_name=f"Outil {index}")
            else:
                declare(collectivite, users["agent"], tool_name="DeepL", category="translation")
        with django_assert_max_num_queries(QUEUE_QUERY_BUDGET), CaptureQueriesContext(connection) as queries:
            response = client.get(QUEUE_URL, {"q": "courriers", "status": "open"})
        assert response.status_code == 200
        assert len(references_in(response)) == min(rows, 50)
        counts.append(len(queries))
    assert counts[0] == counts[1]


# The view by tool ----------------------------------------------------------------------------------------


def test_the_view_by_tool_counts_agents_services_and_data(collectivite, services, users, client_for):
    # given ChatGPT declared three times by two named agents of two services and once anonymously
    risky(collectivite, users["agent"], data_entered=["health"])
    declare(collectivite, users["agent"], data_entered=["ordinary"])
    declare(collectivite, users["chef"], data_entered=["public"])
    declare(collectivite, users["agent"], anonymous=True)
    declare(collectivite, users["agent"], tool_name="DeepL", category="translation")
    chatgpt = Declaration.objects.filter(tool__name="ChatGPT").first().tool

    html = page_text(client_for(users["dpo"]).get(TOOLS_URL))

    block = re.search(r'<tr data-tool="ChatGPT">(.*?)</tr>', html, re.S).group(1)

    def cell(name):
        return " ".join(re.search(rf'data-field="{name}">(.*?)</td>', block, re.S).group(1).split())

    assert cell("declarations") == "4"
    assert cell("agents").startswith("3")  # two named agents, and one anonymous declaration
    assert cell("services").startswith('<span class="fw-semibold">2</span>')
    assert "CCAS" in cell("services") and "Direction des solidarités" in cell("services")
    for code in ("public", "ordinary", "health"):
        assert fr(DeclaredData(code).label) in cell("data")
    assert ">1<" in cell("breaches") and cell("open") == "4"
    assert fr(ToolStatus.UNDER_REVIEW.label) in block
    assert f"{QUEUE_URL}?tool={chatgpt.pk}" in block
    assert f'name="tool" value="{chatgpt.pk}"' in block
    # the most declared tool comes first
    assert html.index('data-tool="ChatGPT"') < html.index('data-tool="DeepL"')


TOOLS_QUERY_BUDGET = (
    9  # + "My tasks" count; session, user, collectivité, memberships, switcher, declarations, tools, services
)


def test_the_view_by_tool_costs_the_same_queries_for_3_or_30_declarations(
    collectivite, users, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(users["dpo"])
    counts = []
    for added in (3, 27):
        for index in range(added):
            declare(collectivite, users["agent" if index % 2 else "chef"], tool_name=f"Outil {index % 9}")
        with django_assert_max_num_queries(TOOLS_QUERY_BUDGET), CaptureQueriesContext(connection) as queries:
            response = client.get(TOOLS_URL)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# One declaration -----------------------------------------------------------------------------------------


def test_the_triage_page_shows_the_declaration_in_full(collectivite, users, client_for):
    ToolFactory(collectivite=collectivite, name="Albert", category="general_chatbot", status="approved")
    declaration = risky(collectivite, users["agent"])

    response = client_for(users["dpo"]).get(triage_url(declaration))
    html = page_text(response)

    assert response.status_code == 200
    # the answers in plain words
    assert fr("Personal free account") in html and fr("Personal device") in html
    assert fr(DeclaredData.HEALTH.label) in html and fr("A decision about a person") in html
    assert "Rédiger des courriers aux usagers" in html and "Répondre plus vite" in html
    assert users["agent"].email in html
    # the score, each factor with its explanation and points
    assert f"{declaration.risk_score}/100" in html
    for factor in declaration.factors:
        assert f'data-factor="{factor.code}"' in html and f"+{factor.points}" in html
    assert fr(str(FACTOR_TEXTS["special_data"])) in html
    # the guidance the agent received, with the approved alternative
    assert "Albert" in html
    # the breach block, with its 72-hour deadline
    assert 'id="breach"' in html and "data-breach-deadline" in html
    # the timeline: declared, by the agent
    assert 'data-event="submitted"' in html
    # every action of a received declaration
    for action in ("start", "regularise", "alternative", "stop", "close", "breach"):
        assert f'action="{action_url(declaration, action)}' in html or action == "regularise"
    assert f'action="{REGULARISE_URL}"' in html


# Session, user, collectivité, memberships, switcher, the declaration (with tool, service, author, use case),
# the approved alternative for the guidance and again for the form's proposal, the tools and the use cases
# offered by the forms, the timeline.
TRIAGE_PAGE_QUERY_BUDGET = 12  # + the "My tasks" count in the menu


def test_the_triage_page_costs_the_same_queries_whatever_its_history(
    collectivite, users, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    declaration = risky(collectivite, users["agent"])
    UseCaseFactory.create_batch(5, collectivite=collectivite)
    client = client_for(users["dpo"])
    counts = []
    for step in range(2):
        if step:
            declaration_services.declaration_start_analysis(declaration=declaration, acting_user=users["dpo"])
            for outcome in (BreachOutcome.NOT_A_BREACH, BreachOutcome.BREACH_NOT_NOTIFIED):
                declaration_services.declaration_assess_breach(
                    declaration=declaration, acting_user=users["rssi"], outcome=outcome, notes=""
                )
        with django_assert_max_num_queries(TRIAGE_PAGE_QUERY_BUDGET), CaptureQueriesContext(connection) as queries:
            response = client.get(triage_url(declaration))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_only_the_actions_of_the_current_status_are_offered(collectivite, users, client_for):
    declaration = declare(collectivite, users["agent"])
    client = client_for(users["dpo"])
    declaration_services.declaration_start_analysis(declaration=declaration, acting_user=users["dpo"])

    analysing = page_text(client.get(triage_url(declaration)))
    declaration_services.declaration_close(declaration=declaration, acting_user=users["dpo"], message="Merci")
    closed = page_text(client.get(triage_url(declaration)))

    assert f'action="{action_url(declaration, "start")}' not in analysing
    assert f'action="{action_url(declaration, "stop")}#action-stop"' in analysing
    assert f'action="{action_url(declaration, "breach")}' not in analysing  # not a possible breach
    for action in ("start", "regularise", "alternative", "stop", "close"):
        assert f'action="{action_url(declaration, action)}' not in closed
    assert f'action="{REGULARISE_URL}"' not in closed


def test_an_anonymous_declaration_names_nobody(collectivite, users, client_for):
    declaration = declare(collectivite, users["agent"], anonymous=True)

    html = page_text(client_for(users["dpo"]).get(triage_url(declaration)))

    assert fr("Anonymous") in html and users["agent"].email not in html
    assert fr("an anonymous agent") in html


# Actions ------------------------------------------------------------------------------------------------


def test_starting_the_analysis_is_recorded_with_who(collectivite, users, client_for):
    declaration = declare(collectivite, users["agent"])

    response = client_for(users["rssi"]).post(action_url(declaration, "start"))

    assert response.status_code == 302 and response["Location"] == triage_url(declaration) + "#main"
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.ANALYSING
    event = declaration.events.last()
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        DeclarationEvent.Kind.ANALYSING,
        users["rssi"],
        DeclarationStatus.RECEIVED,
        DeclarationStatus.ANALYSING,
    )


@pytest.mark.parametrize(
    ("action", "status", "kind"),
    [
        ("stop", DeclarationStatus.TO_STOP, DeclarationEvent.Kind.TO_STOP),
        ("close", DeclarationStatus.CLOSED, DeclarationEvent.Kind.CLOSED),
        ("alternative", DeclarationStatus.ALTERNATIVE_OFFERED, DeclarationEvent.Kind.ALTERNATIVE_OFFERED),
        ("regularise", DeclarationStatus.REGULARISED, DeclarationEvent.Kind.REGULARISED),
    ],
)
def test_each_answer_moves_the_status_records_who_and_tells_the_agent(
    action, status, kind, collectivite, users, client_for, django_capture_on_commit_callbacks
):
    # given a named declaration, an approved tool and a use case of the register
    declaration = declare(collectivite, users["agent"])
    albert = ToolFactory(collectivite=collectivite, name="Albert", category="general_chatbot", status="approved")
    use_case = UseCaseFactory(collectivite=collectivite, name="Courriers assistés")
    mail.outbox.clear()
    message = "Merci pour votre déclaration. Voici la suite."
    data = {"message": message, "alternative_tool": albert.pk, "use_case": use_case.pk}

    # when the DPO answers
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(users["dpo"]).post(action_url(declaration, action), data, follow=True)

    # then the status moved, the event names the DPO, and the agent reads the message by e-mail
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == triage_url(declaration) + "#main"
    declaration.refresh_from_db()
    assert declaration.status == status and declaration.answer == message
    event = declaration.events.last()
    assert (event.kind, event.actor, event.message) == (kind, users["dpo"], message)
    assert [m.to for m in mail.outbox] == [[users["agent"].email]]
    assert message in mail.outbox[0].body
    mine = page_text(client_for(users["agent"]).get(reverse("registry:my_declarations")))
    assert message in mine
    if action == "alternative":
        assert declaration.alternative_tool == albert
    if action == "regularise":
        assert declaration.use_case == use_case
    assert 'class="alert alert-success"' in response.content.decode()


def test_an_anonymous_agent_reads_the_answer_with_their_follow_up_code_and_gets_no_e_mail(
    collectivite, users, client_for, django_capture_on_commit_callbacks
):
    declaration = declare(collectivite, users["agent"], anonymous=True)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client_for(users["dpo"]).post(action_url(declaration, "stop"), {"message": "Merci, arrêtez cet outil."})

    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.TO_STOP and declaration.answer == "Merci, arrêtez cet outil."
    assert mail.outbox == []
    follow_up = client_for(users["agent"]).get(
        reverse("registry:declaration_follow_up", args=[declaration.follow_up_code])
    )
    assert "Merci, arrêtez cet outil." in page_text(follow_up)


def test_an_answer_without_a_message_is_refused_and_keeps_what_was_typed(collectivite, users, client_for):
    declaration = declare(collectivite, users["agent"])
    albert = ToolFactory(collectivite=collectivite, name="Albert", status="approved")
    other = ToolFactory(collectivite=collectivite, name="Le Chat Pro", status="approved")

    response = client_for(users["dpo"]).post(
        action_url(declaration, "alternative"), {"alternative_tool": other.pk, "message": "   "}
    )

    html = page_text(response)
    assert response.status_code == 400
    assert fr("Write a message to the agent: it is what they will read.") in html
    assert re.search(rf"<title>{fr('Error:')} ", html)
    # the form stays open with the tool chosen, not the proposed alternative
    assert re.search(r'<details class="triage-action" id="action-alternative" open>', html)
    assert re.search(rf'<option value="{other.pk}" selected>', html)
    assert not re.search(rf'<option value="{albert.pk}" selected>', html)
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.RECEIVED and not declaration.answer


def test_the_service_error_is_shown_next_to_the_field(collectivite, users, client_for, monkeypatch):
    from core.errors import ApplicationError

    declaration = declare(collectivite, users["agent"])

    def refuse(**kwargs):
        raise ApplicationError("Refusé", errors={"message": ["Trop court pour être compris."]})

    monkeypatch.setattr(declaration_services, "declaration_ask_to_stop", refuse)
    response = client_for(users["dpo"]).post(action_url(declaration, "stop"), {"message": "Stop"})

    html = page_text(response)
    assert response.status_code == 400
    assert re.search(r'id="stop-message_error".*Trop court pour être compris\.', html, re.S)
    assert re.search(r">\s*Stop</textarea>", html)


def test_an_alternative_must_be_an_approved_tool(collectivite, users, client_for):
    declaration = declare(collectivite, users["agent"])
    prohibited = ToolFactory(collectivite=collectivite, name="Interdit", status="prohibited")

    response = client_for(users["dpo"]).post(
        action_url(declaration, "alternative"), {"alternative_tool": prohibited.pk, "message": "Utilisez-le"}
    )

    assert response.status_code == 400
    assert fr("Choose an approved tool of the collectivité's catalogue.") in page_text(response)
    assert f'<option value="{prohibited.pk}"' not in page_text(response)


def test_an_action_the_status_no_longer_allows_is_explained(collectivite, users, client_for):
    # given a declaration a colleague already closed
    declaration = declare(collectivite, users["agent"])
    declaration_services.declaration_close(declaration=declaration, acting_user=users["rssi"], message="Déjà traité")

    # when the DPO, on a stale page, asks the agent to stop
    response = client_for(users["dpo"]).post(action_url(declaration, "stop"), {"message": "Arrêtez"}, follow=True)

    # then nothing changes and they are told why
    assert response.redirect_chain[-1][0] == triage_url(declaration) + "#main"
    assert closed_message() in page_text(response)
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.CLOSED and declaration.answer == "Déjà traité"


# The breach assessment -----------------------------------------------------------------------------------


def test_the_breach_block_shows_the_time_left_then_overdue(collectivite, users, client_for):
    declaration = risky(collectivite, users["agent"])
    client = client_for(users["dpo"])

    within = page_text(client.get(triage_url(declaration)))
    Declaration.objects.filter(pk=declaration.pk).update(breach_deadline=timezone.now() - timedelta(hours=5))
    late = page_text(client.get(triage_url(declaration)))

    assert fr("To assess") in within and fr("Overdue") not in within
    assert fr("Overdue") in late


def test_the_dpo_records_the_outcome_of_the_breach_assessment(collectivite, users, client_for):
    declaration = risky(collectivite, users["agent"])
    client = client_for(users["dpo"])

    refused = client.post(action_url(declaration, "breach"), {"outcome": "", "notes": "Vu avec l'agent"})
    response = client.post(
        action_url(declaration, "breach"),
        {"outcome": BreachOutcome.NOT_A_BREACH, "notes": "Données fictives, vérifié avec l'agent."},
        follow=True,
    )

    assert refused.status_code == 400
    assert fr("Choose the outcome of the assessment.") in page_text(refused)
    assert "Vu avec l'agent</textarea>" in page_text(refused)
    declaration.refresh_from_db()
    assert declaration.breach_outcome == BreachOutcome.NOT_A_BREACH
    assert declaration.breach_assessed_by == users["dpo"]
    assert declaration.status == DeclarationStatus.RECEIVED  # assessing a breach answers nobody
    event = declaration.events.get(kind=DeclarationEvent.Kind.BREACH_ASSESSED)
    assert event.actor == users["dpo"]
    html = page_text(response)
    assert fr(BreachOutcome.NOT_A_BREACH.label) in html and "data-breach-outcome" in html
    # the counters no longer count it
    queue = page_text(client.get(QUEUE_URL))
    assert re.search(r'data-counter="to_assess">0<', queue)


# Regularisation ------------------------------------------------------------------------------------------


def test_regularising_into_a_new_use_case_pre_fills_the_form_and_links_the_declarations(
    collectivite, services, users, client_for, django_capture_on_commit_callbacks
):
    # given two declarations of ChatGPT, one of them anonymous
    first = risky(collectivite, users["agent"], data_entered=["health", "ordinary"], output_use=["sent_to_users"])
    second = declare(collectivite, users["agent"], anonymous=True, tasks="Traduire des courriers")
    client = client_for(users["dpo"])
    mail.outbox.clear()

    # when the DPO regularises the selection in a new use case
    response = client.post(REGULARISE_URL, {"declarations": [first.pk, second.pk], "intent": "new"})

    # then the creation form opens, pre-filled from the declarations
    assert response.status_code == 302
    assert response["Location"] == f"{CREATE_URL}?declarations={first.pk}%2C{second.pk}"
    form = client.get(response["Location"])
    html = page_text(form)
    assert form.status_code == 200
    assert "data-regularising" in html and first.reference in html and second.reference in html
    assert re.search(r'name="name"[^>]*value="ChatGPT — Rédiger des courriers aux usagers"', html)
    assert re.search(rf'<option value="{first.tool_id}" selected>', html)
    assert re.search(r'value="health"[^>]*checked', html)
    assert re.search(r'name="max_data_classification" value="C2"[^>]*checked', html)
    assert f'name="declarations" value="{first.pk},{second.pk}"' in html
    # the facts the agents' answers show are pre-filled (a chatbot writes text; a letter to residents affects the
    # public as well as the agents; no decision about a person), never a legal qualification
    assert re.search(r'name="produces_by" value="generates_text"[^>]*checked', html)
    assert re.search(r'name="affects" value="both"[^>]*checked', html)
    assert re.search(r'name="decides_on_individual_cases" value="no"[^>]*checked', html)
    assert re.search(r'name="policy_areas" value="public_information"[^>]*checked', html)
    initial = form.context["form"].initial
    assert not {"technique", "audience", "automation_level", "individual_decisions"} & set(initial)

    # when they complete and save it
    data = {
        **QUIET_FACTS,
        **{name: initial[name] for name in QUIET_FACTS if initial.get(name)},
        "name": initial["name"],
        "summary": initial["summary"],
        "purpose": initial["purpose"],
        "description": initial["description"],
        "service": services["ccas"].pk,
        "owner": users["dpo"].pk,
        "tool": first.tool_id,
        "personal_data_categories": initial["personal_data_categories"],
        "max_data_classification": initial["max_data_classification"],
        "hosting_zone": initial["hosting_zone"],
        "hosting_qualification": initial["hosting_qualification"],
        "declarations": f"{first.pk},{second.pk}",
        "action": "save",
    }
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(CREATE_URL, data)

    # then the use case exists, both declarations are regularised in it, and the named agent is told
    assert saved.status_code == 302
    use_case = UseCase.objects.get(name=initial["name"])
    assert saved["Location"] == reverse("registry:use_case_detail", args=[use_case.pk])
    assert use_case.technique == "genai_text" and use_case.audience == "both"  # derived from the facts
    for declaration in (first, second):
        declaration.refresh_from_db()
        assert declaration.status == DeclarationStatus.REGULARISED and declaration.use_case == use_case
        assert use_case.reference in declaration.answer
        event = declaration.events.last()
        assert event.kind == DeclarationEvent.Kind.REGULARISED and event.actor == users["dpo"]
    assert [m.to for m in mail.outbox] == [[users["agent"].email]]
    assert use_case.reference in mail.outbox[0].body


def test_a_failed_regularisation_saves_no_use_case(collectivite, services, users, client_for):
    # given a declaration a colleague closes while the DPO fills in the form
    declaration = declare(collectivite, users["agent"])
    client = client_for(users["dpo"])
    form = client.get(CREATE_URL, {"declarations": declaration.pk})
    declaration_services.declaration_close(declaration=declaration, acting_user=users["rssi"], message="Traité")
    initial = form.context["form"].initial

    response = client.post(
        f"{CREATE_URL}?declarations={declaration.pk}",
        {
            "name": initial["name"],
            "summary": initial["summary"],
            "purpose": initial["purpose"],
            "service": services["ccas"].pk,
            "owner": users["dpo"].pk,
            "tool": declaration.tool_id,
            **QUIET_FACTS,
            "max_data_classification": "C1",
            "hosting_zone": "fr",
            "hosting_qualification": "none",
            "declarations": str(declaration.pk),
            "action": "save",
        },
    )

    assert response.status_code == 200
    assert not UseCase.objects.filter(name=initial["name"]).exists()
    assert closed_message() in page_text(response)
    assert initial["name"] in page_text(response)


def test_the_pre_filled_form_ignores_declarations_out_of_reach(
    collectivite, other_collectivite, users, outsider, client_for
):
    ours = declare(collectivite, users["agent"])
    theirs = declare(other_collectivite, outsider)

    dpo_form = page_text(client_for(users["dpo"]).get(CREATE_URL, {"declarations": f"{ours.pk},{theirs.pk},x"}))
    # an agent may create use cases, not regularise declarations: the ids are ignored
    agent_form = page_text(client_for(users["agent"]).get(CREATE_URL, {"declarations": ours.pk}))

    assert triage_url(ours) in dpo_form and triage_url(theirs) not in dpo_form
    assert f'name="declarations" value="{ours.pk}"' in dpo_form
    assert "data-regularising" not in agent_form and ours.reference not in agent_form


def test_regularise_all_open_declarations_of_a_tool(collectivite, users, client_for):
    first = declare(collectivite, users["agent"])
    second = declare(collectivite, users["chef"])
    closed = declare(collectivite, users["agent"])
    declaration_services.declaration_close(declaration=closed, acting_user=users["dpo"], message="Merci")
    declare(collectivite, users["agent"], tool_name="DeepL", category="translation")

    response = client_for(users["dpo"]).post(REGULARISE_URL, {"tool": first.tool_id, "intent": "new"})

    ids = {int(i) for i in re.search(r"declarations=([\d%C]+)", response["Location"]).group(1).split("%2C")}
    assert ids == {first.pk, second.pk}


def test_regularising_nothing_open_is_explained(collectivite, users, client_for):
    closed = declare(collectivite, users["agent"])
    declaration_services.declaration_close(declaration=closed, acting_user=users["dpo"], message="Merci")

    response = client_for(users["dpo"]).post(REGULARISE_URL, {"declarations": closed.pk}, follow=True)

    assert response.redirect_chain[-1][0] == QUEUE_URL
    assert fr("Choose at least one declaration still open to regularise it.") in page_text(response)


def test_attaching_a_selection_to_an_existing_use_case(
    collectivite, users, client_for, django_capture_on_commit_callbacks
):
    # given two declarations, and a use case already in the register
    first = declare(collectivite, users["agent"])
    second = declare(collectivite, users["chef"])
    use_case = UseCaseFactory(collectivite=collectivite, name="Assistant de rédaction")
    client = client_for(users["dpo"])

    # when the DPO chooses to attach the selection, the page lists it with a choice of use cases
    chooser = client.post(REGULARISE_URL, {"declarations": [first.pk, second.pk], "intent": "attach"})
    assert chooser.status_code == 200
    assert first.reference in page_text(chooser) and "Assistant de rédaction" in page_text(chooser)

    # and an empty message is refused, keeping the choice
    refused = client.post(
        REGULARISE_URL,
        {"declarations": f"{first.pk},{second.pk}", "intent": "attach", "use_case": use_case.pk, "message": ""},
    )
    assert refused.status_code == 400
    assert fr("Write a message to the agent: it is what they will read.") in page_text(refused)
    assert re.search(rf'<option value="{use_case.pk}" selected>', page_text(refused))

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            REGULARISE_URL,
            {
                "declarations": f"{first.pk},{second.pk}",
                "intent": "attach",
                "use_case": use_case.pk,
                "message": "Votre usage relève de l'assistant de rédaction déjà encadré.",
            },
        )

    # then both are regularised in it and each agent is told
    assert done.status_code == 302 and done["Location"] == QUEUE_URL
    for declaration in (first, second):
        declaration.refresh_from_db()
        assert declaration.status == DeclarationStatus.REGULARISED and declaration.use_case == use_case
    assert sorted(m.to[0] for m in mail.outbox) == sorted([users["agent"].email, users["chef"].email])


def test_a_use_case_of_another_collectivite_cannot_be_chosen(
    collectivite, other_collectivite, users, outsider, client_for
):
    declaration = declare(collectivite, users["agent"])
    theirs = UseCaseFactory(collectivite=other_collectivite)

    response = client_for(users["dpo"]).post(
        action_url(declaration, "regularise"), {"use_case": theirs.pk, "message": "Rattaché"}
    )

    assert response.status_code == 400
    assert fr("Choose a use case of the collectivité's register.") in page_text(response)
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.RECEIVED


def test_a_declared_decision_about_a_person_pre_fills_the_decision_and_leaves_the_area_to_the_head_of_service(
    collectivite, users, client_for
):
    # given a transcription tool whose output founds a decision about a person
    declaration = risky(collectivite, users["agent"], category="transcription", output_use=["individual_decision"])

    form = client_for(users["dpo"]).get(CREATE_URL, {"declarations": declaration.pk})

    initial = form.context["form"].initial
    assert initial["produces_by"] == ["recognises_speech"]
    assert initial["decides_on_individual_cases"] == "yes"
    assert initial["affects"] == "agents"
    # what the decision is about, and how much the tool weighs on it, the agent did not say: the form asks
    assert not initial.get("policy_areas") and not initial.get("effect_on_people")
    assert not {"technique", "individual_decisions", "automation_level", "annex_iii_point"} & set(initial)
