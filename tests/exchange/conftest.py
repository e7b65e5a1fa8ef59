"""A register with every field filled, built through the register's services, and helpers to import files."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.roles import Role
from exchange import services as exchange_services
from exchange.models import RegisterImport
from registry.models import UseCase, UseCaseEvent
from registry.services import use_cases as use_case_services
from tests.registry.factories import CollectiviteFactory, MembershipFactory, ServiceFactory, ToolFactory

TRICKY_TEXT = 'Texte avec ; point-virgule, "guillemets", virgule\net un retour à la ligne — accentué : éèàç ÉÀ œ'


def full_data(services, users, tools, **overrides) -> dict:
    data = {
        "name": "Tri du courrier; « entrant »",
        "summary": '=HYPERLINK("http://exemple.org") n\'est pas une formule ici',
        "description": "- une puce\n- une autre puce",
        "purpose": "+ gagner du temps",
        "service": services["ccas"],
        "owner": users["chef"],
        "tool": tools["albert"],
        "start_date": datetime.date(2025, 1, 15),
        "end_date": datetime.date(2027, 12, 31),
        "lawful_basis": TRICKY_TEXT,
        "processing_record_ref": "RT-2025-012",
        "data_sources": "@fichier des usagers",
        "decisions_per_year": 1200,
        "human_oversight": "'Relecture' par un agent",
        "art5_practices": [],
        "annex_iii_point": "5a",
        "art6_3_ground": "d",
        "art50_features": ["chatbot", "public_interest_text"],
        "technique": "genai_text",
        "self_learning": False,
        "ai_act_role": "provider",
        "annex_i_product": False,
        "audience": "public",
        "automation_level": "assist",
        "individual_decisions": True,
        "administrative_appeal": True,
        "personal_data_categories": ["ordinary", "health", "minors_vulnerable"],
        "large_scale": True,
        "profiling": True,
        "dataset_matching": True,
        "care_context": True,
        "systematic_monitoring": True,
        "cnil_list_types": ["social_support", "social_housing"],
        "max_data_classification": "C2",
        "hosting_zone": "eu",
        "hosting_qualification": "hds",
        "provider_reuse_disabled": True,
    }
    data.update(overrides)
    return data


@pytest.fixture
def tools(collectivite):
    return {
        "albert": ToolFactory(collectivite=collectivite, name="Albert", vendor="DINUM", max_data_classification="C2"),
        "whisper": ToolFactory(collectivite=collectivite, name="Transcription « Whisper »", category="transcription"),
    }


@pytest.fixture
def register(collectivite, services, users, tools):
    """Four use cases through the services: every field filled on the first, a use in production, a minimal
    draft, and one edited twice (version 3)."""
    create = use_case_services.use_case_create
    full = create(collectivite=collectivite, acting_user=users["dpo"], data=full_data(services, users, tools))
    running = create(
        collectivite=collectivite,
        acting_user=users["dpo"],
        status="in_production",
        data=full_data(
            services,
            users,
            tools,
            name="Chatbot du site",
            summary="-2+3 n'est pas un calcul",
            service=services["communication"],
            owner=users["agent"],
            tool=tools["whisper"],
            annex_iii_point="",
            art6_3_ground="",
            art50_features=["chatbot"],
            art5_practices=["a", "h"],
            technique="speech",
            self_learning=True,
            audience="both",
            automation_level="none",
            individual_decisions=False,
            administrative_appeal=False,
            personal_data_categories=[],
            large_scale=False,
            profiling=False,
            care_context=False,
            systematic_monitoring=False,
            cnil_list_types=[],
            ai_act_role="deployer",
            annex_i_product=True,
            start_date=None,
            end_date=None,
            decisions_per_year=None,
            hosting_zone="non_eu",
            hosting_qualification="none",
            provider_reuse_disabled=False,
            max_data_classification="C0",
        ),
    )
    minimal = create(
        collectivite=collectivite,
        acting_user=users["dpo"],
        data={
            "name": "Minimal",
            "summary": "Un résumé.",
            "purpose": "Un besoin.",
            "service": services["direction"],
            "technique": "rules",
            "audience": "agents",
        },
    )
    edited = create(
        collectivite=collectivite,
        acting_user=users["dpo"],
        data=full_data(services, users, tools, name="Édité deux fois", tool=None, service=services["logement"]),
    )
    edited = use_case_services.use_case_update(
        use_case=edited, acting_user=users["dpo"], data={"summary": "Deuxième version."}, expected_version=1
    )
    edited = use_case_services.use_case_update(
        use_case=edited, acting_user=users["dpo"], data={"art5_practices": ["c"]}, expected_version=2
    )
    return {"full": full, "running": running, "minimal": minimal, "edited": edited}


def upload(content: bytes, name: str = "registre.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def preview(collectivite, user, content: bytes, name: str = "registre.csv") -> RegisterImport:
    return exchange_services.import_preview(
        collectivite=collectivite, acting_user=user, uploaded_file=upload(content, name)
    )


def register_state(collectivite=None) -> dict:
    """Everything an import may write: use cases (with versions and references), events, history, applied imports."""
    use_cases = UseCase.objects.all() if collectivite is None else UseCase.objects.filter(collectivite=collectivite)
    return {
        "use_cases": sorted(use_cases.values_list("pk", "reference", "version", "updated_at")),
        "events": UseCaseEvent.objects.count(),
        "history": UseCase.history.count(),
        "applied": RegisterImport.objects.filter(status="applied").count(),
    }


def member(collectivite, user, role=Role.AGENT, service=None):
    MembershipFactory(user=user, collectivite=collectivite, role=role, service=service)
    return user


@pytest.fixture
def twin(collectivite, services, users, tools):
    """A fresh collectivité with the same services, people and tools (and the same policy)."""
    fresh = CollectiviteFactory(name="Ville jumelle", slug="jumelle", agents_count=collectivite.agents_count)
    direction = ServiceFactory(collectivite=fresh, name="Direction des solidarités", code="DSOL")
    ServiceFactory(collectivite=fresh, name="CCAS", code="CCAS", parent=direction)
    ServiceFactory(collectivite=fresh, name="Logement", code="LOG", parent=direction)
    ServiceFactory(collectivite=fresh, name="Communication", code="COM")
    for tool in tools.values():
        ToolFactory(
            collectivite=fresh,
            **{
                name: getattr(tool, name)
                for name in ("name", "vendor", "category", "hosting_zone", "hosting_qualification", "status")
            },
            provider_reuse_disabled=tool.provider_reuse_disabled,
            max_data_classification=tool.max_data_classification,
        )
    for user in users.values():
        member(fresh, user, role="dpo")
    return fresh
