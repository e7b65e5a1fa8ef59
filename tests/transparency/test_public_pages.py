"""The public register's pages, read as an anonymous visitor: only published records, search, filters,
pagination, withdrawn records (410), cacheable responses, garbage never a 500, the rate limit."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from registry.choices import AiActRisk, AutomationLevel, UseCaseStatus
from tests.registry.factories import ServiceFactory, UseCaseFactory
from tests.transparency.support import decision_use_case, published, submitted
from transparency import services as publication_services
from transparency.fields import Lifecycle
from transparency.public_views import PAGE_SIZE, R311_3_1_2_ELEMENTS

pytestmark = pytest.mark.django_db

PUBLIC_SAFE = {
    "human_intervention": "Un instructeur relit chaque proposition avant toute décision.",
    "data_sources": "Dossiers de demande d'aide et données de la CAF.",
    "contact": "algorithmes@bellerive.example.fr",
    "legal_basis": "Code général des collectivités territoriales, art. L2121-29.",
}


def publish(use_case, dpo, **data):
    """Publish a use case (submitted first) through the real service, with a public-safe wording."""
    if use_case.status == UseCaseStatus.DRAFT:
        use_case = submitted(use_case)
    return publication_services.publication_publish(use_case=use_case, acting_user=dpo, data={**PUBLIC_SAFE, **data})


@pytest.fixture
def anonymous():
    return Client()


@pytest.fixture
def decision(use_case, users):
    """The fixture use case, founding individual decisions, published with every optional field."""
    publication = published(submitted(decision_use_case(use_case)), users["dpo"], fields=["service", "risk", "tool"])
    return publication


def register_url(slug="bellerive", **params):
    url = reverse("public:register", kwargs={"slug": slug})
    return url, params


def entry_url(reference, slug="bellerive"):
    return reverse("public:entry", kwargs={"slug": slug, "reference": reference})


def references(response) -> list[str]:
    return [card["record"]["reference"] for card in response.context["cards"]]


# --- Index ---------------------------------------------------------------------------------------------------


def test_index_redirects_to_the_only_register(anonymous, decision):
    response = anonymous.get(reverse("public:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("public:register", kwargs={"slug": "bellerive"})


def test_index_lists_the_collectivites_with_their_counts(anonymous, decision, other_collectivite, outsider):
    neighbour = UseCaseFactory(collectivite=other_collectivite, status=UseCaseStatus.SUBMITTED)
    publish(neighbour, outsider)
    draft_only = UseCaseFactory(collectivite=decision.collectivite, status=UseCaseStatus.SUBMITTED)
    publication_services.publication_save(use_case=draft_only, acting_user=decision.updated_by, data={"name": "x"})

    response = anonymous.get(reverse("public:index"))

    assert response.status_code == 200
    counts = {c.slug: c.published_count for c in response.context["collectivites"]}
    assert counts == {"bellerive": 1, "voisine": 1}


def test_index_without_any_register(anonymous, collectivite):
    response = anonymous.get(reverse("public:index"))
    assert response.status_code == 200
    assert list(response.context["collectivites"]) == []


# --- Register ------------------------------------------------------------------------------------------------


def test_register_shows_only_published_records_of_this_collectivite(
    anonymous, decision, users, other_collectivite, outsider, services
):
    draft = UseCaseFactory(collectivite=decision.collectivite, service=services["logement"], status="submitted")
    publication_services.publication_save(use_case=draft, acting_user=users["dpo"], data={"name": "Brouillon"})
    withdrawn = UseCaseFactory(collectivite=decision.collectivite, service=services["logement"])
    publish(withdrawn, users["dpo"])
    publication_services.publication_withdraw(use_case=withdrawn, acting_user=users["dpo"], reason="Arrêté")
    publish(UseCaseFactory(collectivite=other_collectivite), outsider)

    url, _ = register_url()
    response = anonymous.get(url)

    assert response.status_code == 200
    assert references(response) == [decision.use_case.reference]
    assert response.context["page"].paginator.count == 1
    body = response.content.decode()
    assert decision.name in body and "Brouillon" not in body
    assert entry_url(decision.use_case.reference) in body


def test_register_never_shows_internal_texts(anonymous, decision):
    body = anonymous.get(register_url()[0]).content.decode()
    assert "Dupont" not in body and "Jean Interne" not in body


def test_unknown_collectivite_is_404(anonymous, decision):
    response = anonymous.get(register_url("nulle-part")[0])
    assert response.status_code == 404
    assert response["Cache-Control"]  # the public 404 page, not the internal one


def test_search_and_filters(anonymous, collectivite, services, users, tool):
    ccas, logement = services["ccas"], services["logement"]
    chatbot = publish(
        UseCaseFactory(collectivite=collectivite, service=ccas, name="Agent conversationnel", tool=tool),
        users["dpo"],
        name="Agent conversationnel",
        summary="Répond aux questions des habitants sur les démarches.",
        fields=["service", "risk", "automation"],
    )
    scoring = publish(
        decision_use_case(UseCaseFactory(collectivite=collectivite, service=logement, name="Tri des demandes")),
        users["dpo"],
        name="Tri des demandes de logement",
        summary="Classe les demandes de logement social par priorité.",
        fields=["service", "risk"],
    )
    url, _ = register_url()

    def found(**params):
        response = anonymous.get(url, params)
        assert response.status_code == 200
        return set(references(response))

    everything = {chatbot.use_case.reference, scoring.use_case.reference}
    assert found() == everything
    assert found(q="logement") == {scoring.use_case.reference}
    assert found(q="DEMARCHES habitants") == {chatbot.use_case.reference}  # case and accents do not matter
    assert found(q="introuvable") == set()
    assert found(service="Logement") == {scoring.use_case.reference}
    assert found(risk=scoring.ai_act_risk) >= {scoring.use_case.reference}
    assert found(automation=AutomationLevel.ASSIST) == {scoring.use_case.reference}
    assert found(lifecycle="in_development") == everything
    assert found(lifecycle="in_use") == set()
    assert found(q="logement", service="CCAS") == set()
    response = anonymous.get(url, {"q": "introuvable"})
    assert "data-empty" in response.content.decode()
    assert response.context["filters"].q == "introuvable"  # the search box keeps what was typed


def test_lifecycle_follows_the_use_case(anonymous, decision):
    decision.use_case.status = UseCaseStatus.IN_PRODUCTION
    decision.use_case.save()
    url, _ = register_url()
    assert references(anonymous.get(url, {"lifecycle": "in_use"})) == [decision.use_case.reference]
    assert references(anonymous.get(url, {"lifecycle": "in_development"})) == []


def test_risk_filter_offers_the_levels_and_keeps_the_choice(anonymous, decision):
    response = anonymous.get(register_url()[0], {"risk": AiActRisk.HIGH})
    body = response.content.decode()
    assert f'<option value="{AiActRisk.HIGH}" selected>' in body
    assert AiActRisk.PROHIBITED not in {code for code, _label in response.context["risks"]}


@pytest.fixture
def many(collectivite, services, users):
    """PAGE_SIZE + 5 published records."""
    service = ServiceFactory(collectivite=collectivite, name="Urbanisme", code="URB")
    return [
        publish(
            UseCaseFactory(collectivite=collectivite, service=service, name=f"Usage {n:02d}"),
            users["dpo"],
            name=f"Usage public {n:02d}",
            fields=["service", "risk", "automation", "tool"],
        )
        for n in range(PAGE_SIZE + 5)
    ]


def test_pagination(anonymous, many):
    url, _ = register_url()
    first = anonymous.get(url)
    assert len(first.context["cards"]) == PAGE_SIZE
    assert first.context["page"].paginator.num_pages == 2
    second = anonymous.get(url, {"page": "2", "q": "usage"})
    assert len(second.context["cards"]) == 5
    assert 'href="?q=usage&amp;page=1"' in second.content.decode()  # the search is kept from page to page
    for garbage in ("999999", "-1", "0", "abc", "2.5", "9" * 40, ""):
        response = anonymous.get(url, {"page": garbage})
        assert response.status_code == 200, garbage
        assert response.context["page"].number in (1, 2)
    assert anonymous.get(url, {"page": "999999"}).context["page"].number == 2


def test_register_query_count_is_constant(anonymous, many, django_assert_max_num_queries):
    url, _ = register_url()
    with django_assert_max_num_queries(4):
        response = anonymous.get(url, {"q": "usage", "risk": "minimal", "lifecycle": "in_development"})
    assert response.status_code == 200
    with django_assert_max_num_queries(4):
        assert anonymous.get(url, {"page": "2"}).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"q": "a" * 5000},
        {"q": "% _ \\ ' \" <script>"},
        {"q": " ".join(["mot"] * 200)},
        {"risk": "'; DROP TABLE"},
        {"automation": "x" * 1000},
        {"lifecycle": "nope"},
        {"lang": "xx"},
    ],
)
def test_garbage_parameters_never_fail(anonymous, decision, params):
    response = anonymous.get(register_url()[0], params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1].split('id="search-q"', 1)[0]


@pytest.mark.parametrize("params", [{"q": "\x00"}, {"service": "\x00nul"}, {"page": "\x00"}, {"lang": "\x00"}])
def test_a_nul_character_in_a_parameter_is_refused_with_a_readable_page(anonymous, decision, params):
    # No text holds one, and PostgreSQL refuses it in any string (config.inputs.NulCharacterMiddleware).
    response = anonymous.get(register_url()[0], params)
    assert response.status_code == 400
    assert "caractère NUL" in response.content.decode()


def test_repeated_parameters_never_fail(anonymous, decision):
    response = anonymous.get(register_url()[0] + "?q=a&q=b&page=1&page=x&risk=high&risk=low")
    assert response.status_code == 200


# --- Entry ---------------------------------------------------------------------------------------------------


def test_entry_page_shows_the_public_record(anonymous, decision):
    response = anonymous.get(entry_url(decision.use_case.reference))

    assert response.status_code == 200
    record = response.context["record"]
    body = response.content.decode()
    assert f"<title>{decision.name} — Ville de Bellerive</title>" in body
    assert body.count("<h1") == 1
    for section in ("purpose", "automation", "human_intervention", "data", "legal_basis", "risk", "contact", "crpa"):
        assert f'data-section="{section}"' in body, section
    # Not published by the DPO: absent from the record, so no section.
    assert "hosting_zone" not in record and 'data-section="dates"' not in body
    assert 'data-section="impact_assessments"' not in body
    assert record["contact"] in body
    assert "Dupont" not in body and "Jean Interne" not in body


def test_entry_page_crpa_mention_and_what_may_be_requested(anonymous, decision):
    body = anonymous.get(entry_url(decision.use_case.reference)).content.decode()
    assert 'id="crpa-mention-text"' in body
    assert "L311-3-1" in decision.content["crpa_mention"]
    with translation.override("fr"):
        for element in R311_3_1_2_ELEMENTS:
            assert str(element) in body
    assert "data-copy-target" in body


def test_entry_without_crpa_mention(anonymous, use_case, users):
    publication = publish(use_case, users["dpo"], fields=["hosting", "dates", "impact_assessments"])
    response = anonymous.get(entry_url(publication.use_case.reference))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-section="crpa"' not in body
    assert 'data-section="technique"' in body  # the hosting
    assert 'data-section="impact_assessments"' in body


def test_entry_query_count(anonymous, decision, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert anonymous.get(entry_url(decision.use_case.reference)).status_code == 200


def test_withdrawn_entry_is_gone(anonymous, decision, users):
    publication_services.publication_withdraw(
        use_case=decision.use_case, acting_user=users["dpo"], reason="Outil abandonné après l'audit interne."
    )
    response = anonymous.get(entry_url(decision.use_case.reference))
    assert response.status_code == 410
    body = response.content.decode()
    assert decision.name not in body and decision.summary not in body
    assert "audit interne" not in body  # the reason is internal
    assert response.context["withdrawn_at"] is not None
    assert references(anonymous.get(register_url()[0])) == []


def test_draft_entry_is_404(anonymous, use_case, users):
    submitted(use_case)
    publication_services.publication_save(use_case=use_case, acting_user=users["dpo"], data={"name": "Projet"})
    assert anonymous.get(entry_url(use_case.reference)).status_code == 404


def test_entry_of_another_collectivite_is_404(anonymous, decision, other_collectivite):
    assert anonymous.get(entry_url(decision.use_case.reference, slug="voisine")).status_code == 404
    assert anonymous.get(entry_url("IA-0000-0000")).status_code == 404
    assert anonymous.get(entry_url("x" * 200)).status_code == 404


# --- Caching, language, rate limit ---------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["index", "register", "entry", "gone", "missing"])
def test_public_pages_are_cacheable_and_cookie_free(anonymous, decision, users, which, other_collectivite, outsider):
    publish(UseCaseFactory(collectivite=other_collectivite), outsider)  # two registers: the index is a page
    url = {
        "index": reverse("public:index"),
        "register": register_url()[0],
        "entry": entry_url(decision.use_case.reference),
        "gone": entry_url(decision.use_case.reference),
        "missing": entry_url("IA-0000-0000"),
    }[which]
    if which == "gone":
        publication_services.publication_withdraw(use_case=decision.use_case, acting_user=users["dpo"], reason="x")

    response = anonymous.get(url)

    assert response.status_code == {"gone": 410, "missing": 404}.get(which, 200)
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


def test_a_logged_in_visitor_gets_the_same_public_page(client_for, decision, users, anonymous):
    url = entry_url(decision.use_case.reference)
    logged_in = client_for(users["dgs"]).get(url)
    assert logged_in.status_code == 200
    assert "Cookie" not in logged_in.get("Vary", "")
    assert logged_in.content == anonymous.get(url).content
    assert "dgs" not in logged_in.content.decode()


def test_language_comes_from_the_url(anonymous, decision):
    url = register_url()[0]
    french = anonymous.get(url)
    english = anonymous.get(url, {"lang": "en"})
    assert french["Content-Language"] == "fr" and english["Content-Language"] == "en"
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="fr">' in french.content.decode()
    # The language cookie of the internal pages does not change a public page (it would make it vary on cookies).
    anonymous.cookies["django_language"] = "en"
    assert anonymous.get(url)["Content-Language"] == "fr"
    # Links keep the language; the labels computed by the view are in it too.
    assert f"{entry_url(decision.use_case.reference)}?lang=en" in english.content.decode()
    with translation.override("en"):
        assert Lifecycle.label("in_development") in english.content.decode()


def test_rate_limit(anonymous, decision, settings):
    settings.PUBLIC_RATE_LIMIT = "3/m"
    cache.clear()
    url = entry_url(decision.use_case.reference)
    try:
        statuses = [anonymous.get(url).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = anonymous.get(register_url()[0])
        assert limited.status_code == 429
        assert int(limited["Retry-After"]) > 0
    finally:
        cache.clear()
