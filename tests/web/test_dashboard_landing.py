"""Every page a person lands on is theirs (issue 17): after signing in, each person opens their dashboard, not the
register; a page asked for before signing in still wins; the dashboard is the main menu's first entry."""

import re
from html import unescape

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from .helpers import fr

HOME = reverse("registry:home")


def menu(html: str) -> str:
    return re.search(r'<nav class="registre-nav".*?</nav>', html, re.S).group(0)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ("agent", "chef", "dpo", "dgs", "comite"))
def test_signing_in_opens_the_persons_dashboard(role, client, users):
    response = client.post(reverse("login"), {"username": role, "password": "motdepasse-test"}, follow=True)

    assert response.redirect_chain == [(HOME, 302)]
    assert response.templates[0].name == "registry/dashboard.html"
    # the single sign-on lands where a password sign-in does (sso.views, tests/sso/test_provider_flow.py)
    assert resolve_url(settings.LOGIN_REDIRECT_URL) == HOME


@pytest.mark.django_db
def test_the_page_asked_for_before_signing_in_still_opens_after(client, users):
    wanted = reverse("audits:my_checkpoints")
    assert client.get(wanted)["Location"] == f"{reverse('login')}?next={wanted}"

    response = client.post(
        f"{reverse('login')}?next={wanted}", {"username": "agent", "password": "motdepasse-test", "next": wanted}
    )

    assert response["Location"] == wanted


@pytest.mark.django_db
def test_the_dashboard_is_the_first_entry_of_the_menu_and_says_when_it_is_open(users, client_for):
    client = client_for(users["agent"])

    on_dashboard = menu(unescape(client.get(HOME).content.decode()))
    first = re.search(r"<a\b[^>]*>(.*?)</a>", on_dashboard, re.S)
    assert first.group(1).strip() == fr("Dashboard") == "Tableau de bord"
    assert f'href="{HOME}"' in first.group(0) and 'aria-current="page"' in first.group(0)

    on_register = menu(unescape(client.get(reverse("registry:use_case_list")).content.decode()))
    dashboard_entry = re.search(r'<a\b[^>]*data-menu="dashboard"[^>]*>', on_register).group(0)
    assert "aria-current" not in dashboard_entry
