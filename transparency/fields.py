"""What a public record may hold: the catalogue of publishable fields, and the record built from them.

The record (`Publication.content`) is a flat dict of stable keys (the public vocabulary of the API and the
CSV). Codes stay codes in the record (labels are rendered in the reader's language); texts come from the
publication's public wording, never from the use case's internal texts. Which classification inputs a field shows,
and under which keys, is declared with the inputs (`registry.classification_inputs`, `public_field`/`public_key`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import labels, typography
from registry import classification_inputs
from registry.choices import ProgressStatus, UseCaseStatus


@dataclass(frozen=True)
class PublicField:
    code: str
    label: str
    keys: tuple[str, ...]  # the record's keys this field fills
    help: str = ""
    # Part of "the rules defining the processing" that CRPA L312-1-3 has published when the use founds
    # individual decisions: the DPO cannot hide it then.
    required_by_l312: bool = False


def _input_keys(code: str) -> tuple[str, ...]:
    """The record's keys of the classification inputs a public field shows (their declaration says which)."""
    return tuple(item.record_key for item in classification_inputs.public_inputs(code))


def _input_values(code: str, use_case) -> dict:
    """The values of the classification inputs a public field shows, as the record keeps them (codes, lists)."""
    values = {}
    for item in classification_inputs.public_inputs(code):
        value = getattr(use_case, item.name)
        values[item.record_key] = list(value or ()) if item.multiple else value
    return values


FIELDS: tuple[PublicField, ...] = (
    PublicField(
        "purpose", _("Purpose"), ("purpose",), _("The need the algorithm answers and what it is used for."), True
    ),
    PublicField("service", _("Service"), ("service",), _("The service that runs the algorithm.")),
    PublicField(
        "automation",
        _("Level of automation"),
        (*_input_keys("automation"), "decisions_per_year"),
        _("How much the algorithm contributes to decisions about persons, and how many decisions a year."),
        True,
    ),
    PublicField(
        "human_intervention",
        _("Human intervention"),
        ("human_intervention",),
        _("Who checks what the algorithm produces, and how."),
        True,
    ),
    PublicField(
        "data_sources", _("Data and sources"), ("data_sources",), _("The data processed and where it comes from."), True
    ),
    PublicField(
        "personal_data",
        _("Personal data"),
        _input_keys("personal_data"),
        _("The categories of personal data processed."),
    ),
    PublicField("legal_basis", _("Legal basis"), ("legal_basis",), _("The text the processing is founded on."), True),
    PublicField("risk", _("Risk level (AI Act)"), ("ai_act_risk",), _("The risk level under the European AI Act.")),
    PublicField(
        "impact_assessments",
        _("Impact assessments"),
        ("dpia_required", "dpia_status", "fria_required", "fria_status"),
        _("Whether a data protection (DPIA) or a fundamental rights (FRIA) impact assessment is required, and done."),
    ),
    PublicField("technique", _("Technique"), _input_keys("technique"), _("The kind of algorithm or model.")),
    PublicField("tool", _("Tool and provider"), ("tool", "provider"), _("The software used and who supplies it.")),
    PublicField("hosting", _("Hosting"), _input_keys("hosting"), _("Where the data is hosted.")),
    PublicField(
        "audience", _("People concerned"), _input_keys("audience"), _("Who is affected: agents, the public, or both.")
    ),
    PublicField("dates", _("Dates of use"), ("start_date", "end_date"), _("When the use started (and ended).")),
)
FIELDS_BY_CODE = {field.code: field for field in FIELDS}
FIELD_CODES = tuple(FIELDS_BY_CODE)
L312_FIELD_CODES = frozenset(field.code for field in FIELDS if field.required_by_l312)
# Keys every record holds, whatever the DPO chose.
ALWAYS_KEYS = (
    "reference",
    "name",
    "summary",
    "contact",
    "crpa_mention_required",
    "crpa_mention",
    "public_register_required",
)
RECORD_KEYS = (*ALWAYS_KEYS, *(key for field in FIELDS for key in field.keys))
# Keys the public reader gets beside the record (not frozen: the publication's own dates and lifecycle).
META_KEYS = ("collectivite", "lifecycle", "first_published_at", "published_at")


class Lifecycle:
    """The public status of an algorithm (the Dutch register's vocabulary): never the internal workflow."""

    IN_DEVELOPMENT = "in_development"
    IN_USE = "in_use"
    OUT_OF_USE = "out_of_use"
    CHOICES = (
        (IN_DEVELOPMENT, pgettext_lazy("algorithm lifecycle", "In development")),
        (IN_USE, pgettext_lazy("algorithm lifecycle", "In use")),
        (OUT_OF_USE, pgettext_lazy("algorithm lifecycle", "No longer in use")),
    )
    # A suspension is an internal measure: the public sees the algorithm as in use until it is retired.
    BY_STATUS = {
        UseCaseStatus.IN_PRODUCTION: IN_USE,
        UseCaseStatus.SUSPENDED: IN_USE,
        UseCaseStatus.RETIRED: OUT_OF_USE,
    }
    STATUSES = {
        IN_USE: (UseCaseStatus.IN_PRODUCTION, UseCaseStatus.SUSPENDED),
        OUT_OF_USE: (UseCaseStatus.RETIRED,),
    }

    @classmethod
    def of(cls, status: str) -> str:
        return cls.BY_STATUS.get(status, cls.IN_DEVELOPMENT)

    @classmethod
    def label(cls, code: str) -> str:
        return labels.label(cls.CHOICES, code)


# Use cases that may be published: reviewed or being reviewed, never a draft, a rejected or a blocked one.
PUBLISHABLE_STATUSES = frozenset(
    {
        UseCaseStatus.SUBMITTED,
        UseCaseStatus.IN_REVIEW,
        UseCaseStatus.APPROVED,
        UseCaseStatus.APPROVED_WITH_CONDITIONS,
        UseCaseStatus.IN_PRODUCTION,
        UseCaseStatus.SUSPENDED,
        UseCaseStatus.RETIRED,
    }
)


def default_crpa_mention(*, collectivite_name: str, name: str, contact: str) -> str:
    """The L311-3-1 mention, with the R311-3-1-2 elements available on request, ready to paste into decisions."""
    return str(
        _(
            "This decision was taken on the basis of an algorithmic processing (“%(name)s”), in accordance with "
            "article L311-3-1 of the Code des relations entre le public et l'administration. On request, "
            "%(collectivite)s will tell you the rules defining this processing and the main characteristics of its "
            "implementation: "
            "the degree and manner in which the algorithm contributed to the decision, the data processed and its "
            "sources, the processing parameters and their weighting applied to your situation, and the operations "
            "carried out (article R311-3-1-2). Write to: %(contact)s."
        )
        % {"name": name, "collectivite": typography.with_article(collectivite_name), "contact": contact}
    )


def build_record(publication, use_case) -> dict:
    """The public record of a publication: its public wording, and the structured facts of the use case it
    chose to show. Only keys of `RECORD_KEYS`; optional keys are absent when their field is not published."""
    chosen = set(publication.fields) | (L312_FIELD_CODES if use_case.public_register_required else set())
    record = {
        "reference": use_case.reference,
        "name": publication.name,
        "summary": publication.summary,
        "contact": publication.contact,
        "crpa_mention_required": use_case.crpa_mention_required,
        "crpa_mention": publication.crpa_mention if use_case.crpa_mention_required else "",
        "public_register_required": use_case.public_register_required,
    }
    values = {
        "purpose": {"purpose": publication.purpose},
        "service": {"service": use_case.service.name},
        "automation": {**_input_values("automation", use_case), "decisions_per_year": use_case.decisions_per_year},
        "human_intervention": {"human_intervention": publication.human_intervention},
        "data_sources": {"data_sources": publication.data_sources},
        "personal_data": _input_values("personal_data", use_case),
        "legal_basis": {"legal_basis": publication.legal_basis},
        "risk": {"ai_act_risk": use_case.ai_act_risk},
        "impact_assessments": {
            "dpia_required": use_case.dpia_required,
            "dpia_status": publication.dpia_status or (ProgressStatus.TO_DO if use_case.dpia_required else ""),
            "fria_required": use_case.fria_required,
            "fria_status": publication.fria_status or (ProgressStatus.TO_DO if use_case.fria_required else ""),
        },
        "technique": _input_values("technique", use_case),
        "tool": {
            "tool": use_case.tool.name if use_case.tool_id else "",
            "provider": use_case.tool.vendor if use_case.tool_id else "",
        },
        "hosting": _input_values("hosting", use_case),
        "audience": _input_values("audience", use_case),
        "dates": {
            "start_date": use_case.start_date.isoformat() if use_case.start_date else None,
            "end_date": use_case.end_date.isoformat() if use_case.end_date else None,
        },
    }
    for field in FIELDS:
        if field.code in chosen:
            record.update(values[field.code])
    unknown = set(record) - set(RECORD_KEYS)
    if unknown:  # a key the public record does not define would reach the public unlisted
        raise ValueError(f"Keys outside the public record: {sorted(unknown)}")
    return record


def normalise(text: str) -> str:
    """Lower case, no accents, single spaces: what the public search compares."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def search_text_of(record: dict) -> str:
    parts = [
        record.get(key) or ""
        for key in ("reference", "name", "summary", "purpose", "service", "data_sources", "tool", "provider")
    ]
    return normalise(" ".join(str(part) for part in parts))
