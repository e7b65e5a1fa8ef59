"""Loads the demo collectivité, Ville de Bellerive-sur-Loire (data: demo/register.py), through the services.

`DemoLoader.load()` creates what is missing, looked up by natural key, so a second run creates nothing: the
collectivité, its services and people (one login per role, README), the AI tools (`tool_create`, by the RSSI),
the use cases, each through its review story (`loaders/review_stories.py`: `use_case_create`, `use_case_update`,
`use_case_submit`, the opinions, the committee), those the DPO created to regularise declarations, the shadow-AI
declarations (`declaration_submit`, then the DPO / RSSI triage actions, found again by their submission key), then
the human-control checkpoints (`loaders/checkpoints.py`), the public register (`loaders/publications.py`) and the
charter (`loaders/charter.py`). What a step wrote is then dated at its moment in the past; its e-mails count as sent.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.models import Checkpoint
from declarations import services as declaration_services
from declarations import triage
from declarations.models import Declaration, DeclarationEvent
from declarations.services import OPEN_STATUSES, start_of_day
from demo import register as demo
from demo.loaders import publications
from demo.loaders.charter import load_charter
from demo.loaders.checkpoints import CheckpointLoader
from demo.loaders.review_stories import ReviewStories, use_case_data
from registry import services
from registry.choices import (
    DeclarationStatus,
)
from registry.models import (
    Collectivite,
    Membership,
    Service,
    Tool,
    UseCase,
    UseCaseEvent,
    User,
)

DEFAULT_PASSWORD = "demo"  # nosec B105 — the demo accounts' documented password

# The steps of a use case the DPO created from declarations (`_backdate`) are a day apart.
DEMO_STEP = timedelta(days=1, hours=2)

Kind = DeclarationEvent.Kind
# Each triage action of the demo data: the service that takes it, the event it records, and the statuses it
# starts from (an action whose event exists, or whose status no longer allows it, is not taken again).
TRIAGE_ACTIONS = {
    "start_analysis": (
        declaration_services.declaration_start_analysis,
        Kind.ANALYSING,
        frozenset({DeclarationStatus.RECEIVED}),
    ),
    "offer_alternative": (declaration_services.declaration_offer_alternative, Kind.ALTERNATIVE_OFFERED, OPEN_STATUSES),
    "ask_to_stop": (declaration_services.declaration_ask_to_stop, Kind.TO_STOP, OPEN_STATUSES),
    "regularise": (declaration_services.declaration_regularise, Kind.REGULARISED, OPEN_STATUSES),
    "close": (
        declaration_services.declaration_close,
        Kind.CLOSED,
        frozenset(set(DeclarationStatus.values) - {DeclarationStatus.CLOSED}),
    ),
    "assess_breach": (
        declaration_services.declaration_assess_breach,
        Kind.BREACH_ASSESSED,
        frozenset(DeclarationStatus.values),
    ),
}


class DemoLoader:
    """Creates what is missing of the demo data; what exists (looked up by natural key) is left as is."""

    def __init__(self, *, password: str | None):
        self.password = password
        self.services: dict[str, Service] = {}
        self.users: dict[str, User] = {}
        self.tools: dict[str, Tool] = {}
        self.roles_of: dict[str, list[tuple[str, str | None]]] = {}
        self.created = dict.fromkeys(
            (
                "collectivite",
                "services",
                "users",
                "memberships",
                "tools",
                "use_cases",
                "committee_members",
                "committee_sessions",
                "review_steps",
                "rereviews",
                "declarations",
                "triage_actions",
                "checkpoint_types",
                "checkpoints",
                "checkpoint_owners",
                "attestations",
                "incidents",
                "suspensions",
                "charter_editions",
                "charter_acknowledgements",
                "publication_steps",
            ),
            0,
        )

    def load(self) -> Collectivite:
        collectivite = self._collectivite()
        checkpoints_before = set(
            Checkpoint.objects.filter(use_case__collectivite=collectivite).values_list("pk", flat=True)
        )
        self._services(collectivite)
        self._users(collectivite)
        self._tools(collectivite)
        self._use_cases(collectivite)
        self._declaration_use_cases(collectivite)
        self._declarations(collectivite)
        CheckpointLoader(self, collectivite, checkpoints_before).load()
        self.created["publication_steps"] += publications.seed(self, collectivite)
        # The demo's past e-mails count as sent: the notification tasks queued by the services find them claimed.
        UseCaseEvent.objects.filter(use_case__collectivite=collectivite, notified_at__isnull=True).update(
            notified_at=F("created_at")
        )
        load_charter(self, collectivite)
        return collectivite

    def created_summary(self, synthetic: int, synthetic_declarations: int = 0, synthetic_checkpoints: int = 0) -> str:
        labels = {
            "collectivite": _("collectivité"),
            "services": _("services"),
            "users": _("people"),
            "memberships": _("roles"),
            "tools": _("AI tools"),
            "use_cases": _("use cases"),
            "committee_members": _("committee members"),
            "committee_sessions": _("committee sessions"),
            "review_steps": _("review steps"),
            "rereviews": _("re-reviews opened"),
            "declarations": _("declarations"),
            "triage_actions": _("triage actions"),
            "checkpoint_types": _("local checkpoint types"),
            "checkpoints": _("checkpoints"),
            "checkpoint_owners": _("checkpoint owners assigned"),
            "attestations": _("attestations"),
            "incidents": _("incidents"),
            "suspensions": _("suspensions"),
            "charter_editions": _("charter editions"),
            "charter_acknowledgements": _("charter acknowledgements"),
            "publication_steps": _("public register steps"),
            # Outside f-strings, where makemessages would not find them.
            "synthetic_use_cases": _("synthetic use cases"),
            "synthetic_declarations": _("synthetic declarations"),
            "synthetic_checkpoints": _("synthetic checkpoints"),
        }
        counts = {
            **self.created,
            "synthetic_use_cases": synthetic,
            "synthetic_declarations": synthetic_declarations,
            "synthetic_checkpoints": synthetic_checkpoints,
        }
        return ", ".join(f"{labels[key]} {count}" for key, count in counts.items())

    def _collectivite(self) -> Collectivite:
        data = dict(demo.COLLECTIVITE)
        collectivite, created = Collectivite.objects.get_or_create(slug=data.pop("slug"), defaults=data)
        if created:
            collectivite.full_clean()
        self.created["collectivite"] += created
        return collectivite

    def _services(self, collectivite: Collectivite) -> None:
        for code, name, parent_code in demo.SERVICES:
            service, created = Service.objects.get_or_create(
                collectivite=collectivite,
                code=code,
                defaults={"name": name, "parent": self.services[parent_code] if parent_code else None},
            )
            self.services[code] = service
            self.created["services"] += created

    def _users(self, collectivite: Collectivite) -> None:
        to_hash = []
        for spec in demo.USERS:
            user, created = User.objects.get_or_create(
                username=spec["username"],
                defaults={
                    "first_name": spec["first_name"],
                    "last_name": spec["last_name"],
                    "job_title": spec["job_title"],
                    "civility": demo.CIVILITIES.get(spec["username"], ""),
                    "email": spec.get("email", f"{spec['username']}@bellerive-sur-loire.example.org"),
                },
            )
            superuser = spec.get("superuser", False)
            if superuser and not (user.is_staff and user.is_superuser):
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
            if created or self.password is not None:
                to_hash.append(user)
            self.users[user.username] = user
            self.created["users"] += created
            self.roles_of[user.username] = spec["roles"]
            for role, service_code in spec["roles"]:
                _membership, created = Membership.objects.get_or_create(
                    user=user,
                    collectivite=collectivite,
                    role=role,
                    service=self.services[service_code] if service_code else None,
                )
                self.created["memberships"] += created
        self.set_passwords(to_hash)

    def set_passwords(self, users: list[User]) -> None:
        if self.password is None:
            # The default password is public (README): one hash shared by the demo users saves seconds of
            # key stretching per user and reveals nothing. A chosen password gets its own salt per user.
            shared = make_password(DEFAULT_PASSWORD)
            hashes = [shared] * len(users)
        else:
            hashes = [make_password(self.password) for _user in users]
        for user, hashed in zip(users, hashes, strict=True):
            user.password = hashed
            user.save(update_fields=["password"])

    def _tools(self, collectivite: Collectivite) -> None:
        existing = {tool.name: tool for tool in Tool.objects.filter(collectivite=collectivite)}
        for spec in demo.TOOLS:
            tool = existing.get(spec["name"])
            if tool is None:
                # The RSSI keeps the catalogue.
                tool = services.tool_create(collectivite=collectivite, acting_user=self.users["rssi"], data=spec)
                self.created["tools"] += 1
            self.tools[tool.name] = tool

    def resolve(self, data: dict) -> dict:
        """Demo references (service code, username, tool name) replaced by model instances."""
        resolved = dict(data)
        if "service" in resolved:
            resolved["service"] = self.services[resolved["service"]]
        if "owner" in resolved:
            resolved["owner"] = self.users[resolved["owner"]]
        if "tool" in resolved:
            resolved["tool"] = self.tools[resolved["tool"]] if resolved["tool"] else None
        return resolved

    def _use_cases(self, collectivite: Collectivite) -> None:
        """The demo use cases that are missing, each through its review story (demo/register.py)."""
        existing = set(UseCase.objects.filter(collectivite=collectivite).values_list("name", flat=True))
        ReviewStories(self, collectivite, [spec for spec in demo.USE_CASES if spec["name"] not in existing]).load()

    def _declaration_use_cases(self, collectivite: Collectivite) -> None:
        """Use cases the DPO created from declarations, to regularise them."""
        names = [spec["name"] for spec in demo.DECLARATION_USE_CASES]
        existing = set(UseCase.objects.filter(collectivite=collectivite, name__in=names).values_list("name", flat=True))
        now = timezone.now()
        for spec in demo.DECLARATION_USE_CASES:
            if spec["name"] in existing:
                continue
            data = self.resolve(use_case_data(spec))
            use_case = services.use_case_create(collectivite=collectivite, acting_user=self.users["dpo"], data=data)
            _backdate(use_case, now - timedelta(days=spec["days_ago"]))
            self.created["use_cases"] += 1

    def _declarations(self, collectivite: Collectivite) -> None:
        """Each demo declaration submitted by its author, then taken through its triage actions."""
        use_case_names = {params.get("use_case") for spec in demo.DECLARATIONS for *_x, params in spec["triage"]}
        self.use_cases_by_name = {
            use_case.name: use_case
            for use_case in UseCase.objects.filter(collectivite=collectivite, name__in=use_case_names)
        }
        now = timezone.now()
        # Oldest first, so that references follow the dates.
        for spec in sorted(demo.DECLARATIONS, key=lambda spec: -spec["days_ago"]):
            author = spec["author"]
            data = {name: spec.get(name) for name in declaration_services.DECLARATION_FIELDS}
            data["tool"] = self.tools[spec["tool"]] if spec.get("tool") else None
            data["tool_name"] = spec.get("tool_name", "")
            declaration, created = declaration_services.declaration_submit(
                collectivite=collectivite,
                acting_user=self.users[author or demo.ANONYMOUS_SUBMITTER],
                data=data,
                anonymous=author is None,
                submission_key=declaration_key(collectivite, spec["key"]),
                rate_limited=False,
            )
            self.created["declarations"] += created
            done = set(declaration.events.values_list("kind", flat=True))
            for actor, _days_ago, action, params in spec["triage"]:
                declaration = self._triage(declaration, self.users[actor], action, params, done)
            if created:
                _backdate_declaration(declaration, spec, now)

    def _triage(self, declaration: Declaration, actor: User, action: str, params: dict, done: set) -> Declaration:
        """Take one triage action of the demo data, unless it was taken already or no longer applies."""
        service, kind, allowed_from = TRIAGE_ACTIONS[action]
        if kind in done or declaration.status not in allowed_from:
            return declaration
        if action == "assess_breach" and not (declaration.possible_breach and not declaration.breach_outcome):
            return declaration
        arguments = dict(params)
        if "alternative_tool" in arguments:
            arguments["alternative_tool"] = self.tools[arguments["alternative_tool"]]
        if action == "regularise":
            use_case = self.use_cases_by_name[arguments.pop("use_case")]
            [declaration] = service(declarations=[declaration], acting_user=actor, use_case=use_case, **arguments)
        else:
            declaration = service(declaration=declaration, acting_user=actor, **arguments)
        done.add(kind)
        self.created["triage_actions"] += 1
        return declaration


def _backdate(use_case: UseCase, start) -> None:
    """Spread a demo use case's history over the days after `start`, so the register and the history panel
    read like months of real use rather than one second. Each history record matches one event, in order."""
    records = list(use_case.history.order_by("history_date", "history_id"))
    events = list(use_case.events.order_by("created_at", "id"))
    moments = [start + DEMO_STEP * step for step in range(max(len(records), len(events)))]
    for record, moment in zip(records, moments, strict=False):
        type(record).objects.filter(pk=record.pk).update(
            history_date=moment, submitted_at=moment if record.submitted_at else None
        )
    for event, moment in zip(events, moments, strict=False):
        UseCaseEvent.objects.filter(pk=event.pk).update(created_at=moment)
    UseCase.objects.filter(pk=use_case.pk).update(
        created_at=moments[0],
        updated_at=moments[-1],
        submitted_at=moments[-1] if use_case.submitted_at else None,
    )


def declaration_key(collectivite: Collectivite, key: str) -> uuid.UUID:
    """The submission key of a demo declaration: the same on every run, so the service finds it again."""
    return uuid.uuid5(demo.DECLARATION_KEY_NAMESPACE, f"{collectivite.slug}:{key}")


def _backdate_declaration(declaration: Declaration, spec: dict, now) -> None:
    """Date a demo declaration and its events as the data says (`days_ago`), so the queue, the 72-hour breach
    deadlines and the answers read like weeks of real use. Its e-mails count as sent then: none goes out now."""
    declared = now - timedelta(days=spec["days_ago"])
    moments = {Kind.SUBMITTED: declared}
    moments.update(
        {TRIAGE_ACTIONS[action][1]: now - timedelta(days=days_ago) for _a, days_ago, action, _p in spec["triage"]}
    )
    if declaration.anonymous:  # the date only, as declaration_services.declaration_submit keeps it
        declared = start_of_day(declared)
        moments = {kind: start_of_day(moment) for kind, moment in moments.items()}
    events = list(declaration.events.order_by("created_at", "id"))
    for event in events:
        moment = moments[event.kind]
        DeclarationEvent.objects.filter(pk=event.pk).update(created_at=moment, notified_at=moment)
    answered = [moments[e.kind] for e in events if e.message and e.kind != Kind.BREACH_ASSESSED]
    Declaration.objects.filter(pk=declaration.pk).update(
        created_at=declared,
        updated_at=max(moments[event.kind] for event in events),
        answered_at=answered[-1] if answered else None,
        breach_deadline=declared + timedelta(hours=triage.BREACH_ASSESSMENT_HOURS)
        if declaration.possible_breach
        else None,
        breach_assessed_at=moments.get(Kind.BREACH_ASSESSED) if declaration.breach_outcome else None,
    )
