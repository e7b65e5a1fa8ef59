"""The register's list says where each required AIDF stands, in one query for the page."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.fria.factories import high_risk_use_case, notified_fria, written_fria

pytestmark = pytest.mark.django_db
LIST_URL = reverse("registry:use_case_list")


def state(text: str) -> str:
    with translation.override("fr"):
        return translation.pgettext("register: AIDF state", text)


def obligations_of(html: str, use_case) -> str:
    return re.search(rf'<tr data-reference="{use_case.reference}">(.*?)</tr>', html, re.S).group(1)


def test_each_row_says_where_its_aidf_stands(scoring, owner, users, collectivite, services, tool, client_for):
    # given three use cases requiring an AIDF: none started, one being written, one notified
    written = high_risk_use_case(collectivite=collectivite, service=services["ccas"], owner=owner, tool=tool)
    notified = high_risk_use_case(collectivite=collectivite, service=services["ccas"], owner=owner, tool=tool)
    written_fria(written, owner)
    notified_fria(notified, owner, users["dpo"])

    html = unescape(client_for(users["dpo"]).get(LIST_URL).content.decode())

    # then the DPO reads on the register what is still to do

    assert state("AIDF to carry out") in obligations_of(html, scoring)
    assert state("AIDF being written") in obligations_of(html, written)
    assert state("AIDF notified") in obligations_of(html, notified)


def test_the_aidf_states_cost_one_query_whatever_the_number_of_rows(
    scoring, owner, users, collectivite, services, tool, client_for
):
    client = client_for(users["dpo"])
    client.get(LIST_URL)  # warms the caches a first request fills
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST_URL).status_code == 200
        counts.append(len(queries))
        for _ in range(3):
            use_case = high_risk_use_case(collectivite=collectivite, service=services["ccas"], owner=owner, tool=tool)
            written_fria(use_case, owner)
    assert counts[0] == counts[1]
