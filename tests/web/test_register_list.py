"""The register list: what each role sees, the filters, the pagination, a fixed number of queries."""

import re
from html import unescape

import pytest
from django.urls import reverse

from registry.choices import AiActRisk, Technique, UseCaseStatus
from tests.registry.factories import ToolFactory, UseCaseFactory

from .helpers import ROLES, VISIBLE, fr, frn

LIST_URL = reverse("registry:use_case_list")


def references_in(response) -> set[str]:
    return set(re.findall(r'data-reference="([^"]+)"', unescape(response.content.decode())))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_exactly_its_scope(role, register, user_for, client_for):
    # given the register, and a user holding one role
    client = client_for(user_for(role))

    # when they open the register
    response = client.get(LIST_URL)

    # then they see the use cases of their scope and nothing else
    assert response.status_code == 200
    assert references_in(response) == {register[name].reference for name in VISIBLE[role]}


@pytest.mark.django_db
def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={LIST_URL}"


@pytest.mark.django_db
def test_home_is_the_members_dashboard_and_sends_visitors_to_login(client, users, client_for):
    assert client.get(reverse("registry:home"))["Location"] == reverse("login")
    response = client_for(users["agent"]).get(reverse("registry:home"))
    assert response.status_code == 200
    assert response.templates[0].name == "registry/dashboard.html"


@pytest.mark.django_db
def test_a_row_shows_the_use_case_its_badges_and_its_obligations(register, users, client_for):
    # given a use case with health data: special category, hence a DPIA and an ethics review
    use_case = register["ethics_submitted"]

    response = client_for(users["dpo"]).get(LIST_URL)
    html = unescape(response.content.decode())
    row = re.search(rf'<tr data-reference="{use_case.reference}">(.*?)</tr>', html, re.S).group(1)

    # then the row shows name, service, the status and risks as text, and the obligations as text badges
    assert use_case.name in row
    assert "Communication" in row
    assert fr("Submitted") in row
    assert fr("Minimal risk") in row
    assert fr("Special categories (Art. 9 / 10)") in row
    assert fr("Ethics review required") in row
    assert fr("DPIA required") in row
    assert fr("FRIA required") not in row
    assert f'href="{reverse("registry:use_case_detail", args=[use_case.pk])}"' in row
    assert re.search(r"<time datetime=\"[^\"]+\">\d{2}/\d{2}/\d{4}</time>", row)


@pytest.mark.django_db
def test_count_of_results_is_shown(register, users, client_for):
    response = client_for(users["agent"]).get(LIST_URL)

    assert re.search(r'id="results-title"[^>]*>\s*2 ', unescape(response.content.decode()))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": UseCaseStatus.SUBMITTED}, {"ethics_submitted"}),
        ({"rgpd_sensitivity": "special"}, {"ethics_submitted"}),
        ({"ai_act_risk": "minimal", "status": UseCaseStatus.IN_PRODUCTION}, {"com_in_production"}),
        ({"q": "logement"}, {"logement_draft"}),
        ({"q": "SOUS-TITRAGE"}, {"com_in_production"}),
        ({"flag": "ethics"}, {"ethics_submitted"}),
    ],
)
def test_filters_narrow_the_list(params, expected, register, users, client_for):
    response = client_for(users["dpo"]).get(LIST_URL, params)

    assert references_in(response) == {register[name].reference for name in expected}


@pytest.mark.django_db
def test_service_filter_includes_the_services_below(register, services, users, client_for):
    # given the Solidarity direction, parent of the CCAS and Logement services
    response = client_for(users["dpo"]).get(LIST_URL, {"service": services["direction"].pk})

    assert references_in(response) == {
        register[name].reference for name in ("ccas_draft", "ccas_approved", "agent_own_draft", "logement_draft")
    }


@pytest.mark.django_db
def test_text_search_matches_the_reference_and_the_summary(register, users, client_for):
    target = register["logement_draft"]
    dpo = client_for(users["dpo"])

    assert references_in(dpo.get(LIST_URL, {"q": target.reference})) == {target.reference}
    assert len(references_in(dpo.get(LIST_URL, {"q": "aide les agents"}))) == 6


@pytest.mark.django_db
def test_tool_filter(register, collectivite, users, client_for):
    other_tool = ToolFactory(collectivite=collectivite, name="Whisper")
    transcribed = UseCaseFactory(collectivite=collectivite, service=register["ccas_draft"].service, tool=other_tool)

    response = client_for(users["dpo"]).get(LIST_URL, {"tool": other_tool.pk})

    assert references_in(response) == {transcribed.reference}


@pytest.mark.django_db
def test_filters_only_offer_the_collectivites_own_services_and_tools(register, outsider, users, client_for):
    # given a service and a tool of the neighbouring collectivité
    neighbour_service = register["neighbour"].service
    neighbour_tool = ToolFactory(collectivite=neighbour_service.collectivite, name="Outil voisin")

    response = client_for(users["dpo"]).get(LIST_URL, {"service": neighbour_service.pk})

    # then they are not offered, and choosing them anyway is refused next to the field, not a 500
    html = unescape(response.content.decode())
    assert neighbour_tool.name not in html
    assert str(neighbour_service) not in html
    assert response.status_code == 200
    assert "invalid-feedback" in html


@pytest.mark.django_db
def test_an_unknown_code_in_a_filter_is_explained_not_a_crash(register, users, client_for):
    response = client_for(users["dpo"]).get(LIST_URL, {"status": "bogus"})

    assert response.status_code == 200
    assert "invalid-feedback" in unescape(response.content.decode())


@pytest.mark.django_db
def test_empty_state_when_nothing_matches(register, users, client_for):
    response = client_for(users["dpo"]).get(LIST_URL, {"q": "aucun usage ne porte ce nom"})

    html = unescape(response.content.decode())
    assert 'id="empty-state"' in html
    assert fr("No use case matches these filters.") in html
    assert "<table" not in html


@pytest.mark.django_db
def test_pagination_keeps_the_filters(collectivite, services, users, client_for):
    # given 120 use cases in production in the CCAS
    UseCaseFactory.create_batch(
        120, collectivite=collectivite, service=services["ccas"], status=UseCaseStatus.IN_PRODUCTION
    )

    # when the DPO filters on the CCAS and opens page 2
    response = client_for(users["dpo"]).get(LIST_URL, {"status": "in_production", "page": 2})

    # then 50 rows show, and the links to the other pages keep the filter
    html = unescape(response.content.decode())
    assert len(references_in(response)) == 50
    assert "?status=in_production&page=3" in html
    assert "?status=in_production&page=1" in html
    last = client_for(users["dpo"]).get(LIST_URL, {"status": "in_production", "page": 3})
    assert len(references_in(last)) == 20


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["agent", "chef", "dpo", "comite"])
def test_the_list_costs_the_same_queries_for_3_or_40_rows(
    role, collectivite, services, users, tool, client_for, django_assert_max_num_queries
):
    """Speed (issue 2): the register costs a fixed number of SQL queries, whatever the number of rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from guardian.shortcuts import assign_perm

    from registry.models import UseCase

    client = client_for(users[role])
    counts = []
    for rows, added in ((3, 3), (40, 37)):
        batch = UseCaseFactory.create_batch(
            added,
            collectivite=collectivite,
            service=services["ccas"],
            tool=tool,
            owner=users["agent"],
            status=UseCaseStatus.IN_PRODUCTION,
            personal_data_categories=["health"],
        )
        if role == "comite":
            # A committee member reads the cases on their sessions' agendas: the permission the agenda grants.
            assign_perm(
                "registry.review_usecase", users["comite"], UseCase.objects.filter(pk__in=[c.pk for c in batch])
            )
        with django_assert_max_num_queries(QUERY_BUDGET), CaptureQueriesContext(connection) as queries:
            response = client.get(LIST_URL, {"q": "Usage", "service": services["direction"].pk})
        assert response.status_code == 200
        assert len(references_in(response)) == rows
        counts.append(len(queries))
    assert counts[0] == counts[1]


# Session, user, collectivité, memberships, the user's collectivités (switcher), services and tools of the
# filter form, the count, the page of rows — and guardian's shared-with-me subquery for the scoped roles.
QUERY_BUDGET = 12


@pytest.mark.django_db
def test_a_filter_error_is_announced_in_the_page_title(register, users, client_for):
    response = client_for(users["dpo"]).get(LIST_URL, {"ai_act_risk": "tres-haut"})

    assert re.search(rf"<title>{fr('Error:')} ", unescape(response.content.decode()))


# Rule set 2026.12: uses outside the AI Act, and the technique -----------------------------------------------


@pytest.fixture
def register_with_rules(register, collectivite, services, users):
    """The register, plus a scale written by people (not an AI system) and an expert system, both in the CCAS."""
    return {
        **register,
        "scale": UseCaseFactory(
            collectivite=collectivite,
            service=services["ccas"],
            owner=users["dpo"],
            name="Barème des aides facultatives",
            technique="rules",
            automation_level="assist",
            individual_decisions=True,
            personal_data_categories=["ordinary", "financial"],
            audience="public",
        ),
        "expert": UseCaseFactory(
            collectivite=collectivite,
            service=services["ccas"],
            owner=users["dpo"],
            name="Aide au diagnostic des dossiers",
            technique="expert_system",
        ),
    }


def filter_options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"', select)


@pytest.mark.django_db
def test_the_filters_offer_out_of_scope_ai_system_and_technique(register, users, client_for):
    html = unescape(client_for(users["dpo"]).get(LIST_URL).content.decode())

    assert filter_options(html, "ai_act_risk") == ["", "prohibited", "high", "limited", "minimal", "out_of_scope"]
    assert filter_options(html, "ai_system") == ["", "yes", "no"]
    assert filter_options(html, "technique") == ["", *Technique.values]
    assert fr(AiActRisk.OUT_OF_SCOPE.label) in html
    assert f'<label class="form-label" for="id_ai_system">{fr("AI system")}</label>' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"ai_act_risk": "out_of_scope"}, {"scale"}),
        ({"ai_system": "no"}, {"scale"}),
        ({"technique": "rules"}, {"scale"}),
        ({"technique": "expert_system"}, {"expert"}),
        ({"ai_system": "yes", "service": "ccas"}, {"ccas_draft", "ccas_approved", "agent_own_draft", "expert"}),
        ({"ai_system": "no", "flag": "dpia"}, {"scale"}),  # the RGPD applies, AI or not
        ({"ai_system": "no", "flag": "fria"}, set()),  # the AI Act does not
    ],
)
def test_the_new_filters_narrow_the_list_and_the_count_follows(
    params, expected, register_with_rules, services, users, client_for
):
    if params.get("service"):
        params = {**params, "service": services[params["service"]].pk}

    response = client_for(users["dpo"]).get(LIST_URL, params)

    html = unescape(response.content.decode())
    assert references_in(response) == {register_with_rules[name].reference for name in expected}
    heading = re.search(r'id="results-title">\s*(.*?)\s*<', html, re.S).group(1)
    assert heading == frn("%(counter)s use case", "%(counter)s use cases", len(expected)) % {"counter": len(expected)}
    active = re.search(r'id="filters-title".*?</h2>', html, re.S).group(0)
    count = len(params)
    assert frn("%(counter)s filter applied", "%(counter)s filters applied", count) % {"counter": count} in active


@pytest.mark.django_db
def test_an_out_of_scope_row_reads_not_an_ai_system(register_with_rules, users, client_for):
    scale = register_with_rules["scale"]

    html = unescape(client_for(users["dpo"]).get(LIST_URL).content.decode())

    row = re.search(rf'<tr data-reference="{scale.reference}">(.*?)</tr>', html, re.S).group(1)
    assert f'<span class="badge badge-risk-out_of_scope">{fr(AiActRisk.OUT_OF_SCOPE.label)}</span>' in row


@pytest.mark.django_db
def test_an_unknown_ai_system_answer_is_explained_not_a_crash(register, users, client_for):
    response = client_for(users["dpo"]).get(LIST_URL, {"ai_system": "peut-etre"})

    assert response.status_code == 200
    assert "invalid-feedback" in unescape(response.content.decode())
