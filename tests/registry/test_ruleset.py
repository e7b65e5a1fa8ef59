"""Provenance of every verdict (issue 15): the rule-set version stored with each classification, the register
reclassified when the rules change (each changed verdict in the use case's history, old -> new, with the reason),
and the AI Act's dates of application kept as data."""

import datetime
import importlib

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.management import call_command
from django.utils import translation

from audits.models import Checkpoint
from registry import rules
from registry import services as svc
from registry.models import ApplicationDate, UseCase, UseCaseEvent
from registry.signals import reclassify_after_migrate
from tests.registry.factories import UseCaseFactory

CCAS_SCALE = {
    # The CCAS "reste à vivre" scale: written by agents, applied automatically, founding decisions on aid.
    "technique": "rules",
    "audience": "public",
    "annex_iii_point": "5a",
    "individual_decisions": True,
    "automation_level": "determining",
    "personal_data_categories": ["ordinary", "financial"],
}


def _as_classified_by_an_older_rule_set(use_case, **stored):
    """What the register held before the rule set 2026.12: verdicts of the old engine, an older version."""
    UseCase.objects.filter(pk=use_case.pk).update(classification_ruleset="2026.06", **stored)


@pytest.mark.django_db
def test_every_stored_classification_records_the_rule_set_that_produced_it(collectivite, services):
    use_case = UseCaseFactory(collectivite=collectivite, service=services["ccas"])

    assert use_case.classification_ruleset == rules.RULESET_VERSION
    assert UseCase.objects.get(pk=use_case.pk).classification_ruleset == rules.RULESET_VERSION


@pytest.mark.django_db
def test_a_new_rule_set_reclassifies_and_the_history_says_old_and_new(collectivite, services):
    # Given the CCAS scale, which the old engine treated as a high-risk AI system (AIDF, EU registration)
    use_case = UseCaseFactory(collectivite=collectivite, service=services["ccas"], **CCAS_SCALE)
    _as_classified_by_an_older_rule_set(
        use_case, ai_act_risk="high", ai_system=True, fria_required=True, eu_registration_required=True
    )
    version = UseCase.objects.get(pk=use_case.pk).version

    # When the register is reclassified with the current rules
    changed = svc.register_reclassify()

    # Then the scale is out of the AI Act's scope, its CRPA duties kept, and its history says what changed
    use_case.refresh_from_db()
    assert changed == 1
    assert (use_case.ai_act_risk, use_case.ai_system) == ("out_of_scope", False)
    assert (use_case.fria_required, use_case.eu_registration_required) == (False, False)
    assert use_case.crpa_mention_required and use_case.public_register_required
    assert use_case.classification_ruleset == rules.RULESET_VERSION
    assert use_case.version == version + 1
    event = use_case.events.get(kind=UseCaseEvent.Kind.RECLASSIFIED)
    assert event.details["cause"] == "ruleset"
    assert (event.details["previous_ruleset"], event.details["ruleset"]) == ("2026.06", rules.RULESET_VERSION)
    assert {"field": "ai_act_risk", "old": "high", "new": "out_of_scope"} in event.details["changes"]
    assert {"field": "fria_required", "old": True, "new": False} in event.details["changes"]
    assert rules.RULESET_VERSION in event.comment
    # and the simple history keeps the previous values of the verdicts
    assert use_case.history.first().ai_act_risk == "out_of_scope"


@pytest.mark.django_db
def test_reclassifying_the_register_is_idempotent(collectivite, services):
    use_case = UseCaseFactory(collectivite=collectivite, service=services["ccas"], **CCAS_SCALE)
    _as_classified_by_an_older_rule_set(use_case, ai_act_risk="high", ai_system=True)

    assert svc.register_reclassify() == 1
    assert svc.register_reclassify() == 0
    assert svc.register_reclassify(outdated_only=False) == 0
    assert use_case.events.filter(kind=UseCaseEvent.Kind.RECLASSIFIED).count() == 1


@pytest.mark.django_db
def test_a_new_rule_set_that_changes_only_wording_records_no_event(collectivite, services):
    use_case = UseCaseFactory(collectivite=collectivite, service=services["ccas"])
    _as_classified_by_an_older_rule_set(use_case, classification_reasons=[])
    version = UseCase.objects.get(pk=use_case.pk).version

    assert svc.register_reclassify() == 0

    use_case.refresh_from_db()
    assert use_case.classification_ruleset == rules.RULESET_VERSION
    assert use_case.classification_reasons  # restamped
    assert use_case.version == version
    assert not use_case.events.filter(kind=UseCaseEvent.Kind.RECLASSIFIED).exists()


@pytest.mark.django_db
def test_a_verdict_that_adds_a_checkpoint_attaches_it(collectivite, services):
    # Given a high-risk use case of which the old rules knew nothing of its provider role
    use_case = UseCaseFactory(
        collectivite=collectivite,
        service=services["ccas"],
        technique="ml_predictive",
        annex_iii_point="5a",
        ai_act_role="provider",
        audience="public",
    )
    Checkpoint.objects.filter(use_case=use_case, type__code="provider_conformity").delete()
    required = [code for code in use_case.required_checkpoints if code != "provider_conformity"]
    _as_classified_by_an_older_rule_set(use_case, required_checkpoints=required)

    svc.register_reclassify()

    # Then the provider's conformity checkpoint is attached to it
    assert Checkpoint.objects.filter(use_case=use_case, type__code="provider_conformity", active=True).exists()


@pytest.mark.django_db
def test_the_reclassify_command_reports_what_changed(collectivite, services, capsys):
    use_case = UseCaseFactory(collectivite=collectivite, service=services["ccas"], **CCAS_SCALE)
    _as_classified_by_an_older_rule_set(use_case, ai_act_risk="high")

    call_command("reclassify")

    assert f"Rule set {rules.RULESET_VERSION}: 1 use case(s)" in capsys.readouterr().out


@pytest.mark.django_db
def test_migrate_queues_the_reclassification_only_when_a_use_case_is_outdated(
    collectivite, services, django_capture_on_commit_callbacks
):
    use_case = UseCaseFactory(collectivite=collectivite, service=services["ccas"], **CCAS_SCALE)
    # An up-to-date register: nothing to queue (and nothing happens)
    reclassify_after_migrate(sender=None)
    assert not use_case.events.filter(kind=UseCaseEvent.Kind.RECLASSIFIED).exists()

    # An outdated use case: migrate's hook reclassifies it (eager Celery here; a worker in production)
    _as_classified_by_an_older_rule_set(use_case, ai_act_risk="high")
    reclassify_after_migrate(sender=None)

    assert UseCase.objects.get(pk=use_case.pk).ai_act_risk == "out_of_scope"


@pytest.mark.django_db
def test_the_migration_carries_over_what_the_old_rules_derived(collectivite, services):
    # Given use cases the old engine saw as monitoring (Annex III 3d, 4b) or as social support (5a)
    proctoring = UseCaseFactory(collectivite=collectivite, service=services["ccas"], annex_iii_point="3d")
    workers = UseCaseFactory(collectivite=collectivite, service=services["ccas"], annex_iii_point="4b")
    benefits = UseCaseFactory(collectivite=collectivite, service=services["ccas"], annex_iii_point="5a")
    other = UseCaseFactory(collectivite=collectivite, service=services["ccas"], annex_iii_point="4a")

    # When the data migration runs
    migration = importlib.import_module("registry.migrations.0009_ruleset_2026_12_data")
    migration.carry_over_inputs(django_apps, None)

    # Then those answers are inputs now, so no AIPD disappears silently
    assert UseCase.objects.get(pk=proctoring.pk).systematic_monitoring
    assert UseCase.objects.get(pk=workers.pk).systematic_monitoring
    assert UseCase.objects.get(pk=benefits.pk).cnil_list_types == ["social_support"]
    assert not UseCase.objects.get(pk=other.pk).systematic_monitoring


# Dates of application --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_dates_of_application_are_seeded_with_their_source():
    dates = {row.key: row for row in ApplicationDate.objects.all()}

    assert set(dates) == set(rules.APPLICATION_KEYS)
    assert dates["prohibited_practices"].applies_from == datetime.date(2025, 2, 2)
    assert dates["transparency"].applies_from == datetime.date(2026, 8, 2)
    assert dates["high_risk_annex_iii"].applies_from == datetime.date(2027, 12, 2)
    assert dates["high_risk_annex_i"].applies_from == datetime.date(2028, 8, 2)
    assert all("2024/1689" in row.source for row in dates.values())


@pytest.mark.django_db
def test_an_obligation_not_yet_applicable_shows_its_date_on_the_use_case(collectivite, services):
    with time_machine.travel(datetime.date(2026, 12, 7)):
        use_case = UseCaseFactory(
            collectivite=collectivite,
            service=services["ccas"],
            technique="ml_predictive",
            annex_iii_point="5a",
            audience="public",
        )
        fria = next(reason for reason in use_case.reasons if reason.code == "fria")
        with translation.override("fr"):
            assert "applicable à compter du 2 décembre 2027" in fria.explanation.lower()


@pytest.mark.django_db(transaction=True)
def test_changing_a_date_restamps_the_register_without_history(collectivite, services):
    use_case = UseCaseFactory(
        collectivite=collectivite,
        service=services["ccas"],
        technique="ml_predictive",
        annex_iii_point="5a",
        audience="public",
    )

    # When an administrator records a later date for the Annex III obligations
    row = ApplicationDate.objects.get(key="high_risk_annex_iii")
    row.applies_from = datetime.date(2028, 6, 30)
    row.save()

    # Then the stored reasons cite the new date, and no verdict changed (no event)
    use_case.refresh_from_db()
    fria = next(reason for reason in use_case.reasons if reason.code == "fria")
    assert fria.applies_from == datetime.date(2028, 6, 30)
    assert not use_case.events.filter(kind=UseCaseEvent.Kind.RECLASSIFIED).exists()
