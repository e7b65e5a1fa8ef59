"""Django admin of the public register: publications and their trail are shown read-only; nothing is added,
changed nor deleted there (every write goes through `transparency.services`)."""

from html import unescape

import pytest
from django.urls import reverse

from tests.registry.factories import UseCaseFactory, UserFactory
from tests.transparency.support import decision_use_case, published, submitted
from transparency import services as svc
from transparency.models import Publication, PublicationEvent, PublicationState

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def publication(use_case, users):
    """A record published, updated, then withdrawn: four events in its trail."""
    use_case = submitted(decision_use_case(use_case))
    published(use_case, users["dpo"], name="Aide à l'instruction des demandes d'aide")
    svc.publication_publish(
        use_case=use_case, acting_user=users["dpo"], data={"summary": "Résumé mis à jour."}, expected_version=1
    )
    return svc.publication_withdraw(
        use_case=use_case, acting_user=users["dpo"], reason="Réévaluation.", expected_version=2
    )


def url(obj, action="change") -> str:
    return reverse(f"admin:transparency_{obj._meta.model_name}_{action}", args=[obj.pk])


def changelist(model) -> str:
    return reverse(f"admin:transparency_{model._meta.model_name}_changelist")


def snapshot(obj) -> dict:
    obj.refresh_from_db()
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_the_change_page_shows_the_record_without_any_input(publication, superuser_client):
    response = superuser_client.get(url(publication))

    assert response.status_code == 200
    assert not response.context["adminform"].form.fields
    page = unescape(response.content.decode())
    for name in ("state", "name", "summary", "fields", "contact", "crpa_mention"):
        assert f'name="{name}"' not in page, name
    assert "Résumé mis à jour." in page  # the frozen record, shown as JSON
    assert "Réévaluation." in page  # the reason of the withdrawal, in the trail
    assert str(PublicationEvent.Kind.REPUBLISHED.label) in page


def test_the_event_page_shows_what_was_published(publication, superuser_client):
    event = publication.events.get(kind=PublicationEvent.Kind.REPUBLISHED)

    response = superuser_client.get(url(event))

    assert response.status_code == 200
    assert not response.context["adminform"].form.fields
    assert "Résumé mis à jour." in unescape(response.content.decode())


@pytest.mark.parametrize("model", [Publication, PublicationEvent])
def test_posting_to_a_change_page_changes_nothing(publication, superuser_client, model):
    obj = publication if model is Publication else publication.events.first()
    before = snapshot(obj)

    response = superuser_client.post(
        url(obj), {"state": PublicationState.PUBLISHED, "name": "Renommé", "kind": "published", "comment": "Autre"}
    )

    assert response.status_code in (302, 403)
    assert snapshot(obj) == before


@pytest.mark.parametrize("model", [Publication, PublicationEvent])
def test_nothing_is_added_nor_deleted_here(publication, superuser_client, model):
    obj = publication if model is Publication else publication.events.first()
    events = PublicationEvent.objects.count()

    assert superuser_client.get(reverse(f"admin:transparency_{model._meta.model_name}_add")).status_code == 403
    assert superuser_client.post(url(obj, "delete"), {"post": "yes"}).status_code == 403
    bulk = superuser_client.post(
        changelist(model), {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    )
    assert bulk.status_code in (200, 302)
    assert model.objects.filter(pk=obj.pk).exists()
    assert PublicationEvent.objects.count() == events


def test_an_agent_without_staff_access_is_sent_to_the_admin_login(publication, client_for, users):
    response = client_for(users["dpo"]).get(changelist(Publication))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_list_filters_by_state_and_collectivite_and_searches_reference_and_name(
    publication, superuser_client, collectivite, services, users
):
    other = submitted(UseCaseFactory(collectivite=collectivite, service=services["ccas"], owner=users["agent"]))
    svc.publication_save(use_case=other, acting_user=users["dpo"], data={"name": "Courriers", "contact": "a@b.fr"})
    reference = publication.use_case.reference

    def listed(**params):
        response = superuser_client.get(changelist(Publication), params)
        assert response.status_code == 200
        return {p.pk for p in response.context["cl"].result_list}

    assert listed() == {publication.pk, other.publication.pk}
    assert listed(state="withdrawn") == {publication.pk}
    assert listed(state="draft") == {other.publication.pk}
    assert listed(collectivite__id__exact=collectivite.pk) == {publication.pk, other.publication.pk}
    assert listed(q=reference) == {publication.pk}
    assert listed(q="instruction") == {publication.pk}
    assert listed(q="courriers") == {other.publication.pk}
    events = superuser_client.get(changelist(PublicationEvent), {"kind": "withdrawn", "q": reference})
    assert [e.kind for e in events.context["cl"].result_list] == [PublicationEvent.Kind.WITHDRAWN]


@pytest.mark.parametrize("model", [Publication, PublicationEvent])
def test_the_lists_cost_a_fixed_number_of_queries(
    publication, superuser_client, collectivite, services, users, django_assert_max_num_queries, model
):
    for _number in range(6):
        use_case = submitted(UseCaseFactory(collectivite=collectivite, service=services["ccas"], owner=users["agent"]))
        svc.publication_publish(
            use_case=use_case,
            acting_user=users["dpo"],
            data={"contact": "algorithmes@bellerive.example.fr", "fields": ["service"]},
        )

    with django_assert_max_num_queries(10):
        response = superuser_client.get(changelist(model))

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) >= 7
