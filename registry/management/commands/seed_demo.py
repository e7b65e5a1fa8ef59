"""Load the demo collectivité (Ville de Bellerive-sur-Loire), idempotently: a second run creates nothing.

Use cases go through the same services as the web UI and the API (`use_case_create`, `use_case_update`,
`use_case_submit`), so their classification, events, owner permissions and history are the real ones.
`--use-cases N` adds N synthetic use cases in bulk, for benchmarks.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry import demo, services
from registry.choices import Role, UseCaseStatus
from registry.models import (
    Collectivite,
    Membership,
    Service,
    Tool,
    UseCase,
    UseCaseEvent,
    UseCaseUserObjectPermission,
    User,
)

DEFAULT_PASSWORD = "demo"
# References are IA-<year>-NNNN and the next one is found by string order: four digits at most.
MAX_REFERENCE_NUMBER = 9999
BATCH_SIZE = 500
# The demo use cases were declared over the last months: one every three days, changes a day apart.
DEMO_SPREAD = timedelta(days=3)
DEMO_STEP = timedelta(days=1, hours=2)


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

    def handle(self, *args, password=None, use_cases=0, **options):
        if use_cases < 0:
            raise CommandError(_("--use-cases takes a number of use cases, 0 or more."))
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
        with transaction.atomic():
            loader = DemoLoader(password=password)
            collectivite = loader.load()
            added = add_synthetic_use_cases(collectivite, use_cases, acting_user=loader.users["dpo"])
        self._report(loader, collectivite, added, password)

    def _report(self, loader, collectivite, added, password):
        write = self.stdout.write
        write(
            _("%(name)s: %(services)d services, %(users)d people, %(tools)d AI tools, %(use_cases)d use cases.")
            % {
                "name": collectivite.name,
                "services": collectivite.services.count(),
                "users": len(loader.users),
                "tools": collectivite.tools.count(),
                "use_cases": collectivite.use_cases.count(),
            }
        )
        write(_("Created by this run: %(created)s.") % {"created": loader.created_summary(added)})
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
                rows.append((username, user.get_full_name(), str(Role(role).label), service))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for index, row in enumerate(rows):
            write("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if index == 0:
                write("  " + "  ".join("-" * width for width in widths))
        write(_("Use-case owners also have a login (first.last, e.g. %(example)s).") % {"example": "martine.blanc"})


class DemoLoader:
    """Creates what is missing of the demo data; what exists (looked up by natural key) is left as is."""

    def __init__(self, *, password: str | None):
        self.password = password
        self.services: dict[str, Service] = {}
        self.users: dict[str, User] = {}
        self.tools: dict[str, Tool] = {}
        self.roles_of: dict[str, list[tuple[str, str | None]]] = {}
        self.created = dict.fromkeys(("collectivite", "services", "users", "memberships", "tools", "use_cases"), 0)

    def load(self) -> Collectivite:
        collectivite = self._collectivite()
        self._services(collectivite)
        self._users(collectivite)
        self._tools(collectivite)
        self._use_cases(collectivite)
        return collectivite

    def created_summary(self, synthetic: int) -> str:
        labels = {
            "collectivite": _("collectivité"),
            "services": _("services"),
            "users": _("people"),
            "memberships": _("roles"),
            "tools": _("AI tools"),
            "use_cases": _("use cases"),
        }
        parts = [f"{labels[key]} {count}" for key, count in self.created.items()]
        parts.append(f"{_('synthetic use cases')} {synthetic}")
        return ", ".join(parts)

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
                    "email": f"{spec['username']}@bellerive-sur-loire.example.org",
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
        existing = set(UseCase.objects.filter(collectivite=collectivite).values_list("name", flat=True))
        dpo = self.users["dpo"]
        now = timezone.now()
        for index, spec in enumerate(demo.USE_CASES):
            if spec["name"] in existing:
                continue
            data = self._resolve({k: v for k, v in spec.items() if k not in ("status", "edits")})
            owner = data["owner"]
            status = spec["status"]
            if status in (UseCaseStatus.DRAFT, UseCaseStatus.SUBMITTED):
                # Declared by its owner, then submitted through the workflow.
                use_case = services.use_case_create(collectivite=collectivite, acting_user=owner, data=data)
            else:
                use_case = services.use_case_create(
                    collectivite=collectivite, acting_user=dpo, data=data, status=status, comment=demo.INVENTORY_COMMENT
                )
            for actor, changes in spec.get("edits", ()):
                use_case = services.use_case_update(
                    use_case=use_case,
                    acting_user=self.users[actor],
                    data=self._resolve(changes),
                    expected_version=use_case.version,
                )
            if status == UseCaseStatus.SUBMITTED:
                use_case = services.use_case_submit(use_case=use_case, acting_user=owner)
            _backdate(use_case, now - DEMO_SPREAD * (len(demo.USE_CASES) - index))
            self.created["use_cases"] += 1


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


def _synthetic_templates() -> list[dict]:
    """Each demo use case in its final state (first declaration plus its edits)."""
    templates = []
    for spec in demo.USE_CASES:
        data = {k: v for k, v in spec.items() if k != "edits"}
        for _actor, changes in spec.get("edits", ()):
            data.update(changes)
        templates.append(data)
    return templates


def add_synthetic_use_cases(collectivite: Collectivite, count: int, *, acting_user: User) -> int:
    """Add `count` use cases cycling over the demo ones, in bulk: classified, with history, owner permissions
    and a "recorded" event each, like the ones created one by one."""
    if count == 0:
        return 0
    services_by_code = {s.code: s for s in Service.objects.filter(collectivite=collectivite)}
    users_by_name = {u.username: u for u in User.objects.filter(memberships__collectivite=collectivite).distinct()}
    tools_by_name = {t.name: t for t in Tool.objects.filter(collectivite=collectivite)}
    templates = _synthetic_templates()
    statuses = itertools.cycle([value for value, _label in UseCaseStatus.choices])
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
    if first + count - 1 > MAX_REFERENCE_NUMBER:
        raise CommandError(
            _("At most %(max)d use cases can be numbered in a year: %(count)d more do not fit.")
            % {"max": MAX_REFERENCE_NUMBER, "count": count}
        )
    start = UseCase.objects.filter(collectivite=collectivite, name__startswith=demo.SYNTHETIC_PREFIX).count() + 1
    now = timezone.now()
    objects = []
    for offset in range(count):
        template = templates[offset % len(templates)]
        fields = {k: v for k, v in template.items() if k not in ("name", "status", "service", "owner", "tool")}
        tool = tools_by_name[template["tool"]] if template.get("tool") else None
        if tool is not None:
            for name in ("hosting_zone", "hosting_qualification", "provider_reuse_disabled"):
                fields.setdefault(name, getattr(tool, name))
        status = next(statuses)
        use_case = UseCase(
            collectivite=collectivite,
            reference=f"{prefix}{first + offset:04d}",
            name=f"{demo.SYNTHETIC_PREFIX} {start + offset:05d} — {template['name']}"[:200],
            service=services_by_code[template["service"]],
            owner=users_by_name[template["owner"]],
            tool=tool,
            status=status,
            submitted_at=now if status == UseCaseStatus.SUBMITTED else None,
            **fields,
        )
        use_case.apply_classification()
        if use_case.blocked and status not in (UseCaseStatus.DRAFT, UseCaseStatus.REJECTED, UseCaseStatus.SUSPENDED):
            use_case.status = UseCaseStatus.DRAFT
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
    return count
