"""`manage.py seed_demo`: an idempotent demo collectivité where every role has something to see."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from registry import demo, selectors, services
from registry.choices import AiActRisk, RgpdSensitivity, Role, UseCaseStatus
from registry.models import Collectivite, Membership, Service, Tool, UseCase, UseCaseEvent, User
from registry.permissions import get_access

pytestmark = pytest.mark.django_db

EXPECTED_ROLES = {
    "agent": Role.AGENT,
    "chef": Role.HEAD_OF_SERVICE,
    "dpo": Role.DPO,
    "rssi": Role.RSSI,
    "comite": Role.ETHICS_COMMITTEE,
    "dgs": Role.DGS,
    "admin": Role.ADMIN,
}


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Collectivite, Service, User, Membership, Tool, UseCase, UseCaseEvent, UseCase.history.model)
    }


@pytest.fixture
def seeded():
    seed(password="mot-de-passe-demo")
    return Collectivite.objects.get(slug=demo.COLLECTIVITE["slug"])


def visible_to(username: str, collectivite) -> list[UseCase]:
    user = User.objects.get(username=username)
    return list(selectors.use_case_list(user, get_access(user, collectivite)))


def test_running_twice_creates_nothing_new(seeded):
    # Given the demo loaded once
    before = counts()

    # When it is loaded again
    seed(password="mot-de-passe-demo")

    # Then nothing was added
    assert counts() == before


def test_the_demo_collectivite_is_a_town_of_about_30000_inhabitants(seeded):
    assert seeded.name == "Ville de Bellerive-sur-Loire"
    assert 25_000 <= seeded.population <= 35_000
    assert 500 <= seeded.agents_count <= 700
    assert seeded.dpo_email.endswith("example.org") and seeded.rssi_email.endswith("example.org")
    seeded.full_clean()  # the SIREN passes the Luhn check
    assert seeded.services.count() >= 12
    assert seeded.services.filter(parent__isnull=False).exists()


def test_every_demo_username_holds_its_role(seeded):
    for username, role in EXPECTED_ROLES.items():
        user = User.objects.get(username=username)
        assert user.check_password("mot-de-passe-demo")
        assert user.get_full_name() and user.job_title
        assert Membership.objects.filter(user=user, collectivite=seeded, role=role).exists(), username
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert User.objects.get(username="agent").memberships.get().service.code == "CCAS"


def test_the_catalogue_has_every_tool_status(seeded):
    statuses = set(seeded.tools.values_list("status", flat=True))
    assert statuses == {"approved", "restricted", "under_review", "prohibited"}
    assert seeded.tools.count() >= 12


def test_use_cases_cover_every_classification_outcome_and_status(seeded):
    use_cases = UseCase.objects.filter(collectivite=seeded)
    assert use_cases.count() >= 20
    assert set(use_cases.values_list("ai_act_risk", flat=True)) == set(AiActRisk.values)
    assert set(use_cases.values_list("rgpd_sensitivity", flat=True)) == set(RgpdSensitivity.values)
    assert use_cases.filter(blocked=True).exists()
    for flag in ("dpia_required", "fria_required", "crpa_mention_required", "public_register_required"):
        assert use_cases.filter(**{flag: True}).exists(), flag
    assert use_cases.filter(ai_act_risk=AiActRisk.HIGH, annex_iii_point="2", fria_required=False).exists()
    assert use_cases.filter(annex_iii_point__gt="", art6_3_ground__gt="", ai_act_risk=AiActRisk.MINIMAL).exists()
    assert use_cases.get(ai_act_risk=AiActRisk.PROHIBITED).status == UseCaseStatus.REJECTED
    assert set(use_cases.values_list("status", flat=True)) == set(UseCaseStatus.values)


def test_some_use_cases_have_an_edit_history(seeded):
    edited = UseCase.objects.filter(collectivite=seeded, events__kind=UseCaseEvent.Kind.UPDATED).distinct()
    assert edited.count() >= 3
    history = selectors.use_case_history(edited.first())
    assert any(entry["changes"] for entry in history)


def test_the_ccas_agent_sees_their_service_uses_and_their_own(seeded):
    visible = visible_to("agent", seeded)

    assert len(visible) >= 3
    assert sum(1 for uc in visible if uc.owner.username == "agent") >= 1
    live = [uc for uc in visible if uc.service.code == "CCAS" and uc.status in ("approved", "in_production")]
    live += [uc for uc in visible if uc.service.code == "CCAS" and uc.status == "approved_with_conditions"]
    assert len(live) >= 2


def test_the_head_of_solidarities_sees_the_whole_direction(seeded):
    codes = {uc.service.code for uc in visible_to("chef", seeded)}
    assert {"CCAS", "LOG"} <= codes
    assert codes <= {"DSOL", "CCAS", "LOG"}


def test_the_ethics_committee_sees_submitted_uses_needing_review(seeded):
    visible = visible_to("comite", seeded)
    assert any(uc.status == UseCaseStatus.SUBMITTED and uc.ethics_review_required for uc in visible)
    assert all(uc.status != UseCaseStatus.DRAFT for uc in visible)


def test_it_refuses_to_run_without_password_outside_development(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--password"):
        seed()

    assert not Collectivite.objects.exists()


def test_in_development_the_demo_password_is_demo_and_the_logins_are_printed(settings):
    settings.DEBUG = True
    settings.SITE_URL = "http://registre.example.org"

    output = seed()

    assert User.objects.get(username="dpo").check_password("demo")
    assert "http://registre.example.org" in output
    for username in EXPECTED_ROLES:
        assert username in output


def test_use_cases_option_adds_synthetic_use_cases(seeded):
    # Given the demo
    before = UseCase.objects.count()

    # When 30 synthetic use cases are asked for
    seed(password="mot-de-passe-demo", use_cases=30)

    # Then 30 more exist, classified, with unique references, each with its event and history
    added = UseCase.objects.filter(name__startswith=demo.SYNTHETIC_PREFIX)
    assert UseCase.objects.count() == before + 30
    assert added.count() == 30
    references = list(UseCase.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references))
    assert added.filter(classification_reasons=[]).count() == 0
    assert UseCaseEvent.objects.filter(use_case__in=added).count() == 30
    assert UseCase.history.filter(id__in=added.values("id")).count() == 30
    # and the service still numbers the next use case after them
    dpo = User.objects.get(username="dpo")
    template = added.first()
    created = services.use_case_create(
        collectivite=seeded,
        acting_user=dpo,
        data={
            "name": "Nouvel usage",
            "summary": "Résumé.",
            "purpose": "But.",
            "service": template.service,
            "technique": "genai_text",
            "audience": "agents",
        },
    )
    assert created.reference not in references


def test_outside_development_a_weak_password_is_refused(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError):
        seed(password="demo")

    assert not User.objects.filter(username="admin").exists()
