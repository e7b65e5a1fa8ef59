"""Where an account comes from, in the admin: its identities at the provider, and which roles the provider granted
(those a sign-in keeps in line with the claim) and which an administrator gave."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from core.roles import Role
from sso.models import OidcIdentity, OidcRoleGrant
from tests.registry.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def test_the_account_page_shows_its_identities_and_who_granted_each_role(client, root, collectivite):
    claire = UserFactory(username="claire")
    identity = OidcIdentity.objects.create(user=claire, issuer="https://idp.bellerive.test", subject="sub-42")
    OidcRoleGrant.objects.create(
        identity=identity, membership=MembershipFactory(user=claire, collectivite=collectivite, role=Role.DPO)
    )
    MembershipFactory(user=claire, collectivite=collectivite, role=Role.RSSI)

    html = client.get(reverse("admin:registry_user_change", args=[claire.pk])).content.decode()

    assert "sub-42" in html and "https://idp.bellerive.test" in html
    # The rows of the two memberships (the empty row for adding one says "-").
    granted_by = [cell for cell in re.findall(r'<td class="field-granted_by">\s*<p>([^<]*)</p>', html) if cell != "-"]
    assert sorted(granted_by) == sorted([escape(gettext("identity provider")), escape(gettext("administrator"))])


def test_the_identities_list_costs_a_fixed_number_of_queries(client, root, django_assert_max_num_queries):
    for number in range(20):
        OidcIdentity.objects.create(user=UserFactory(username=f"u{number}"), issuer="https://idp", subject=f"s{number}")

    with django_assert_max_num_queries(8):
        response = client.get(reverse("admin:sso_oidcidentity_changelist"))

    assert response.status_code == 200 and "s19" in response.content.decode()


def test_identities_are_not_added_or_changed_by_hand(client, root):
    identity = OidcIdentity.objects.create(user=UserFactory(username="claire"), issuer="https://idp", subject="s")

    assert client.get(reverse("admin:sso_oidcidentity_add")).status_code == 403
    page = client.get(reverse("admin:sso_oidcidentity_change", args=[identity.pk])).content.decode()
    assert 'name="subject"' not in page  # shown, not editable
    client.post(reverse("admin:sso_oidcidentity_change", args=[identity.pk]), {"subject": "other"})
    identity.refresh_from_db()
    assert identity.subject == "s"
