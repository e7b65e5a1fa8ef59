"""Builders and readers for the PDF report tests: a use case taken through its whole life by the real services, and
the text of a rendered PDF as a reader sees it."""

from __future__ import annotations

import datetime
import io
import re

import pypdf
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audits import services as audits
from core.roles import Role
from registry import services as registry
from registry.models import User
from tests.registry.factories import MembershipFactory, UserFactory
from tests.registry.reviews_support import opinion, session, submit

# Eligibility for social aid (AI Act Annex III point 5a) with health data, deciding about persons: high risk, DPIA,
# FRIA, EU registration, CRPA mention, public register and the ethics committee.
HIGH_RISK_AID = {
    "name": "Pré-instruction des demandes d'aide sociale facultative",
    "summary": "L'outil prépare l'instruction des demandes d'aide du CCAS ; un travailleur social décide.",
    "purpose": "Réduire le délai de réponse aux demandes d'aide d'urgence.",
    "technique": "ml_predictive",
    "audience": "public",
    "annex_iii_point": "5a",
    "automation_level": "assist",
    "individual_decisions": True,
    "personal_data_categories": ["ordinary", "financial", "health"],
    "large_scale": True,
    "max_data_classification": "C2",
    "hosting_zone": "fr",
    "provider_reuse_disabled": True,
    "lawful_basis": "Mission d'intérêt public (RGPD, art. 6(1)(e)) ; CASF, art. L123-5.",
    "processing_record_ref": "RT-2026-017",
    "data_sources": "Dossiers de demande d'aide, barèmes du CCAS.",
    "decisions_per_year": 1800,
    "human_oversight": "Chaque proposition est relue et validée par un travailleur social nommé.",
}
EVIDENCE = b"%PDF-1.7\n% compte rendu de controle\n"


def fresh(user) -> User:
    """The user as a new request sees them (roles and committee seat are cached per request on the object)."""
    return User.objects.get(pk=user.pk)


def member(collectivite, username, role, service=None) -> User:
    user = UserFactory(username=username)
    MembershipFactory(user=user, collectivite=collectivite, role=role, service=service)
    return user


def aid_use_case(collectivite, services, owner, **overrides):
    return registry.use_case_create(
        collectivite=collectivite,
        acting_user=owner,
        data={**HIGH_RISK_AID, "service": services["ccas"], **overrides},
    )


def return_rounds(use_case, users, count: int):
    """`count` review rounds sent back to the owner for changes (each a withdrawn round with a DPO opinion)."""
    for number in range(count):
        review = submit(use_case, use_case.owner)
        opinion(review, fresh(users["dpo"]), "dpo", "favourable_with_conditions", dpia_status="in_progress")
        registry.review_return_for_changes(
            review=review, acting_user=fresh(users["rssi"]), comment=f"Compléter le dossier, tour {number + 1}."
        )
        use_case.refresh_from_db()
    return use_case


def committee_decision(use_case, users, committee, *, held_on=None):
    """The case through the DPO's and RSSI's opinions and a committee session: a favourable vote, an unfavourable
    vote, the CCAS member's conflict of interest, and the chair's favourable opinion with conditions."""
    review = submit(use_case, use_case.owner)
    opinion(
        review,
        fresh(users["dpo"]),
        "dpo",
        "favourable_with_conditions",
        comment="Données de santé : accès limité aux travailleurs sociaux.",
        conditions=["Purger les pièces médicales après instruction."],
        legal_basis="Mission d'intérêt public, art. 6(1)(e).",
        dpia_status="done",
        processing_record_ref="RT-2026-017",
        retention="Durée de l'instruction plus 2 ans.",
    )
    opinion(
        review,
        fresh(users["rssi"]),
        "rssi",
        "favourable",
        hosting_assessment="Hébergement SecNumCloud en France.",
        data_classification="C2",
        vendor_reuse="disabled",
        homologation_status="in_progress",
    )
    review.refresh_from_db()
    meeting = session(
        use_case.collectivite,
        {"dpo": fresh(users["dpo"])},
        held_on=held_on or timezone.now() - datetime.timedelta(hours=1),
        place="Salle du conseil municipal",
        notes="Séance consacrée aux aides sociales.",
    )
    item = registry.agenda_add(session=meeting, review=review, acting_user=fresh(users["dpo"]))
    registry.vote_cast(item=item, acting_user=fresh(committee["chair"].user), choice="favourable", comment="Utile.")
    registry.vote_cast(
        item=item,
        acting_user=fresh(committee["external"].user),
        choice="unfavourable",
        comment="Risque d'exclusion des demandeurs sans dossier numérique.",
    )
    registry.conflict_declare(
        item=item, acting_user=fresh(committee["ccas"].user), comment="Je travaille au CCAS, service porteur."
    )
    registry.committee_opinion_record(
        item=item,
        acting_user=fresh(committee["chair"].user),
        opinion="favourable_with_conditions",
        comment="Avis favorable à la majorité, sous réserve d'un recours humain.",
        conditions=["Proposer un rendez-vous à tout demandeur qui le souhaite."],
    )
    use_case.refresh_from_db()
    meeting.refresh_from_db()
    return review, meeting, item


def attest(checkpoint, owner, days_ago: int, **data):
    return audits.attestation_record(
        checkpoint=checkpoint,
        acting_user=owner,
        performed_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        **data,
    )


def evidence_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("controle-mars.pdf", EVIDENCE, content_type="application/pdf")


def incident(use_case, user, **data):
    return audits.incident_record(
        use_case=use_case,
        acting_user=user,
        data={
            "occurred_at": timezone.now() - datetime.timedelta(hours=5),
            "description": "Une proposition a écarté une demande complète.",
            "severity": "major",
            "persons_affected": 1,
            "personal_data_breach": True,
            "actions_taken": "Demande réexaminée par la cheffe de service.",
            **data,
        },
    )


# Reading a PDF -------------------------------------------------------------------------------------------------
def normalise(text: str) -> str:
    """Words as a reader reads them: hyphenation at line ends undone, every kind of space and line break as one
    space (French typography puts narrow no-break spaces before « : ; ! ? »)."""
    text = str(text)
    text = re.sub(r"[\u2010\u00ad]\n", "", text)  # automatic hyphenation
    text = re.sub(r"-\n", "-", text)  # a line broken after a real hyphen
    return re.sub(r"[\s\u202f\u00a0]+", " ", text).strip()


def pdf_pages(content: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return [page.extract_text() or "" for page in reader.pages]


def pdf_text(content: bytes) -> str:
    return normalise("\n".join(pdf_pages(content)))


def missing(text: str, expected) -> list[str]:
    """The expected phrases the text does not contain (compared as normalised text)."""
    return [str(phrase) for phrase in expected if normalise(phrase) not in text]


__all__ = [
    "Role",
    "aid_use_case",
    "attest",
    "committee_decision",
    "evidence_file",
    "fresh",
    "incident",
    "member",
    "missing",
    "normalise",
    "pdf_pages",
    "pdf_text",
    "return_rounds",
]
