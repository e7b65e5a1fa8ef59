"""Shadow-AI declarations: submission (named, anonymous, double submit, rate limit) and triage actions."""

import uuid

import pytest
from django.core import mail

from core.access import get_access
from core.errors import ApplicationError, TransitionError
from declarations import services as declaration_services
from declarations.models import Declaration, DeclarationEvent
from declarations.permissions import can_view_declaration
from declarations.selectors import declaration_guidance, declaration_queue, declarations_by_tool, my_declarations
from registry.choices import DeclarationStatus, ToolStatus
from registry.models import Tool
from tests.registry.factories import ToolFactory, UseCaseFactory

pytestmark = pytest.mark.django_db


def _answers(**overrides):
    data = {
        "tool": None,
        "tool_name": "ChatGPT",
        "category": "general_chatbot",
        "tasks": "Rédiger des courriers aux usagers",
        "frequency": "weekly",
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


def _submit(collectivite, user, anonymous=False, key=None, **overrides):
    return declaration_services.declaration_submit(
        collectivite=collectivite,
        acting_user=user,
        data=_answers(**overrides),
        anonymous=anonymous,
        submission_key=key or uuid.uuid4(),
    )


def test_named_declaration_is_assessed_and_the_unknown_tool_enters_the_catalogue(collectivite, users):
    declaration, created = _submit(collectivite, users["agent"])

    assert created and declaration.status == DeclarationStatus.RECEIVED
    assert declaration.author == users["agent"]
    assert declaration.service == users["agent"].memberships.get().service
    assert declaration.reference.startswith("DEC-")
    tool = Tool.objects.get(collectivite=collectivite, name="ChatGPT")
    assert tool.status == ToolStatus.UNDER_REVIEW and declaration.tool == tool
    # personal data in a personal account: a possible breach, with its 72-hour deadline
    assert declaration.possible_breach
    hours = (declaration.breach_deadline - declaration.created_at).total_seconds() / 3600
    assert 71.9 < hours < 72.1
    assert declaration.risk_level in {"high", "critical"}
    assert {f.code for f in declaration.factors} >= {"tool_under_review", "account", "device", "personal_data"}


def test_anonymous_declaration_keeps_no_link_to_its_author(collectivite, users):
    declaration, _created = _submit(collectivite, users["agent"], anonymous=True)
    assert declaration.author is None and declaration.service is None
    event = declaration.events.get()
    assert event.actor is None
    assert not users["agent"].has_perm("declarations.view_declaration", declaration)
    assert list(my_declarations(users["agent"], get_access(users["agent"], collectivite))) == []


def test_a_double_submit_records_one_declaration(collectivite, users):
    key = uuid.uuid4()
    first, created = _submit(collectivite, users["agent"], key=key)
    second, created_again = _submit(collectivite, users["agent"], key=key)
    assert created and not created_again and first.pk == second.pk
    assert Declaration.objects.count() == 1


def test_submissions_are_rate_limited_per_user(collectivite, users, settings):
    settings.DECLARATION_RATE_LIMIT = 2
    from django.core.cache import cache

    cache.clear()
    _submit(collectivite, users["agent"])
    _submit(collectivite, users["agent"])
    with pytest.raises(declaration_services.RateLimitError):
        _submit(collectivite, users["agent"])
    _submit(collectivite, users["chef"])  # someone else is not held back
    assert Declaration.objects.count() == 3
    cache.clear()


def test_invalid_answers_save_nothing(collectivite, users):
    with pytest.raises(ApplicationError) as raised:
        _submit(collectivite, users["agent"], tool_name="", tasks="", data_entered=["gossip"], account="borrowed")
    assert {"tool", "tasks", "data_entered", "account"} <= set(raised.value.errors)
    assert not Declaration.objects.exists() and not Tool.objects.filter(name="").exists()


def test_agents_see_only_their_own_and_the_dpo_sees_all(collectivite, users):
    mine, _c = _submit(collectivite, users["agent"])
    theirs, _c = _submit(collectivite, users["chef"])
    agent, chef, dpo = users["agent"], users["chef"], users["dpo"]
    assert can_view_declaration(agent, get_access(agent, collectivite), mine)
    assert not can_view_declaration(agent, get_access(agent, collectivite), theirs)
    # no blame: a head of service does not see their agents' declarations
    assert not can_view_declaration(chef, get_access(chef, collectivite), mine)
    assert set(declaration_queue(dpo, get_access(dpo, collectivite))) == {mine, theirs}
    assert set(declaration_queue(agent, get_access(agent, collectivite))) == {mine}


def test_triage_actions_move_the_status_record_who_and_tell_the_agent(
    collectivite, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        declaration, _c = _submit(collectivite, users["agent"])
    dpo = users["dpo"]
    mail.outbox.clear()

    declaration = declaration_services.declaration_start_analysis(declaration=declaration, acting_user=dpo)
    assert declaration.status == DeclarationStatus.ANALYSING
    albert = ToolFactory(collectivite=collectivite, name="Albert", category="general_chatbot", status="approved")
    with django_capture_on_commit_callbacks(execute=True):
        declaration = declaration_services.declaration_offer_alternative(
            declaration=declaration,
            acting_user=dpo,
            alternative_tool=albert,
            message="Utilisez Albert, il est approuvé.",
        )
    assert declaration.status == DeclarationStatus.ALTERNATIVE_OFFERED and declaration.answer
    assert len(mail.outbox) == 1 and users["agent"].email in mail.outbox[0].to
    assert "Albert" in mail.outbox[0].body

    use_case = UseCaseFactory(collectivite=collectivite)
    [declaration] = declaration_services.declaration_regularise(
        declarations=[declaration], acting_user=dpo, use_case=use_case, message="Votre usage est encadré."
    )
    assert declaration.status == DeclarationStatus.REGULARISED and declaration.use_case == use_case
    with pytest.raises(TransitionError):
        declaration_services.declaration_ask_to_stop(declaration=declaration, acting_user=dpo, message="Stop")
    kinds = list(declaration.events.values_list("kind", "actor__username"))
    assert kinds == [
        ("submitted", "agent"),
        ("analysing", "dpo"),
        ("alternative_offered", "dpo"),
        ("regularised", "dpo"),
    ]


def test_an_answer_needs_a_message(collectivite, users):
    declaration, _c = _submit(collectivite, users["agent"])
    with pytest.raises(ApplicationError) as raised:
        declaration_services.declaration_ask_to_stop(declaration=declaration, acting_user=users["dpo"], message="  ")
    assert "message" in raised.value.errors


def test_notifications_are_sent_once(collectivite, users):
    from declarations.notifications import declaration_event_notify

    declaration, _c = _submit(collectivite, users["agent"])
    event = declaration.events.get()
    mail.outbox.clear()
    first = declaration_event_notify(event_id=event.pk)
    assert first >= 1  # possible breach: the DPO and RSSI are alerted
    assert declaration_event_notify(event_id=event.pk) == 0
    assert len(mail.outbox) == first
    assert "72" in mail.outbox[0].subject


def test_breach_assessment_is_recorded(collectivite, users):
    declaration, _c = _submit(collectivite, users["agent"])
    assessed = declaration_services.declaration_assess_breach(
        declaration=declaration, acting_user=users["dpo"], outcome="not_a_breach", notes="Données fictives."
    )
    assert assessed.breach_outcome == "not_a_breach" and assessed.breach_assessed_by == users["dpo"]
    assert assessed.events.filter(kind=DeclarationEvent.Kind.BREACH_ASSESSED).exists()


def test_guidance_points_to_the_approved_alternative_and_what_not_to_enter(collectivite, users):
    ToolFactory(
        collectivite=collectivite,
        name="Albert",
        category="general_chatbot",
        status="approved",
        max_data_classification="C2",
    )
    declaration, _c = _submit(collectivite, users["agent"], data_entered=["health", "public"])
    advice = declaration_guidance(declaration)
    assert advice.verdict == "under_review"
    assert advice.alternative_name == "Albert"
    assert advice.forbidden_data == ("health",)


def test_grouping_by_tool_counts_agents_services_and_data(collectivite, users, django_assert_max_num_queries):
    _submit(collectivite, users["agent"], data_entered=["ordinary"])
    _submit(collectivite, users["chef"], data_entered=["health"])
    _submit(collectivite, users["agent"], tool_name="DeepL", category="translation", data_entered=["public"])
    dpo = users["dpo"]
    access = get_access(dpo, collectivite)
    with django_assert_max_num_queries(4):
        groups = declarations_by_tool(dpo, access)
    chatgpt = groups[0]
    assert (chatgpt.tool_name, chatgpt.declarations, chatgpt.services_count) == ("ChatGPT", 2, 2)
    assert chatgpt.data == {"ordinary", "health"}


def test_a_submission_key_of_someone_else_reveals_nothing(collectivite, users):
    from core.errors import ConflictError

    key = uuid.uuid4()
    _submit(collectivite, users["agent"], key=key)
    with pytest.raises(ConflictError):
        _submit(collectivite, users["chef"], key=key)
    assert Declaration.objects.count() == 1


# The approved alternative: same kind, for the agents' own work, within the catalogue's conditions ---------------


def _chatbot(collectivite, name, *, level="C2", conditions="", audience=None):
    """An approved general chatbot; `audience` puts it in the register with a use case for that audience."""
    tool = ToolFactory(
        collectivite=collectivite,
        name=name,
        category="general_chatbot",
        status="approved",
        max_data_classification=level,
        conditions=conditions,
    )
    if audience:
        UseCaseFactory(collectivite=collectivite, tool=tool, audience=audience)
    return tool


def test_a_general_chatbot_is_replaced_by_the_agents_assistant_never_by_the_public_website_chatbot(collectivite, users):
    # Given the assistant agents use (Albert) and the chatbot the town runs on its website for residents, both
    # approved general chatbots up to C2 in the catalogue
    _chatbot(collectivite, "Albert", audience="agents")
    _chatbot(collectivite, "Dialogue Citoyen", audience="public")
    # When an agent declares the free ChatGPT
    declaration, _c = _submit(collectivite, users["agent"], data_entered=["internal"])
    # Then they are pointed to the assistant, not to the residents' chatbot
    assert declaration_guidance(declaration).alternative_name == "Albert"


def test_no_unrelated_tool_is_offered_when_the_catalogue_has_none_of_that_kind(collectivite, users):
    _chatbot(collectivite, "Albert", audience="agents")
    declaration, _c = _submit(collectivite, users["agent"], tool_name="DeepL", category="translation")
    advice = declaration_guidance(declaration)
    assert advice.alternative_name is None and advice.alternative_conditions == ""


def test_the_alternative_accepts_what_the_agent_enters_and_carries_its_conditions(collectivite, users):
    # Le Chat Pro takes internal documents, never personal data (C1): the catalogue's own condition
    _chatbot(collectivite, "Le Chat Pro", level="C1", conditions="Aucune donnée personnelle.", audience="agents")
    with_personal_data, _c = _submit(collectivite, users["agent"], data_entered=["ordinary", "internal"])
    internal_only, _c = _submit(collectivite, users["agent"], data_entered=["internal"])

    assert declaration_guidance(with_personal_data).alternative_name is None
    advice = declaration_guidance(internal_only)
    assert (advice.alternative_name, advice.alternative_level) == ("Le Chat Pro", "C1")
    assert advice.alternative_conditions == "Aucune donnée personnelle."


def test_the_kind_is_the_declared_tools_first_then_the_use_the_agent_names(collectivite, users):
    # Given the prohibited ChatGPT (a general chatbot in the catalogue), Albert (C2) and DeepL Pro (translation, C1)
    chatgpt = ToolFactory(collectivite=collectivite, name="ChatGPT", category="general_chatbot", status="prohibited")
    _chatbot(collectivite, "Albert", audience="agents")
    ToolFactory(
        collectivite=collectivite,
        name="DeepL Pro",
        category="translation",
        status="approved",
        max_data_classification="C1",
    )
    # When an agent says they translate letters with personal data in ChatGPT, or public pages with Reverso
    chatbot_for_translation, _c = _submit(
        collectivite, users["agent"], tool=chatgpt, tool_name="", category="translation", data_entered=["ordinary"]
    )
    reverso, _c = _submit(
        collectivite, users["agent"], tool_name="Reverso", category="translation", data_entered=["public"]
    )
    # Then ChatGPT gives way to the general assistant, Reverso to the approved translation tool
    assert declaration_guidance(chatbot_for_translation).alternative_name == "Albert"
    assert declaration_guidance(reverso).alternative_name == "DeepL Pro"
