"""The DPO's publication pages: who may open them, publish / update / withdraw through the forms, conflicts and
errors that keep what was typed, the publication panel of a use case."""

from __future__ import annotations

from html import escape

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from core.access import get_access
from registry import services as registry_services
from tests.registry.factories import UseCaseFactory
from tests.transparency.support import decision_use_case, published, submitted
from transparency import services as publication_services
from transparency.fields import L312_FIELD_CODES
from transparency.models import Publication, PublicationEvent, PublicationState

pytestmark = pytest.mark.django_db

PUBLIC_WORDING = {
    "name": "Aide à l'instruction des aides sociales",
    "summary": "Propose un montant d'aide à partir du dossier; un instructeur décide.",
    "purpose": "Traiter les demandes plus vite et de façon égale.",
    "human_intervention": "Un instructeur relit chaque proposition avant toute décision.",
    "data_sources": "Dossiers de demande d'aide et données de la CAF.",
    "legal_basis": "Code de l'action sociale et des familles, art. L123-5.",
    "dpia_status": "in_progress",
    "fria_status": "to_do",
    "contact": "algorithmes@bellerive.example.fr",
    "crpa_mention": "Cette décision a été prise sur le fondement d'un traitement algorithmique (L311-3-1).",
}


@pytest.fixture
def decision(use_case):
    return submitted(decision_use_case(use_case))


def edit_url(use_case):
    return reverse("transparency:edit", kwargs={"pk": use_case.pk})


def form_data(publication_version=None, action="publish", fields=("service", "risk"), **changes):
    data = {**PUBLIC_WORDING, **changes, "action": action, "published_fields": list(fields)}
    if publication_version is not None:
        data["version"] = publication_version
    return data


# --- Who may open the pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["dpo", "admin"])
def test_publishers_open_the_pages(client_for, users, decision, role):
    client = client_for(users[role])
    assert client.get(reverse("transparency:overview")).status_code == 200
    response = client.get(edit_url(decision))
    assert response.status_code == 200
    assert response.context["publication"].pk is None  # pre-filled, nothing written
    assert not Publication.objects.exists()


@pytest.mark.parametrize("role", ["rssi", "dgs", "chef", "agent", "comite"])
def test_other_members_are_refused(client_for, users, decision, role):
    client = client_for(users[role])
    assert client.get(reverse("transparency:overview")).status_code == 403
    assert client.get(edit_url(decision)).status_code == 403
    assert client.post(edit_url(decision), form_data()).status_code == 403
    withdraw = reverse("transparency:withdraw", kwargs={"pk": decision.pk})
    assert client.post(withdraw, {"reason": "x"}).status_code == 403
    assert not Publication.objects.exists()


def test_outsider_gets_404(client_for, outsider, decision):
    client = client_for(outsider)
    assert client.get(edit_url(decision)).status_code == 404
    assert client.post(edit_url(decision), form_data()).status_code == 404
    assert client.post(reverse("transparency:withdraw", kwargs={"pk": decision.pk}), {"reason": "x"}).status_code == 404
    assert not Publication.objects.exists()


def test_anonymous_goes_to_login(client, decision):
    for url in (reverse("transparency:overview"), edit_url(decision)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# --- Publish, update, withdraw through the forms -------------------------------------------------------------


def test_edit_page_prefills_and_locks_the_l312_fields(client_for, users, decision):
    response = client_for(users["dpo"]).get(edit_url(decision))
    body = response.content.decode()
    form = response.context["form"]
    assert form["human_intervention"].value() == decision.human_oversight  # internal text, to rewrite
    assert form.locked == L312_FIELD_CODES
    for code in L312_FIELD_CODES:
        assert f'value="{code}" id="field-{code}" checked disabled' in body
    assert 'name="crpa_mention"' in body
    assert "data-required-by-law" in body


def test_crpa_mention_only_when_required(client_for, users, use_case):
    submitted(use_case)
    response = client_for(users["dpo"]).get(edit_url(use_case))
    assert "crpa_mention" not in response.context["form"].fields
    assert "disabled aria-describedby" not in response.content.decode()


def test_publish_through_the_form(client_for, users, decision, client):
    dpo = client_for(users["dpo"])
    response = dpo.post(edit_url(decision), form_data(fields=["service"]))

    assert response.status_code == 302
    publication = Publication.objects.get()
    assert publication.state == PublicationState.PUBLISHED
    # The disabled (locked) checkboxes were not sent: the law keeps them published.
    assert set(publication.fields) >= L312_FIELD_CODES and "service" in publication.fields
    assert "hosting" not in publication.fields
    assert publication.content["human_intervention"] == PUBLIC_WORDING["human_intervention"]
    public = client.get(reverse("public:entry", kwargs={"slug": "bellerive", "reference": decision.reference}))
    assert public.status_code == 200 and escape(PUBLIC_WORDING["name"]) in public.content.decode()
    page = dpo.get(edit_url(decision))
    assert "data-public-link" in page.content.decode()
    assert [e.kind for e in page.context["events"]] == [PublicationEvent.Kind.PUBLISHED]


def test_save_draft_then_update_the_public_record(client_for, users, decision):
    dpo = client_for(users["dpo"])
    assert dpo.post(edit_url(decision), form_data(action="save")).status_code == 302
    publication = Publication.objects.get()
    assert publication.state == PublicationState.DRAFT and publication.content == {}

    assert dpo.post(edit_url(decision), form_data(publication.version)).status_code == 302
    publication.refresh_from_db()
    assert publication.state == PublicationState.PUBLISHED

    response = dpo.post(edit_url(decision), form_data(publication.version, summary="Un résumé plus clair."))
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.content["summary"] == "Un résumé plus clair."
    kinds = list(publication.events.values_list("kind", flat=True))
    assert kinds == ["republished", "published", "saved"]


def test_out_of_date_warning(client_for, users, decision):
    publication = published(decision, users["dpo"], crpa_mention=PUBLIC_WORDING["crpa_mention"])
    registry_services.use_case_update(
        use_case=decision,
        acting_user=users["dpo"],
        data={"technique": "ml_predictive"},
        expected_version=decision.version,
    )
    assert Publication.objects.get(pk=publication.pk).out_of_date
    body = client_for(users["dpo"]).get(edit_url(decision)).content.decode()
    assert "data-out-of-date" in body


def test_incomplete_publication_is_400_and_keeps_the_text(client_for, users, decision):
    response = client_for(users["dpo"]).post(
        edit_url(decision), form_data(human_intervention="", summary="Mon résumé tapé", crpa_mention="")
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) >= {"human_intervention", "crpa_mention"}
    assert form["summary"].value() == "Mon résumé tapé"
    assert "Mon résumé tapé" in response.content.decode()
    assert not Publication.objects.exists()  # nothing half-written


def test_too_long_and_unknown_values_are_400(client_for, users, decision):
    dpo = client_for(users["dpo"])
    response = dpo.post(edit_url(decision), form_data(name="x" * 300, dpia_status="bogus", fields=["nope"]))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "dpia_status", "published_fields"}
    assert not Publication.objects.exists()


def test_unpublishable_use_case_is_409(client_for, users, use_case):
    response = client_for(users["dpo"]).post(edit_url(use_case), form_data())  # still a draft
    assert response.status_code == 409
    assert response.context["form"].non_field_errors()
    assert response.context["form"]["name"].value() == PUBLIC_WORDING["name"]


def test_concurrent_edit_is_409_and_keeps_the_text(client_for, users, decision):
    dpo, admin = client_for(users["dpo"]), client_for(users["admin"])
    dpo.post(edit_url(decision), form_data(action="save"))
    version = Publication.objects.get().version
    assert admin.post(edit_url(decision), form_data(version, action="save", summary="Par l'admin")).status_code == 302

    response = dpo.post(edit_url(decision), form_data(version, summary="Par le DPO"))

    assert response.status_code == 409
    assert response.context["conflict"]
    assert response.context["form"]["summary"].value() == "Par le DPO"
    publication = Publication.objects.get()
    assert publication.summary == "Par l'admin" and publication.state == PublicationState.DRAFT


def test_withdraw_through_the_form(client_for, users, decision, client):
    publication = published(decision, users["dpo"], crpa_mention=PUBLIC_WORDING["crpa_mention"])
    dpo = client_for(users["dpo"])
    url = reverse("transparency:withdraw", kwargs={"pk": decision.pk})

    missing_reason = dpo.post(url, {"reason": "  ", "version": publication.version})
    assert missing_reason.status_code == 400
    assert missing_reason.context["withdraw_form"].errors["reason"]
    stale = dpo.post(url, {"reason": "Abandon", "version": publication.version - 1})
    assert stale.status_code == 409
    assert stale.context["withdraw_form"]["reason"].value() == "Abandon"

    assert dpo.post(url, {"reason": "Outil abandonné", "version": publication.version}).status_code == 302
    publication.refresh_from_db()
    assert publication.state == PublicationState.WITHDRAWN and publication.withdrawal_reason == "Outil abandonné"
    public = client.get(reverse("public:entry", kwargs={"slug": "bellerive", "reference": decision.reference}))
    assert public.status_code == 410
    again = dpo.post(url, {"reason": "Encore", "version": publication.version})
    assert again.status_code == 409  # not in the register any more


def test_withdraw_is_post_only(client_for, users, decision):
    assert client_for(users["dpo"]).get(reverse("transparency:withdraw", kwargs={"pk": decision.pk})).status_code == 405


# --- Overview ------------------------------------------------------------------------------------------------


def test_overview_sections(client_for, users, decision, collectivite, services):
    draft = UseCaseFactory(collectivite=collectivite, service=services["logement"], status="submitted")
    publication_services.publication_save(use_case=draft, acting_user=users["dpo"], data={"name": "Projet"})
    public = UseCaseFactory(collectivite=collectivite, service=services["logement"], status="submitted")
    published(public, users["dpo"], legal_basis="CGCT")

    response = client_for(users["dpo"]).get(reverse("transparency:overview"))

    body = response.content.decode()
    assert [u.pk for u in response.context["required_missing"]] == [decision.pk]
    assert [p.use_case_id for p in response.context["drafts"]] == [draft.pk]
    assert [p.use_case_id for p in response.context["published"]] == [public.pk]
    assert edit_url(decision) in body and edit_url(draft) in body
    assert reverse("public:entry", kwargs={"slug": "bellerive", "reference": public.reference}) in body


def test_overview_query_count(client_for, users, collectivite, services, django_assert_max_num_queries):
    dpo = client_for(users["dpo"])
    for _n in range(8):
        use_case = UseCaseFactory(collectivite=collectivite, service=services["logement"], status="submitted")
        published(use_case, users["dpo"], legal_basis="CGCT")
    dpo.get(reverse("transparency:overview"))
    with django_assert_max_num_queries(8):
        assert dpo.get(reverse("transparency:overview")).status_code == 200


def test_edit_page_query_count(client_for, users, decision, django_assert_max_num_queries):
    publication = published(decision, users["dpo"], crpa_mention=PUBLIC_WORDING["crpa_mention"])
    for n in range(5):
        publication_services.publication_save(
            use_case=decision,
            acting_user=users["dpo"],
            data={"summary": f"Version {n}"},
            expected_version=Publication.objects.get(pk=publication.pk).version,
        )
    dpo = client_for(users["dpo"])
    dpo.get(edit_url(decision))
    with django_assert_max_num_queries(10):
        assert dpo.get(edit_url(decision)).status_code == 200


# --- The panel of the use case page --------------------------------------------------------------------------


def render_panel(use_case, user):
    request = RequestFactory().get("/")
    request.user = user
    context = Context({"use_case": use_case, "request": request, "access": get_access(user, use_case.collectivite)})
    return Template("{% load transparency_tags %}{% publication_panel use_case %}").render(context)


def test_panel_states(users, decision, django_assert_max_num_queries):
    get_access(users["dpo"], decision.collectivite)
    with django_assert_max_num_queries(1):
        html = render_panel(decision, users["dpo"])
    assert 'data-publication-panel="none"' in html and "data-required-missing" in html
    assert edit_url(decision) in html

    published(decision, users["dpo"], crpa_mention=PUBLIC_WORDING["crpa_mention"])
    html = render_panel(decision, users["dpo"])
    assert 'data-publication-panel="published"' in html and "data-required-missing" not in html
    assert reverse("public:entry", kwargs={"slug": "bellerive", "reference": decision.reference}) in html

    html = render_panel(decision, users["rssi"])
    assert 'data-publication-panel="published"' in html and edit_url(decision) not in html

    publication_services.publication_withdraw(use_case=decision, acting_user=users["dpo"], reason="x")
    html = render_panel(decision, users["dpo"])
    assert 'data-publication-panel="withdrawn"' in html and "data-required-missing" in html
