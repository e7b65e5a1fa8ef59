"""Every figure of every demo dashboard equals the list it links to (issue 17), the demo loaded once for the module.

In a module of its own: the demo is loaded in a transaction that lasts as long as the module's tests, so the tests of
the small register (test_dashboard_figures.py) must not run inside it."""

from __future__ import annotations

import re
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from registry.models import User
from tests.web.test_dashboard_figures import HOME, REGISTER_FIGURES, figure_links, names, walk

# The demo ----------------------------------------------------------------------------------------------------------
PASSWORD = "mot-de-passe-demo"
DEMO_PEOPLE = (
    "dpo",
    "rssi",
    "dgs",
    "admin",
    "chef",
    "agent",
    "comite",
    "sg.saint-aubin",
    "tech.saint-aubin",
    "agent.saint-aubin",
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for the module, in a transaction rolled back after it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
                call_command("seed_demo", password=PASSWORD, stdout=StringIO())
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def client_of(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("username", DEMO_PEOPLE)
def test_every_figure_of_the_demo_dashboards_equals_the_list_it_opens(demo, username):
    # given the demo as the person sees it, with the cache as configured in production (DASHBOARD_CACHE_SECONDS)
    client = client_of(username)

    # when every figure's link is followed, then it opens exactly the rows it counts
    assert names(client), "the demo gives every person something to count"
    assert walk(client) == []


@pytest.mark.django_db
@pytest.mark.parametrize("username", ("dpo", "dgs", "chef"))
def test_the_demo_register_figures_are_all_links_and_not_trivial(demo, username):
    client = client_of(username)
    html = unescape(client.get(HOME).content.decode())
    shown = set(re.findall(r'data-figure="([^"]+)"', html))
    links = {link["data-figure-link"]: link for link in figure_links(html)}

    # every figure shown opens its list, and the demo gives them numbers to check
    assert shown <= set(links) and set(links) >= REGISTER_FIGURES
    assert int(links["in_register"]["data-count"]) > int(links["live"]["data-count"]) > 0
    assert int(links["in_review"]["data-count"]) > 0
