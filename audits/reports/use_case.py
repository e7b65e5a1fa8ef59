"""The audit report of one use case: its complete file (identity, classification with its reasons, impact
assessments, every review round, checkpoints with their attestations, incidents, history and trail of events).

It is handed to the CNIL, to auditors and to the elected council, so it reads what the register holds and nothing
else, at a fixed number of queries whatever the length of the use case's life.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.models import Attestation, Document
from audits.pdf import PdfSpec
from registry import presenters, rules
from registry.choices import MemberVote, ReviewerRole
from registry.models import UseCase
from registry.selectors import use_case_history, use_case_reviews

# Which of the engine's reasons explain each verdict (by reason code prefix). A reason may explain several
# verdicts (a prohibited practice both classifies the use and blocks it); those explaining none are listed apart.
RISK_REASONS = (
    "art5_prohibited",
    "annex_iii_high",
    "annex_iii_profiling",
    "art6_3_exempt",
    "art50_",
    "minimal",
    "deployer_duties",
    "right_to_explanation",
)
RGPD_REASONS = ("rgpd_",)
OBLIGATION_REASONS = {
    "dpia_required": ("dpia_",),
    "fria_required": ("fria", "annex_iii_point_2"),
    "eu_registration_required": ("eu_registration", "annex_iii_point_2"),
    "crpa_mention_required": ("crpa_mention", "art22_safeguards"),
    "public_register_required": ("public_register",),
    "ethics_review_required": ("ethics_",),
    "blocked": ("art5_prohibited", "block_"),
}

SECTIONS = (
    ("identity", gettext_lazy("Identity of the use case")),
    ("classification", gettext_lazy("Classification")),
    ("assessments", gettext_lazy("Impact assessments")),
    ("reviews", gettext_lazy("Review rounds")),
    ("checkpoints", gettext_lazy("Human-control checkpoints")),
    ("incidents", gettext_lazy("Incidents")),
    ("history", gettext_lazy("History of changes")),
    ("events", gettext_lazy("Trail of events")),
)


def _matching(reasons, prefixes) -> list:
    return [reason for reason in reasons if reason.code.startswith(prefixes)]


def classification(use_case: UseCase) -> dict:
    """The verdicts of the engine, each with the reasons (and their legal basis) behind it."""
    reasons = use_case.reasons
    used: set[str] = set()

    def take(prefixes):
        found = _matching(reasons, prefixes)
        used.update(reason.code for reason in found)
        return found

    risk_reasons = take(RISK_REASONS)
    rgpd_reasons = take(RGPD_REASONS)
    obligations = [
        {
            "code": code,
            "label": label,
            "basis": basis,
            "required": bool(getattr(use_case, code)),
            "reasons": take(OBLIGATION_REASONS[code]),
        }
        for code, label, basis in (
            *presenters.OBLIGATION_FLAGS,
            ("blocked", gettext_lazy("Use blocked by the rules"), ""),
        )
    ]
    return {
        "risk_label": use_case.get_ai_act_risk_display(),
        "risk_reasons": risk_reasons,
        "rgpd_label": use_case.get_rgpd_sensitivity_display(),
        "rgpd_reasons": rgpd_reasons,
        "obligations": obligations,
        "blocking_reasons": [reason for reason in reasons if reason.kind == rules.BLOCKING],
        "other_groups": [
            {"label": rules.KIND_LABELS[kind], "reasons": members}
            for kind in rules.KIND_ORDER
            if (members := [reason for reason in reasons if reason.kind == kind and reason.code not in used])
        ],
        "checkpoints": use_case.checkpoint_items,
    }


def _opinions_by_role(review) -> dict:
    return {opinion.role: opinion for opinion in review.opinions.all()}


def assessments(use_case: UseCase, reviews: list) -> dict:
    """The DPIA and FRIA as the last decided review round left them (the DPO's and the RSSI's assessment)."""
    decided = next((review for review in reviews if review.decision), None)
    opinions = _opinions_by_role(decided) if decided else {}
    dpo, rssi = opinions.get(ReviewerRole.DPO), opinions.get(ReviewerRole.RSSI)
    return {
        "review": decided,
        "dpia_required": use_case.dpia_required,
        "dpia_status": dpo.get_dpia_status_display() if dpo and dpo.dpia_status else "",
        "fria_required": use_case.fria_required,
        "eu_registration_required": use_case.eu_registration_required,
        "homologation_status": rssi.get_homologation_status_display() if rssi and rssi.homologation_status else "",
        "dpo": dpo,
        "rssi": rssi,
    }


def tally(votes: list) -> dict:
    """Members' opinions counted by choice (in the choices' order), and the conflicts of interest apart."""
    counts = Counter(vote.choice for vote in votes if not vote.conflict_of_interest)
    return {
        "choices": [(label, counts[value]) for value, label in MemberVote.choices if counts[value]],
        "voters": sum(counts.values()),
        "conflicts": sum(1 for vote in votes if vote.conflict_of_interest),
    }


def _rounds(reviews: list, checkpoint_by_condition: dict) -> list[dict]:
    rounds = []
    for review in sorted(reviews, key=lambda r: r.number):
        opinions = _opinions_by_role(review)
        items = []
        for item in review.agenda_items.all():
            votes = list(item.votes.all())
            items.append({"item": item, "session": item.session, "votes": votes, "tally": tally(votes)})
        rounds.append(
            {
                "review": review,
                "opinions": [
                    {"role": value, "label": label, "opinion": opinions.get(value)}
                    for value, label in ReviewerRole.choices
                ],
                "conditions": [
                    {"condition": condition, "checkpoint": checkpoint_by_condition.get(condition.pk)}
                    for condition in review.conditions.all()
                ],
                "items": items,
            }
        )
    return rounds


def evidence_fingerprint(attestation: Attestation) -> str | None:
    """SHA-256 of the evidence file as stored today, so a reader can check the copy they are given.

    None when the attestation has no evidence; "" when the file is missing from the storage."""
    if not attestation.evidence:
        return None
    stored = getattr(attestation, "evidence_sha256", "")
    if stored:
        return stored
    digest = hashlib.sha256()
    try:
        with attestation.evidence.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
    except (FileNotFoundError, OSError):
        return ""
    return digest.hexdigest()


def _checkpoints(use_case: UseCase) -> list[dict]:
    checkpoints = (
        use_case.checkpoints.select_related("type", "owner", "condition")
        .prefetch_related(
            Prefetch(
                "attestations",
                queryset=Attestation.objects.select_related("attested_by").order_by("performed_on", "id"),
            )
        )
        .order_by("-active", "type__code", "id")
    )
    rows = []
    for checkpoint in checkpoints:
        attestations = list(checkpoint.attestations.all())
        by_pk = {attestation.pk: attestation for attestation in attestations}
        corrected_by: dict[int, list] = {}
        for attestation in attestations:
            if attestation.corrects_id:
                corrected_by.setdefault(attestation.corrects_id, []).append(attestation)
        rows.append(
            {
                "checkpoint": checkpoint,
                "attestations": [
                    {
                        "attestation": attestation,
                        "corrects": by_pk.get(attestation.corrects_id),
                        "corrected_by": corrected_by.get(attestation.pk, []),
                        "fingerprint": evidence_fingerprint(attestation),
                    }
                    for attestation in attestations
                ],
            }
        )
    return rows


def context(use_case: UseCase) -> dict:
    """Everything the report shows, loaded at a fixed number of queries (prefetches; no query in the template)."""
    reviews = use_case_reviews(use_case)
    checkpoints = _checkpoints(use_case)
    checkpoint_by_condition = {
        row["checkpoint"].condition_id: row["checkpoint"] for row in checkpoints if row["checkpoint"].condition_id
    }
    return {
        "use_case": use_case,
        "sections": presenters.use_case_sections(use_case),
        "classification": classification(use_case),
        "assessments": assessments(use_case, reviews),
        "rounds": _rounds(reviews, checkpoint_by_condition),
        "checkpoints": checkpoints,
        "incidents": list(use_case.incidents.select_related("reported_by").order_by("occurred_at", "id")),
        "history": list(reversed(use_case_history(use_case))),  # oldest first, as the rest of the file
        "events": list(use_case.events.select_related("actor", "review").order_by("created_at", "id")),
    }


def build(document: Document) -> PdfSpec:
    use_case = UseCase.objects.select_related("collectivite", "service", "owner", "tool").get(pk=document.use_case_id)
    # Built in the collectivité's language, as it is rendered (a worker has no request to take it from).
    with translation.override(settings.LANGUAGE_CODE):
        return PdfSpec(
            template="documents/use_case_report.html",
            title=_("Use case audit report"),
            subtitle=f"{use_case.reference} — {use_case.name}",
            context=context(use_case),
            toc=[(anchor, str(label)) for anchor, label in SECTIONS],
        )
