"""factory-boy factories for the register's models."""

import factory
from factory.django import DjangoModelFactory

from core.roles import Role
from registry.models import Collectivite, Membership, Service, Tool, UseCase, User
from registry.services.use_cases import use_case_classify


class CollectiviteFactory(DjangoModelFactory):
    class Meta:
        model = Collectivite
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Ville de Test {n}")
    slug = factory.Sequence(lambda n: f"ville-test-{n}")
    # Valid SIRENs (Luhn): 2170000{n:02d} padded with a computed check digit.
    siren = factory.Sequence(lambda n: _siren(n))
    agents_count = 600
    population = 30000


def _siren(n: int) -> str:
    base = f"21{n:06d}"
    for check in range(10):
        candidate = base + str(check)
        total = 0
        for index, char in enumerate(reversed(candidate)):
            digit = int(char)
            if index % 2 == 1:
                digit = digit * 2 - 9 if digit * 2 > 9 else digit * 2
            total += digit
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service

    collectivite = factory.SubFactory(CollectiviteFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    code = factory.Sequence(lambda n: f"S{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("motdepasse-test")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    collectivite = factory.SubFactory(CollectiviteFactory)
    role = Role.AGENT
    service = None


class ToolFactory(DjangoModelFactory):
    class Meta:
        model = Tool

    collectivite = factory.SubFactory(CollectiviteFactory)
    name = factory.Sequence(lambda n: f"Outil IA {n}")
    vendor = "Éditeur SAS"
    category = "general_chatbot"
    hosting_zone = "fr"
    hosting_qualification = "none"
    provider_reuse_disabled = True
    status = "approved"
    max_data_classification = "C2"


class UseCaseFactory(DjangoModelFactory):
    """Classified (`use_case_classify`, as the services do) and saved through the model. Status may be set directly
    in tests."""

    class Meta:
        model = UseCase

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        use_case = model_class(*args, **kwargs)
        use_case_classify(use_case=use_case)
        use_case.save(force_insert=True)
        return use_case

    collectivite = factory.SubFactory(CollectiviteFactory)
    reference = factory.Sequence(lambda n: f"IA-2026-{n:04d}")
    name = factory.Sequence(lambda n: f"Usage IA {n}")
    summary = "Un assistant aide les agents à rédiger des courriers."
    purpose = "Gagner du temps sur les courriers simples."
    service = factory.SubFactory(ServiceFactory, collectivite=factory.SelfAttribute("..collectivite"))
    owner = factory.SubFactory(UserFactory)
    tool = None
    technique = "genai_text"
    audience = "agents"
    max_data_classification = "C1"
    hosting_zone = "fr"
