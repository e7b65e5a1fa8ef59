"""Nothing internal ever reaches the public register: the proof of issue 7, per field and per public endpoint.

A use case is filled with a unique canary in every internal text (its own fields, its owner, its service's code,
its tool's internal notes, the DPO's and RSSI's opinions, the committee's votes, checkpoints' attestations and
their evidence, incidents, events, the shadow-AI declarations regularised into it), then published with
public-safe wording. Every public endpoint (API list and detail, CSV, Algoritmeregister and ATRS exports, the
public HTML pages) is read anonymously, and no canary may appear in any of them.
"""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audits import services as audits
from declarations import services as declaration_services
from registry import services as registry_services
from registry.models import Tool, UseCase, UseCaseEvent
from tests.registry.reviews_support import opinion, submit, to_agenda
from tests.transparency.support import decision_use_case, published
from transparency import services as publication_services
from transparency.fields import FIELD_CODES, FIELDS_BY_CODE, L312_FIELD_CODES

pytestmark = pytest.mark.django_db

# Public by nature: the reference identifies the record; the rest of the use case's texts are internal.
PUBLIC_USE_CASE_FIELDS = {"reference"}


def _canary_fields(model, exclude=()) -> list[str]:
    return [
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and field.name not in exclude
        and not isinstance(field, models.SlugField | models.EmailField | models.URLField)
    ]


USE_CASE_CANARIES = [f"use_case.{name}" for name in _canary_fields(UseCase, exclude=PUBLIC_USE_CASE_FIELDS)]
# The tool's name and vendor are public when the DPO publishes the "tool" field; its notes never are.
TOOL_CANARIES = [f"tool.{name}" for name in _canary_fields(Tool, exclude={"name", "vendor"})]
OTHER_CANARIES = [
    "owner.username",
    "owner.first_name",
    "owner.last_name",
    "owner.email",
    "service.code",
    "collectivite.dpo_name",
    "collectivite.rssi_name",
    "opinion.dpo.comment",
    "opinion.dpo.condition",
    "opinion.rssi.comment",
    "opinion.rssi.condition",
    "vote.comment",
    "attestation.comment",
    "attestation.evidence_name",
    "incident.description",
    "incident.actions_taken",
    "event.comment",
    "declaration.tool_name",
    "declaration.tasks",
    "declaration.need",
    "declaration.message",
]
CANARIES = USE_CASE_CANARIES + TOOL_CANARIES + OTHER_CANARIES


def canary(name: str) -> str:
    return f"CANARY-{name.replace('.', '-').replace('_', '-')}"


SAFE_WORDING = {
    "name": "Aide à l'instruction des demandes d'aide sociale",
    "summary": "Un algorithme prépare une proposition que l'instructeur vérifie.",
    "purpose": "Instruire plus vite les demandes d'aide facultative.",
    "human_intervention": "Un instructeur relit chaque proposition avant toute décision.",
    "data_sources": "Dossiers de demande d'aide et données de la CAF.",
    "legal_basis": "Code de l'action sociale et des familles, art. L123-5.",
    "contact": "algorithmes@bellerive.example.fr",
    "crpa_mention": "Décision prise avec l'aide d'un algorithme (art. L311-3-1 du CRPA). Écrire à "
    "algorithmes@bellerive.example.fr.",
}


def _fill(instance, names, prefix):
    for name in names:
        field = instance._meta.get_field(name)
        setattr(instance, name, canary(f"{prefix}.{name}")[: field.max_length or None])


def _build_canary_case(collectivite, services, users, committee, use_case):
    """The canary use case, taken through the real services: submitted, reviewed, voted on, controlled,
    with an incident and a regularised declaration, then published with public-safe wording."""
    collectivite.dpo_name = canary("collectivite.dpo_name")
    collectivite.rssi_name = canary("collectivite.rssi_name")
    collectivite.save()
    owner = use_case.owner
    owner.username = canary("owner.username")
    owner.first_name = canary("owner.first_name")
    owner.last_name = canary("owner.last_name")
    owner.email = canary("owner.email").lower() + "@interne.example.fr"
    owner.save()
    service = use_case.service
    service.code = canary("service.code")[:20]
    service.save()
    tool = use_case.tool
    _fill(tool, [name.split(".", 1)[1] for name in TOOL_CANARIES], "tool")
    tool.save()

    use_case = decision_use_case(use_case)
    _fill(use_case, [name.split(".", 1)[1] for name in USE_CASE_CANARIES], "use_case")
    use_case.save()

    review = submit(use_case)
    for role in ("dpo", "rssi"):
        opinion(
            review,
            users[role],
            role,
            "favourable_with_conditions",
            comment=canary(f"opinion.{role}.comment"),
            conditions=[canary(f"opinion.{role}.condition")],
        )
    review.refresh_from_db()
    assert review.status == "committee", review.status
    item = to_agenda(review, users)
    registry_services.vote_cast(
        item=item, acting_user=committee["external"].user, choice="favourable", comment=canary("vote.comment")
    )

    use_case.refresh_from_db()
    from audits.models import CheckpointType

    checkpoint = audits.checkpoint_add(
        use_case=use_case,
        acting_user=users["dpo"],
        type=CheckpointType.objects.filter(collectivite=None).order_by("pk").first(),
        owner=use_case.owner,
    )
    # Controls are attested only on a live use case: this one's attestation dates from an earlier approval.
    UseCase.objects.filter(pk=use_case.pk).update(status="approved")
    audits.attestation_record(
        checkpoint=checkpoint,
        acting_user=checkpoint.owner,
        comment=canary("attestation.comment"),
        evidence=SimpleUploadedFile(f"{canary('attestation.evidence_name')}.pdf", b"%PDF-1.4 preuve"),
    )
    UseCase.objects.filter(pk=use_case.pk).update(status=use_case.status)
    audits.incident_record(
        use_case=use_case,
        acting_user=users["dpo"],
        data={
            "occurred_at": timezone.now() - datetime.timedelta(hours=1),
            "description": canary("incident.description"),
            "severity": "minor",
            "actions_taken": canary("incident.actions_taken"),
        },
    )
    UseCaseEvent.objects.create(
        use_case=use_case, actor=users["dpo"], kind=UseCaseEvent.Kind.UPDATED, comment=canary("event.comment")
    )
    declaration, _created = declaration_services.declaration_submit(
        collectivite=collectivite,
        acting_user=users["agent"],
        data={
            "tool": None,
            "tool_name": canary("declaration.tool_name"),
            "category": "general_chatbot",
            "tasks": canary("declaration.tasks"),
            "frequency": "weekly",
            "device": "work_pc",
            "account": "professional",
            "data_entered": ["public"],
            "output_use": ["personal_draft"],
            "human_review": "always",
            "time_saved_minutes": 60,
            "need": canary("declaration.need"),
        },
        anonymous=False,
        submission_key=uuid.uuid4(),
        rate_limited=False,
    )
    declaration_services.declaration_regularise(
        declarations=[declaration], acting_user=users["dpo"], use_case=use_case, message=canary("declaration.message")
    )
    use_case.refresh_from_db()
    return published(use_case, users["dpo"], fields=list(FIELD_CODES), **SAFE_WORDING)


def public_pages(client: Client, publication) -> dict[str, str]:
    """Every public answer about this publication, as text, read anonymously."""
    slug = publication.collectivite.slug
    reference = publication.use_case.reference
    urls = {
        "api-list": reverse("public_api:use-case-list"),
        "api-list-filtered": reverse("public_api:use-case-list") + f"?collectivite={slug}&q=instruction",
        "api-detail": reverse("public_api:use-case-detail", kwargs={"collectivite": slug, "reference": reference}),
        "csv": reverse("public_exports:csv", kwargs={"slug": slug}),
        "algoritmeregister": reverse("public_exports:algoritmeregister", kwargs={"slug": slug}),
        "algoritmeregister-csv": reverse("public_exports:algoritmeregister-csv", kwargs={"slug": slug}),
        "atrs": reverse("public_exports:atrs", kwargs={"slug": slug}),
        "html-register": reverse("public:register", kwargs={"slug": slug}),
        "html-entry": reverse("public:entry", kwargs={"slug": slug, "reference": reference}),
        "html-index": reverse("public:index"),
    }
    pages = {}
    for name, url in urls.items():
        response = client.get(url, follow=True)
        assert response.status_code == 200, (name, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        pages[name] = body.decode("utf-8") + "\n" + "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    # The pages do show the record: an empty answer would prove nothing.
    for name, text in pages.items():
        if name != "html-index":
            assert SAFE_WORDING["purpose"].split()[0] in text or "Aide" in text, name
    return pages


_PAGES: dict[str, str] = {}


@pytest.fixture
def canary_pages(request):
    """Built once for the whole parametrised test (the answers do not depend on which canary is looked for)."""
    if not _PAGES:
        fixtures = [
            request.getfixturevalue(name) for name in ("collectivite", "services", "users", "committee", "use_case")
        ]
        cache.clear()
        publication = _build_canary_case(*fixtures)
        _PAGES.update(public_pages(Client(), publication))
        assert _PAGES
    return _PAGES


@pytest.mark.parametrize("field", CANARIES)
def test_no_internal_text_reaches_any_public_endpoint(field, canary_pages):
    text = canary(field)
    leaks = [name for name, page in canary_pages.items() if text.lower() in page.lower()]
    assert not leaks, f"{field} leaks into {leaks}"


def test_the_canaries_are_really_stored_internally(collectivite, services, users, committee, use_case):
    """The leak test would prove nothing if the canaries were never written: check a sample of them."""
    from audits.models import Attestation, Incident
    from registry.models import Opinion, Vote

    publication = _build_canary_case(collectivite, services, users, committee, use_case)
    use_case = UseCase.objects.get(pk=publication.use_case_id)
    assert use_case.human_oversight == canary("use_case.human_oversight")
    assert use_case.description == canary("use_case.description")
    assert Opinion.objects.filter(comment=canary("opinion.dpo.comment")).exists()
    assert Vote.objects.filter(comment=canary("vote.comment")).exists()
    assert Attestation.objects.filter(evidence_name__startswith=canary("attestation.evidence_name")).exists()
    assert Incident.objects.filter(description=canary("incident.description")).exists()
    assert use_case.declarations.filter(tasks=canary("declaration.tasks")).exists()
    assert len(USE_CASE_CANARIES) >= 8 and "use_case.human_oversight" in USE_CASE_CANARIES


# --------------------------------------------------------------------------------------------------------------
# A field the DPO did not tick never appears anywhere.

DISTINCT = {
    "purpose": "Objectif-marqueur-unique",
    "human_intervention": "Intervention-marqueur-unique",
    "data_sources": "Sources-marqueur-unique",
    "legal_basis": "Base-legale-marqueur-unique",
}
# What betrays each optional field in a text answer (a standard export, a page), besides its keys.
MARKERS = {
    "purpose": [DISTINCT["purpose"]],
    "service": ["Service-marqueur-unique"],
    # Seven digits, which no timestamp of the answers holds by chance (its microseconds have six); as written raw and
    # with the French thousands separators of a page.
    "automation": ["4321987", "4\u202f321\u202f987", "4\xa0321\xa0987", "4 321 987"],
    "human_intervention": [DISTINCT["human_intervention"]],
    "data_sources": [DISTINCT["data_sources"]],
    "personal_data": ["Données financières"],
    "legal_basis": [DISTINCT["legal_basis"]],
    "risk": ["Hoog-risico"],
    "impact_assessments": ["(DPIA)", "(FRIA)", "AIPD"],
    "technique": ["computer vision", "vision par ordinateur", '"vision"'],
    "tool": ["Outil-marqueur-unique", "Editeur-marqueur-unique"],
    "hosting": ["Union européenne", '"eu"'],
    "audience": ['"both"'],
    "dates": ["2025-03"],
}


def _optional_case(collectivite, services, users, tool, use_case, unticked: str):
    """A use case that does not found decisions (nothing locked by L312-1-3), published with every field but one."""
    services["ccas"].name = "Service-marqueur-unique"
    services["ccas"].save()
    tool.name, tool.vendor = "Outil-marqueur-unique", "Editeur-marqueur-unique"
    tool.save()
    use_case.technique = "vision"
    use_case.hosting_zone = "eu"
    use_case.audience = "both"
    use_case.automation_level = "assist"
    use_case.decisions_per_year = 4_321_987
    use_case.annex_iii_point = "5a"
    use_case.personal_data_categories = ["financial"]
    use_case.start_date = datetime.date(2025, 3, 1)
    registry_services.use_case_classify(use_case=use_case)
    use_case.save()
    use_case = submit(use_case).use_case
    assert not use_case.public_register_required
    fields = [code for code in FIELD_CODES if code != unticked]
    return publication_services.publication_publish(
        use_case=use_case,
        acting_user=users["dpo"],
        data={**SAFE_WORDING, **DISTINCT, "fields": fields, "dpia_status": "done", "fria_status": "done"},
    )


@pytest.mark.parametrize("code", list(FIELD_CODES))
def test_an_unticked_field_is_absent_everywhere(code, collectivite, services, users, tool, use_case, client):
    cache.clear()
    publication = _optional_case(collectivite, services, users, tool, use_case, unticked=code)
    keys = FIELDS_BY_CODE[code].keys
    assert not set(keys) & set(publication.content)
    slug, reference = collectivite.slug, publication.use_case.reference

    listing = client.get(reverse("public_api:use-case-list")).json()["results"][0]
    detail = client.get(
        reverse("public_api:use-case-detail", kwargs={"collectivite": slug, "reference": reference})
    ).json()
    for record in (listing, detail):
        assert not set(keys) & set(record), code
        assert not set(keys) & set(record["labels"]), code

    rows = b"".join(client.get(reverse("public_exports:csv", kwargs={"slug": slug})).streaming_content)
    header, row = rows.decode("utf-8-sig").splitlines()[:2]
    cells = dict(zip(header.split(";"), row.split(";"), strict=False))
    assert all(cells[key] == "" for key in keys), {key: cells[key] for key in keys}

    pages = public_pages(client, publication)
    for marker in MARKERS[code]:
        leaks = [name for name, text in pages.items() if marker.lower() in text.lower()]
        assert not leaks, f"{code}: {marker!r} in {leaks}"


def test_the_markers_do_show_when_the_field_is_ticked(collectivite, services, users, tool, use_case, client):
    """The previous test proves something only if each marker appears when its field is published."""
    cache.clear()
    publication = _optional_case(collectivite, services, users, tool, use_case, unticked="")
    pages = public_pages(client, publication)
    everything = "\n".join(pages[name] for name in ("api-detail", "algoritmeregister", "atrs", "csv")).lower()
    for code, markers in MARKERS.items():
        assert any(marker.lower() in everything for marker in markers), code


# --------------------------------------------------------------------------------------------------------------
# Drafts, withdrawn records, other collectivités, and the pre-filled wording.


def test_drafts_and_withdrawn_records_never_appear_in_lists(collectivite, services, users, tool, use_case, client):
    from tests.registry.factories import UseCaseFactory

    draft_case = submit(decision_use_case(use_case)).use_case
    publication_services.publication_save(
        use_case=draft_case, acting_user=users["dpo"], data={**SAFE_WORDING, "name": "Brouillon-jamais-public"}
    )
    other = UseCaseFactory(collectivite=collectivite, service=services["ccas"], owner=users["agent"], tool=tool)
    other = submit(decision_use_case(other)).use_case
    published(other, users["dpo"], **{**SAFE_WORDING, "name": "Retire-du-registre"})
    publication_services.publication_withdraw(use_case=other, acting_user=users["dpo"], reason="Raison-interne")

    pages = {
        "api": client.get(reverse("public_api:use-case-list")).content.decode(),
        "csv": b"".join(client.get(reverse("public_exports:csv", kwargs={"slug": "bellerive"})).streaming_content),
        "atrs": client.get(reverse("public_exports:atrs", kwargs={"slug": "bellerive"})).content.decode(),
        "html": client.get(reverse("public:register", kwargs={"slug": "bellerive"})).content.decode(),
    }
    pages["csv"] = pages["csv"].decode()
    for name, text in pages.items():
        for marker in ("Brouillon-jamais-public", "Retire-du-registre", "Raison-interne"):
            assert marker not in text, (name, marker)
    gone = client.get(
        reverse("public_api:use-case-detail", kwargs={"collectivite": "bellerive", "reference": other.reference})
    )
    assert gone.status_code == 410 and "Raison-interne" not in gone.content.decode()
    assert set(gone.json()) == {"message", "withdrawn_at"}
    never = client.get(
        reverse("public_api:use-case-detail", kwargs={"collectivite": "bellerive", "reference": draft_case.reference})
    )
    assert never.status_code == 404


def test_another_collectivites_filter_shows_only_theirs(collectivite, other_collectivite, users, use_case, client):
    from tests.registry.factories import MembershipFactory, ServiceFactory, ToolFactory, UseCaseFactory, UserFactory

    published(submit(decision_use_case(use_case)).use_case, users["dpo"], **SAFE_WORDING)
    service = ServiceFactory(collectivite=other_collectivite, name="Mairie", code="MAI")
    dpo = UserFactory(username="dpo-voisine")
    MembershipFactory(user=dpo, collectivite=other_collectivite, role="dpo")
    MembershipFactory(user=dpo, collectivite=other_collectivite, role="agent", service=service)
    theirs = UseCaseFactory(
        collectivite=other_collectivite,
        service=service,
        owner=dpo,
        tool=ToolFactory(collectivite=other_collectivite),
    )
    theirs = submit(theirs).use_case
    published(theirs, dpo, **{**SAFE_WORDING, "name": "Registre voisin", "contact": "algorithmes@voisine.example.fr"})

    answer = client.get(reverse("public_api:use-case-list"), {"collectivite": "voisine"}).json()
    assert [r["collectivite"]["slug"] for r in answer["results"]] == ["voisine"]
    assert answer["results"][0]["name"] == "Registre voisin"
    csv_text = b"".join(client.get(reverse("public_exports:csv", kwargs={"slug": "voisine"})).streaming_content)
    assert SAFE_WORDING["name"] not in csv_text.decode() and "Registre voisin" in csv_text.decode()
    assert client.get(reverse("public_api:use-case-list"), {"collectivite": "inconnue"}).json()["count"] == 0
    # A reference of one collectivité is not found under another's name.
    wrong = reverse("public_api:use-case-detail", kwargs={"collectivite": "voisine", "reference": use_case.reference})
    assert client.get(wrong).status_code == 404


def test_the_public_sees_exactly_the_wording_the_dpo_validated(use_case, users, client):
    """`initial_wording` copies internal texts (which name agents): what is published is the wording the DPO
    validated, field by field, nothing more; and the support's public-safe wording leaves the names out."""
    use_case = submitted_case = submit(decision_use_case(use_case)).use_case
    prefilled = publication_services.initial_wording(use_case)
    assert "Dupont" in prefilled["human_intervention"]  # the pre-filled text is internal: the DPO must edit it
    publication = published(submitted_case, users["dpo"])
    record = client.get(
        reverse("public_api:use-case-detail", kwargs={"collectivite": "bellerive", "reference": use_case.reference})
    ).json()
    for key in ("name", "summary", "purpose", "human_intervention", "data_sources", "legal_basis", "contact"):
        assert record[key] == getattr(publication, key), key
    assert record["crpa_mention"] == publication.crpa_mention
    assert "Dupont" not in str(record) and "Jean Interne" not in str(record)
    # Publishing the pre-filled wording as it is publishes exactly that: the DPO answers for what they validate.
    prefilled["contact"] = "algorithmes@bellerive.example.fr"  # no DPO address in the fixture: nothing to pre-fill
    other = publication_services.publication_publish(
        use_case=use_case, acting_user=users["dpo"], data=prefilled, expected_version=publication.version
    )
    assert other.content["human_intervention"] == prefilled["human_intervention"]
    assert set(other.content) <= set(record) | {key for f in L312_FIELD_CODES for key in FIELDS_BY_CODE[f].keys}


@pytest.mark.parametrize(
    ("code", "param", "value"),
    [
        ("service", "service", "Service-marqueur-unique"),
        ("risk", "risk", "high"),
        ("automation", "automation", "assist"),
    ],
)
def test_a_filter_never_reveals_an_unpublished_value(code, param, value, collectivite, services, users, tool, use_case):
    """Filtering on a value the DPO did not publish must not find the record (else the filter tells it)."""
    cache.clear()
    publication = _optional_case(collectivite, services, users, tool, use_case, unticked=code)
    client = Client()
    url = reverse("public_api:use-case-list")
    assert client.get(url).json()["count"] == 1
    assert client.get(url, {param: value}).json()["count"] == 0, f"?{param}= reveals the unpublished {code}"
    csv_text = b"".join(
        client.get(reverse("public_exports:csv", kwargs={"slug": "bellerive"}), {param: value}).streaming_content
    ).decode()
    assert publication.name not in csv_text
