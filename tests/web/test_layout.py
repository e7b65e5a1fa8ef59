"""The page shell: login, the collectivité's identity, the menu per role, language, switching collectivité."""

import re
from html import unescape

import pytest
from django.urls import reverse

from core.middleware import SESSION_KEY
from core.roles import Role
from registry.choices import Civility
from tests.registry.factories import CollectiviteFactory, MembershipFactory, UserFactory

from .helpers import fr

LIST_URL = reverse("registry:use_case_list")


@pytest.mark.django_db
def test_login_page_is_french_and_accessible(client):
    response = client.get(reverse("login"))

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert f"<title>{fr('Log in')} — Registre IA</title>" in html
    assert 'for="id_username"' in html and 'for="id_password"' in html
    assert 'autocomplete="current-password"' in html
    assert "Nom d'utilisateur" in html  # the label, with the one apostrophe of the app (Django writes ’)


@pytest.mark.django_db
def test_login_with_a_wrong_password_says_so_clearly(client, users):
    response = client.post(reverse("login"), {"username": "dpo", "password": "pas le bon"})

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert "Saisissez un nom d'utilisateur et un mot de passe valides" in html
    assert 'aria-invalid="true"' in html


@pytest.mark.django_db
def test_login_then_lands_on_the_dashboard(client, users):
    response = client.post(reverse("login"), {"username": "dpo", "password": "motdepasse-test"})

    assert response.status_code == 302
    assert response["Location"] == reverse("registry:home")


@pytest.mark.django_db
def test_logout_is_a_post_form(users, client_for):
    client = client_for(users["agent"])
    html = unescape(client.get(LIST_URL).content.decode())

    assert re.search(
        rf'<form method="post" action="{reverse("logout")}">\s*<input type="hidden" name="csrfmiddlewaretoken"', html
    )
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(LIST_URL).status_code == 302


@pytest.mark.django_db
def test_pages_carry_the_collectivites_identity_not_the_states(collectivite, users, client_for):
    # given the collectivité's own colour
    collectivite.primary_colour = "#ffcc00"
    collectivite.save()

    html = unescape(client_for(users["agent"]).get(LIST_URL).content.decode())

    # then the name and colour are the collectivité's, with a readable text colour on it
    assert "Ville de Bellerive" in html
    assert f"<title>{fr('AI use register')} — Registre IA — Ville de Bellerive</title>" in html
    assert '<meta name="registre-theme" data-primary="#ffcc00" data-on-primary="#000000"' in html
    # and nothing of the State's brand (DSFR, Marianne, "République française")
    lowered = html.lower()
    for forbidden in ("dsfr", "marianne", "république française", "republique francaise"):
        assert forbidden not in lowered


@pytest.mark.django_db
def test_pages_have_a_skip_link_a_main_landmark_and_a_labelled_menu(users, client_for):
    html = unescape(client_for(users["agent"]).get(LIST_URL).content.decode())

    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert f'<nav class="registre-nav" aria-label="{fr("Main menu")}">' in html
    assert 'aria-current="page"' in html
    assert html.count("<h1") == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "roles_label", "may_create", "api_docs"),
    [
        ("agent", "Agent", True, False),
        ("chef", "Head of service", True, False),
        ("dpo", "Data protection officer (DPO)", True, True),
        ("rssi", "Information security officer (RSSI)", True, True),
        ("comite", "Ethics committee member", False, False),
        ("dgs", "Director general of services (DGS)", False, False),
        ("admin", "Administrator", True, True),
    ],
)
def test_the_menu_and_user_area_follow_the_role(role, roles_label, may_create, api_docs, users, client_for):
    html = unescape(client_for(users[role]).get(LIST_URL).content.decode())

    assert fr(roles_label) in html
    assert str(users[role]) in html
    assert (reverse("registry:use_case_create") in html) is may_create
    assert (reverse("api-docs") in html) is api_docs
    assert reverse("registry:tool_list") in html
    assert reverse("admin:index") not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, civility, shown",
    [
        ("dpo", Civility.MADAME, "Déléguée à la protection des données (DPO)"),
        ("dpo", Civility.MONSIEUR, "Délégué à la protection des données (DPO)"),
        ("dgs", Civility.MADAME, "Directrice générale des services (DGS)"),
        ("chef", Civility.MADAME, "Cheffe de service"),
        ("chef", "", "Chef de service"),  # form of address not stated: the role's own label
    ],
)
def test_the_role_next_to_the_name_agrees_with_the_person(role, civility, shown, users, client_for):
    # given a person whose form of address is recorded (or not)
    person = users[role]
    person.civility = civility
    person.save(update_fields=["civility"])

    # then the top bar names their role in their form (the title is the role's, in the person's form)
    html = unescape(client_for(person).get(LIST_URL).content.decode())
    assert f'{person}</span><span class="text-body-secondary"> — {shown}</span>' in html


@pytest.mark.django_db
def test_the_footer_names_the_data_protection_contact_without_a_gendered_title(collectivite, users, client_for):
    # The DPO's name in the settings is text: its title cannot agree with it, so the footer names the function.
    collectivite.dpo_name, collectivite.dpo_email = "Claire Dumont", "dpo@example.org"
    collectivite.save(update_fields=["dpo_name", "dpo_email"])

    html = unescape(client_for(users["agent"]).get(LIST_URL).content.decode())

    assert "Contact pour la protection des données\u202f: <a" in html
    assert "Délégué à la protection des données\u202f: <a" not in html


@pytest.mark.django_db
def test_staff_see_the_administration_link(users, client_for):
    users["admin"].is_staff = True
    users["admin"].save()

    html = unescape(client_for(users["admin"]).get(LIST_URL).content.decode())

    assert reverse("admin:index") in html


@pytest.mark.django_db
def test_a_user_without_any_role_gets_a_403_that_explains_it(client_for):
    # given an account with no membership anywhere
    nobody = UserFactory(username="sans-role")

    for url in (LIST_URL, reverse("registry:tool_list"), reverse("registry:use_case_detail", args=[1])):
        response = client_for(nobody).get(url)
        assert response.status_code == 403
        assert fr("You have no role in the register") in unescape(response.content.decode())


@pytest.mark.django_db
def test_language_switcher_posts_to_set_language(users, client_for):
    client = client_for(users["agent"])
    html = unescape(client.get(LIST_URL).content.decode())

    assert f'action="{reverse("set_language")}" method="post"' in html
    assert 'name="language" value="en" lang="en"' in html
    response = client.post(reverse("set_language"), {"language": "en", "next": LIST_URL})
    assert response.status_code == 302
    english = unescape(client.get(LIST_URL).content.decode())
    assert '<html lang="en">' in english
    assert "AI use register" in english


@pytest.mark.django_db
def test_the_switcher_appears_only_with_several_collectivites(collectivite, other_collectivite, users, client_for):
    # given the DPO is also DPO of the commune next door
    dpo = users["dpo"]
    client = client_for(dpo)
    assert 'name="collectivite"' not in client.get(LIST_URL).content.decode()
    MembershipFactory(user=dpo, collectivite=other_collectivite, role=Role.DPO)

    html = unescape(client.get(LIST_URL).content.decode())

    assert 'name="collectivite"' in html
    assert f'<option value="{other_collectivite.pk}">Commune voisine</option>' in html


@pytest.mark.django_db
def test_switching_collectivite_changes_what_the_register_shows(register, other_collectivite, users, client_for):
    dpo = users["dpo"]
    MembershipFactory(user=dpo, collectivite=other_collectivite, role=Role.DPO)
    client = client_for(dpo)

    response = client.post(reverse("registry:collectivite_switch"), {"collectivite": other_collectivite.pk})

    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert client.session[SESSION_KEY] == other_collectivite.pk
    html = unescape(client.get(LIST_URL).content.decode())
    assert register["neighbour"].reference in html
    assert register["ccas_draft"].reference not in html
    assert "Commune voisine" in html


@pytest.mark.django_db
def test_switching_to_a_collectivite_without_a_role_there_is_refused(register, users, client_for):
    stranger = CollectiviteFactory(name="Ville inconnue", slug="inconnue")
    client = client_for(users["dpo"])

    for value in (stranger.pk, register["neighbour"].collectivite_id, "abc", ""):
        response = client.post(reverse("registry:collectivite_switch"), {"collectivite": value})
        assert response.status_code == 403
        assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_switching_collectivite_requires_post_and_login(client, users, client_for):
    assert client.post(reverse("registry:collectivite_switch"), {"collectivite": 1}).status_code == 302
    assert client_for(users["dpo"]).get(reverse("registry:collectivite_switch")).status_code == 405


@pytest.mark.django_db
def test_an_unknown_page_is_a_french_404_for_visitors_too(client):
    response = client.get("/nulle-part/")

    html = unescape(response.content.decode())
    assert response.status_code == 404
    assert f"<title>{fr('Page not found')} — Registre IA</title>" in html
    assert '<html lang="fr">' in html
