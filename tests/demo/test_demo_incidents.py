"""The demo's serious incidents and breach notifications (demo/loaders/incidents.py)."""

import pytest

from audits.incident_clocks import Status, incident_clocks
from audits.models import Incident
from demo import checkpoints as audits_demo
from demo.loaders import incidents as incidents_demo
from registry.models import OutboxEntry
from tests.demo.test_seed_demo import seeded  # noqa: F401  (the demo loaded for the test)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def clocks(incident):
    return {clock.code: clock for clock in incident_clocks(incident)}


def test_the_demo_has_a_serious_incident_in_time_one_running_and_a_breach_notified(seeded):  # noqa: F811
    incidents = Incident.objects.filter(use_case__collectivite=seeded).select_related("use_case")
    falls = incidents.get(use_case__name=incidents_demo.FALL_DETECTION, serious=True)
    # reported within its deadlines: the provider the same day, the authority's initial then complete report
    falls_clocks = clocks(falls)
    assert falls_clocks["provider"].status == Status.MET and falls_clocks["authority"].status == Status.MET
    assert not falls_clocks["authority"].initial_only
    assert falls.notifications.filter(recipient="authority", reference="ASM-2026-0042").count() == 2
    # the traffic lights' authority clock runs
    lights = incidents.get(use_case__name=incidents_demo.TRAFFIC_LIGHTS, serious=True)
    assert clocks(lights)["authority"].status == Status.DUE
    # the chatbot's breach: assessed by the DPO, notified to the CNIL within 72 hours
    breach = incidents.get(use_case__name=audits_demo.SITE_CHATBOT, personal_data_breach=True)
    assert breach.breach_risk == "risk" and breach.breach_assessed_by.username == "dpo"
    assert clocks(breach)["cnil"].status == Status.MET
    assert breach.notifications.get(recipient="cnil").reference == incidents_demo.CNIL_REFERENCE
    # no e-mail of the demo's past goes out
    assert not OutboxEntry.objects.filter(task="audits.tasks.notify_incident_qualified", done_at__isnull=True).exists()
