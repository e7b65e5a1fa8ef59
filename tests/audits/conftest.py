"""Fixtures of the serious-incident tests (tests/audits/incidents_support.py builds them)."""

import pytest

from tests.audits.incidents_support import make_high_risk, make_limited, make_owner


@pytest.fixture
def owner(collectivite, services):
    return make_owner(collectivite, services)


@pytest.fixture
def high_risk(collectivite, services, owner):
    return make_high_risk(collectivite, services, owner)


@pytest.fixture
def limited(collectivite, services, owner):
    return make_limited(collectivite, services, owner)
