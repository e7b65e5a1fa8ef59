"""Reads of shadow-AI declarations: an agent's own, the triage queue, the view by tool, the guidance."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from guardian.shortcuts import get_objects_for_user

from charter.selectors import current_edition
from core.access import Access
from declarations import triage
from declarations.models import Declaration
from declarations.permissions import can_triage
from registry import rules
from registry.choices import Audience, DeclaredData, RiskLevel, ToolStatus, UseCaseStatus
from registry.models import Service, Tool

__all__ = [
    "ToolGroup",
    "charter_link",
    "declaration_alternative",
    "declaration_by_follow_up_code",
    "declaration_guidance",
    "declaration_queue",
    "declarations_by_tool",
    "declarations_visible_to",
    "my_declarations",
    "tool_alternative",
    "use_case_initial_from_declarations",
]


def declarations_visible_to(user, access: Access) -> QuerySet[Declaration]:
    """DPO, RSSI and administrators see every declaration of the collectivité; anyone else only their own
    named declarations (granted to their author with a guardian object permission)."""
    if not access.is_member:
        return Declaration.objects.none()
    queryset = Declaration.objects.filter(collectivite_id=access.collectivite_id)
    if can_triage(access):
        return queryset
    return get_objects_for_user(
        user, "declarations.view_declaration", klass=queryset, with_superuser=False, accept_global_perms=False
    )


def declaration_queue(user, access: Access) -> QuerySet[Declaration]:
    """The triage queue, riskiest first, with what a row shows loaded in the same query. Anonymous declarations of a
    day share one instant (midnight): among them, the order of their random references says nothing of when."""
    return (
        declarations_visible_to(user, access)
        .select_related("tool", "service", "use_case", "alternative_tool")
        .order_by("-risk_score", "-created_at", "-reference")
    )


def my_declarations(user, access: Access) -> QuerySet[Declaration]:
    if not access.is_member:
        return Declaration.objects.none()
    return (
        Declaration.objects.filter(collectivite_id=access.collectivite_id, author=user)
        .select_related("tool", "use_case", "alternative_tool")
        .order_by("-created_at", "-id")
    )


def declaration_by_follow_up_code(code: str) -> Declaration | None:
    """What an anonymous author reads with the secret code shown at submission."""
    if not code or len(code) != 32:
        return None
    return (
        Declaration.objects.select_related("tool", "alternative_tool", "collectivite")
        .filter(follow_up_code=code)
        .first()
    )


# A use case whose audience is only the public serves residents (a website chatbot, a reservation assistant): the tool
# it runs on is a product of the collectivité, not an assistant agents open for their own work.
_AGENT_AUDIENCES = (Audience.AGENTS, Audience.BOTH)
_IN_THE_REGISTER = tuple(set(UseCaseStatus.values) - {UseCaseStatus.REJECTED, UseCaseStatus.RETIRED})


def tool_alternative(
    tool: Tool | None, collectivite_id: int, category: str, *, data_entered=frozenset()
) -> Tool | None:
    """The approved tool agents may use instead of `tool`: of the same kind (the catalogue's category), used for the
    agents' own work (not a service the register shows running only for the public), and whose conditions accept what
    the agent enters (its highest data classification). Among those, the one that may receive the most sensitive data.
    None when the catalogue has no such tool: an unrelated tool is never offered."""
    needed = triage.data_level(frozenset(data_entered))
    uses = Q(use_cases__status__in=_IN_THE_REGISTER)
    candidates = (
        Tool.objects.filter(collectivite_id=collectivite_id, category=category, status=ToolStatus.APPROVED)
        .annotate(
            public_uses=Count("use_cases", filter=uses & Q(use_cases__audience=Audience.PUBLIC)),
            agent_uses=Count("use_cases", filter=uses & Q(use_cases__audience__in=_AGENT_AUDIENCES)),
        )
        .exclude(public_uses__gt=0, agent_uses=0)
    )
    if tool is not None:
        candidates = candidates.exclude(pk=tool.pk)
    fitting = [t for t in candidates if not rules.classification_exceeds(needed, t.max_data_classification)]
    best = sorted(
        fitting,
        key=lambda t: (-rules.CLASSIFICATION_LEVELS.index(t.max_data_classification), -t.agent_uses, t.name),
    )
    return best[0] if best else None


def charter_link(access: Access, collectivite) -> str:
    """Where an agent reads the charter in force: the published edition's page in the app. The address set in the
    collectivité's settings only while no edition is published; empty when there is neither."""
    if current_edition(access) is not None:
        return reverse("charter:current")
    return collectivite.charter_url


def declaration_alternative(declaration: Declaration) -> Tool | None:
    """The approved tool to offer instead of the one declared: of the kind the catalogue gives the declared tool (a
    general chatbot for ChatGPT, whatever it is used for), else of the kind of use the agent chose (translation...)."""
    tool = declaration.tool if declaration.tool_id else None
    kinds = [tool.category] if tool is not None else []
    if declaration.category not in kinds:
        kinds.append(declaration.category)
    for kind in kinds:
        found = tool_alternative(tool, declaration.collectivite_id, kind, data_entered=declaration.data_entered)
        if found is not None:
            return found
    return None


def declaration_guidance(declaration: Declaration) -> triage.Guidance:
    tool = declaration.tool if declaration.tool_id else None
    alternative = None
    if tool is None or tool.status != ToolStatus.APPROVED:
        found = declaration_alternative(declaration)
        alternative = (found.name, found.max_data_classification, found.conditions) if found else None
    return triage.guidance(
        tool_name=declaration.tool_display,
        tool_status=tool.status if tool else None,
        tool_max_classification=tool.max_data_classification if tool else None,
        tool_conditions=tool.conditions if tool else "",
        data_entered=frozenset(declaration.data_entered),
        alternative=alternative,
        breach=declaration.possible_breach,
    )


@dataclass
class ToolGroup:
    """ "Tool X, declared by N agents in M services, with these data"."""

    tool: Tool | None
    tool_name: str
    declarations: int = 0
    services: set = field(default_factory=set)
    data: set = field(default_factory=set)
    max_risk: int = 0
    possible_breaches: int = 0
    open: int = 0
    service_names: list[str] = field(default_factory=list)
    authors: set = field(default_factory=set)
    anonymous: int = 0

    @property
    def services_count(self) -> int:
        return len(self.services)

    @property
    def agents_count(self) -> int:
        """Named authors counted once; each anonymous declaration counts as one agent (we cannot know)."""
        return len(self.authors) + self.anonymous

    @property
    def risk_level(self) -> str:
        return next(level for level, threshold in triage.LEVELS if self.max_risk >= threshold)

    @property
    def risk_level_label(self) -> str:
        return str(RiskLevel(self.risk_level).label)

    @property
    def data_labels(self) -> list[str]:
        labels = dict(DeclaredData.choices)
        return [str(labels.get(code, code)) for code in DeclaredData.values if code in self.data]


def declarations_by_tool(user, access: Access, queryset: QuerySet[Declaration] | None = None) -> list[ToolGroup]:
    """Declarations grouped by tool, most declared first: three queries whatever their number."""
    from declarations.services import OPEN_STATUSES

    queryset = queryset if queryset is not None else declarations_visible_to(user, access)
    groups: dict[object, ToolGroup] = {}
    rows = queryset.order_by().values_list(
        "tool_id", "tool_name", "service_id", "data_entered", "risk_score", "possible_breach", "status", "author_id"
    )
    for tool_id, tool_name, service_id, data, risk, breach, status, author_id in rows:
        key = tool_id or tool_name.strip().lower()
        group = groups.get(key)
        if group is None:
            group = groups[key] = ToolGroup(tool=None, tool_name=tool_name)
            group.tool_id = tool_id
        group.declarations += 1
        if service_id:
            group.services.add(service_id)
        group.data.update(data or ())
        group.max_risk = max(group.max_risk, risk)
        group.possible_breaches += bool(breach)
        group.open += status in OPEN_STATUSES
        if author_id:
            group.authors.add(author_id)
        else:
            group.anonymous += 1
    tools = Tool.objects.in_bulk([g.tool_id for g in groups.values() if g.tool_id])
    service_names = dict(
        Service.objects.filter(pk__in={s for g in groups.values() for s in g.services}).values_list("pk", "name")
    )
    for group in groups.values():
        group.tool = tools.get(group.tool_id)
        if group.tool is not None:
            group.tool_name = group.tool.name
        group.service_names = sorted(service_names.get(s, "") for s in group.services)
    return sorted(groups.values(), key=lambda g: (-g.declarations, -g.max_risk, g.tool_name.lower()))


# What a kind of tool declared by an agent says of how it produces its results (DOMAIN.md 3b `produces_by`).
CATEGORY_PRODUCES_BY = {
    "general_chatbot": "generates_text",
    "code": "generates_text",
    "translation": "generates_text",
    "transcription": "recognises_speech",
    "image": "generates_images_audio_video",
}
# The kinds of tool that are software, never part of a CE-marked product.
SOFTWARE_CATEGORIES = frozenset(
    {"general_chatbot", "code", "translation", "transcription", "image", "browser_extension", "office_suite_feature"}
)
# What the output becomes -> the area of use it shows (DOMAIN.md 3b `policy_areas`).
OUTPUT_AREAS = {
    "personal_draft": "internal_work",
    "internal": "internal_work",
    "sent_to_users": "public_information",
    "published": "public_communication",
}


def use_case_initial_from_declarations(declarations: list[Declaration]) -> dict:
    """Answers of the use-case form pre-filled from one or several declarations of the same tool: the plain facts the
    agents' answers show (the questionnaire's, DOMAIN.md 3b) and the direct answers (personal data, classification,
    hosting); never a legal qualification, which the facts derive once the head of service has checked them. A fact
    the declarations do not show is left for the form to ask."""
    if not declarations:
        return {}
    first = declarations[0]
    data = defaultdict(set)
    for declaration in declarations:
        data["data"].update(declaration.data_entered)
        data["outputs"].update(declaration.output_use)
        data["categories"].add(declaration.category)
    personal = sorted(code for code in data["data"] if code in triage.PERSONAL_DATA)
    level = triage.data_level(frozenset(data["data"]))
    tasks = "\n".join(f"- {d.tasks.strip()}" for d in declarations if d.tasks.strip())
    needs = "\n".join(f"- {d.need.strip()}" for d in declarations if d.need.strip())
    outputs = data["outputs"]
    initial = {
        "name": f"{first.tool_display[:70]} — {first.tasks.strip()}"[:200],
        "summary": first.tasks.strip()[:1000],
        "description": tasks,
        "purpose": needs or first.tasks.strip(),
        "tool": first.tool_id,
        "service": first.service_id,
        "personal_data_categories": personal,
        "max_data_classification": level,
        "art50_features": ["public_interest_text"] if "published" in outputs else [],
    }
    produces = sorted({CATEGORY_PRODUCES_BY[c] for c in data["categories"] if c in CATEGORY_PRODUCES_BY})
    if produces:
        initial["produces_by"] = produces
    if data["categories"] and data["categories"] <= SOFTWARE_CATEGORIES:
        initial["ce_marked_product"] = "no"
    if outputs:
        initial["affects"] = "both" if outputs & {"sent_to_users", "published"} else "agents"
        decides = "individual_decision" in outputs
        initial["decides_on_individual_cases"] = "yes" if decides else "no"
        if not decides:
            initial["effect_on_people"] = "no_decision_about_persons"
            # The area only shows when the output founds no decision: a decision's area is the head of service's to
            # say (it may be an Annex III one).
            initial["policy_areas"] = sorted({OUTPUT_AREAS[code] for code in outputs if code in OUTPUT_AREAS})
    if first.tool_id:
        initial.update(
            hosting_zone=first.tool.hosting_zone,
            hosting_qualification=first.tool.hosting_qualification,
            provider_reuse_disabled=first.tool.provider_reuse_disabled,
        )
    return initial
