"""The world the permission matrix runs against, built once: the demo-like collectivité of `tests/conftest.py`
(one user per role, the CCAS agent `porteur` who owns the use cases, the ethics committee chaired by `comite`),
and a neighbouring collectivité whose DPO is `outsider`, each holding one object of every kind a route needs.

`World.objects["in"]` holds the objects the members may reach, `World.objects["out"]` the neighbour's.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from guardian.shortcuts import assign_perm

from audits.models import Attestation, Checkpoint, CheckpointType, Incident, IncidentNotification
from charter import services as charter_services
from core.roles import Role
from declarations.models import Declaration
from documents import services as documents
from documents.models import Document
from exchange.models import RegisterImport
from explanations import services as explanation_services
from fria import services as fria_services
from registry import services
from registry.choices import ReviewKind, ReviewStatus, UseCaseStatus
from registry.models import CommitteeMember, Review, UseCase
from tests.fria.factories import approved_fria, high_risk_use_case, submitted_fria, written_fria
from tests.registry.factories import (
    CollectiviteFactory,
    MembershipFactory,
    ServiceFactory,
    ToolFactory,
    UseCaseFactory,
    UserFactory,
)
from tests.transparency.support import decision_use_case, published

ROLES = ("anonymous", "agent", "chef", "dpo", "rssi", "comite", "dgs", "admin", "outsider")
CHARTER_YEAR = 2026


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)
    collectivites: dict = field(default_factory=dict)
    scopes: dict = field(default_factory=dict)


def _member(collectivite, username, role, service=None):
    user = UserFactory(username=username)
    MembershipFactory(user=user, collectivite=collectivite, role=role, service=service)
    return user


def _set_status(obj, status: str) -> None:
    """Put an object straight into a status (the workflows themselves are tested elsewhere)."""
    type(obj).objects.filter(pk=obj.pk).update(status=status)
    obj.refresh_from_db()


def build_world() -> World:
    """As `tests/conftest.py` builds it (collectivite, services, users, outsider, tool, use_case, committee)."""
    world = World()
    here = CollectiviteFactory(name="Ville de Bellerive", slug="bellerive", agents_count=600)
    there = CollectiviteFactory(name="Commune voisine", slug="voisine", agents_count=40)
    world.collectivites = {"in": here, "out": there}
    direction = ServiceFactory(collectivite=here, name="Direction des solidarités", code="DSOL")
    ccas = ServiceFactory(collectivite=here, name="CCAS", code="CCAS", parent=direction)
    housing = ServiceFactory(collectivite=here, name="Logement", code="LOG", parent=direction)
    communication = ServiceFactory(collectivite=here, name="Communication", code="COM")
    users = {
        "agent": _member(here, "agent", Role.AGENT, ccas),
        "chef": _member(here, "chef", Role.HEAD_OF_SERVICE, direction),
        "dpo": _member(here, "dpo", Role.DPO),
        "rssi": _member(here, "rssi", Role.RSSI),
        "comite": _member(here, "comite", Role.ETHICS_COMMITTEE),
        "dgs": _member(here, "dgs", Role.DGS),
        "admin": _member(here, "admin", Role.ADMIN),
    }
    porteur = _member(here, "porteur", Role.AGENT, ccas)
    # Out of the head of service's direction: the communication service and its agent.
    com_agent = _member(here, "agent-com", Role.AGENT, communication)
    CommitteeMember.objects.create(collectivite=here, user=users["comite"], is_chair=True)
    external = _member(here, "externe", Role.ETHICS_COMMITTEE)
    external_seat = CommitteeMember.objects.create(collectivite=here, user=external, external=True, affiliation="x")

    dg = ServiceFactory(collectivite=there, name="DG", code="DG")
    outsider = _member(there, "dpo-voisin", Role.DPO)
    MembershipFactory(user=outsider, collectivite=there, role=Role.AGENT, service=dg)
    CommitteeMember.objects.create(collectivite=there, user=outsider, is_chair=True)
    neighbour_seat = CommitteeMember.objects.create(
        collectivite=there, user=_member(there, "externe-voisin", Role.ETHICS_COMMITTEE), external=True
    )
    world.users = {**users, "outsider": outsider, "porteur": porteur}

    world.objects["in"] = _populate(
        here, ccas, owner=porteur, agent=users["agent"], dpo=users["dpo"], year=CHARTER_YEAR
    )
    world.objects["in"]["committee_member"] = external_seat
    world.objects["in"]["agent_user"] = porteur  # a member who does not sit on the committee
    world.objects["out"] = _populate(there, dg, owner=outsider, agent=outsider, dpo=outsider, year=CHARTER_YEAR - 1)
    world.objects["out"]["committee_member"] = neighbour_seat
    world.objects["out"]["agent_user"] = outsider
    # Shared reference content: our collectivité is a member of an agglomeration sharing a tool; the neighbour is a
    # member of a syndicat sharing another.
    world.objects["in"]["shared_item"] = _shared_item(here, "Agglomération", "agglo", "admin-agglo")
    world.objects["out"]["shared_item"] = _shared_item(there, "Syndicat mixte", "syndicat", "admin-syndicat")
    world.scopes = {
        "direction": direction,
        "housing": housing,
        "communication": communication,
        "com_agent": com_agent,
        "neighbour_seat": neighbour_seat,
    }
    return world


# What each role may not reach, by kind of object a body names: the neighbour's objects for everyone; for the head
# of the direction of solidarity and the CCAS agent, also the services (and their people) outside their scope.
def foreign_values(world: World, kind: str, role: str) -> list:
    out, scopes = world.objects["out"], world.scopes
    values = {
        "service": [out["service"]],
        "user": [world.users["outsider"]],
        "person": [world.users["outsider"]],  # a person of another collectivité (whoever asks)
        "person_service": [out["service"]],  # a service of another collectivité (whoever asks)
        "tool": [out["tool"]],
        "review": [out["waiting_review"]],
        "declaration": [out["declaration"]],
        "member": [scopes["neighbour_seat"]],
        "use_case": [out["draft"]],
    }[kind]
    if kind == "service" and role in ("chef", "agent"):
        values = (
            values + [scopes["communication"]] + ([scopes["housing"], scopes["direction"]] if role == "agent" else [])
        )
    if kind == "user" and role in ("chef", "agent"):
        values = values + [scopes["com_agent"]]
    return [value.pk for value in values]


def _shared_item(member, name, slug, admin_name):
    from mutualisation import services as mutualisation_services

    structure = CollectiviteFactory(name=name, slug=slug, kind="epci")
    admin = _member(structure, admin_name, Role.ADMIN)
    mutualisation_services.structure_member_add(structure=structure, member=member, acting_user=admin)
    tool = ToolFactory(collectivite=structure, name=f"Outil de {name}")
    return mutualisation_services.item_share(structure=structure, kind="tool", source_object=tool, acting_user=admin)


def _populate(collectivite, service, *, owner, agent, dpo, year) -> dict:
    """One object of every kind in a collectivité: use cases in each useful status, a review in each stage, a
    planned committee session with an agenda item, a declaration, a checkpoint with an attested evidence, an
    incident, a document, a charter edition, a publication and an import record."""
    tool = ToolFactory(collectivite=collectivite, name="Albert", vendor="DINUM", max_data_classification="C2")

    def case(status=UseCaseStatus.DRAFT, **fields):
        made = UseCaseFactory(collectivite=collectivite, service=service, owner=owner, tool=tool, **fields)
        if status != UseCaseStatus.DRAFT:
            _set_status(made, status)
        return made

    objects = {"tool": tool, "service": service}
    objects["draft"] = case()
    objects["approved"] = case(UseCaseStatus.APPROVED)
    objects["in_production"] = case(UseCaseStatus.IN_PRODUCTION)
    objects["suspended"] = case(UseCaseStatus.SUSPENDED)
    objects["rejected"] = case(UseCaseStatus.REJECTED)

    # Submitted, its review round waiting for the DPO's and the RSSI's opinions.
    objects["submitted"] = submitted = case()
    services.use_case_submit(use_case=submitted, acting_user=owner)
    submitted.refresh_from_db()
    objects["review"] = submitted.reviews.get(status=ReviewStatus.OPINIONS)

    # Submitted, its round waiting for the committee, on the agenda of a session in progress.
    on_agenda = case(UseCaseStatus.SUBMITTED, personal_data_categories=["health"])
    review = services.review_open(use_case=on_agenda, acting_user=owner, kind=ReviewKind.INITIAL)
    Review.objects.filter(pk=review.pk).update(status=ReviewStatus.COMMITTEE)
    review.refresh_from_db()
    session = services.session_create(
        collectivite=collectivite, acting_user=dpo, data={"held_on": timezone.now() - datetime.timedelta(hours=1)}
    )
    # Held: opened on its date with every member present, so that members may vote and the chair record.
    session = services.session_open(
        session=session,
        acting_user=dpo,
        present=list(CommitteeMember.objects.filter(collectivite=collectivite, active=True)),
    )
    objects.update(on_agenda=on_agenda, committee_review=review, session=session)
    objects["agenda_item"] = services.agenda_add(session=session, review=review, acting_user=dpo)
    # Another case waiting for the committee, not on the agenda yet.
    waiting = case(UseCaseStatus.SUBMITTED)
    objects["waiting_review"] = services.review_open(use_case=waiting, acting_user=owner, kind=ReviewKind.INITIAL)
    Review.objects.filter(pk=objects["waiting_review"].pk).update(status=ReviewStatus.COMMITTEE)

    # A declaration by an agent (who holds the view permission on it, as `declaration_submit` grants).
    declaration = Declaration.objects.create(
        collectivite=collectivite,
        reference=f"DEC-M-{collectivite.pk:04d}",
        submission_key=uuid.uuid4(),
        author=agent,
        tool_name="ChatGPT",
        category="general_chatbot",
        tasks="Rédiger des courriers.",
        frequency="weekly",
        device="work_pc",
        account="personal_free",
        human_review="always",
    )
    assign_perm("declarations.view_declaration", agent, declaration)
    objects["declaration"] = declaration

    # A checkpoint of the case in production, owned by its owner, attested with an evidence file; an incident.
    checkpoint = Checkpoint.objects.create(
        use_case=objects["in_production"],
        type=CheckpointType.objects.filter(collectivite=None).order_by("pk").first(),
        origin=Checkpoint.Origin.REQUIRED,
        owner=owner,
        frequency="quarterly",
        next_due=timezone.localdate() + datetime.timedelta(days=30),
    )
    attestation = Attestation(
        checkpoint=checkpoint,
        attested_by=owner,
        performed_on=timezone.localdate(),
        outcome=Attestation.Outcome.OK,
        evidence_name="compte-rendu.pdf",
    )
    attestation.evidence.save("compte-rendu.pdf", ContentFile(b"%PDF-1.7\n% compte rendu\n"), save=False)
    attestation.save()
    objects.update(checkpoint=checkpoint, attestation=attestation)
    objects["free_checkpoint_type"] = (
        CheckpointType.objects.filter(collectivite=None).exclude(pk=checkpoint.type_id).order_by("pk").first()
    )
    objects["incident"] = Incident.objects.create(
        use_case=objects["in_production"],
        occurred_at=timezone.now() - datetime.timedelta(days=1),
        description="Une réponse erronée.",
        severity=Incident.Severity.MINOR,
        reported_by=owner,
    )
    # A notification of the incident to the provider, with its acknowledgement attached.
    notification = IncidentNotification(
        incident=objects["incident"],
        recipient=IncidentNotification.Recipient.PROVIDER,
        sent_at=timezone.now() - datetime.timedelta(hours=20),
        channel=IncidentNotification.Channel.EMAIL,
        stage=IncidentNotification.Stage.INITIAL,
        attachment_name="accuse.pdf",
        recorded_by=owner,
    )
    notification.attachment.save("accuse.pdf", ContentFile(b"%PDF-1.7\n% accuse\n"), save=False)
    notification.save()
    objects["incident_notification"] = notification

    # The annual audit report, ready (its file stored); the charter's edition of the year, a draft.
    document = Document.objects.create(
        collectivite=collectivite,
        kind=Document.Kind.ANNUAL_REPORT,
        year=CHARTER_YEAR,
        subject_key=documents.subject_key(Document.Kind.ANNUAL_REPORT, year=CHARTER_YEAR),
        status=Document.Status.READY,
        requested_by=dpo,
    )
    document.file.save("rapport.pdf", ContentFile(b"%PDF-1.7\n% rapport\n"), save=True)
    objects["document"] = document
    edition = charter_services.edition_create(collectivite=collectivite, acting_user=dpo, year=year)
    objects.update(charter_edition=edition, charter_section=edition.sections.order_by("position").first())

    # A published record of the public register, and a previewed register import.
    decision = decision_use_case(case(UseCaseStatus.SUBMITTED))
    objects["publication"] = published(decision, dpo)
    objects["published_case"] = decision
    # A request for an explanation of a decision of the published use case (its follow-up token kept).
    created = explanation_services.request_create(
        collectivite=collectivite,
        data={"requester_name": "Camille Martin", "requester_email": "camille@example.org", "elements": ["data"]},
        use_case=decision,
    )
    objects.update(explanation=created.request, explanation_token=created.token)

    # The AIDF (AI Act art. 27) of high-risk use cases of Annex III: one to start, one being written (complete, with
    # its AIPD file), one submitted to the DPO, one approved waiting for its notification.
    def aidf_case():
        return high_risk_use_case(collectivite=collectivite, service=service, owner=owner, tool=tool)

    objects["fria_missing"] = aidf_case()
    objects["fria_case"] = aidf_case()
    objects["fria"] = written_fria(objects["fria_case"], owner)
    fria_services.fria_update(
        fria=objects["fria"],
        acting_user=owner,
        data={},
        aipd_file=SimpleUploadedFile("aipd.pdf", b"%PDF-1.7\n% aipd\n"),
    )
    objects["fria_submitted_case"] = aidf_case()
    objects["fria_submitted"] = submitted_fria(objects["fria_submitted_case"], owner)
    objects["fria_approved_case"] = aidf_case()
    objects["fria_approved"] = approved_fria(objects["fria_approved_case"], owner, dpo)
    objects["register_import"] = RegisterImport.objects.create(
        collectivite=collectivite,
        created_by=dpo,
        file_name="registre.csv",
        size=10,
        sha256="0" * 64,
        status=RegisterImport.Status.PREVIEWED,
    )
    for value in objects.values():
        if isinstance(value, UseCase):
            value.refresh_from_db()
    return objects
