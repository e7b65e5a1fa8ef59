"""The audit report of one use case: its complete file (identity, qualification from the plain facts, classification
with its reasons, impact assessments, every review round, checkpoints with their attestations, incidents, history and
trail of events).

It is handed to the CNIL, to auditors and to the elected council, so it reads what the register holds and nothing
else, at a fixed number of queries whatever the length of the use case's life.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits import schedule
from audits.models import Attestation
from documents.models import Document
from documents.pdf import PdfSpec
from registry import presenters, qualification, rules
from registry.choices import MemberVote, ProgressStatus, ReviewerRole
from registry.models import UseCase
from registry.selectors import use_case_history, use_case_reviews
from registry.selectors.assessments import dpia_status, with_dpia_status

SECTIONS = (
    ("identity", gettext_lazy("Identity of the use case")),
    ("qualification", gettext_lazy("Qualification")),
    ("classification", gettext_lazy("Classification")),
    ("assessments", gettext_lazy("Impact assessments")),
    ("reviews", gettext_lazy("Review rounds")),
    ("checkpoints", gettext_lazy("Human-control checkpoints")),
    ("incidents", gettext_lazy("Incidents")),
    ("history", gettext_lazy("History of changes")),
    ("events", gettext_lazy("Trail of events")),
)


# The headings of the reasons that support no verdict (duties of their own, warnings, information), by kind.
OTHER_REASONS_TITLES = {
    rules.CLASSIFICATION: gettext_lazy("Other findings"),
    rules.OBLIGATION: gettext_lazy("Other obligations"),
    rules.WARNING: gettext_lazy("Warnings"),
    rules.INFORMATION: gettext_lazy("Information"),
}
BLOCKED_FLAG = ("blocked", gettext_lazy("Use blocked by the rules"), "")
# The obligations that only the AI Act sets: they do not apply to what is not an AI system.
AI_ACT_OBLIGATIONS = (rules.FRIA, rules.EU_REGISTRATION)


def applicable_from(reasons) -> datetime.date | None:
    """The date from which what the reasons ask applies, while every one of them awaits its AI Act date of
    application; None as soon as one applies already, or applies whatever the date (the RGPD, the CRPA)."""
    if reasons and all(reason.pending for reason in reasons):
        return min(reason.applies_from for reason in reasons)
    return None


def classification(use_case: UseCase) -> dict:
    """The verdicts of the engine, each with the reasons that support it (`Reason.supports`) and their basis, and
    the date from which each AI Act obligation applies while it is still to come."""
    reasons = use_case.reasons

    def supporting(verdict: str) -> list[rules.Reason]:
        return [reason for reason in reasons if verdict in reason.supports]

    risk = supporting(rules.AI_ACT_RISK)
    risk_findings = [reason for reason in risk if reason.kind != rules.OBLIGATION]
    obligations = []
    for code, label, basis in (*presenters.OBLIGATION_FLAGS, BLOCKED_FLAG):
        found = supporting(code)
        required = bool(getattr(use_case, code))
        obligations.append(
            {
                "code": code,
                "label": label,
                "basis": basis,
                "required": required,
                "not_applicable": code in AI_ACT_OBLIGATIONS and not use_case.ai_system,
                "reasons": found,
                "applies_from": (
                    applicable_from([reason for reason in found if reason.kind != rules.INFORMATION])
                    if required
                    else None
                ),
            }
        )
    return {
        "ai_system": use_case.ai_system,
        "ruleset": use_case.classification_ruleset,
        "risk": use_case.ai_act_risk,
        "risk_label": use_case.get_ai_act_risk_display(),
        # Why the use has its level, then what the level asks of the collectivité (art. 26, 73, 86, 16...).
        "risk_reasons": risk_findings,
        "risk_duties": [reason for reason in risk if reason.kind == rules.OBLIGATION],
        # The level's regime applies from its date (an undated finding, e.g. art. 6(3) refused, states no duty).
        "risk_applies_from": applicable_from([reason for reason in risk_findings if reason.applies_from]),
        "rgpd_label": use_case.get_rgpd_sensitivity_display(),
        "rgpd_reasons": supporting(rules.RGPD_SENSITIVITY),
        "obligations": obligations,
        "blocking_reasons": [reason for reason in reasons if reason.kind == rules.BLOCKING],
        "other_groups": [
            {"kind": kind, "label": OTHER_REASONS_TITLES.get(kind, rules.KIND_LABELS[kind]), "reasons": members}
            for kind in rules.KIND_ORDER
            if (members := [reason for reason in reasons if reason.kind == kind and not reason.supports])
        ],
        "checkpoints": use_case.checkpoint_items,
    }


# Where a question that went to the DPO stands.
QUESTION_WAITING, QUESTION_CONFIRMED, QUESTION_OVERRIDDEN = "waiting", "confirmed", "overridden"


def qualification_part(use_case: UseCase) -> dict:
    """The guided qualification as the file keeps it (DOMAIN.md 3b): the plain facts answered, « Je ne sais pas »
    included, numbered; each legal input with its article, the answers it comes from (by their number) and its source
    (the answers; the DPO's override with its justification, who, when, and what the answers derive beside it; or the
    value recorded before the questionnaire); every question the answers sent to the DPO with where it stands, and her
    confirmation; the facts still to answer. The rows are those of the use case's page
    (`presenters.qualification_context`)."""
    outcome = use_case.qualification_outcome()
    view = presenters.qualification_context(outcome, use_case=use_case)
    facts = use_case.answers()
    answers = []
    for fact in qualification.FACTS:
        codes = facts[fact.name] if fact.multiple else [facts[fact.name]] if facts[fact.name] else []
        if not codes:
            continue
        answers.append(
            {
                "number": len(answers) + 1,
                "name": fact.name,
                "question": str(fact.question),
                "answers": [fact.label_of(code) for code in codes],
                "unknown": qualification.UNKNOWN in codes,
                # A follow-up the answers before it now close: kept, but no longer read.
                "asked": qualification.is_open(fact.name, facts),
            }
        )
    numbers = {answer["name"]: answer["number"] for answer in answers}
    derivation = outcome.derivation
    rows = []
    for row in view["rows"]:
        derived = derivation.derived.get(row["name"]) or derivation.amended.get(row["name"])
        because = []
        if derived is not None and row["source"] != qualification.STORED_SOURCE:
            because = [{"number": numbers.get(item.fact), "text": item.text} for item in derived.because]
        rows.append({**row, "because": because})

    stored = dict(use_case.qualification_confirmation or {})
    overrides = use_case.qualification_overrides or {}
    questions = []
    for question in derivation.questions:
        if question.fact in outcome.missing:
            continue  # a fact to complete: the recorded legal answers stand meanwhile
        if all(
            name in overrides or outcome.sources.get(name) == qualification.STORED_SOURCE for name in question.inputs
        ):
            status = QUESTION_OVERRIDDEN
        elif qualification.confirmed([question], outcome.inputs, stored):
            status = QUESTION_CONFIRMED
        else:
            status = QUESTION_WAITING
        questions.append(
            {
                "fact": question.fact,
                "number": numbers.get(question.fact),
                "text": question.text,
                "reason_label": question.reason_label,
                "inputs": [presenters.input_label(name) for name in question.inputs],
                "status": status,
            }
        )
    # The DPO's last confirmation, even when a later change of the answers asks for a new one.
    confirmation = None
    if stored:
        confirmation = {
            "by_name": stored.get("by_name", ""),
            "at": parse_datetime(stored.get("at") or ""),
            "comment": stored.get("comment", ""),
            "questions": [
                str(qualification.FACTS_BY_NAME[name].question)
                for name in stored.get("questions") or ()
                if name in qualification.FACTS_BY_NAME
            ],
            "current": all(question["status"] != QUESTION_WAITING for question in questions),
        }
    return {
        **view,
        "answers": answers,
        "unknown_answers": sum(1 for answer in answers if answer["unknown"]),
        "rows": rows,
        "questions": questions,
        "confirmation": confirmation,
    }


def _events(use_case: UseCase) -> list[dict]:
    """The trail of events, a qualification event with what it changed (the legal answer old -> new, the questions
    confirmed)."""
    return [
        {"event": event, "qualification": presenters.qualification_event(event)}
        for event in use_case.events.select_related("actor", "review").order_by("created_at", "id")
    ]


def _opinions_by_role(review) -> dict:
    return {opinion.role: opinion for opinion in review.opinions.all()}


def _dpia_label(use_case: UseCase) -> str:
    """Where the DPIA stands as the DPO's opinions state it (`registry.selectors.assessments`), "" where they do not."""
    status = dpia_status(use_case)
    return str(dict(ProgressStatus.choices).get(status, status)) if status else ""


def assessments(use_case: UseCase, reviews: list, verdicts: dict | None = None) -> dict:
    """The AIPD as the DPO's opinions state it (the one rule of `registry.selectors.assessments`), the AIDF and the
    RSSI's homologation as the last decided review round left them, with the date from which an AI Act assessment
    applies while it is to come (`verdicts`: `classification(use_case)`)."""
    decided = next((review for review in reviews if review.decision), None)
    opinions = _opinions_by_role(decided) if decided else {}
    dpo, rssi = opinions.get(ReviewerRole.DPO), opinions.get(ReviewerRole.RSSI)
    obligations = {row["code"]: row for row in (verdicts or classification(use_case))["obligations"]}
    return {
        "review": decided,
        "dpia_required": use_case.dpia_required,
        "dpia_status": _dpia_label(use_case),
        "fria_required": use_case.fria_required,
        "fria_applies_from": obligations["fria_required"]["applies_from"],
        "eu_registration_required": use_case.eu_registration_required,
        "eu_registration_applies_from": obligations["eu_registration_required"]["applies_from"],
        "ai_act_applies": use_case.ai_system,
        "labels": {code: row["label"] for code, row in obligations.items()},
        "bases": {code: row["basis"] for code, row in obligations.items()},
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
    verdicts = classification(use_case)
    return {
        "use_case": use_case,
        "sections": presenters.use_case_sections(use_case),
        "qualification": qualification_part(use_case),
        "classification": verdicts,
        "assessments": assessments(use_case, reviews, verdicts),
        "rounds": _rounds(reviews, checkpoint_by_condition),
        "checkpoints": checkpoints,
        "controls_run": schedule.controls_run(use_case),
        "incidents": list(use_case.incidents.select_related("reported_by").order_by("occurred_at", "id")),
        "history": list(reversed(use_case_history(use_case))),  # oldest first, as the rest of the file
        "events": _events(use_case),
    }


def build(document: Document) -> PdfSpec:
    use_case = with_dpia_status(UseCase.objects.select_related("collectivite", "service", "owner", "tool")).get(
        pk=document.use_case_id
    )
    # Built in the collectivité's language, as it is rendered (a worker has no request to take it from).
    with translation.override(settings.LANGUAGE_CODE):
        return PdfSpec(
            template="documents/use_case_report.html",
            title=_("Use case audit report"),
            subtitle=f"{use_case.reference} — {use_case.name}",
            context=context(use_case),
            toc=[(anchor, str(label)) for anchor, label in SECTIONS],
        )
