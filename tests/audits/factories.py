"""Factories of the audits app: human-control checkpoints (of the national catalogue's types) and incidents."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from audits.models import Checkpoint, CheckpointType, Incident
from tests.registry.factories import UseCaseFactory


class CheckpointFactory(DjangoModelFactory):
    """A checkpoint of the catalogue type `code` (default: the review of outputs), due in `due_in_days`."""

    class Meta:
        model = Checkpoint
        exclude = ("code", "due_in_days")

    code = "output_review"
    due_in_days = 30
    use_case = factory.SubFactory(UseCaseFactory)
    type = factory.LazyAttribute(lambda o: CheckpointType.objects.get(collectivite__isnull=True, code=o.code))
    origin = Checkpoint.Origin.REQUIRED
    owner = None
    frequency = "monthly"
    next_due = factory.LazyAttribute(lambda o: timezone.localdate() + datetime.timedelta(days=o.due_in_days))


class IncidentFactory(DjangoModelFactory):
    class Meta:
        model = Incident

    use_case = factory.SubFactory(UseCaseFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    description = "Une réponse erronée a été envoyée à un usager."
    severity = Incident.Severity.MINOR
    personal_data_breach = False
    persons_affected = 0
    reported_by = None
