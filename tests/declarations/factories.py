"""Factories of the declarations app: a shadow-AI declaration written straight to the database (a triage state, a
date in the past), for the tests of what reads declarations. Tests of the declaring itself go through
`declaration_submit` with the answers of `tests.declarations.support`."""

import uuid

import factory
from factory.django import DjangoModelFactory

from declarations.models import Declaration
from tests.registry.factories import CollectiviteFactory


class DeclarationFactory(DjangoModelFactory):
    class Meta:
        model = Declaration
        skip_postgeneration_save = True  # `when` writes its own column

    collectivite = factory.SubFactory(CollectiviteFactory)
    reference = factory.Sequence(lambda n: f"DEC-T-{n + 1:04d}")
    submission_key = factory.LazyFunction(uuid.uuid4)
    tool_name = "ChatGPT"
    category = "general_chatbot"
    tasks = "Rédiger des courriers."
    frequency = "weekly"
    device = "work_pc"
    account = "personal_free"
    human_review = "always"
    status = "received"

    @factory.post_generation
    def when(self, create, extracted, **kwargs):
        """`when=<datetime>`: the day it was declared (created_at is set by the database on insert)."""
        if create and extracted is not None:
            Declaration.objects.filter(pk=self.pk).update(created_at=extracted)
            self.created_at = extracted
