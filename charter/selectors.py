"""Reads of the charter: the editions a person sees, the charter's content (the sections and the register's live
data, or the frozen snapshot of a published edition), and the acknowledgement rates by service."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from audits.models import Checkpoint
from core.access import Access
from core.roles import Role
from registry import titles
from registry.choices import ToolStatus, UseCaseStatus
from registry.models import Collectivite, CommitteeMember, Membership, Service, Tool, UseCase

from . import permissions
from .defaults import LIVE_BLOCKS
from .models import CharterAcknowledgement, CharterEdition

# The layout of `snapshot`: a later change of what is frozen bumps it, so old editions stay readable.
SNAPSHOT_FORMAT = 1
ALLOWED_TOOL_STATUSES = (ToolStatus.APPROVED, ToolStatus.RESTRICTED)


# Editions ---------------------------------------------------------------------------------------------------


def editions_visible(access: Access) -> QuerySet[CharterEdition]:
    """Every edition for those who write the charter; the published ones for the other members."""
    editions = CharterEdition.objects.filter(collectivite_id=access.collectivite_id).select_related(
        "collectivite", "published_by", "document"
    )
    if not access.is_member:
        return editions.none()
    if not permissions.can_manage_charter(access):
        editions = editions.filter(status=CharterEdition.Status.PUBLISHED)
    return editions.order_by("-year")


def current_edition(access: Access) -> CharterEdition | None:
    """The charter in force: the latest published edition."""
    return (
        CharterEdition.objects.filter(collectivite_id=access.collectivite_id, status=CharterEdition.Status.PUBLISHED)
        .select_related("collectivite", "published_by", "document")
        .order_by("-year")
        .first()
        if access.is_member
        else None
    )


# Content ----------------------------------------------------------------------------------------------------


def fingerprint(content: dict) -> str:
    """SHA-256 of the canonical JSON of the content (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def edition_content(edition: CharterEdition) -> dict:
    """What the edition says: its frozen snapshot once published, else its sections and the register as it is now."""
    if edition.is_published:
        return edition.snapshot
    return live_content(edition)


def live_content(edition: CharterEdition, *, signatory=None) -> dict:
    """The edition's sections with the register's data as it is now, in plain JSON values and in French (the
    language of the collectivité's documents), ready to be frozen."""
    collectivite = edition.collectivite
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "format": SNAPSHOT_FORMAT,
            "year": edition.year,
            "collectivite": {
                "name": collectivite.name,
                "kind": collectivite.kind,
                "dpo_name": collectivite.dpo_name,
                "dpo_email": collectivite.dpo_email,
                "rssi_name": collectivite.rssi_name,
                "rssi_email": collectivite.rssi_email,
            },
            "sections": [
                {"key": section.key, "title": section.title, "body": section.body}
                for section in edition.sections.order_by("position")
            ],
            "tools": [_tool(tool) for tool in allowed_tools(collectivite)],
            "prohibited_tools": [_tool(tool) for tool in prohibited_tools(collectivite)],
            "use_cases_by_service": _use_cases_by_service(use_cases_in_production(collectivite)),
            "committee": [_committee_member(member) for member in committee_members(collectivite)],
            "signatories": {
                "dgs": _name(signatory) if signatory is not None else _dgs_name(collectivite),
                "executive": str(executive_title(collectivite.kind)),
            },
        }


def allowed_tools(collectivite: Collectivite) -> QuerySet[Tool]:
    return Tool.objects.filter(collectivite=collectivite, status__in=ALLOWED_TOOL_STATUSES).order_by("name")


def prohibited_tools(collectivite: Collectivite) -> QuerySet[Tool]:
    return Tool.objects.filter(collectivite=collectivite, status=ToolStatus.PROHIBITED).order_by("name")


def use_cases_in_production(collectivite: Collectivite) -> QuerySet[UseCase]:
    checkpoints = Checkpoint.objects.filter(active=True).select_related("type").order_by("type__code")
    return (
        UseCase.objects.filter(collectivite=collectivite, status=UseCaseStatus.IN_PRODUCTION)
        .select_related("service", "tool")
        .prefetch_related(Prefetch("checkpoints", queryset=checkpoints))
        .order_by("service__path", "reference")
    )


def committee_members(collectivite: Collectivite) -> QuerySet[CommitteeMember]:
    return CommitteeMember.objects.filter(collectivite=collectivite, active=True).select_related("user")


def executive_title(kind: str):
    """Who signs the charter with the DGS: the mayor of a commune, the president of any other collectivité."""
    return _("The mayor") if kind == "commune" else _("The president")


def _name(user) -> str:
    return user.get_full_name() or user.username


def _dgs_name(collectivite: Collectivite) -> str:
    membership = (
        Membership.objects.filter(collectivite=collectivite, role=Role.DGS, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return _name(membership.user) if membership else ""


def _tool(tool: Tool) -> dict:
    hosting = str(tool.get_hosting_zone_display())
    if tool.hosting_qualification != "none":
        hosting = f"{hosting} ({tool.get_hosting_qualification_display()})"
    return {
        "name": tool.name,
        "vendor": tool.vendor,
        "category": str(tool.get_category_display()),
        "status": tool.status,
        "status_label": str(tool.get_status_display()),
        "max_data_classification": tool.max_data_classification,
        "classification_label": str(tool.get_max_data_classification_display()),
        "hosting": hosting,
        "conditions": tool.conditions,
    }


def _use_cases_by_service(use_cases) -> list[dict]:
    groups: list[dict] = []
    for use_case in use_cases:
        if not groups or groups[-1]["code"] != use_case.service.code:
            groups.append({"code": use_case.service.code, "service": use_case.service.name, "use_cases": []})
        groups[-1]["use_cases"].append(
            {
                "reference": use_case.reference,
                "name": use_case.name,
                "tool": use_case.tool.name if use_case.tool_id else "",
                "risk": use_case.ai_act_risk,
                "risk_label": str(use_case.get_ai_act_risk_display()),
                "checkpoints": [
                    {"title": str(checkpoint.type.display_title), "frequency": str(checkpoint.get_frequency_display())}
                    for checkpoint in use_case.checkpoints.all()
                ],
            }
        )
    return groups


def _committee_member(member: CommitteeMember) -> dict:
    return {
        "name": _name(member.user),
        "quality": member.affiliation or member.user.job_title,
        "chair": member.is_chair,
        # The chair's title agreed with the person (« Présidente », « Président », or « Présidence »).
        "chair_title": titles.title(titles.CHAIR, member.user) if member.is_chair else "",
        "external": member.external,
    }


def content_parts(content: dict) -> list[dict]:
    """The charter in reading order: its sections, numbered, with the register's data inserted after the sections
    `LIVE_BLOCKS` names (those whose section is missing go before the last section)."""
    sections = content.get("sections", [])
    placed = {key for key in LIVE_BLOCKS if any(section["key"] == key for section in sections)}
    leftovers = [block for key, block in LIVE_BLOCKS.items() if key not in placed]
    parts: list[dict] = []
    for index, section in enumerate(sections):
        if leftovers and index == len(sections) - 1:
            parts.extend({"kind": block} for block in leftovers)
        parts.append({"kind": "section", **section})
        if section["key"] in LIVE_BLOCKS:
            parts.append({"kind": LIVE_BLOCKS[section["key"]]})
    if not sections:
        parts.extend({"kind": block} for block in leftovers)
    titles = {"tools": _("Approved and prohibited tools"), "committee": _("The ethics committee")}
    titles["register"] = _("Use cases in production, by service")
    for number, part in enumerate(parts, start=1):
        part["number"] = number
        part["anchor"] = f"part-{number}"
        if part["kind"] != "section":
            part["title"] = str(titles[part["kind"]])
    return parts


# Acknowledgements -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AcknowledgementRate:
    """People of a service (or all the members), and how many of them acknowledged the edition."""

    label: str
    agents: int
    acknowledged: int
    service: Service | None = None

    @property
    def rate(self) -> float | None:
        return self.acknowledged / self.agents if self.agents else None

    @property
    def percent(self) -> int | None:
        return None if self.rate is None else round(100 * self.rate)


@dataclass(frozen=True)
class AcknowledgementRates:
    year: int
    edition: CharterEdition | None
    services: list[AcknowledgementRate]
    # The members who belong to no service (DPO, RSSI, DGS…), so that the rows add up to the overall figure.
    without_service: AcknowledgementRate
    overall: AcknowledgementRate


def acknowledgement_rates(collectivite: Collectivite, year: int) -> AcknowledgementRates:
    """For each service, the active people with a membership in it (agents and heads of service) and how many
    acknowledged the published edition of `year`; overall, every active member of the collectivité. Nobody has
    acknowledged an edition that is not published. Four queries."""
    edition = CharterEdition.objects.filter(
        collectivite=collectivite, year=year, status=CharterEdition.Status.PUBLISHED
    ).first()
    acknowledged: set[int] = set()
    if edition is not None:
        acknowledged = set(edition.acknowledgements.values_list("user_id", flat=True))
    rows = Membership.objects.filter(collectivite=collectivite, user__is_active=True).values_list(
        "user_id", "service_id"
    )
    members: set[int] = set()
    by_service: dict[int, set[int]] = {}
    in_a_service: set[int] = set()
    for user_id, service_id in rows:
        members.add(user_id)
        if service_id is not None:
            by_service.setdefault(service_id, set()).add(user_id)
            in_a_service.add(user_id)
    services = Service.objects.filter(pk__in=by_service).order_by("path") if by_service else []
    without = members - in_a_service
    return AcknowledgementRates(
        year=year,
        edition=edition,
        services=[
            AcknowledgementRate(
                label=service.name,
                agents=len(by_service[service.pk]),
                acknowledged=len(by_service[service.pk] & acknowledged),
                service=service,
            )
            for service in services
        ],
        without_service=AcknowledgementRate(
            label=str(_("Members without a service")), agents=len(without), acknowledged=len(without & acknowledged)
        ),
        overall=AcknowledgementRate(
            label=str(_("All members")), agents=len(members), acknowledged=len(members & acknowledged)
        ),
    )


def acknowledgement_of(edition: CharterEdition, user) -> CharterAcknowledgement | None:
    return CharterAcknowledgement.objects.filter(edition=edition, user=user).first()
