"""The demo's second collectivité, its intercommunality and the DPO they share (`seed_demo`, issue 9): loaded once
for the module, Bellerive's demo left as it was."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from core.middleware import SESSION_KEY
from core.roles import Role
from demo import register as demo
from registry.choices import UseCaseStatus
from registry.models import Collectivite, Membership, UseCase, User
from reporting import consolidated

pytestmark = [pytest.mark.django_db]
PASSWORD = "mot-de-passe-demo"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once, in a transaction rolled back after the module (as `TestTheLoadedDemo`)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = StringIO()
            with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
                call_command("seed_demo", password=PASSWORD, stdout=out)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield out.getvalue()
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def get(slug) -> Collectivite:
    return Collectivite.objects.get(slug=slug)


def test_the_intercommunality_and_a_small_member_commune_exist(seeded):
    structure, commune = get(demo.STRUCTURE["slug"]), get(demo.SECOND_COMMUNE["slug"])
    bellerive = get(demo.COLLECTIVITE["slug"])

    assert structure.kind == "epci" and structure.name == "Communauté de communes du Val de Bellerive"
    # Under the CRPA L312-1-3 threshold, unlike Bellerive: no use case requires a public record there
    assert commune.agents_count <= 50 < bellerive.agents_count
    assert not commune.use_cases.filter(public_register_required=True).exists()
    assert commune.primary_colour != bellerive.primary_colour
    structure.full_clean()
    commune.full_clean()


def test_the_commune_has_its_own_register_made_through_the_services(seeded):
    commune = get(demo.SECOND_COMMUNE["slug"])

    statuses = set(commune.use_cases.values_list("status", flat=True))
    assert {UseCaseStatus.IN_PRODUCTION, UseCaseStatus.IN_REVIEW, UseCaseStatus.DRAFT} <= statuses
    live = commune.use_cases.get(status=UseCaseStatus.IN_PRODUCTION)
    assert live.events.filter(kind="submitted").exists() and live.reviews.get().decision == "approved"
    assert live.checkpoints.filter(attestations__isnull=False).exists()
    assert commune.services.count() == len(demo.SECOND_COMMUNE_SERVICES)
    assert commune.declarations.count() == len(demo.SECOND_COMMUNE_DECLARATIONS)


def test_the_shared_dpo_is_dpo_in_the_structure_bellerive_and_the_commune_and_is_printed(seeded):
    dpo = User.objects.get(username=demo.SHARED_DPO)

    assert dpo.check_password(PASSWORD)
    held = set(Membership.objects.filter(user=dpo).values_list("collectivite__slug", "role"))
    assert held == {
        (demo.STRUCTURE["slug"], Role.DPO),
        (demo.STRUCTURE["slug"], Role.ADMIN),
        (demo.COLLECTIVITE["slug"], Role.DPO),
        (demo.SECOND_COMMUNE["slug"], Role.DPO),
    }
    assert demo.SHARED_DPO in seeded and demo.SECOND_COMMUNE["name"] in seeded


def test_bellerive_s_demo_people_keep_their_single_collectivite(seeded):
    for username in demo.ROLE_USERNAMES:
        assert set(Membership.objects.filter(user__username=username).values_list("collectivite__slug", flat=True)) == {
            demo.COLLECTIVITE["slug"]
        }


def test_the_shared_dpo_s_overview_has_a_row_per_collectivite(seeded):
    rows = {
        row.collectivite.slug: row for row in consolidated.overview_rows(User.objects.get(username="dpo.mutualise"))
    }

    assert set(rows) == {demo.STRUCTURE["slug"], demo.COLLECTIVITE["slug"], demo.SECOND_COMMUNE["slug"]}
    commune = rows[demo.SECOND_COMMUNE["slug"]]
    assert (commune.in_register, commune.live, commune.declarations_waiting) == (4, 1, 2)
    assert rows[demo.COLLECTIVITE["slug"]].in_register > commune.in_register


def test_switching_to_the_commune_shows_only_its_register(seeded):
    client = Client()
    client.force_login(User.objects.get(username=demo.SHARED_DPO))
    commune = get(demo.SECOND_COMMUNE["slug"])

    response = client.post(reverse("registry:collectivite_switch"), {"collectivite": commune.pk})
    page = client.get(reverse("registry:use_case_list"))

    assert response.status_code == 302 and client.session[SESSION_KEY] == commune.pk
    shown = {use_case.pk for use_case in page.context["use_cases"]}
    assert shown == set(UseCase.objects.filter(collectivite=commune).values_list("pk", flat=True))


def test_a_second_run_creates_nothing(seeded):
    before = (Collectivite.objects.count(), UseCase.objects.count(), Membership.objects.count(), User.objects.count())

    call_command("seed_demo", password=PASSWORD, stdout=StringIO())

    assert (
        Collectivite.objects.count(),
        UseCase.objects.count(),
        Membership.objects.count(),
        User.objects.count(),
    ) == before
