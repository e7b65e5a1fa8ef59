"""What the public register gives away as files and open data: the CSV, the mappings to the Dutch
Algoritmeregister and UK ATRS standards, the labels of the record's codes, and the HTTP caching of it all.

Everything here reads the dict of `selectors.public_record(publication)` and nothing else: a key the DPO did not
publish is absent from that dict, so it is absent (or empty) in every output. docs/transparency.md documents
every column and every field of both mappings.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import Count, Max
from django.utils import translation
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from registry import classification_inputs
from registry.choices import AiActRisk, AutomationLevel, ProgressStatus

from .fields import RECORD_KEYS, Lifecycle

# --------------------------------------------------------------------------------------------------------------
# Labels of the codes (the record keeps codes; the reader gets labels in their language).

_PUBLIC_INPUTS = tuple(item for item in classification_inputs.INPUTS if item.public_field and item.choices is not None)
CODED_KEYS = {
    "lifecycle": dict(Lifecycle.CHOICES),
    "ai_act_risk": dict(AiActRisk.choices),
    "dpia_status": dict(ProgressStatus.choices),
    "fria_status": dict(ProgressStatus.choices),
    # The classification inputs the record may show, with their declared codes (technique, audience…).
    **{item.record_key: dict(item.choices.choices) for item in _PUBLIC_INPUTS if not item.multiple},
}
# Keys holding a list of codes (personal data).
MULTI_CODED_KEYS = {item.record_key: dict(item.choices.choices) for item in _PUBLIC_INPUTS if item.multiple}


def code_label(key: str, code) -> str:
    """The label of one code in the active language ("" for an empty code, the code itself if unknown)."""
    if not code:
        return ""
    return str(CODED_KEYS[key].get(code, code))


def labels(record: dict) -> dict:
    """The labels of the codes present in a public record, in the active language."""
    result = {key: code_label(key, record[key]) for key in CODED_KEYS if record.get(key)}
    for key, names in MULTI_CODED_KEYS.items():
        if key in record:
            result[key] = [str(names.get(code, code)) for code in record[key]]
    return result


def public_language(request) -> str:
    """The language of the labels: `?lang=`, else the first supported one of Accept-Language, else French.

    Never the language cookie: a public, cacheable answer must depend only on what the URL and `Vary` name."""
    available = [code for code, _name in settings.LANGUAGES]
    wanted = (request.GET.get("lang") or "").strip().lower()[:10]
    if wanted in available:
        return wanted
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")[:200]
    for accepted, _quality in translation.trans_real.parse_accept_lang_header(header):
        code = accepted.split("-")[0].lower()
        if code in available:
            return code
    return settings.LANGUAGE_CODE


def public_params(query) -> dict[str, str]:
    """The visitor's filters without NUL characters (PostgreSQL refuses them in a query: a 500 otherwise)."""
    return {key: str(value).replace("\x00", "") for key, value in query.items()}


# --------------------------------------------------------------------------------------------------------------
# HTTP caching of public answers: an ETag from one aggregate query, 304 without reading a single record.

CACHE_CONTROL = "public, max-age=300"


def list_etag(queryset, *, request, language: str) -> tuple[str, int]:
    """A validator of a list of published records (what was published, withdrawn or re-published, and whether a
    use case changed lifecycle, changes it) and the number of records. One aggregate query."""
    stats = queryset.order_by().aggregate(
        count=Count("id"),
        published=Max("published_at"),
        updated=Max("updated_at"),
        use_case_updated=Max("use_case__updated_at"),
    )
    query = "&".join(sorted(f"{key}={value}" for key, values in request.GET.lists() for value in values))
    etag = _digest(stats["count"], stats["published"], stats["updated"], stats["use_case_updated"], query, language)
    return etag, stats["count"]


def record_etag(publication, *, language: str, extra: str = "") -> str:
    status = getattr(publication, "use_case_status", "")
    return _digest(publication.pk, publication.state, publication.updated_at, status, language, extra)


def _digest(*parts) -> str:
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:32]


def not_modified(request, etag: str) -> bool:
    """If-None-Match (weak comparison, several tags, `*`) matches the current ETag."""
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    if not header:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header[:2000].split(",")}
    return "*" in tags or quote_etag(etag) in tags


def set_public_headers(response, *, etag: str | None = None, language: str | None = None):
    """Cacheable by anyone (browsers, proxies), readable from any origin (open data)."""
    response["Cache-Control"] = CACHE_CONTROL
    response["Access-Control-Allow-Origin"] = "*"
    if etag:
        response["ETag"] = quote_etag(etag)
    if language:
        response["Content-Language"] = language
        response["Vary"] = "Accept-Language"
    return response


# --------------------------------------------------------------------------------------------------------------
# CSV: one column per public key, stable codes as headers.

META_COLUMNS = ("collectivite", "collectivite_slug")
TAIL_COLUMNS = ("lifecycle", "first_published_at", "published_at", "url")
CSV_COLUMNS = (*META_COLUMNS, *RECORD_KEYS, *TAIL_COLUMNS)
MULTI_VALUE_SEPARATOR = " | "
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection, OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        value = MULTI_VALUE_SEPARATOR.join(str(item) for item in value)
    elif hasattr(value, "isoformat"):
        value = value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def csv_row(record: dict, *, url: str = "") -> list[str]:
    values = {
        **record,
        "collectivite": record["collectivite"]["name"],
        "collectivite_slug": record["collectivite"]["slug"],
        "url": url,
    }
    return [csv_cell(values.get(column)) for column in CSV_COLUMNS]


class _Echo:
    """A file-like object that hands back what csv.writer writes, for streaming."""

    def write(self, value):
        return value


def csv_stream(rows: Iterable[list[str]], *, columns: Iterable[str] = CSV_COLUMNS) -> Iterator[str]:
    """UTF-8 with a BOM (so that spreadsheets read the accents), `;` separated, every cell quoted when needed."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(list(columns))
    for row in rows:
        yield writer.writerow(row)


# --------------------------------------------------------------------------------------------------------------
# Dutch Algoritmeregister, publication standard ("Algoritmeregister Publicatiestandaard") version 1.0.

ALGORITMEREGISTER_VERSION = "1.0"
# The standard's `lang` is an ISO 639-3 code ("nld" is its only permitted value so far): French is "fra".
ALGORITMEREGISTER_LANG = "fra"
# `status` and `publication_category` are enumerations whose permitted values are Dutch words.
ALGORITMEREGISTER_STATUS = {
    Lifecycle.IN_DEVELOPMENT: "In ontwikkeling",
    Lifecycle.IN_USE: "In gebruik",
    Lifecycle.OUT_OF_USE: "Buiten gebruik",
}
HIGH_RISK_CATEGORY = "Hoog-risico AI-systeem"
IMPACTFUL_CATEGORY = "Impactvolle algoritmes"
OTHER_CATEGORY = "Overige algoritmes"
ALGORITMEREGISTER_FIELDS = (
    "name",
    "description_short",
    "organization",
    "category",
    "status",
    "begin_date",
    "end_date",
    "contact_email",
    "website",
    "publication_category",
    "url",
    "goal",
    "proportionality",
    "human_intervention",
    "risks",
    "lawful_basis",
    "lawful_basis_grouping",
    "process_index_url",
    "impacttoetsen_grouping",
    "impacttoetsen",
    "source_data",
    "source_data_grouping",
    "methods_and_models",
    "provider",
    "publiccode",
    "lang",
    "standard_version",
    "source_id",
    "tags",
)
ALGORITMEREGISTER_MAX_LENGTHS = {"name": 100, "description_short": 350, "organization": 100, "provider": 200}


def publication_category(record: dict) -> str:
    """Category A (high-risk AI system, AI Act), B (impactful: it bears on decisions about persons) or C (other),
    from what is published only: a risk level the DPO did not publish never classifies the record. Rules written by
    people (`out_of_scope`) are no AI system, so never category A: they are B when they found decisions."""
    if record.get("ai_act_risk") in (AiActRisk.HIGH, AiActRisk.PROHIBITED):
        return HIGH_RISK_CATEGORY
    if record.get("crpa_mention_required") or record.get("individual_decisions"):
        return IMPACTFUL_CATEGORY
    if record.get("automation_level") not in (None, "", AutomationLevel.NONE):
        return IMPACTFUL_CATEGORY
    return OTHER_CATEGORY


def _truncate(text: str, limit: int) -> str:
    text = text or ""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,;:.") + "…"


def _month(iso_date) -> str:
    return str(iso_date)[:7] if iso_date else ""


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part)


def _yes_no(value: bool) -> str:
    return pgettext("yes or no", "yes") if value else pgettext("yes or no", "no")


def _assessments(record: dict) -> list[tuple[str, str, str]]:
    """(name, status code, status label) of the impact assessments published."""
    found = []
    if "dpia_status" in record:
        found.append(
            (
                _("Data protection impact assessment (DPIA)"),
                record["dpia_status"],
                code_label("dpia_status", record["dpia_status"]),
            )
        )
    if "fria_status" in record:
        found.append(
            (
                _("Fundamental rights impact assessment (FRIA)"),
                record["fria_status"],
                code_label("fria_status", record["fria_status"]),
            )
        )
    return found


def _methods(record: dict) -> str:
    parts = []
    if record.get("ai_act_risk") == AiActRisk.OUT_OF_SCOPE:
        # Said where the standards describe the method: both registers otherwise read a record as an AI system.
        parts.append(_("Not an AI system within the meaning of the AI Act (Regulation (EU) 2024/1689)."))
    if record.get("technique"):
        parts.append(_("Technique: %(technique)s.") % {"technique": code_label("technique", record["technique"])})
    if "self_learning" in record:
        parts.append(_("Self-learning: %(answer)s.") % {"answer": _yes_no(record["self_learning"])})
    if record.get("tool"):
        parts.append(_("Software used: %(tool)s.") % {"tool": record["tool"]})
    return " ".join(parts)


def _automation(record: dict) -> str:
    parts = []
    if record.get("automation_level"):
        parts.append(
            _("Level of automation: %(level)s.") % {"level": code_label("automation_level", record["automation_level"])}
        )
    if record.get("decisions_per_year"):
        parts.append(_("About %(count)s decisions a year.") % {"count": record["decisions_per_year"]})
    return " ".join(parts)


def _personal_data(record: dict) -> str:
    if not record.get("personal_data"):
        return ""
    return _("Personal data processed: %(categories)s.") % {"categories": ", ".join(labels(record)["personal_data"])}


def algoritmeregister_record(record: dict, *, page_url: str = "", api_url: str = "") -> dict:
    """One algorithm in the fields of the Algoritmeregister publication standard 1.0 (texts as published)."""
    assessments = _assessments(record)
    result = {
        "name": _truncate(record["name"], ALGORITMEREGISTER_MAX_LENGTHS["name"]),
        "description_short": _truncate(record["summary"], ALGORITMEREGISTER_MAX_LENGTHS["description_short"]),
        "organization": _truncate(record["collectivite"]["name"], ALGORITMEREGISTER_MAX_LENGTHS["organization"]),
        "category": [],
        "status": ALGORITMEREGISTER_STATUS[record["lifecycle"]],
        "begin_date": _month(record.get("start_date")),
        "end_date": _month(record.get("end_date")),
        "contact_email": record["contact"],
        "website": page_url,
        "publication_category": publication_category(record),
        "url": api_url,
        "goal": record.get("purpose", ""),
        "proportionality": "",
        "human_intervention": _paragraphs(record.get("human_intervention", ""), _automation(record)),
        "risks": "",
        "lawful_basis": record.get("legal_basis", ""),
        "lawful_basis_grouping": [],
        "process_index_url": "",
        "impacttoetsen_grouping": [
            {"title": name, "link": ""} for name, status, _label in assessments if status == ProgressStatus.DONE
        ],
        "impacttoetsen": " ".join(f"{name} : {label}." for name, status, label in assessments if label),
        "source_data": _paragraphs(record.get("data_sources", ""), _personal_data(record)),
        "source_data_grouping": [],
        "methods_and_models": _methods(record),
        "provider": _truncate(record.get("provider", ""), ALGORITMEREGISTER_MAX_LENGTHS["provider"]),
        "publiccode": "",
        "lang": ALGORITMEREGISTER_LANG,
        "standard_version": ALGORITMEREGISTER_VERSION,
        "source_id": record["reference"],
        "tags": record.get("service", ""),
    }
    assert tuple(result) == ALGORITMEREGISTER_FIELDS  # nosec B101 — an internal invariant pinned by the tests, not a security check
    return result


def algoritmeregister_csv_row(item: dict) -> list[str]:
    flat = {
        **item,
        "category": item["category"],
        "lawful_basis_grouping": [
            f"{g['title']} ({g['link']})" if g["link"] else g["title"] for g in item["lawful_basis_grouping"]
        ],
        "impacttoetsen_grouping": [
            f"{g['title']} ({g['link']})" if g["link"] else g["title"] for g in item["impacttoetsen_grouping"]
        ],
        "source_data_grouping": [
            f"{g['title']} ({g['link']})" if g["link"] else g["title"] for g in item["source_data_grouping"]
        ],
    }
    return [csv_cell(flat[name]) for name in ALGORITMEREGISTER_FIELDS]


# --------------------------------------------------------------------------------------------------------------
# UK Algorithmic Transparency Recording Standard (ATRS), version 3.0: tier 1 and the five sections of tier 2.

ATRS_VERSION = "3.0"
ATRS_PHASE = {
    Lifecycle.IN_DEVELOPMENT: "Pre-deployment",
    Lifecycle.IN_USE: "Production",
    Lifecycle.OUT_OF_USE: "Retired",
}


def atrs_record(record: dict, *, page_url: str = "", api_url: str = "") -> dict:
    """One algorithmic tool in the ATRS 3.0 template's sections (texts as published, in French)."""
    provider = record.get("provider")
    assessments = _assessments(record)
    phase = ATRS_PHASE[record["lifecycle"]]
    return {
        "metadata": {
            "source_id": record["reference"],
            "source_url": api_url,
            "standard_version": ATRS_VERSION,
            "language": "fr",
            "organisation": record["collectivite"]["name"],
            "organisation_type": "Local government",
            "phase": phase,
            "date_published": _date(record["first_published_at"]),
            "date_updated": _date(record["published_at"]),
        },
        "tier_1": {
            "name": record["name"],
            "description": record["summary"],
            "website": page_url,
            "contact_email": record["contact"],
        },
        "tier_2": {
            "owner_and_responsibility": {
                "organisation": record["collectivite"]["name"],
                "team": record.get("service", ""),
                "senior_responsible_owner": "",
                "external_supplier_involvement": (bool(provider) if "provider" in record else None),
                "external_supplier": provider or "",
                "companies_house_number": "",
                "external_supplier_role": "",
                "procurement_procedure_type": "",
                "data_access_terms": "",
            },
            "description_and_rationale": {
                "detailed_description": record["summary"],
                "scope": record.get("purpose", ""),
                "benefit": "",
                "previous_process": "",
                "alternatives_considered": "",
            },
            "decision_making_process": {
                "process_integration": _automation(record),
                "provided_information": "",
                "frequency_and_scale_of_usage": (
                    _("About %(count)s decisions a year.") % {"count": record["decisions_per_year"]}
                    if record.get("decisions_per_year")
                    else ""
                ),
                "human_decisions_and_review": record.get("human_intervention", ""),
                "required_training": "",
                "appeals_and_review": record.get("crpa_mention", ""),
            },
            "tool_specification": {
                "system_architecture": _methods(record),
                "phase": phase,
                "maintenance": "",
                "models": (
                    [
                        {
                            "model_name": record.get("tool", ""),
                            "model_version": "",
                            "model_task": record.get("purpose", ""),
                            "model_input": "",
                            "model_output": "",
                            "model_architecture": code_label("technique", record.get("technique", "")),
                            "model_performance": "",
                            "datasets": "",
                            "dataset_purposes": "",
                        }
                    ]
                    if record.get("technique") or record.get("tool")
                    else []
                ),
                "data_specification": {
                    "source_data_name": "",
                    "data_modality": "",
                    "data_description": record.get("data_sources", ""),
                    "data_quantities": "",
                    "sensitive_attributes": labels(record).get("personal_data", []),
                    "data_completeness_and_representativeness": "",
                    "source_data_url": "",
                    "data_collection": "",
                    "data_cleaning": "",
                    "data_sharing_agreements": "",
                    "data_access_and_storage": (
                        _("Hosting: %(zone)s.") % {"zone": code_label("hosting_zone", record["hosting_zone"])}
                        if record.get("hosting_zone")
                        else ""
                    ),
                },
            },
            "risks_mitigations_and_impact_assessments": {
                "impact_assessments": [
                    {
                        "assessment_name": name,
                        "assessment_description": label,
                        "assessment_date": "",
                        "assessment_link": "",
                    }
                    for name, _status, label in assessments
                ],
                "risks": (
                    [
                        {
                            "risk_name": _("Risk level under the AI Act"),
                            "risk_description": code_label("ai_act_risk", record["ai_act_risk"]),
                            "risk_mitigation": "",
                        }
                    ]
                    if record.get("ai_act_risk")
                    else []
                ),
            },
        },
        # What the French law asks and ATRS has no field for.
        "extensions": {
            "legal_basis": record.get("legal_basis", ""),
            "crpa_mention_required": record["crpa_mention_required"],
            "public_register_required": record["public_register_required"],
        },
    }


def _date(value) -> str:
    if not value:
        return ""
    if hasattr(value, "date") and callable(value.date):
        from django.utils import timezone

        return timezone.localtime(value).date().isoformat() if timezone.is_aware(value) else value.date().isoformat()
    return str(value)[:10]
