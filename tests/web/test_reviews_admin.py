"""The collectivité's re-review policy (months between an approval and the next review, by AI Act risk level),
set in the Django admin while the collectivité has no settings page of its own."""

from html import unescape

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from tests.registry import reviews_support as rs
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def change_url(collectivite) -> str:
    return reverse("admin:registry_collectivite_change", args=[collectivite.pk])


def test_the_policy_is_a_group_of_its_own_and_every_other_field_is_still_there(collectivite, superuser_client):
    from registry.models import Collectivite

    html = unescape(superuser_client.get(change_url(collectivite)).content.decode())

    policy = html[html.index('name="review_months_high"') - 2000 :]
    assert "<fieldset" in html
    for name in ("review_months_high", "review_months_limited", "review_months_minimal"):
        assert f'name="{name}"' in policy
    editable = [f.name for f in Collectivite._meta.get_fields() if getattr(f, "editable", False) and f.concrete]
    for name in editable:
        if name != "id":
            assert f'name="{name}"' in html, name


def test_a_new_policy_sets_the_next_review_date_of_the_next_approval(collectivite, use_case, users, superuser_client):
    # given the admin sets minimal-risk uses to be reviewed every 6 months
    response = superuser_client.get(change_url(collectivite))
    form = response.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "logo"}
    data.update(review_months_minimal=6)

    response = superuser_client.post(change_url(collectivite), data)

    collectivite.refresh_from_db()
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert collectivite.review_months_minimal == 6
    # when a minimal-risk use case is approved
    rs.both_opinions(rs.submit(use_case), users)
    use_case.refresh_from_db()
    # then its next review is 6 months after today
    assert use_case.ai_act_risk == "minimal"
    assert use_case.next_review_on == timezone.localdate() + relativedelta(months=6)


def test_the_policy_is_bounded(collectivite, superuser_client):
    response = superuser_client.get(change_url(collectivite))
    form = response.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "logo"}
    data.update(review_months_high=0)

    response = superuser_client.post(change_url(collectivite), data)

    collectivite.refresh_from_db()
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["review_months_high"]
    assert collectivite.review_months_high == 12
