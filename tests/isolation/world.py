"""The isolation world: the permission matrix's two collectivités (ours, "in" = A, and the neighbour, "out" = B),
with B given everything a register holds (people of every role, a review with opinions, conditions and votes,
named and anonymous declarations, a published charter read by an agent, security events), then a unique canary
written in every text of B's rows, and A's documents generated for real afterwards (so that a PDF of A drawing
on B's data would carry B's canaries).
"""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from charter import services as charter_services
from core.roles import Role
from declarations import services as declaration_services
from documents import services as documents
from documents.models import Document
from explanations.models import Letterhead
from registry import services
from security.models import SecurityEvent
from security.services import record_event
from tests.registry.factories import MembershipFactory, UserFactory
from tests.registry.reviews_support import opinion, submit
from tests.security.matrix.world import CHARTER_YEAR, build_world

from .canaries import Canaries

# Every role of A: each holds roles in A only. `porteur` owns A's use cases, `externe` sits on A's committee.
ROLES_OF_A = ("agent", "chef", "dpo", "rssi", "comite", "dgs", "admin", "porteur", "externe")
# The roles that write what names other objects (forms and bodies with references): the write attempts run as
# these, the reads as every role (a page costs about 0.1 s: the whole proof has to stay under 90 s).
ROLES_WRITING = ("admin", "dpo", "porteur")
ROLES_WRITING_FEW = ("admin", "dpo")


def _member(collectivite, username, role, service=None):
    user = UserFactory(username=username)
    MembershipFactory(user=user, collectivite=collectivite, role=role, service=service)
    return user


def _enrich_neighbour(world) -> None:
    """B gets people of every role and one object of every kind the matrix's world leaves out."""
    there, objects = world.collectivites["out"], world.objects["out"]
    service, owner = objects["service"], world.users["outsider"]
    people = {
        "agent": _member(there, "agent-voisin", Role.AGENT, service),
        "chef": _member(there, "chef-voisin", Role.HEAD_OF_SERVICE, service),
        "rssi": _member(there, "rssi-voisin", Role.RSSI),
        "dgs": _member(there, "dgs-voisin", Role.DGS),
        "admin": _member(there, "admin-voisin", Role.ADMIN),
        "dpo": owner,
    }
    world.neighbours = people
    # A use case reviewed by the DPO and the RSSI (with conditions), on the committee's agenda, voted on.
    from tests.registry.factories import UseCaseFactory

    case = UseCaseFactory(
        collectivite=there, service=service, owner=owner, tool=objects["tool"], personal_data_categories=["health"]
    )
    review = submit(case)
    opinion(review, people["dpo"], "dpo", "favourable_with_conditions", comment="Avis DPO voisin")
    opinion(review, people["rssi"], "rssi", "favourable_with_conditions", comment="Avis RSSI voisin")
    review.refresh_from_db()
    item = services.agenda_add(session=objects["session"], review=review, acting_user=people["dpo"])
    services.vote_cast(
        item=item, acting_user=objects["committee_member"].user, choice="favourable", comment="Vote voisin"
    )
    objects.update(reviewed_case=case, reviewed_review=review, voted_item=item)
    # A named and an anonymous declaration, through the service.
    for anonymous in (False, True):
        declaration, _created = declaration_services.declaration_submit(
            collectivite=there,
            acting_user=people["agent"],
            data={
                "tool": None,
                "tool_name": "Outil libre voisin",
                "category": "general_chatbot",
                "tasks": "Tâches déclarées chez le voisin",
                "frequency": "weekly",
                "device": "work_pc",
                "account": "professional",
                "data_entered": ["public"],
                "output_use": ["personal_draft"],
                "human_review": "always",
                "time_saved_minutes": 30,
                "need": "Besoin exprimé chez le voisin",
            },
            anonymous=anonymous,
            submission_key=uuid.uuid4(),
            rate_limited=False,
        )
        objects["anonymous_declaration" if anonymous else "named_declaration"] = declaration
    # The charter: a published edition of the year, acknowledged by an agent.
    edition = charter_services.edition_create(collectivite=there, acting_user=owner, year=CHARTER_YEAR)
    edition = charter_services.edition_publish(edition=edition, acting_user=people["dgs"])
    charter_services.acknowledge(edition=edition, acting_user=people["agent"])
    objects["published_charter"] = edition
    # B's letterhead for the letters answering requests for an explanation (its address must never show at A's).
    Letterhead.objects.create(
        collectivite=there, postal_address="Hôtel de ville voisin", contact_email="dpo@voisine.example", place="Voisine"
    )
    # Security events of B.
    record_event(kind=SecurityEvent.Kind.EXPORT, actor=owner, collectivite=there, details={"format": "csv"})
    record_event(kind=SecurityEvent.Kind.LOGIN_FAILED, actor=None, username_attempted="dpo-voisin", collectivite=there)


def _generate_documents_of_a(world) -> dict[str, Document]:
    """A's documents, rendered for real (after B's canaries are in place)."""
    here, objects, dpo = world.collectivites["in"], world.objects["in"], world.users["dpo"]
    wanted = {
        "annual_report": {"kind": Document.Kind.ANNUAL_REPORT, "year": CHARTER_YEAR},
        "charter": {"kind": Document.Kind.CHARTER, "year": CHARTER_YEAR},
        "use_case_report": {"kind": Document.Kind.USE_CASE_REPORT, "use_case": objects["in_production"]},
        "committee_minutes": {"kind": Document.Kind.COMMITTEE_MINUTES, "session": objects["session"]},
    }
    made = {}
    for name, subject in wanted.items():
        key = documents.subject_key(
            subject["kind"], use_case=subject.get("use_case"), session=subject.get("session"), year=subject.get("year")
        )
        document, _created = Document.objects.update_or_create(
            collectivite=here,
            kind=subject["kind"],
            subject_key=key,
            defaults={
                "use_case": subject.get("use_case"),
                "session": subject.get("session"),
                "year": subject.get("year"),
                "status": Document.Status.PENDING,
                "requested_by": dpo,
                "requested_at": timezone.now(),
            },
        )
        made[name] = documents.document_generate(document_id=document.pk)
    return made


def build_isolation_world():
    world = build_world()
    _enrich_neighbour(world)
    here, there = world.collectivites["in"], world.collectivites["out"]
    world.canaries = Canaries()
    world.canaries.fill(there, here)
    for scope in ("in", "out"):
        for value in world.objects[scope].values():
            if hasattr(value, "refresh_from_db"):
                value.refresh_from_db()
    for collectivite in (here, there):
        collectivite.refresh_from_db()
    world.documents = _generate_documents_of_a(world)
    world.roles = {role: world.users[role] for role in ROLES_OF_A if role in world.users}
    from registry.models import User

    world.roles["porteur"] = User.objects.get(username="porteur")
    world.roles["externe"] = User.objects.get(username="externe")
    world.generated_at = datetime.datetime.now()
    return world
