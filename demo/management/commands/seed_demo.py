"""Load the demo collectivité (Ville de Bellerive-sur-Loire), idempotently: a second run creates nothing.

Use cases go through the same services as the web UI and the API (`use_case_create`, `use_case_update`,
`use_case_submit`), so their classification, events, owner permissions and history are the real ones.
So do the shadow-AI declarations (`declaration_submit`, then the DPO / RSSI triage actions): their risk,
breach flag, events and author permissions are the real ones; a declaration is found again by its
submission key, and a triage action already taken is not taken twice.
So does the review workflow (registry/demo.py, REVIEW_STORIES): the ethics committee is seated, and each
use case gets its story — recorded or declared, submitted, DPO and RSSI opinions, committee sessions with
their agendas, votes, conflicts of interest and opinions, conditions and their owners, production,
retirement — through the review services, in date order; what each step wrote is then dated at its moment
in the past. Its e-mails count as sent: none goes out.
So does the guided qualification (DOMAIN.md 3b): each use case is declared with its plain facts, the DPO's
confirmations and the legal answers she sets are steps of the stories (`qualification_confirm`,
`qualification_override_set`), and the use cases recorded before the questionnaire get what its migration gave them.
So do the human-control checkpoints (audits/demo.py): owners, manual checkpoints, attestations, incidents
and a suspension go through the audits and registry services, each only while its rows are missing.
So does the charter (charter/demo.py), last: last year's edition published by the DGS (its final PDF generated
when the load commits) and acknowledged by about 60 % of the people, this year's edition a draft.
So does the public register of algorithms (transparency/demo.py): the DPO publishes, updates and withdraws
records through the publication services, and prepares one more as a draft.
`--use-cases N`, `--declarations N` and `--checkpoints N` add N synthetic use cases, declarations or
checkpoints in bulk, for benchmarks.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import random
import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count, F, IntegerField, Max, Q, Value
from django.db.models.functions import Cast, Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audits import schedule
from audits import services as audits_services
from audits.models import Attestation, Checkpoint, CheckpointType, Incident
from audits.selectors import LIVE
from charter import services as charter_services
from charter.models import CharterAcknowledgement, CharterEdition, CharterEvent
from core.roles import Role
from declarations import services as declaration_services
from declarations import triage
from declarations.services import OPEN_STATUSES, start_of_day
from demo import charter as charter_demo
from demo import checkpoints as audits_demo
from demo import publications as transparency_demo
from demo import register as demo
from registry import qualification, selectors, services
from registry.choices import (
    OPEN_REVIEW_STATUSES,
    BreachOutcome,
    DeclarationAccount,
    DeclarationDevice,
    DeclarationFrequency,
    DeclarationOutput,
    DeclarationStatus,
    HumanReview,
    OpinionVerdict,
    ReviewDecision,
    ReviewKind,
    ReviewStatus,
    SessionStatus,
    ToolStatus,
    UseCaseStatus,
)
from registry.models import (
    AgendaItem,
    Attendance,
    Collectivite,
    CommitteeMember,
    CommitteeSession,
    Declaration,
    DeclarationEvent,
    DeclarationUserObjectPermission,
    Membership,
    Opinion,
    Review,
    ReviewCondition,
    Service,
    Tool,
    UseCase,
    UseCaseEvent,
    UseCaseUserObjectPermission,
    User,
    Vote,
)
from registry.models.use_cases import CLASSIFICATION_INPUT_FIELDS
from registry.titles import role_label


def _counts(**counts: int) -> str:
    """« 1 service, 4 usages, 2 déclarations »: each count with its noun in the right number."""
    nouns = {
        "services": lambda n: ngettext("%(count)d service", "%(count)d services", n),
        "users": lambda n: ngettext("%(count)d person", "%(count)d people", n),
        "tools": lambda n: ngettext("%(count)d AI tool", "%(count)d AI tools", n),
        "use_cases": lambda n: ngettext("%(count)d use case", "%(count)d use cases", n),
        "declarations": lambda n: ngettext("%(count)d declaration", "%(count)d declarations", n),
    }
    return ", ".join(nouns[name](count) % {"count": count} for name, count in counts.items())


DEFAULT_PASSWORD = "demo"  # nosec B105 — the demo accounts' documented password
BATCH_SIZE = 500
# The demo use cases were declared over the last months: one every three days, changes a day apart.
DEMO_SPREAD = timedelta(days=3)
DEMO_STEP = timedelta(days=1, hours=2)
# Synthetic declarations were made over the last months.
SYNTHETIC_DECLARATION_DAYS = 300

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


class Command(BaseCommand):
    help = _(
        "Load the demo collectivité (Ville de Bellerive-sur-Loire) with its services, people, AI tools and "
        "use cases. Running it again creates nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help=_(
                "Password given to every demo user. Required in production; otherwise new users get “demo” "
                "and existing users keep theirs."
            ),
        )
        parser.add_argument(
            "--use-cases",
            type=int,
            default=0,
            dest="use_cases",
            metavar="N",
            help=_("Also add N synthetic use cases (for benchmarks)."),
        )
        parser.add_argument(
            "--declarations",
            type=int,
            default=0,
            metavar="N",
            help=_("Also add N synthetic shadow-AI declarations (for benchmarks)."),
        )
        parser.add_argument(
            "--checkpoints",
            type=int,
            default=0,
            metavar="N",
            help=_("Also add N synthetic human-control checkpoints on live use cases (for benchmarks)."),
        )

    def handle(self, *args, password=None, use_cases=0, declarations=0, checkpoints=0, **options):
        if use_cases < 0:
            raise CommandError(_("--use-cases takes a number of use cases, 0 or more."))
        if declarations < 0:
            raise CommandError(_("--declarations takes a number of declarations, 0 or more."))
        if checkpoints < 0:
            raise CommandError(_("--checkpoints takes a number of checkpoints, 0 or more."))
        development = getattr(settings, "DEMO_ALLOW_DEFAULT_PASSWORD", settings.DEBUG)
        if password is None and not development:
            raise CommandError(
                _(
                    "Outside development mode the demo users need a password: run "
                    "“manage.py seed_demo --password <password>”."
                )
            )
        if password is not None and not development:
            # `admin` is a superuser: outside development its password must pass the site's validators.
            try:
                validate_password(password)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        # The declarations' notification tasks run when the transaction commits and find the demo's past
        # e-mails already counted as sent: with eager Celery (embedded mode), keep their log lines and the
        # in-memory broker's warning out of the summary.
        with _quiet_loggers("celery.app.trace", "kombu.connection"), transaction.atomic():
            loader = DemoLoader(password=password)
            collectivite = loader.load()
            mutual = MutualisationLoader(loader, collectivite).load()
            added = add_synthetic_use_cases(collectivite, use_cases, acting_user=loader.users["dpo"])
            added_declarations = add_synthetic_declarations(collectivite, declarations, acting_user=loader.users["dpo"])
            added_checkpoints = add_synthetic_checkpoints(collectivite, checkpoints, acting_user=loader.users["dpo"])
        self._report(loader, collectivite, (added, added_declarations, added_checkpoints), password)
        self._report_mutual(mutual)

    def _report_mutual(self, mutual: MutualisationLoader) -> None:
        write = self.stdout.write
        write("")
        for collectivite in (mutual.structure, mutual.commune):
            write(
                _("%(name)s: %(counts)s.")
                % {
                    "name": collectivite.name,
                    "counts": _counts(
                        services=collectivite.services.count(),
                        use_cases=collectivite.use_cases.count(),
                        declarations=Declaration.objects.filter(collectivite=collectivite).count(),
                    ),
                }
            )
        if mutual.reference_content is None:
            write(_("Reference content of the intercommunality: not loaded (the mutualisation app is missing)."))
        write(_("Demo logins of the intercommunality and of its second member commune:"))
        names = {"structure": mutual.structure.name, "bellerive": mutual.bellerive.name, "commune": mutual.commune.name}
        rows = [(_("Login"), _("Name"), _("Role"), _("Collectivité"))]
        for spec in demo.MUTUAL_USERS:
            user = mutual.users[spec["username"]]
            for key, roles in spec["roles"].items():
                for role, _service in roles:
                    rows.append((spec["username"], user.get_full_name(), role_label(role, user), names[key]))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for index, row in enumerate(rows):
            write("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if index == 0:
                write("  " + "  ".join("-" * width for width in widths))

    def _report(self, loader, collectivite, synthetic, password):
        write = self.stdout.write
        write(
            _("%(name)s: %(counts)s.")
            % {
                "name": collectivite.name,
                "counts": _counts(
                    services=collectivite.services.count(),
                    users=len(loader.users),
                    tools=collectivite.tools.count(),
                    use_cases=collectivite.use_cases.count(),
                ),
            }
        )
        totals = Declaration.objects.filter(collectivite=collectivite).aggregate(
            total=Count("pk"),
            anonymous=Count("pk", filter=Q(author__isnull=True)),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            breaches=Count("pk", filter=Q(possible_breach=True)),
            to_assess=Count("pk", filter=Q(possible_breach=True, breach_outcome="")),
        )
        write(
            _(
                "Shadow-AI declarations: %(total)d (%(anonymous)d anonymous, %(open)d open), %(breaches)d "
                "possible personal-data breaches, %(to_assess)d still to assess."
            )
            % totals
        )
        write(_reviews_line(collectivite))
        write(_checkpoints_line(collectivite))
        write(_("Created by this run: %(created)s.") % {"created": loader.created_summary(*synthetic)})
        write("")
        write(_("Registre IA: %(url)s") % {"url": settings.SITE_URL})
        if password is None:
            write(_("Demo logins (password “%(password)s” for new users):") % {"password": DEFAULT_PASSWORD})
        else:
            write(_("Demo logins (the password given with --password):"))
        rows = [(_("Login"), _("Name"), _("Role"), _("Service"))]
        for username in demo.ROLE_USERNAMES:
            user = loader.users[username]
            for role, service_code in loader.roles_of[username]:
                service = loader.services[service_code].name if service_code else "—"
                rows.append((username, user.get_full_name(), role_label(role, user), service))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for index, row in enumerate(rows):
            write("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if index == 0:
                write("  " + "  ".join("-" * width for width in widths))
        write(_("Use-case owners also have a login (first.last, e.g. %(example)s).") % {"example": "martine.blanc"})


@contextlib.contextmanager
def _quiet_loggers(*names: str):
    """Only errors from these loggers while the block runs."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


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
        self.created["publication_steps"] += transparency_demo.seed(self, collectivite)
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
        self._set_passwords(to_hash)

    def _set_passwords(self, users: list[User]) -> None:
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

    def _resolve(self, data: dict) -> dict:
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
        """The demo use cases that are missing, each through its review story (registry/demo.py)."""
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
            data = self._resolve(use_case_data(spec))
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


class MutualisationLoader:
    """The intercommunality that shares its DPO and RSSI with its member communes, and a second, small member
    commune (registry/demo.py, STRUCTURE and SECOND_COMMUNE) with its services, people, tools, use cases,
    declarations, checkpoints and an attestation, all through the services as for Bellerive; the shared DPO holds
    the DPO role in the structure, in Bellerive and in the commune. Each step only while its rows are missing. Then,
    when the mutualisation app exists, the structure's reference content pushed to its members."""

    def __init__(self, loader: DemoLoader, bellerive: Collectivite):
        self.loader = loader
        self.created = loader.created
        self.password = loader.password
        self.bellerive = bellerive
        self.users: dict[str, User] = {}
        self.services: dict[str, Service] = {}
        self.tools: dict[str, Tool] = {}
        self.reference_content = None

    def load(self) -> MutualisationLoader:
        self.structure = self._collectivite(demo.STRUCTURE)
        self.commune = self._collectivite(demo.SECOND_COMMUNE)
        self._services(self.structure, demo.STRUCTURE_SERVICES)
        self._services(self.commune, demo.SECOND_COMMUNE_SERVICES)
        self._users()
        self._tools()
        self._use_cases()
        self._declarations()
        # The demo's past e-mails count as sent: the notification tasks queued by the services find them claimed.
        UseCaseEvent.objects.filter(use_case__collectivite=self.commune, notified_at__isnull=True).update(
            notified_at=F("created_at")
        )
        self._reference_content()
        return self

    def _collectivite(self, spec: dict) -> Collectivite:
        data = dict(spec)
        collectivite, created = Collectivite.objects.get_or_create(slug=data.pop("slug"), defaults=data)
        if created:
            collectivite.full_clean()
        self.created["collectivite"] += created
        return collectivite

    def _services(self, collectivite: Collectivite, specs) -> None:
        for code, name, parent_code in specs:
            service, created = Service.objects.get_or_create(
                collectivite=collectivite,
                code=code,
                defaults={"name": name, "parent": self.services[parent_code] if parent_code else None},
            )
            if collectivite == self.commune:
                self.services[code] = service
            self.created["services"] += created

    def _users(self) -> None:
        where = {"structure": self.structure, "bellerive": self.bellerive, "commune": self.commune}
        to_hash = []
        for spec in demo.MUTUAL_USERS:
            user, created = User.objects.get_or_create(
                username=spec["username"],
                defaults={
                    "first_name": spec["first_name"],
                    "last_name": spec["last_name"],
                    "job_title": spec["job_title"],
                    "email": spec["email"],
                    "civility": demo.CIVILITIES.get(spec["username"], ""),
                },
            )
            if created or self.password is not None:
                to_hash.append(user)
            self.users[user.username] = user
            self.created["users"] += created
            for key, roles in spec["roles"].items():
                for role, service_code in roles:
                    _membership, created = Membership.objects.get_or_create(
                        user=user,
                        collectivite=where[key],
                        role=role,
                        service=self.services[service_code] if service_code else None,
                    )
                    self.created["memberships"] += created
        self.loader._set_passwords(to_hash)

    def _tools(self) -> None:
        existing = {tool.name: tool for tool in Tool.objects.filter(collectivite=self.commune)}
        for spec in demo.SECOND_COMMUNE_TOOLS:
            tool = existing.get(spec["name"])
            if tool is None:
                tool = services.tool_create(
                    collectivite=self.commune, acting_user=self.users["rssi.mutualise"], data=spec
                )
                self.created["tools"] += 1
            self.tools[tool.name] = tool

    def _use_cases(self) -> None:
        existing = {u.name: u for u in UseCase.objects.filter(collectivite=self.commune)}
        dpo, rssi = self.users[demo.SHARED_DPO], self.users["rssi.mutualise"]
        for spec in demo.SECOND_COMMUNE_USE_CASES:
            if spec["name"] in existing:
                continue
            data = use_case_data(spec)
            data["service"] = self.services[spec["service"]]
            data["owner"] = owner = self.users[spec["owner"]]
            data["tool"] = self.tools[spec["tool"]] if spec["tool"] else None
            use_case = services.use_case_create(collectivite=self.commune, acting_user=owner, data=data)
            self.created["use_cases"] += 1
            story = spec["story"]
            if "submit" in story:
                use_case = services.use_case_submit(use_case=use_case, acting_user=owner)
            opinions = [(role, person) for role, person in (("dpo", dpo), ("rssi", rssi)) if role in story]
            for role, person in opinions:
                review = Review.objects.get(use_case=use_case, status__in=OPEN_REVIEW_STATUSES)
                services.opinion_give(
                    review=review,
                    acting_user=person,
                    role=role,
                    data={"verdict": OpinionVerdict.FAVOURABLE, "comment": _("Demo opinion.")},
                )
                self.created["review_steps"] += 1
            if "production" in story:
                use_case = UseCase.objects.get(pk=use_case.pk)
                audits_services.checkpoints_sync(use_case=use_case)
                use_case = services.use_case_put_into_production(use_case=use_case, acting_user=owner)
                self._attest(use_case, owner)

    def _attest(self, use_case: UseCase, owner: User) -> None:
        """One control of the live use case, attested a week ago by its owner."""
        checkpoint = use_case.checkpoints.filter(active=True, owner=owner).order_by("type__code").first()
        if checkpoint is None or checkpoint.attestations.exists():
            return
        audits_services.attestation_record(
            checkpoint=checkpoint,
            acting_user=owner,
            performed_on=timezone.localdate() - timedelta(days=7),
            comment=demo.SECOND_COMMUNE_ATTESTATION,
        )
        self.created["attestations"] += 1

    def _declarations(self) -> None:
        now = timezone.now()
        for spec in demo.SECOND_COMMUNE_DECLARATIONS:
            data = {name: spec.get(name) for name in declaration_services.DECLARATION_FIELDS}
            data["tool"] = self.tools[spec["tool"]] if spec.get("tool") else None
            data["tool_name"] = ""
            declaration, created = declaration_services.declaration_submit(
                collectivite=self.commune,
                acting_user=self.users[spec["author"]],
                data=data,
                anonymous=False,
                submission_key=declaration_key(self.commune, spec["key"]),
                rate_limited=False,
            )
            self.created["declarations"] += created
            if "start_analysis" in spec["triage"] and declaration.status == DeclarationStatus.RECEIVED:
                declaration_services.declaration_start_analysis(
                    declaration=declaration, acting_user=self.users[demo.SHARED_DPO]
                )
                self.created["triage_actions"] += 1
            # Its e-mails count as sent: none goes out now.
            DeclarationEvent.objects.filter(declaration=declaration, notified_at__isnull=True).update(notified_at=now)

    def _reference_content(self) -> None:
        """The structure's tools, checkpoint types and charter sections pushed to its members, once the
        mutualisation app exists."""
        from django.apps import apps

        if not apps.is_installed("mutualisation"):
            return
        try:
            from demo.mutualisation import seed_reference_content
        except ImportError:  # pragma: no cover — installed but without its demo module
            return
        from mutualisation.models import SharedItem

        if SharedItem.objects.filter(structure=self.structure).exists():
            return  # a second run: the structure shared its content the first time
        # Saint-Aubin decides on what is offered (adopts, adapts, declines); Bellerive's register stays as the rest
        # of the demo describes it, with the offers waiting for its DPO.
        self.reference_content = seed_reference_content(
            structure=self.structure,
            members=[self.commune, self.bellerive],
            acting_user=self.users[demo.SHARED_DPO],
        )


# The columns a demo step may write with the real time, moved afterwards to the step's moment in the past.
REDATED_COLUMNS = (
    (UseCase, ("created_at", "updated_at", "submitted_at")),
    (UseCase.history.model, ("history_date", "created_at", "submitted_at")),
    (UseCaseEvent, ("created_at",)),
    (Review, ("opened_at", "decided_at", "stale_at")),
    (Opinion, ("created_at",)),
    (ReviewCondition, ("created_at",)),
    (CommitteeSession, ("created_at", "opened_at", "closed_at")),
    (Attendance, ("recorded_at",)),
    (AgendaItem, ("added_at", "decided_at")),
    (Vote, ("created_at",)),
    (Checkpoint, ("created_at", "updated_at")),
)


class Timeline:
    """The demo's steps run now, through the services, in the order of their moments in the past; `redate()`
    then gives every row a step wrote (found by the real time it carries) the moment of that step: one UPDATE
    per dated column, whatever the number of steps."""

    def __init__(self):
        self.marks: list[tuple[datetime, datetime]] = []

    def mark(self, moment: datetime) -> None:
        """What is written from now until the next mark happened at `moment`."""
        self.marks.append((timezone.now(), moment))

    def redate(self) -> None:
        if not self.marks:
            return
        start, end = self.marks[0][0], timezone.now()
        adapt = connection.ops.adapt_datetimefield_value
        # Latest mark first: a row takes the moment of the last step that started before it was written.
        reals = [adapt(real) for real, _past in reversed(self.marks)]
        pasts = [adapt(past) for _real, past in reversed(self.marks)]
        with connection.cursor() as cursor:
            for model, names in REDATED_COLUMNS:
                table = connection.ops.quote_name(model._meta.db_table)
                for name in names:
                    column = connection.ops.quote_name(model._meta.get_field(name).column)
                    cases = " ".join(f"WHEN {column} >= %s THEN %s" for _mark in self.marks)
                    params = [value for pair in zip(reals, pasts, strict=True) for value in pair]
                    cursor.execute(
                        f"UPDATE {table} SET {column} = CASE {cases} END WHERE {column} >= %s AND {column} < %s",  # nosec B608 — table and column come from the models, quoted by quote_name; values are parameters
                        [*params, adapt(start), adapt(end)],
                    )
        self.marks = []


class ReviewStories:
    """Seats the ethics committee and takes each new demo use case through its story (demo.REVIEW_STORIES):
    every step of every story, and the committee's sessions, run in date order through the review services,
    acting as the people named; the timeline then dates what they wrote. Approvals get their next review date
    from their decision's date, and the re-reviews that fell due are opened as the beat task would this
    morning. Use cases without a story are drafts declared one every DEMO_SPREAD."""

    def __init__(self, loader: DemoLoader, collectivite: Collectivite, specs: list[dict]):
        self.loader = loader
        self.users = loader.users
        self.created = loader.created
        self.collectivite = collectivite
        self.specs = specs
        self.use_cases: dict[str, int] = {}
        self.inventory: set[str] = set()
        self.sessions: dict[str, CommitteeSession] = {}
        self.timeline = Timeline()
        self.now = timezone.now()
        self.today = timezone.localdate()

    def load(self) -> None:
        steps = self._committee_steps() + self._story_steps() + self._session_steps()
        previous = None
        for moment, _order, run in sorted(steps, key=lambda step: (step[0], step[1])):
            # Steps at the same moment follow each other a minute apart, in the order of the data.
            moment = max(moment, previous + timedelta(minutes=1)) if previous else moment
            previous = moment
            run(moment)
        self.timeline.redate()
        if self.use_cases:
            self._number_by_year()
            self._next_review_dates()
            self.timeline.mark(min(self._moment(f"0 {demo.REREVIEW_TIME}"), self.now - timedelta(minutes=1)))
            self.created["rereviews"] += services.rereviews_open_due(today=self.today)
            self.timeline.redate()

    # Building the steps --------------------------------------------------------------------------------------
    def _moment(self, when) -> datetime:
        """`when`: a number of days ago (at 10:00), or "days HH:MM"; negative days are to come."""
        days, clock = when.split() if isinstance(when, str) else (when, "10:00")
        hour, minute = (int(part) for part in clock.split(":"))
        return timezone.make_aware(datetime.combine(self.today - timedelta(days=int(days)), time(hour, minute)))

    def _committee_steps(self) -> list:
        seated = set(
            CommitteeMember.objects.filter(collectivite=self.collectivite).values_list("user__username", flat=True)
        )
        missing = [seat for seat in demo.COMMITTEE if seat["username"] not in seated]
        if not missing:
            return []
        return [
            (self._moment(f"{demo.COMMITTEE_SEATED_DAYS_AGO} 09:30"), -1, lambda moment: self._seat(moment, missing))
        ]

    def _story_steps(self) -> list:
        steps = []
        for index, spec in enumerate(demo.USE_CASES):
            if spec not in self.specs:
                continue
            days = DEMO_SPREAD.days * (len(demo.USE_CASES) - index)
            story = demo.REVIEW_STORIES.get(spec["name"]) or [(days, "create"), (days - 1, "edits")]
            for when, action, *arguments in story:
                run = getattr(self, f"_{action}")
                steps.append((self._moment(when), len(steps), self._step(run, spec, arguments)))
        return steps

    def _step(self, run: Callable, spec: dict, arguments: list) -> Callable:
        def step(moment):
            run(moment, spec, *arguments)
            self.created["review_steps"] += 1

        return step

    def _session_steps(self) -> list:
        needed = {
            arguments[0]
            for spec in self.specs
            for _when, action, *arguments in demo.REVIEW_STORIES.get(spec["name"], ())
            if action in ("agenda", "vote", "conflict", "committee")
        }
        steps = []
        for key in sorted(needed):
            data = demo.SESSIONS[key]
            existing = CommitteeSession.objects.filter(collectivite=self.collectivite, notes=data["notes"]).first()
            if existing is not None:
                self.sessions[key] = existing
                continue
            steps.append((self._moment(data["created"]), -1, lambda moment, key=key: self._session(moment, key)))
            if int(data["held"]) >= 0:
                # Opened by the DPO at its time, with the attendance, before the members vote.
                held = self._moment(f"{data['held']} {data['time']}")
                steps.append((held, -1, lambda moment, key=key: self._open(moment, key)))
            if data["closed"]:
                steps.append((self._moment(data["closed"]), -1, lambda moment, key=key: self._close(moment, key)))
        return steps

    # The committee --------------------------------------------------------------------------------------------
    def _seat(self, moment: datetime, seats: list[dict]) -> None:
        members = []
        for seat in seats:
            self.timeline.mark(moment)
            members.append(
                services.committee_member_add(
                    collectivite=self.collectivite,
                    acting_user=self.users["dpo"],
                    user=self.users[seat["username"]],
                    is_chair=seat.get("is_chair", False),
                    is_vice_chair=seat.get("is_vice_chair", False),
                    external=seat.get("external", False),
                    affiliation=seat["affiliation"],
                    birth_date=date.fromisoformat(seat["birth_date"]) if seat.get("birth_date") else None,
                ).pk
            )
        CommitteeMember.objects.filter(pk__in=members).update(joined_on=moment.date())
        self.created["committee_members"] += len(members)

    def _session(self, moment: datetime, key: str) -> None:
        data = demo.SESSIONS[key]
        self.timeline.mark(moment)
        self.sessions[key] = services.session_create(
            collectivite=self.collectivite,
            acting_user=self.users["dpo"],
            data={
                "held_on": self._moment(f"{data['held']} {data['time']}"),
                "place": data["place"],
                "notes": data["notes"],
            },
        )
        self.created["committee_sessions"] += 1

    def _open(self, moment: datetime, key: str) -> None:
        absent = set(demo.SESSIONS[key].get("absent", ()))
        present = CommitteeMember.objects.filter(collectivite=self.collectivite, active=True).exclude(
            user__username__in=absent
        )
        self.timeline.mark(moment)
        self.sessions[key] = services.session_open(
            session=self.sessions[key], acting_user=self.users["dpo"], present=list(present)
        )

    def _close(self, moment: datetime, key: str) -> None:
        self.timeline.mark(moment)
        services.session_close(session=self.sessions[key], acting_user=self.users["comite"])

    # The steps of a use case's story ------------------------------------------------------------------------
    def _use_case(self, spec: dict) -> UseCase:
        return UseCase.objects.select_related("owner").get(pk=self.use_cases[spec["name"]])

    def _open_review(self, spec: dict) -> Review:
        return Review.objects.get(use_case_id=self.use_cases[spec["name"]], status__in=OPEN_REVIEW_STATUSES)

    def _item(self, spec: dict, session: str) -> AgendaItem:
        return AgendaItem.objects.select_related("review").get(
            session=self.sessions[session], review__use_case_id=self.use_cases[spec["name"]]
        )

    def _create(self, moment: datetime, spec: dict) -> None:
        data = self.loader._resolve(use_case_data(spec))
        self.timeline.mark(moment)
        use_case = services.use_case_create(collectivite=self.collectivite, acting_user=data["owner"], data=data)
        if spec.get("facts") is None:
            before_questionnaire(use_case)
        self.use_cases[spec["name"]] = use_case.pk
        self.created["use_cases"] += 1

    def _record(self, moment: datetime, spec: dict) -> None:
        """A use already running, recorded by the DPO's inventory and submitted for review at once."""
        data = self.loader._resolve(use_case_data(spec))
        self.timeline.mark(moment)
        use_case = services.use_case_create(
            collectivite=self.collectivite,
            acting_user=self.users["dpo"],
            data=data,
            status=UseCaseStatus.SUBMITTED,
            comment=demo.INVENTORY_COMMENT,
        )
        if spec.get("facts") is None:
            before_questionnaire(use_case)
        self.use_cases[spec["name"]] = use_case.pk
        self.inventory.add(spec["name"])
        self.created["use_cases"] += 1

    def _edits(self, moment: datetime, spec: dict) -> None:
        for offset, (actor, changes) in enumerate(spec.get("edits", ())):
            use_case = self._use_case(spec)
            self.timeline.mark(moment + timedelta(minutes=offset))
            services.use_case_update(
                use_case=use_case,
                acting_user=self.users[actor],
                data=self.loader._resolve(changes),
                expected_version=use_case.version,
            )

    def _submit(self, moment: datetime, spec: dict, comment: str = "") -> None:
        use_case = self._use_case(spec)
        self.timeline.mark(moment)
        services.use_case_submit(use_case=use_case, acting_user=use_case.owner, comment=comment)

    def _opinion(self, moment: datetime, spec: dict, role: str, data: dict) -> None:
        review = self._open_review(spec)
        self.timeline.mark(moment)
        services.opinion_give(review=review, acting_user=self.users[role], role=role, data=data)

    def _agenda(self, moment: datetime, spec: dict, session: str) -> None:
        review = self._open_review(spec)
        self.timeline.mark(moment)
        services.agenda_add(session=self.sessions[session], review=review, acting_user=self.users["dpo"])

    def _vote(self, moment: datetime, spec: dict, session: str, member: str, choice: str, comment: str) -> None:
        item = self._item(spec, session)
        self.timeline.mark(moment)
        services.vote_cast(item=item, acting_user=self.users[member], choice=choice, comment=comment)

    def _conflict(self, moment: datetime, spec: dict, session: str, member: str, comment: str) -> None:
        item = self._item(spec, session)
        self.timeline.mark(moment)
        services.conflict_declare(item=item, acting_user=self.users[member], comment=comment)

    def _committee(self, moment, spec: dict, session: str, opinion: str, comment: str, conditions: list) -> None:
        """Whoever presides over the case records the opinion: the chair, or the vice-chair when she withdrew."""
        item = self._item(spec, session)
        presiding = selectors.presiding_member(item, selectors.session_roster(item.session))
        self.timeline.mark(moment)
        services.committee_opinion_record(
            item=item, acting_user=presiding.user, opinion=opinion, comment=comment, conditions=conditions
        )

    def _owner(self, moment: datetime, spec: dict, rank: int, owner: str, frequency: str | None = None) -> None:
        """The use case's owner names who attests one of the approval's conditions (by their order)."""
        use_case = self._use_case(spec)
        checkpoint = Checkpoint.objects.filter(use_case=use_case, origin=Checkpoint.Origin.CONDITION).order_by(
            "condition_id"
        )[rank]
        self.timeline.mark(moment)
        audits_services.checkpoint_update(
            checkpoint=checkpoint,
            acting_user=use_case.owner,
            owner=self.users[owner],
            frequency=frequency or checkpoint.frequency,
        )

    def _production(self, moment: datetime, spec: dict, comment: str) -> None:
        use_case = self._use_case(spec)
        actor = self.users["dpo"] if spec["name"] in self.inventory else use_case.owner
        self.timeline.mark(moment)
        services.use_case_put_into_production(use_case=use_case, acting_user=actor, comment=comment)

    def _retire(self, moment: datetime, spec: dict, comment: str) -> None:
        use_case = self._use_case(spec)
        self.timeline.mark(moment)
        services.use_case_retire(use_case=use_case, acting_user=use_case.owner, comment=comment)

    def _qualify(self, moment: datetime, spec: dict, input_name: str, value, justification: str) -> None:
        """The DPO sets a legal input herself, with her justification (the value the facts derive kept beside)."""
        use_case = self._use_case(spec)
        self.timeline.mark(moment)
        use_case = services.qualification_override_set(
            use_case=use_case,
            acting_user=self.users["dpo"],
            input_name=input_name,
            value=value,
            justification=justification,
            expected_version=use_case.version,
        )
        overrides = use_case.qualification_overrides
        overrides[input_name]["at"] = moment.isoformat()
        _redate_json(use_case, "qualification_overrides", overrides)

    def _confirm(self, moment: datetime, spec: dict, comment: str) -> None:
        """The DPO confirms the qualification the facts give, for the questions that went to her."""
        use_case = self._use_case(spec)
        self.timeline.mark(moment)
        use_case = services.qualification_confirm(
            use_case=use_case, acting_user=self.users["dpo"], comment=comment, expected_version=use_case.version
        )
        _redate_json(
            use_case, "qualification_confirmation", {**use_case.qualification_confirmation, "at": moment.isoformat()}
        )

    def _number_by_year(self) -> None:
        """A fresh demo's references follow the year each use case was declared in, oldest first, as if they
        had been created then (IA-2025-0001 for the first one of the inventory)."""
        if UseCase.objects.filter(collectivite=self.collectivite).exclude(pk__in=self.use_cases.values()).exists():
            return
        numbers: dict[int, int] = {}
        renamed = {}
        for pk, reference, created in (
            UseCase.objects.filter(pk__in=self.use_cases.values())
            .order_by("created_at", "pk")
            .values_list("pk", "reference", "created_at")
        ):
            year = timezone.localtime(created).year
            numbers[year] = numbers.get(year, 0) + 1
            if reference != f"IA-{year}-{numbers[year]:04d}":
                renamed[pk] = (reference, f"IA-{year}-{numbers[year]:04d}")
        # Out of the way first, so that no two use cases share a reference in between.
        UseCase.objects.filter(pk__in=renamed).update(reference=Concat(Value("~"), F("reference")))
        for pk, (old, new) in renamed.items():
            UseCase.objects.filter(pk=pk).update(reference=new)
            UseCase.history.filter(id=pk).update(reference=new)
            # The conditions' checkpoint types say which approval they come from.
            conditions = Checkpoint.objects.filter(use_case_id=pk, origin=Checkpoint.Origin.CONDITION)
            for kind in CheckpointType.objects.filter(pk__in=conditions.values("type_id")):
                CheckpointType.objects.filter(pk=kind.pk).update(legal_basis=kind.legal_basis.replace(old, new))

    def _next_review_dates(self) -> None:
        """An approval is reviewed again after the months its risk calls for, counted from its decision."""
        decided = (
            Review.objects.filter(use_case_id__in=self.use_cases.values(), status=ReviewStatus.DECIDED)
            .exclude(decision=ReviewDecision.REJECTED)
            .select_related("use_case")
            .order_by("decided_at", "id")
        )
        latest = {review.use_case_id: review for review in decided}
        for review in latest.values():
            months = self.collectivite.review_months(review.use_case.ai_act_risk)
            decided_on = timezone.localdate(review.decided_at)
            UseCase.objects.filter(pk=review.use_case_id, next_review_on__isnull=False).update(
                next_review_on=decided_on + relativedelta(months=months)
            )


class CheckpointLoader:
    """The human-control data of the demo (audits/demo.py), on top of the checkpoints the use cases got from
    their classification: local types, owners, manual checkpoints, attestations, first due dates, incidents
    and a suspension. Each step is taken only while its rows are missing, so a second run changes nothing:
    an owner is reassigned while the checkpoint still has its default owner, a checkpoint is attested while
    it has no attestation, an incident is recorded while no incident of the use case has its description,
    a use case is suspended while it is live. Attestations, incidents and the suspension go through the
    services, acting as the people named, with their dates in the past."""

    def __init__(self, loader: DemoLoader, collectivite: Collectivite, checkpoints_before: set[int]):
        self.users = loader.users
        self.created = loader.created
        self.collectivite = collectivite
        self.checkpoints_before = checkpoints_before
        self.now = timezone.now()
        self.today = timezone.localdate()

    def load(self) -> None:
        names = {spec["name"] for spec in (*demo.USE_CASES, *demo.DECLARATION_USE_CASES)}
        self.use_cases = {
            use_case.name: use_case
            for use_case in UseCase.objects.filter(collectivite=self.collectivite, name__in=names).select_related(
                "owner"
            )
        }
        # A database seeded before the checkpoints existed gets its use cases' required ones now.
        for use_case in self.use_cases.values():
            audits_services.checkpoints_sync(use_case=use_case)
        self.types = self._local_types()
        self._owners()
        self._manual()
        self._attestations()
        self._first_due_dates()
        self._incidents()
        self._suspensions()

    def _checkpoint(self, use_case_name: str, code: str) -> Checkpoint:
        return self.use_cases[use_case_name].checkpoints.select_related("type", "owner").get(type__code=code)

    def _local_types(self) -> dict[str, CheckpointType]:
        types = {kind.code: kind for kind in CheckpointType.objects.filter(collectivite__isnull=True)}
        for spec in audits_demo.LOCAL_TYPES:
            data = dict(spec)
            kind, created = CheckpointType.objects.get_or_create(
                collectivite=self.collectivite, code=data.pop("code"), defaults=data
            )
            types[kind.code] = kind
            self.created["checkpoint_types"] += created
        return types

    def _owners(self) -> None:
        for name, code, username, frequency in audits_demo.OWNERS:
            checkpoint = self._checkpoint(name, code)
            use_case = self.use_cases[name]
            owner = self.users[username] if username else None
            if checkpoint.owner_id != use_case.owner_id or owner == use_case.owner:
                continue  # someone chose its owner already
            if owner is None:
                # The service refuses to leave a mandatory control without owner: the demo shows the
                # production guard with one.
                Checkpoint.objects.filter(pk=checkpoint.pk).update(owner=None)
            else:
                audits_services.checkpoint_update(
                    checkpoint=checkpoint,
                    acting_user=self.users["dpo"],
                    owner=owner,
                    frequency=frequency or checkpoint.frequency,
                )
            self.created["checkpoint_owners"] += 1

    def _manual(self) -> None:
        for name, code, username in audits_demo.MANUAL:
            use_case = self.use_cases[name]
            kind = self.types[code]
            if use_case.checkpoints.filter(type=kind).exists():
                continue
            audits_services.checkpoint_add(
                use_case=use_case, acting_user=self.users["dpo"], type=kind, owner=self.users[username]
            )

    def _attestations(self) -> None:
        for (name, code), entries in audits_demo.ATTESTATIONS.items():
            checkpoint = self._checkpoint(name, code)
            if checkpoint.owner is None or checkpoint.attestations.exists():
                continue
            by_day = {}
            for entry in entries:
                evidence = None
                if "evidence" in entry:
                    evidence = ContentFile(minimal_pdf(entry["evidence"]["lines"]), name=entry["evidence"]["name"])
                attestation = audits_services.attestation_record(
                    checkpoint=checkpoint,
                    acting_user=checkpoint.owner,
                    performed_on=self.today - timedelta(days=entry["days_ago"]),
                    outcome=entry.get("outcome", Attestation.Outcome.OK),
                    comment=entry["comment"],
                    evidence=evidence,
                    corrects=by_day[entry["corrects"]] if "corrects" in entry else None,
                )
                by_day.setdefault(entry["days_ago"], attestation)
                # Recorded at the end of the day of the control (or of the correction), not now.
                recorded = timezone.make_aware(
                    datetime.combine(
                        self.today - timedelta(days=entry.get("recorded_days_ago", entry["days_ago"])), time(17, 30)
                    )
                )
                Attestation.objects.filter(pk=attestation.pk).update(created_at=min(recorded, self.now))
                self.created["attestations"] += 1

    def _first_due_dates(self) -> None:
        """The checkpoints created by this run are dated from their use case; on live use cases, those never
        attested get a first due date from the demo's cycle, so some are overdue and some due this week."""
        created = (
            Checkpoint.objects.filter(use_case__in=list(self.use_cases.values()))
            .exclude(pk__in=self.checkpoints_before)
            # The conditions of approvals are dated by their review's story, due a quarter after being set.
            .exclude(origin=Checkpoint.Origin.CONDITION)
            .select_related("use_case")
            .order_by("use_case__reference", "type__code")
        )
        cycle = itertools.cycle(audits_demo.FIRST_DUE_IN_DAYS)
        for checkpoint in created:
            changes = {"created_at": min(checkpoint.created_at, checkpoint.use_case.created_at)}
            if checkpoint.use_case.status in LIVE and checkpoint.last_attested_on is None and checkpoint.next_due:
                period = (schedule.next_due(self.today, checkpoint.frequency) - self.today).days
                changes["next_due"] = self.today + timedelta(days=min(next(cycle), period))
            Checkpoint.objects.filter(pk=checkpoint.pk).update(**changes)
            self.created["checkpoints"] += 1

    def _incidents(self) -> None:
        for spec in audits_demo.INCIDENTS:
            use_case = self.use_cases[spec["use_case"]]
            if use_case.incidents.filter(description=spec["description"]).exists():
                continue
            incident = audits_services.incident_record(
                use_case=use_case,
                acting_user=self.users[spec["reported_by"]],
                data={
                    "occurred_at": self.now - timedelta(hours=spec["hours_ago"]),
                    "description": spec["description"],
                    "severity": spec["severity"],
                    "persons_affected": spec["persons_affected"],
                    "personal_data_breach": spec["personal_data_breach"],
                    "actions_taken": spec["actions_taken"],
                },
            )
            # Recorded when the data says, and counted as notified then: no e-mail goes out now (the
            # notification task, run when the transaction commits, finds the incident claimed).
            reported = self.now - timedelta(hours=spec["reported_hours_ago"])
            deadline = incident.breach_deadline - incident.created_at + reported if incident.breach_deadline else None
            Incident.objects.filter(pk=incident.pk).update(
                created_at=reported, notified_at=reported, breach_deadline=deadline
            )
            self.created["incidents"] += 1

    def _suspensions(self) -> None:
        for name, actor, days_ago, reason in audits_demo.SUSPENSIONS:
            use_case = UseCase.objects.get(pk=self.use_cases[name].pk)
            if use_case.status not in LIVE:
                continue
            use_case = services.use_case_suspend(use_case=use_case, acting_user=self.users[actor], reason=reason)
            moment = self.now - timedelta(days=days_ago)
            UseCaseEvent.objects.filter(pk=use_case.events.latest("created_at", "id").pk).update(created_at=moment)
            record = use_case.history.latest("history_date", "history_id")
            type(record).objects.filter(pk=record.pk).update(history_date=moment)
            UseCase.objects.filter(pk=use_case.pk).update(updated_at=moment)
            self.created["suspensions"] += 1


def load_charter(loader: DemoLoader, collectivite: Collectivite) -> None:
    """The demo's charter (charter/demo.py), each part only while it is missing: last year's edition, created by the
    DPO and published by the DGS through the services (its PDF is asked for, and generated when the load commits:
    eagerly in the embedded mode), dated in the past; its acknowledgements; this year's draft with one section
    rewritten by the DPO. The charter sends no e-mail."""
    users, created = loader.users, loader.created
    today = timezone.localdate()
    last_year, this_year = today.year - 1, today.year
    published = CharterEdition.objects.filter(collectivite=collectivite, year=last_year).first()
    if published is None:
        published = charter_services.edition_create(
            collectivite=collectivite, acting_user=users[charter_demo.EDITOR], year=last_year
        )
        created["charter_editions"] += 1
    if not published.is_published:
        published = charter_services.edition_publish(edition=published, acting_user=users[charter_demo.PUBLISHED_BY])
        month, day = charter_demo.PUBLISHED_AT_THE_LATEST
        published_on = min(today - timedelta(days=charter_demo.PUBLISHED_DAYS_AGO), date(last_year, month, day))
        moment = timezone.make_aware(datetime.combine(published_on, time(10, 0)))
        CharterEdition.objects.filter(pk=published.pk).update(
            created_at=moment - timedelta(days=20), published_at=moment
        )
        CharterEvent.objects.filter(edition=published).update(created_at=moment)
        published.refresh_from_db()
    _charter_acknowledgements(loader, collectivite, published)

    if not CharterEdition.objects.filter(collectivite=collectivite, year=this_year).exists():
        draft = charter_services.edition_create(
            collectivite=collectivite, acting_user=users[charter_demo.EDITOR], year=this_year
        )
        created["charter_editions"] += 1
        edit = charter_demo.DRAFT_EDIT
        section = draft.sections.get(key=edit["key"])
        charter_services.section_update(
            section=section,
            acting_user=users[charter_demo.EDITOR],
            data={"title": edit["title"], "body": edit["body"]},
            expected_version=section.version,
        )


def _charter_acknowledgements(loader: DemoLoader, collectivite: Collectivite, edition: CharterEdition) -> None:
    """The people who read last year's edition: in each service the first of its people (by login) up to the
    service's share, and the members without a service named in the data; each on a day after the publication."""
    members: dict[str, list[str]] = {}
    for username, service_code in Membership.objects.filter(
        collectivite=collectivite, service__isnull=False
    ).values_list("user__username", "service__code"):
        members.setdefault(service_code, []).append(username)
    readers = set(charter_demo.ACKNOWLEDGED_WITHOUT_SERVICE)
    for code, usernames in members.items():
        people = sorted(set(usernames))
        readers.update(people[: round(len(people) * charter_demo.ACKNOWLEDGED_SHARE.get(code, 0))])
    readers -= set(charter_demo.NOT_ACKNOWLEDGED)
    done = set(edition.acknowledgements.values_list("user__username", flat=True))
    delays = itertools.cycle(charter_demo.ACKNOWLEDGED_AFTER_DAYS)
    for username in sorted(readers - done):
        user = loader.users.get(username) or User.objects.get(username=username)
        acknowledgement = charter_services.acknowledge(edition=edition, acting_user=user)
        moment = edition.published_at + timedelta(days=next(delays), hours=len(username) % 7)
        CharterAcknowledgement.objects.filter(pk=acknowledgement.pk).update(acknowledged_at=moment)
        loader.created["charter_acknowledgements"] += 1


def _reviews_line(collectivite: Collectivite) -> str:
    totals = Review.objects.filter(collectivite=collectivite).aggregate(
        total=Count("pk"),
        opinions=Count("pk", filter=Q(status=ReviewStatus.OPINIONS)),
        committee=Count("pk", filter=Q(status=ReviewStatus.COMMITTEE)),
        decided=Count("pk", filter=Q(status=ReviewStatus.DECIDED)),
    )
    totals["members"] = CommitteeMember.objects.filter(collectivite=collectivite, active=True).count()
    sessions = CommitteeSession.objects.filter(collectivite=collectivite)
    totals["sessions"] = sessions.count()
    totals["planned"] = sessions.filter(status=SessionStatus.PLANNED).count()
    return (
        _(
            "Reviews: %(total)d rounds (%(opinions)d awaiting opinions, %(committee)d awaiting the ethics "
            "committee, %(decided)d decided); ethics committee of %(members)d members, %(sessions)d sessions "
            "(%(planned)d planned)."
        )
        % totals
    )


def _checkpoints_line(collectivite: Collectivite) -> str:
    today = timezone.localdate()
    live = Q(use_case__status__in=LIVE)
    totals = Checkpoint.objects.filter(use_case__collectivite=collectivite, active=True).aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=live & Q(next_due__lt=today)),
        due_soon=Count(
            "pk", filter=live & Q(next_due__gte=today, next_due__lte=today + timedelta(days=schedule.DUE_SOON_DAYS))
        ),
        unowned=Count("pk", filter=Q(owner__isnull=True, origin=Checkpoint.Origin.REQUIRED)),
    )
    totals["attestations"] = Attestation.objects.filter(checkpoint__use_case__collectivite=collectivite).count()
    totals["incidents"] = Incident.objects.filter(use_case__collectivite=collectivite).count()
    return (
        _(
            "Human-control checkpoints: %(total)d (on live use cases %(overdue)d overdue, %(due_soon)d due within "
            "a week; %(unowned)d mandatory without owner), %(attestations)d attestations, %(incidents)d incidents."
        )
        % totals
    )


def minimal_pdf(lines: list[str]) -> bytes:
    """A one-page A4 PDF showing `lines` in Helvetica, with a correct cross-reference table: the evidence of
    a demo attestation, made in memory."""

    def text(line: str) -> bytes:
        raw = line.encode("cp1252", "replace")
        return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b") '"

    content = b"BT /F1 11 Tf 16 TL 56 800 Td " + b" ".join(text(line) for line in lines) + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)


def _redate_json(use_case: UseCase, name: str, value: dict) -> None:
    """A JSON field that says when the DPO acted, at the moment of the demo's step (the use case and the version the
    step recorded), as the timeline dates the step's rows."""
    UseCase.objects.filter(pk=use_case.pk).update(**{name: value})
    record = use_case.history.order_by("-history_date", "-history_id").first()
    type(record).objects.filter(pk=record.pk).update(**{name: value})


def use_case_data(spec: dict) -> dict:
    """What a demo use case's owner first declared: its fields (demo references unresolved) and its plain facts."""
    data = {k: v for k, v in spec.items() if k not in ("status", "edits", "facts", "story", "days_ago")}
    data.update(spec.get("facts") or {})
    return data


def before_questionnaire(use_case: UseCase) -> None:
    """A use case recorded before the guided qualification, as the migration that brought it left it (registry
    0011): the facts its legal inputs imply one-to-one, the others to complete by its owner, no input lost."""
    facts = qualification.facts_implied_by({name: getattr(use_case, name) for name in CLASSIFICATION_INPUT_FIELDS})
    UseCase.objects.filter(pk=use_case.pk).update(**facts)
    locked = UseCase.objects.select_for_update(of=("self",)).select_related("collectivite", "tool").get(pk=use_case.pk)
    services.use_case_reclassify(use_case=locked, cause="ruleset")


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


def _synthetic_templates(dpo: User) -> list[dict]:
    """Each demo use case in its final state: first declaration with its plain facts (those the legal inputs imply
    when it was recorded before the questionnaire), its edits, and the legal inputs the DPO set in its story."""
    templates = []
    for spec in demo.USE_CASES:
        data = {k: v for k, v in spec.items() if k not in ("edits", "facts")}
        data.update(spec["facts"] if spec.get("facts") is not None else qualification.facts_implied_by(data))
        for _actor, changes in spec.get("edits", ()):
            data.update(changes)
        person = {"by": dpo.pk, "by_name": dpo.get_full_name() or dpo.username, "at": timezone.now().isoformat()}
        data["qualification_overrides"] = {
            input_name: {"value": value, "justification": justification, **person}
            for _when, action, *arguments in demo.REVIEW_STORIES.get(spec["name"], ())
            if action == "qualify"
            for input_name, value, justification in [arguments]
        }
        templates.append(data)
    return templates


def add_synthetic_use_cases(collectivite: Collectivite, count: int, *, acting_user: User) -> int:
    """Add `count` use cases cycling over the demo ones, in bulk: classified, with history, owner permissions
    and a "recorded" event each, like the ones created one by one."""
    if count == 0:
        return 0
    _bulk_use_cases(collectivite, count, acting_user=acting_user)
    return count


def _bulk_use_cases(
    collectivite: Collectivite,
    count: int,
    *,
    acting_user: User,
    statuses: tuple[str, ...] | None = None,
    name_prefix: str = demo.SYNTHETIC_PREFIX,
    placement: Callable[[int], tuple[Service, User]] | None = None,
) -> list[UseCase]:
    """`count` use cases cycling over the demo ones and over `statuses` (every status by default), created in
    bulk with their history, "recorded" event and owner permissions. With `statuses` given, the demo use cases
    the rules block are left out, so that every one gets a status of the list. `placement(n)` gives the n-th
    one's service and owner (the demo use case's by default)."""
    services_by_code = {s.code: s for s in Service.objects.filter(collectivite=collectivite)}
    users_by_name = {
        u.username: u
        for u in User.objects.filter(
            memberships__collectivite=collectivite, username__in={spec["owner"] for spec in demo.USE_CASES}
        ).distinct()
    }
    tools_by_name = {t.name: t for t in Tool.objects.filter(collectivite=collectivite)}
    policy = collectivite.policy()  # once: the dates of application are read from the database
    templates = _synthetic_templates(acting_user)
    if statuses is not None:
        templates = [t for t in templates if not _synthetic_use_case(collectivite, t, tools_by_name, policy).blocked]
    statuses = itertools.cycle(statuses or [value for value, _label in UseCaseStatus.choices])
    # Lock the collectivité row, as use_case_create does, so references cannot collide.
    Collectivite.objects.select_for_update().filter(pk=collectivite.pk).first()
    prefix = f"IA-{timezone.localdate().year}-"
    numbers = [
        int(reference[len(prefix) :])
        for reference in UseCase.objects.filter(collectivite=collectivite, reference__startswith=prefix).values_list(
            "reference", flat=True
        )
        if reference[len(prefix) :].isdigit()
    ]
    first = max(numbers, default=0) + 1
    start = UseCase.objects.filter(collectivite=collectivite, name__startswith=name_prefix).count() + 1
    now = timezone.now()
    objects = []
    for offset in range(count):
        template = templates[offset % len(templates)]
        status = next(statuses)
        if placement is None:
            service, owner = services_by_code[template["service"]], users_by_name[template["owner"]]
        else:
            service, owner = placement(offset)
        use_case = _synthetic_use_case(
            collectivite,
            template,
            tools_by_name,
            policy,
            reference=f"{prefix}{first + offset:04d}",
            name=f"{name_prefix} {start + offset:05d} — {template['name']}"[:200],
            service=service,
            owner=owner,
            status=status,
            submitted_at=now if status == UseCaseStatus.SUBMITTED else None,
        )
        if use_case.blocked and status not in (UseCaseStatus.DRAFT, UseCaseStatus.REJECTED, UseCaseStatus.SUSPENDED):
            use_case.status = UseCaseStatus.DRAFT
        if use_case.status in SYNTHETIC_APPROVED - {UseCaseStatus.RETIRED}:
            months = collectivite.review_months(use_case.ai_act_risk)
            use_case.next_review_on = timezone.localdate() + relativedelta(months=months)
        if use_case.qualification_to_confirm and use_case.status != UseCaseStatus.DRAFT:
            _synthetic_confirmation(use_case, acting_user)
        objects.append(use_case)
    UseCase.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    if any(obj.pk is None for obj in objects):  # databases that do not return ids from bulk inserts
        ids = dict(
            UseCase.objects.filter(collectivite=collectivite, reference__in=[o.reference for o in objects]).values_list(
                "reference", "pk"
            )
        )
        for obj in objects:
            obj.pk = obj.id = ids[obj.reference]
    UseCase.history.bulk_history_create(objects, batch_size=BATCH_SIZE, default_user=acting_user)
    UseCaseEvent.objects.bulk_create(
        [
            UseCaseEvent(
                use_case=obj,
                actor=acting_user,
                kind=UseCaseEvent.Kind.RECORDED,
                to_status=obj.status,
                comment=_("Synthetic use case (benchmark data)."),
                # No e-mail for benchmark data.
                notified_at=now,
            )
            for obj in objects
        ],
        batch_size=BATCH_SIZE,
    )
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="registry", codename__in=[p.split(".")[1] for p in services.OWNER_PERMISSIONS]
        )
    )
    UseCaseUserObjectPermission.objects.bulk_create(
        [
            UseCaseUserObjectPermission(permission=permission, user_id=obj.owner_id, content_object=obj)
            for obj in objects
            for permission in permissions
        ],
        batch_size=BATCH_SIZE,
    )
    _bulk_reviews(collectivite, objects, dpo=acting_user)
    return objects


# The synthetic use cases' review rounds: what each status implies (live ones are re-reviewed later).
SYNTHETIC_APPROVED = frozenset(
    {
        UseCaseStatus.APPROVED,
        UseCaseStatus.APPROVED_WITH_CONDITIONS,
        UseCaseStatus.IN_PRODUCTION,
        UseCaseStatus.SUSPENDED,
        UseCaseStatus.RETIRED,
    }
)
SYNTHETIC_DECISIONS = {
    UseCaseStatus.REJECTED: ReviewDecision.REJECTED,
    UseCaseStatus.APPROVED_WITH_CONDITIONS: ReviewDecision.APPROVED_WITH_CONDITIONS,
}


def _bulk_reviews(collectivite: Collectivite, objects: list[UseCase], *, dpo: User) -> None:
    """One review round per synthetic use case past the draft, in bulk, as its status implies: waiting for
    opinions (submitted), with the DPO's opinion given or waiting for the committee (in review), decided with
    both opinions (the others; a condition when approved with conditions). No e-mail, no checkpoint."""
    rssi = User.objects.filter(memberships__collectivite=collectivite, memberships__role=Role.RSSI).first() or dpo
    now = timezone.now()
    reviews = []
    for obj in objects:
        if obj.status == UseCaseStatus.DRAFT:
            continue
        decision = SYNTHETIC_DECISIONS.get(obj.status, ReviewDecision.APPROVED)
        if obj.status == UseCaseStatus.SUBMITTED:
            status = ReviewStatus.OPINIONS
        elif obj.status == UseCaseStatus.IN_REVIEW:
            status = ReviewStatus.COMMITTEE if obj.ethics_review_required else ReviewStatus.OPINIONS
        else:
            status = ReviewStatus.DECIDED
        decided = status == ReviewStatus.DECIDED
        reviews.append(
            Review(
                collectivite=collectivite,
                use_case=obj,
                number=1,
                kind=ReviewKind.INITIAL,
                status=status,
                snapshot=services.snapshot_of(obj),
                snapshot_version=obj.version,
                ethics_required=obj.ethics_review_required,
                opened_by=obj.owner,
                decision=decision if decided else "",
                decision_comment=_("Synthetic review (benchmark data).") if decided else "",
                decided_at=now if decided else None,
                decided_by=dpo if decided else None,
            )
        )
    Review.objects.bulk_create(reviews, batch_size=BATCH_SIZE)
    if any(review.pk is None for review in reviews):  # databases that do not return ids from bulk inserts
        ids = dict(Review.objects.filter(use_case__in=objects).values_list("use_case_id", "pk"))
        for review in reviews:
            review.pk = review.id = ids[review.use_case.pk]
    opinions, conditions = [], []
    for review in reviews:
        if review.use_case.status == UseCaseStatus.SUBMITTED:
            continue
        rejected = review.decision == ReviewDecision.REJECTED
        verdict = OpinionVerdict.UNFAVOURABLE if rejected else OpinionVerdict.FAVOURABLE
        comment = _("Synthetic opinion (benchmark data).")
        opinions.append(Opinion(review=review, role=Role.DPO, author=dpo, verdict=verdict, comment=comment))
        if review.status != ReviewStatus.OPINIONS:
            opinions.append(Opinion(review=review, role=Role.RSSI, author=rssi, verdict=verdict, comment=comment))
        if review.decision == ReviewDecision.APPROVED_WITH_CONDITIONS:
            conditions.append(
                ReviewCondition(review=review, source=Role.DPO, text=_("Synthetic condition."), created_by=dpo)
            )
    Opinion.objects.bulk_create(opinions, batch_size=BATCH_SIZE)
    ReviewCondition.objects.bulk_create(conditions, batch_size=BATCH_SIZE)


def _synthetic_confirmation(use_case: UseCase, dpo: User) -> None:
    """The DPO confirmed the qualification before her opinion (every synthetic round has one), as
    `services.qualification_confirm` records it."""
    outcome = use_case.qualification_outcome()
    concerned = sorted({name for question in outcome.questions for name in question.inputs})
    use_case.qualification_confirmation = {
        "questions": [question.fact for question in outcome.questions],
        "values": {name: outcome.inputs.get(name) for name in concerned},
        "comment": "",
        "by": dpo.pk,
        "by_name": dpo.get_full_name() or dpo.username,
        "at": timezone.now().isoformat(),
    }
    use_case.apply_qualification()


def _synthetic_use_case(
    collectivite: Collectivite, template: dict, tools_by_name: dict, policy=None, **identity
) -> UseCase:
    """A classified, unsaved use case with the classification inputs of a demo one (hosting from its tool)."""
    fields = {k: v for k, v in template.items() if k not in ("name", "status", "service", "owner", "tool")}
    tool = tools_by_name[template["tool"]] if template.get("tool") else None
    if tool is not None:
        for name in ("hosting_zone", "hosting_qualification", "provider_reuse_disabled"):
            fields.setdefault(name, getattr(tool, name))
    use_case = UseCase(collectivite=collectivite, tool=tool, **fields, **identity)
    use_case.apply_classification(policy)
    return use_case


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# How often each answer comes up in the synthetic declarations (rough shares of what surveys report).
SYNTHETIC_WEIGHTS = {
    "status": {
        DeclarationStatus.RECEIVED: 35,
        DeclarationStatus.ANALYSING: 20,
        DeclarationStatus.ALTERNATIVE_OFFERED: 15,
        DeclarationStatus.TO_STOP: 8,
        DeclarationStatus.REGULARISED: 12,
        DeclarationStatus.CLOSED: 10,
    },
    "account": {
        DeclarationAccount.PERSONAL_FREE: 45,
        DeclarationAccount.PERSONAL_PAID: 15,
        DeclarationAccount.PROFESSIONAL: 35,
        DeclarationAccount.API: 5,
    },
    "device": {DeclarationDevice.WORK_PC: 60, DeclarationDevice.PERSONAL_DEVICE: 30, DeclarationDevice.WORK_MOBILE: 10},
    "human_review": {HumanReview.ALWAYS: 60, HumanReview.SOMETIMES: 30, HumanReview.NEVER: 10},
    "output": {
        DeclarationOutput.PERSONAL_DRAFT: 25,
        DeclarationOutput.INTERNAL: 35,
        DeclarationOutput.SENT_TO_USERS: 25,
        DeclarationOutput.PUBLISHED: 10,
        DeclarationOutput.INDIVIDUAL_DECISION: 5,
    },
    "data": {
        "public": 25,
        "internal": 30,
        "confidential": 6,
        "credentials_or_code": 4,
        "ordinary": 20,
        "financial": 4,
        "communications": 3,
        "location": 3,
        "minors_vulnerable": 2,
        "health": 2,
        "nir": 1,
        "criminal": 1,
    },
    "breach_outcome": {
        BreachOutcome.NOT_A_BREACH: 50,
        BreachOutcome.BREACH_NOT_NOTIFIED: 35,
        BreachOutcome.BREACH_NOTIFIED: 12,
        BreachOutcome.BREACH_NOTIFIED_PERSONS: 3,
    },
}
SYNTHETIC_ANONYMOUS_SHARE = 0.15
SYNTHETIC_CHATGPT_SHARE = 0.3


def add_synthetic_declarations(collectivite: Collectivite, count: int, *, acting_user: User) -> int:
    """Add `count` declarations in bulk, varied at random (a seeded, reproducible draw): tools, services,
    authors (some anonymous), data, accounts, devices, statuses with their answers, breach assessments. Each
    is assessed as a submitted one is, gets its reference after the last one, one "declared" event and, when
    named, its author's permission. No notification is sent for them."""
    if count == 0:
        return 0
    tools = [t for t in Tool.objects.filter(collectivite=collectivite) if t.category != "business_software"]
    chatgpt = next((t for t in tools if t.name == demo.CHATGPT_FREE), None)
    alternatives = [t for t in tools if t.name in demo.SYNTHETIC_ALTERNATIVES and t.status == ToolStatus.APPROVED]
    use_cases = list(UseCase.objects.filter(collectivite=collectivite).exclude(name__startswith=demo.SYNTHETIC_PREFIX))
    authors = [
        (membership.user_id, membership.service_id)
        for membership in Membership.objects.filter(
            collectivite=collectivite, role__in=(Role.AGENT, Role.HEAD_OF_SERVICE), service__isnull=False
        ).order_by("pk")
    ]
    templates_by_category: dict[str, list[dict]] = {}
    for spec in demo.DECLARATIONS:
        templates_by_category.setdefault(spec["category"], []).append(spec)
    # Lock the collectivité row, as declaration_submit does, so references cannot collide.
    Collectivite.objects.select_for_update().filter(pk=collectivite.pk).first()
    prefix = f"DEC-{timezone.localdate().year}-"
    # Numbered references only: anonymous declarations take random ones (DEC-2026-A7KQ2M).
    last = Declaration.objects.filter(collectivite=collectivite, reference__regex=rf"^{prefix}[0-9]+$").aggregate(
        last=Max(Cast(Substr("reference", len(prefix) + 1), output_field=IntegerField()))
    )["last"]
    first = (last or 0) + 1
    start = Declaration.objects.filter(
        collectivite=collectivite, tasks__startswith=demo.SYNTHETIC_DECLARATION_PREFIX
    ).count()
    rng = random.Random(f"{collectivite.slug}:{start}")  # nosec B311 — reproducible demo data, not a secret
    now = timezone.now()
    moments = sorted(now - timedelta(days=rng.uniform(0, SYNTHETIC_DECLARATION_DAYS)) for _n in range(count))
    weights = SYNTHETIC_WEIGHTS
    objects = []
    for offset, declared in enumerate(moments):
        tool = chatgpt if chatgpt and rng.random() < SYNTHETIC_CHATGPT_SHARE else rng.choice(tools)
        category = tool.category
        template = rng.choice(templates_by_category.get(category) or demo.DECLARATIONS)
        if rng.random() < 0.5:
            data_entered = list(template["data_entered"])
        else:
            codes = list(weights["data"])
            data_entered = sorted(set(rng.choices(codes, weights=list(weights["data"].values()), k=rng.randint(1, 3))))
        anonymous = rng.random() < SYNTHETIC_ANONYMOUS_SHARE
        author_id, service_id = (None, None) if anonymous else rng.choice(authors)
        reference = f"{prefix}{first + offset:04d}"
        declaration = Declaration(
            collectivite=collectivite,
            reference=reference,
            author_id=author_id,
            service_id=service_id,
            submission_key=uuid.uuid5(demo.DECLARATION_KEY_NAMESPACE, f"{collectivite.slug}:{reference}"),
            tool=tool,
            category=category,
            tasks=f"{demo.SYNTHETIC_DECLARATION_PREFIX} {start + offset + 1:05d} — {template['tasks']}",
            frequency=rng.choice(DeclarationFrequency.values),
            used_since=(declared - timedelta(days=rng.randint(0, 400))).date(),
            device=_weighted(rng, weights["device"]),
            account=_weighted(rng, weights["account"]),
            data_entered=data_entered,
            output_use=sorted({_weighted(rng, weights["output"]) for _n in range(rng.randint(1, 2))}),
            human_review=_weighted(rng, weights["human_review"]),
            time_saved_minutes=rng.choice((15, 30, 45, 60, 90, 120, 180, 240)),
            need=template.get("need", ""),
            status=_weighted(rng, weights["status"]),
        )
        declaration.apply_assessment()
        _synthetic_triage(declaration, declared, now, rng, acting_user, alternatives, use_cases)
        declaration.created_at = declared
        objects.append(declaration)
    with _given_creation_dates(Declaration):
        Declaration.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    if any(obj.pk is None for obj in objects):  # databases that do not return ids from bulk inserts
        ids = dict(
            Declaration.objects.filter(
                collectivite=collectivite, reference__in=[o.reference for o in objects]
            ).values_list("reference", "pk")
        )
        for obj in objects:
            obj.pk = obj.id = ids[obj.reference]
    with _given_creation_dates(DeclarationEvent):
        DeclarationEvent.objects.bulk_create(
            [
                DeclarationEvent(
                    declaration=obj,
                    actor_id=obj.author_id,
                    kind=Kind.SUBMITTED,
                    to_status=DeclarationStatus.RECEIVED,
                    created_at=obj.created_at,
                    notified_at=obj.created_at,
                )
                for obj in objects
            ],
            batch_size=BATCH_SIZE,
        )
    permission = Permission.objects.get(content_type__app_label="registry", codename="view_declaration")
    DeclarationUserObjectPermission.objects.bulk_create(
        [
            DeclarationUserObjectPermission(permission=permission, user_id=obj.author_id, content_object=obj)
            for obj in objects
            if obj.author_id
        ],
        batch_size=BATCH_SIZE,
    )
    return count


@contextlib.contextmanager
def _given_creation_dates(*models):
    """Inserts keep the `created_at` given (dates spread over past months) instead of the moment of insertion
    (`auto_now_add`): one pass over the rows instead of an insert then an update of each."""
    fields = [model._meta.get_field("created_at") for model in models]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True


def _synthetic_triage(declaration, declared, now, rng, acting_user, alternatives, use_cases) -> None:
    """The answer, links and breach assessment that match the status drawn for a synthetic declaration."""
    status = declaration.status
    if declaration.possible_breach:
        declaration.breach_deadline = declared + timedelta(hours=triage.BREACH_ASSESSMENT_HOURS)
        # Most breaches older than their deadline were assessed; recent ones are still to assess.
        if declaration.breach_deadline < now and rng.random() < 0.95:
            declaration.breach_outcome = _weighted(rng, SYNTHETIC_WEIGHTS["breach_outcome"])
            declaration.breach_notes = demo.SYNTHETIC_BREACH_NOTES
            declaration.breach_assessed_at = declared + timedelta(hours=rng.uniform(2, 70))
            declaration.breach_assessed_by = acting_user
    if status in demo.SYNTHETIC_ANSWERS:
        declaration.answer = demo.SYNTHETIC_ANSWERS[status]
        declaration.answered_at = min(now, declared + timedelta(days=rng.uniform(0.5, 10)))
        declaration.version = 2
    if status == DeclarationStatus.ALTERNATIVE_OFFERED and alternatives:
        declaration.alternative_tool = rng.choice(alternatives)
    if status == DeclarationStatus.REGULARISED and use_cases:
        declaration.use_case = rng.choice(use_cases)


def add_synthetic_checkpoints(collectivite: Collectivite, count: int, *, acting_user: User) -> int:
    """Add `count` checkpoints in bulk, for benchmarks: on as many new synthetic use cases as needed (all
    live, so reminders and compliance count them), one checkpoint per type (the required ones first, then the
    others as if a reviewer added them), owned by synthetic people of the collectivité (one for about
    SYNTHETIC_CHECKPOINTS_PER_OWNER checkpoints), at varied frequencies, due from 60 days ago to 30 days
    ahead (a seeded, reproducible draw)."""
    if count == 0:
        return 0
    types = sorted(
        CheckpointType.objects.filter(Q(collectivite__isnull=True) | Q(collectivite=collectivite)),
        key=lambda kind: (kind.collectivite_id is not None, kind.code),
    )
    use_cases = _bulk_use_cases(
        collectivite,
        -(-count // len(types)),
        acting_user=acting_user,
        statuses=LIVE,
        name_prefix=audits_demo.SYNTHETIC_USE_CASE_PREFIX,
    )
    owners = _synthetic_owners(collectivite, max(1, count // audits_demo.SYNTHETIC_CHECKPOINTS_PER_OWNER))
    rng = random.Random(f"{collectivite.slug}:checkpoints:{use_cases[0].reference}")  # nosec B311 — reproducible demo data, not a secret
    today = timezone.localdate()
    low, high = audits_demo.SYNTHETIC_DUE_RANGE
    objects = []
    remaining = count
    for use_case in use_cases:
        required = set(use_case.required_checkpoints)
        ordered = sorted(types, key=lambda kind: kind.collectivite_id is not None or kind.code not in required)
        for kind in ordered[:remaining]:
            frequency = _weighted(rng, audits_demo.SYNTHETIC_FREQUENCIES)
            due = None if frequency == "each_use" else today + timedelta(days=rng.randint(low, high))
            previous = due - schedule.PERIODS[frequency] if due else None
            objects.append(
                Checkpoint(
                    use_case=use_case,
                    type=kind,
                    origin=Checkpoint.Origin.REQUIRED
                    if kind.collectivite_id is None and kind.code in required
                    else Checkpoint.Origin.MANUAL,
                    owner_id=rng.choice(owners),
                    frequency=frequency,
                    next_due=due,
                    last_attested_on=previous if previous and previous <= today else None,
                )
            )
        remaining -= min(len(ordered), remaining)
    Checkpoint.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    return count


def _synthetic_owners(collectivite: Collectivite, count: int) -> list[int]:
    """`count` people of the collectivité (agents of its services, with no usable password) who own the
    synthetic checkpoints and receive their reminders."""
    prefix = audits_demo.SYNTHETIC_OWNER_PREFIX
    start = User.objects.filter(username__startswith=f"{prefix}.").count() + 1
    password = make_password(None)
    users = [
        User(
            username=f"{prefix}.{number:05d}",
            first_name="Contrôleur",
            last_name=f"Synthétique {number:05d}",
            email=f"{prefix}.{number:05d}@{collectivite.slug}.example.org",
            password=password,
        )
        for number in range(start, start + count)
    ]
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    if any(user.pk is None for user in users):  # databases that do not return ids from bulk inserts
        ids = dict(User.objects.filter(username__in=[u.username for u in users]).values_list("username", "pk"))
        for user in users:
            user.pk = user.id = ids[user.username]
    service_ids = list(Service.objects.filter(collectivite=collectivite).order_by("code").values_list("pk", flat=True))
    Membership.objects.bulk_create(
        [
            Membership(
                user=user, collectivite=collectivite, role=Role.AGENT, service_id=service_ids[i % len(service_ids)]
            )
            for i, user in enumerate(users)
        ],
        batch_size=BATCH_SIZE,
    )
    return [user.pk for user in users]
