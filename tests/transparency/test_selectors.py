"""Reads of the public register (`transparency.selectors`): only published records, a search that forgives
accents and case but stays bounded, filters, the withdrawn records that answer 410, the DPO's overview, and a
number of queries that does not grow with the register."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from registry import services as registry_services
from registry.choices import UseCaseStatus
from registry.models import UseCase
from tests.registry.factories import ServiceFactory, UseCaseFactory
from tests.transparency.support import decision_use_case, submitted
from transparency import selectors
from transparency import services as svc
from transparency.fields import Lifecycle
from transparency.models import PublicationState
from transparency.selectors import MAX_QUERY_LENGTH, MAX_QUERY_WORDS, PublicFilters

pytestmark = pytest.mark.django_db

CONTACT = "algorithmes@bellerive.example.fr"


def make(collectivite, service, *, status=UseCaseStatus.SUBMITTED, **facts):
    use_case = UseCaseFactory(collectivite=collectivite, service=service, **facts)
    UseCase.objects.filter(pk=use_case.pk).update(status=status)
    use_case.refresh_from_db()
    return use_case


def publish(use_case, user, **data):
    data = {"contact": CONTACT, "fields": ["service", "risk", "automation", "purpose"], **data}
    return svc.publication_publish(use_case=use_case, acting_user=user, data=data)


def references(queryset) -> list[str]:
    return [entry.content["reference"] for entry in queryset]


def search(text: str, **filters) -> list[str]:
    return references(selectors.public_entries(filters=PublicFilters.from_params({"q": text, **filters})))


@pytest.fixture
def register(collectivite, services, users):
    """Five records: three published (one chatbot in production, one founding decisions in review, one retired),
    one withdrawn, one draft."""
    chatbot = make(
        collectivite,
        services["communication"],
        status=UseCaseStatus.IN_PRODUCTION,
        art50_features=["chatbot"],
        audience="public",
    )
    deliberations = make(collectivite, services["ccas"], status=UseCaseStatus.IN_REVIEW)
    decision_use_case(deliberations, annex_iii_point="5a")
    retired = make(collectivite, services["logement"], status=UseCaseStatus.RETIRED)
    withdrawn = make(collectivite, services["ccas"])
    draft = make(collectivite, services["ccas"])
    publish(chatbot, users["dpo"], name="Agent conversationnel du site", summary="Répond aux questions des habitants.")
    publish(
        deliberations,
        users["dpo"],
        name="Préparation des Délibérations",
        summary="Aide à l'instruction des demandes d'aide du conseil d'administration.",
        human_intervention="Un instructeur relit chaque proposition.",
        data_sources="Dossiers de demande d'aide.",
        legal_basis="Code de l'action sociale et des familles.",
        crpa_mention="Mention L311-3-1.",
    )
    publish(retired, users["dpo"], name="Recommandations de lecture", summary="Suggestions aux abonnés.")
    publish(withdrawn, users["dpo"], name="Délibération retirée", summary="Usage retiré du registre.")
    svc.publication_withdraw(use_case=withdrawn, acting_user=users["dpo"], reason="Réévaluation.", expected_version=1)
    svc.publication_save(
        use_case=draft, acting_user=users["dpo"], data={"name": "Délibération en préparation", "contact": CONTACT}
    )
    return {"chatbot": chatbot, "decision": deliberations, "retired": retired, "withdrawn": withdrawn, "draft": draft}


def test_only_published_records_are_listed(register):
    listed = references(selectors.public_entries())

    assert sorted(listed) == sorted(register[name].reference for name in ("chatbot", "decision", "retired"))
    # ordered by public name
    assert [entry.name for entry in selectors.public_entries()] == [
        "Agent conversationnel du site",
        "Préparation des Délibérations",
        "Recommandations de lecture",
    ]


def test_the_list_loads_only_the_public_columns(register):
    entry = selectors.public_entries().first()

    deferred = entry.get_deferred_fields()
    for internal in ("withdrawal_reason", "summary", "purpose", "crpa_mention", "updated_by_id", "search_text"):
        assert internal in deferred, internal
    assert "content" not in deferred and "published_at" not in deferred


def test_the_list_is_scoped_to_a_collectivite(register, other_collectivite, outsider):
    # Given a record published next door
    other = make(other_collectivite, other_collectivite.services.get())
    publish(other, outsider, name="Délibérations voisines", summary="Chez le voisin.")

    assert references(selectors.public_entries(collectivite=other_collectivite)) == [other.reference]
    assert other.reference not in references(selectors.public_entries(collectivite=register["chatbot"].collectivite))
    assert other.reference in references(selectors.public_entries())
    assert list(selectors.public_collectivites()) == [other_collectivite, register["chatbot"].collectivite]


@pytest.mark.parametrize("text", ["deliberation", "DÉLIBÉRATIONS", "Délibérations", "  deLIBéraTION  "])
def test_the_search_ignores_accents_and_case(register, text):
    assert search(text) == [register["decision"].reference]


def test_the_search_reads_the_summary_the_service_and_the_reference(register):
    assert search("habitants") == [register["chatbot"].reference]
    assert search("communication") == [register["chatbot"].reference]
    assert search(register["retired"].reference.lower()) == [register["retired"].reference]


def test_every_word_of_the_search_must_match(register):
    assert search("deliberation instruction") == [register["decision"].reference]
    assert search("deliberation habitants") == []
    assert sorted(search("aide")) == sorted([register["decision"].reference])


def test_the_search_is_bounded(register):
    # The text is cut to its first characters...
    filters = PublicFilters.from_params({"q": "x" * 10_000})
    assert len(filters.q) == MAX_QUERY_LENGTH

    # ...and only its first words are looked for: a seventh word that matches nothing changes nothing
    words = ["deliberation"] * MAX_QUERY_WORDS
    assert search(" ".join([*words, "introuvable"])) == [register["decision"].reference]
    assert search(" ".join(["introuvable", *words])) == []


def test_filters_are_bounded_and_read_from_a_query_string():
    filters = PublicFilters.from_params(QueryDict("risk=" + "h" * 500 + "&service=CCAS&lifecycle=in_use&page=3"))

    assert len(filters.risk) == 20
    assert (filters.service, filters.lifecycle) == ("CCAS", "in_use")
    assert filters.active
    assert not PublicFilters.from_params(QueryDict("")).active


def test_filters_by_service_risk_and_automation(register):
    entries = selectors.public_entries
    decision = register["decision"].reference

    assert references(entries(filters=PublicFilters(service="CCAS"))) == [decision]
    assert references(entries(filters=PublicFilters(risk="high"))) == [decision]
    assert references(entries(filters=PublicFilters(automation="assist"))) == [decision]
    assert sorted(references(entries(filters=PublicFilters(risk="limited")))) == [register["chatbot"].reference]
    assert references(entries(filters=PublicFilters(service="CCAS", risk="minimal"))) == []
    assert references(entries(filters=PublicFilters(service="Inconnu"))) == []


def test_a_risk_not_published_is_not_found_by_the_risk_filter(register, users, collectivite, services):
    # Given a high-risk record whose DPO chose not to publish the risk level
    hidden = decision_use_case(make(collectivite, services["logement"]), annex_iii_point="5a")
    publish(
        hidden,
        users["dpo"],
        fields=[],
        human_intervention="Relu.",
        data_sources="Dossiers.",
        legal_basis="Loi.",
        crpa_mention="Mention.",
    )

    assert hidden.reference not in references(selectors.public_entries(filters=PublicFilters(risk="high")))


@pytest.mark.parametrize(
    "lifecycle, expected",
    [
        (Lifecycle.IN_USE, ["chatbot"]),
        (Lifecycle.IN_DEVELOPMENT, ["decision"]),
        (Lifecycle.OUT_OF_USE, ["retired"]),
        ("unknown", []),
    ],
)
def test_filter_by_lifecycle(register, lifecycle, expected):
    found = references(selectors.public_entries(filters=PublicFilters(lifecycle=lifecycle)))

    assert found == [register[name].reference for name in expected]


def test_a_suspended_use_is_listed_in_use(register, users):
    chatbot = register["chatbot"]
    registry_services.use_case_suspend(use_case=chatbot, acting_user=users["dpo"], reason="Incident.")

    assert references(selectors.public_entries(filters=PublicFilters(lifecycle=Lifecycle.IN_USE))) == [
        chatbot.reference
    ]
    record = selectors.public_record(selectors.public_entries(filters=PublicFilters(lifecycle="in_use")).get())
    assert record["lifecycle"] == Lifecycle.IN_USE


def test_public_entry_finds_published_and_withdrawn_records_only(register, collectivite, other_collectivite):
    def entry(name, where=collectivite):
        return selectors.public_entry(collectivite=where, reference=register[name].reference)

    assert entry("chatbot").state == PublicationState.PUBLISHED
    assert entry("withdrawn").state == PublicationState.WITHDRAWN  # answers 410 Gone
    assert entry("draft") is None
    assert entry("chatbot", other_collectivite) is None
    assert selectors.public_entry(collectivite=collectivite, reference="IA-0000-0000") is None


def test_the_public_record_is_the_content_with_the_collectivite_the_lifecycle_and_the_dates(register):
    entry = selectors.public_entry(
        collectivite=register["retired"].collectivite, reference=register["retired"].reference
    )

    record = selectors.public_record(entry)

    assert record["collectivite"] == {"name": "Ville de Bellerive", "slug": "bellerive"}
    assert record["lifecycle"] == Lifecycle.OUT_OF_USE
    assert record["published_at"] == entry.published_at and record["first_published_at"] == entry.first_published_at
    assert {key: record[key] for key in entry.content} == entry.content


def test_public_services_lists_the_services_of_published_records(register, collectivite):
    assert selectors.public_services(collectivite=collectivite) == ["CCAS", "Communication", "Logement"]


def test_the_overview_sorts_the_publications_for_the_dpo(register, collectivite, services, users):
    # Given, beside the register, use cases L312-1-3 requires to publish: one submitted (to publish), one a draft
    # (not yet), one published then edited (out of date)
    to_publish = submitted(decision_use_case(make(collectivite, services["ccas"], status=UseCaseStatus.DRAFT)))
    decision_use_case(make(collectivite, services["ccas"], status=UseCaseStatus.DRAFT))
    edited = register["chatbot"]
    registry_services.use_case_update(
        use_case=edited, acting_user=users["dpo"], data={"decisions_per_year": 10}, expected_version=edited.version
    )

    overview = selectors.publications_overview(collectivite=collectivite)

    def refs(items):
        return sorted(getattr(item, "use_case", item).reference for item in items)

    assert refs(overview["required_missing"]) == [to_publish.reference]
    assert refs(overview["out_of_date"]) == [edited.reference]
    assert refs(overview["published"]) == sorted(
        register[name].reference for name in ("chatbot", "decision", "retired")
    )
    assert refs(overview["drafts"]) == [register["draft"].reference]
    assert refs(overview["withdrawn"]) == [register["withdrawn"].reference]


def test_the_overview_is_per_collectivite(register, other_collectivite):
    overview = selectors.publications_overview(collectivite=other_collectivite)

    assert not any(overview.values())


def test_what_l312_requires_is_to_publish_until_published_or_withdrawn(collectivite, services, users):
    # Given a use case L312-1-3 requires to publish, prepared as a draft: still to publish
    use_case = submitted(decision_use_case(make(collectivite, services["ccas"], status=UseCaseStatus.DRAFT)))
    svc.publication_save(use_case=use_case, acting_user=users["dpo"], data={"contact": CONTACT})
    assert selectors.publications_overview(collectivite=collectivite)["required_missing"] == [use_case]
    assert list(selectors.publication_tasks(collectivite_id=collectivite.pk)) == [use_case]

    # Published: done
    wording = {"human_intervention": "Relu par un instructeur.", "data_sources": "Dossiers de demande d'aide."}
    svc.publication_publish(use_case=use_case, acting_user=users["dpo"], data=wording, expected_version=1)
    assert selectors.publications_overview(collectivite=collectivite)["required_missing"] == []
    assert not selectors.publication_tasks(collectivite_id=collectivite.pk).exists()

    # Withdrawn: a decision recorded with its reason, not a chore
    svc.publication_withdraw(use_case=use_case, acting_user=users["dpo"], reason="Erreur.", expected_version=2)
    assert selectors.publications_overview(collectivite=collectivite)["required_missing"] == []


@pytest.mark.parametrize(
    "status, facts",
    [
        (UseCaseStatus.RETIRED, {}),
        (UseCaseStatus.REJECTED, {}),
        (UseCaseStatus.DRAFT, {}),
        (UseCaseStatus.SUBMITTED, {"max_data_classification": "C4"}),
    ],
)
def test_no_publication_is_asked_for_a_use_not_publishable(collectivite, services, status, facts):
    use_case = decision_use_case(make(collectivite, services["ccas"], **facts))
    UseCase.objects.filter(pk=use_case.pk).update(status=status)
    assert use_case.public_register_required

    assert selectors.publications_overview(collectivite=collectivite)["required_missing"] == []


def test_the_dpo_task_list_holds_out_of_date_records(register, collectivite, users):
    edited = register["decision"]
    assert not selectors.publication_tasks(collectivite_id=collectivite.pk).exists()

    registry_services.use_case_update(
        use_case=edited, acting_user=users["dpo"], data={"decisions_per_year": 10}, expected_version=edited.version
    )

    assert list(selectors.out_of_date_publications(collectivite_id=collectivite.pk)) == [edited]
    assert list(selectors.publication_tasks(collectivite_id=collectivite.pk)) == [edited]


# Query counts ------------------------------------------------------------------------------------------------------
def more_records(collectivite, users, count):
    service = ServiceFactory(collectivite=collectivite, name="Culture", code="CULT")
    for number in range(count):
        publish(make(collectivite, service), users["dpo"], name=f"Usage public {number}", summary="Résumé.")


def read_list(collectivite):
    return [
        selectors.public_record(entry)
        for entry in selectors.public_entries(
            collectivite=collectivite, filters=PublicFilters(q="usage", lifecycle=Lifecycle.IN_DEVELOPMENT)
        )
    ]


def read_overview(collectivite):
    overview = selectors.publications_overview(collectivite=collectivite)
    return [(p.use_case.reference, p.use_case.service.name, p.out_of_date) for p in overview["published"]]


@pytest.mark.parametrize("read, queries", [(read_list, 1), (read_overview, 2)])
def test_reads_cost_the_same_number_of_queries_whatever_the_number_of_records(
    register, collectivite, users, django_assert_num_queries, read, queries
):
    with django_assert_num_queries(queries):
        few = read(collectivite)

    more_records(collectivite, users, 8)

    with django_assert_num_queries(queries):
        many = read(collectivite)
    assert len(many) > len(few)


def test_the_detail_costs_one_query(register, collectivite, django_assert_num_queries):
    with django_assert_num_queries(1):
        entry = selectors.public_entry(collectivite=collectivite, reference=register["decision"].reference)
        record = selectors.public_record(entry)
    assert record["lifecycle"] == Lifecycle.IN_DEVELOPMENT
