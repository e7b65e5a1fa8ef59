"""Importing a register file: a preview that says, line by line, what would be created or updated and every
error with its line and column; then an all-or-nothing apply through the register's own services.

Which statuses an import may create a use case in
    `draft` (to be completed and submitted), `submitted` (sent to the DPO and the RSSI: the review round opens
    as when its owner submits it; refused when the classification blocks the use, as `use_case_submit` does) and
    `in_production`, for the inventory of a use that already runs (recorded as it is, with the RECORDED event,
    and its human-control checkpoints created). Every other status is the outcome of something the file cannot
    carry: `in_review`, `approved`, `approved_with_conditions`, `rejected` come from opinions and a decision
    given in the review workflow, `suspended` needs a stated reason and `retired` too (and a retired use would
    get checkpoints to attest for a use that no longer runs). Claiming them from a spreadsheet would make the
    register say that reviews took place when they did not: such a line is an error on its `status` column.
    An existing use case's status is never changed by an import either: status changes go through the workflow.

References
    A line whose reference is in the register updates that use case; a new line keeps the reference it brings
    (an inventory keeps its numbers) when it is well-formed, else the register numbers it as usual.
    `use_case_create` takes it as its `reference`. Lines bringing a reference are created before the others, so
    that the register's own numbering never takes a number a later line brings.
"""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import get_access
from core.errors import ApplicationError, ConflictError, ForbiddenError, TransitionError
from registry import qualification
from registry.choices import UseCaseStatus
from registry.models import Collectivite, Service, Tool, UseCase, User
from registry.permissions import EDITABLE_STATUSES
from registry.services import reviews as review_services
from registry.services import use_cases as use_case_services

from . import columns as cols
from .models import RegisterImport
from .reader import FileRejected, Table, check_size, map_header, max_bytes, read_table

CREATABLE_STATUSES = (UseCaseStatus.DRAFT, UseCaseStatus.SUBMITTED, UseCaseStatus.IN_PRODUCTION)
HOSTING_FIELDS = ("hosting_zone", "hosting_qualification", "provider_reuse_disabled")
REFERENCE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,29}")
# What the validation leaves to the import (resolved against the collectivité's own lists beforehand).
_NOT_CLEANED = ["collectivite", "reference", "status", "service", "owner", "tool"]
CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
ACTIONS = (ERROR, CREATE, UPDATE, UNCHANGED)


class PlanChanged(Exception):
    def __init__(self, plan: Plan):
        super().__init__("plan changed")
        self.plan = plan


@dataclass
class Line:
    """One line of the file, parsed and checked: `data` is what goes to the register's services."""

    line: int
    action: str = UNCHANGED
    reference: str = ""
    name: str = ""
    status: str = ""
    data: dict = field(default_factory=dict)
    use_case: UseCase | None = None
    changes: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "line": self.line,
            "action": self.action,
            "reference": self.reference,
            "name": self.name,
            "status": self.status,
            "changes": self.changes,
            "errors": self.errors,
            "notes": self.notes,
        }


@dataclass
class Plan:
    lines: list[Line]
    warnings: list[str]

    @property
    def counts(self) -> dict:
        counts = dict.fromkeys(ACTIONS, 0)
        for line in self.lines:
            counts[line.action] += 1
        counts["errors"] = sum(len(line.errors) for line in self.lines)
        return counts

    def as_json(self) -> dict:
        return {"lines": [line.as_json() for line in self.lines], "warnings": self.warnings}


def plan_signature(plan_json: dict) -> list:
    """What must not change between the preview and the apply: each line's action, reference, changes and the
    positions of its errors (not the wording, which follows the reader's language)."""
    return [
        (
            line["line"],
            line["action"],
            line["reference"],
            [(change["field"], change["old"], change["new"]) for change in line["changes"]],
            sorted((error["column"], error["line"]) for error in line["errors"]),
        )
        for line in plan_json.get("lines", [])
    ]


# What a plan is computed against ------------------------------------------------------------------------------
class Register:
    """The collectivité's use cases, services, people and tools, loaded once (a fixed number of queries)."""

    def __init__(self, collectivite: Collectivite, *, lock: bool = False):
        self.collectivite = collectivite
        use_cases = UseCase.objects.filter(collectivite=collectivite).select_related("service", "owner", "tool")
        if lock:
            use_cases = use_cases.select_for_update(of=("self",))
        self.use_cases = {use_case.reference: use_case for use_case in use_cases}
        self.services = list(Service.objects.filter(collectivite=collectivite))
        self.service_paths = service_paths(self.services)
        members = User.objects.filter(memberships__collectivite=collectivite).distinct()
        owners = {use_case.owner_id: use_case.owner for use_case in self.use_cases.values()}
        people = {user.pk: user for user in members} | owners
        self.people = list(people.values())
        self.member_ids = {user.pk for user in members}
        self.tools = list(Tool.objects.filter(collectivite=collectivite))

    # Lookups: exact first, then normalised; several matches are an error, never a guess.
    def service(self, text: str) -> Service:
        wanted = cols.normalise(text)
        for matcher in (
            lambda s: cols.normalise(self.service_paths[s.pk]) == wanted,
            lambda s: s.code.lower() == text.lower(),
            lambda s: cols.normalise(s.name) == wanted,
        ):
            found = [service for service in self.services if matcher(service)]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise cols.CellError(
                    _("Several services answer to “%(value)s”: write its code (%(codes)s) or its full path.")
                    % {"value": text, "codes": ", ".join(sorted(s.code for s in found))}
                )
        raise cols.CellError(
            _(
                "No service “%(value)s” in this collectivité: write its name, its path (Direction / Service) "
                "or its code."
            )
            % {"value": text}
        )

    def person(self, text: str, *, current: User | None) -> User:
        wanted = text.lower()
        found = [user for user in self.people if user.username.lower() == wanted]
        if not found:
            found = [user for user in self.people if user.email and user.email.lower() == wanted]
        # Only a member of the collectivité may become an owner; a former member stays owner of what they own.
        found = [user for user in found if user.pk in self.member_ids or (current and user.pk == current.pk)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise cols.CellError(
                _("Several people have the e-mail address “%(value)s”: write the username.") % {"value": text}
            )
        raise cols.CellError(
            _("Nobody of this collectivité has the username or e-mail address “%(value)s”.") % {"value": text}
        )

    def tool(self, text: str) -> Tool:
        found = [tool for tool in self.tools if tool.name == text]
        if not found:
            found = [tool for tool in self.tools if cols.normalise(tool.name) == cols.normalise(text)]
        if len(found) == 1:
            return found[0]
        raise cols.CellError(
            _(
                "No tool “%(value)s” in the collectivité's catalogue: add it to the catalogue first, "
                "or leave the cell empty."
            )
            % {"value": text}
        )


def service_paths(services) -> dict[int, str]:
    """Service id → "Direction / Service": names may repeat in a collectivité, their path seldom does."""
    by_id = {service.pk: service for service in services}
    paths: dict[int, str] = {}

    def path_of(service) -> str:
        if service.pk not in paths:
            parent = by_id.get(service.parent_id)
            paths[service.pk] = f"{path_of(parent)} / {service.name}" if parent else service.name
        return paths[service.pk]

    for service in services:
        path_of(service)
    return paths


# Computing the plan -----------------------------------------------------------------------------------------
def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _same(column: cols.Column, old, new) -> bool:
    if column.kind in (cols.SERVICE, cols.OWNER, cols.TOOL):
        return (old.pk if old else None) == (new.pk if new else None)
    if column.kind == cols.TEXT:
        return (old or "").replace("\r\n", "\n").strip() == (new or "").replace("\r\n", "\n").strip()
    if column.kind == cols.CODES:
        return sorted(old or []) == sorted(new or [])
    return old == new


def _current(use_case: UseCase, code: str):
    if code in ("service", "owner", "tool"):
        return getattr(use_case, code) if getattr(use_case, f"{code}_id") else None
    return getattr(use_case, code)


class _Planner:
    def __init__(self, register: Register, acting_user: User, table: Table):
        self.register = register
        self.acting_user = acting_user
        self.table = table
        self.mapping, self.warnings = map_header(table.header)
        self.index_of = {code: index for index, code in self.mapping.items()}
        self.formulas: dict[int, dict[int, str]] = {}
        for line, index, message in table.cell_errors:
            self.formulas.setdefault(line, {})[index] = message
        self.seen_references: dict[str, int] = {}

    def error(self, line: Line, code: str, message) -> None:
        index = self.index_of.get(code)
        line.errors.append(
            {
                "line": line.line,
                "column": code,
                "header": self.table.header[index] if index is not None else "",
                "letter": _letter(index) if index is not None else "",
                "message": str(message),
            }
        )

    def plan(self) -> Plan:
        lines = [self.plan_line(number, cells) for number, cells in self.table.rows]
        return Plan(lines=lines, warnings=[*self.table.warnings, *self.warnings])

    def parse(self, line: Line, number: int, cells: list) -> dict:
        values = {}
        formulas = self.formulas.get(number, {})
        for index, code in self.mapping.items():
            column = cols.BY_CODE[code]
            if not column.editable and code not in cols.IMPORT_KEY_COLUMNS:
                continue  # derived by the register: a different value in the file is not an error
            if index in formulas:
                line.errors.append(
                    {
                        "line": number,
                        "column": code,
                        "header": self.table.header[index],
                        "letter": _letter(index),
                        "message": formulas[index],
                    }
                )
                continue
            raw = cols.unescape(cells[index])
            try:
                values[code] = self.parse_value(column, raw, line)
            except cols.CellError as error:
                self.error(line, code, error)
        # Formulas in columns the import ignores are refused all the same: the file is not clean.
        for index, message in formulas.items():
            if index not in self.mapping or (
                not cols.BY_CODE[self.mapping[index]].editable and self.mapping[index] not in cols.IMPORT_KEY_COLUMNS
            ):
                line.errors.append(
                    {
                        "line": number,
                        "column": self.mapping.get(index, self.table.header[index]),
                        "header": self.table.header[index],
                        "letter": _letter(index),
                        "message": message,
                    }
                )
        return values

    def parse_value(self, column: cols.Column, raw, line: Line):
        kind = column.kind
        if kind in (cols.SERVICE, cols.OWNER, cols.TOOL):
            text = cols.parse_text(raw).strip()
            if not text:
                return None
            if kind == cols.SERVICE:
                return self.register.service(text)
            if kind == cols.TOOL:
                return self.register.tool(text)
            current = self.register.use_cases.get(line.reference)
            return self.register.person(text, current=current.owner if current else None)
        if kind == cols.CHOICE:
            return cols.parse_choice(column, raw)
        if kind == cols.CODES:
            codes = cols.parse_codes(column, raw)
            # An empty cell of a question that takes several answers: not answered.
            return codes or None if column.code in cols.FACT_CODES else codes
        if kind == cols.BOOLEAN:
            return cols.parse_boolean(raw)
        if kind == cols.DATE:
            return cols.parse_date(raw)
        if kind == cols.INTEGER:
            return cols.parse_integer(raw)
        return cols.parse_text(raw)

    def plan_line(self, number: int, cells: list) -> Line:
        line = Line(line=number)
        reference_index = self.index_of.get("reference")
        if reference_index is not None:
            line.reference = cols.parse_text(cols.unescape(cells[reference_index])).strip()
        values = self.parse(line, number, cells)
        values.pop("reference", None)
        existing = self.register.use_cases.get(line.reference) if line.reference else None
        line.name = values.get("name") or (existing.name if existing else "")
        if line.reference:
            first = self.seen_references.setdefault(line.reference, number)
            if first != number:
                self.error(
                    line,
                    "reference",
                    _("The reference %(reference)s is already on line %(line)s.")
                    % {"reference": line.reference, "line": first},
                )
        if existing is not None:
            self.plan_update(line, existing, values)
        else:
            self.plan_create(line, values)
        if line.errors:
            line.action = ERROR
        return line

    def validate(self, line: Line, candidate: UseCase) -> None:
        """The model's rules, on the legal inputs as the facts give them (as the services check them); a column whose
        cell was already refused is not reported twice."""
        candidate.apply_qualification()
        refused = {error["column"] for error in line.errors}
        for code in ("service", "owner"):
            if not getattr(candidate, f"{code}_id") and code not in refused:
                self.error(line, code, gettext_lazy("This field is required."))
        try:
            candidate.full_clean(exclude=_NOT_CLEANED, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for code, messages in error.message_dict.items():
                if code in refused:
                    continue
                for message in messages:
                    self.error(line, "" if code == NON_FIELD_ERRORS else code, message)

    def followed(self, line: Line, candidate: UseCase, given: dict) -> list[str]:
        """The legal inputs the file gives that the facts (or the DPO) decide otherwise: the facts are the way in
        (DOMAIN.md 3b), so the file's value does not apply, and the line says so."""
        outcome = candidate.qualification_outcome()
        replaced = []
        for code, source in outcome.sources.items():
            if code not in given or source == qualification.STORED_SOURCE:
                continue
            value = outcome.inputs[code]
            value = "" if value is None and code in qualification.OPTIONAL_CODE_INPUTS else value
            column = cols.BY_CODE[code]
            if _same(column, given[code], value):
                continue
            replaced.append(code)
            line.notes.append(
                _("%(column)s: “%(file)s” in the file, “%(value)s” applies (%(why)s).")
                % {
                    "column": code,
                    "file": cols.display(column, given[code], self.register.service_paths) or "—",
                    "value": cols.display(column, value, self.register.service_paths) or "—",
                    "why": _("set by the DPO")
                    if source == qualification.OVERRIDE_SOURCE
                    else _("derived from the answers to the questionnaire"),
                }
            )
        return replaced

    def plan_create(self, line: Line, values: dict) -> None:
        line.action = CREATE
        status = values.pop("status", "") or UseCaseStatus.DRAFT
        values.pop("version", None)
        line.status = status
        if line.reference and not REFERENCE_PATTERN.fullmatch(line.reference):
            self.error(
                line,
                "reference",
                _(
                    "The reference “%(reference)s” is not in the register and cannot be kept for a new use case: "
                    "up to 30 letters, digits and . _ / - are allowed. Leave it empty to let the register number it."
                )
                % {"reference": line.reference},
            )
        if status not in CREATABLE_STATUSES:
            self.error(
                line,
                "status",
                _(
                    "A new use case cannot be imported as “%(status)s”: that status results from the review "
                    "workflow. Import it as draft, submitted or in_production."
                )
                % {"status": status},
            )
        data = {code: value for code, value in values.items() if cols.BY_CODE[code].editable}
        if data.get("owner") is None:
            data["owner"] = self.acting_user
            line.notes.append(str(_("No owner given: the person importing becomes its owner.")))
        if data.get("tool") is not None:
            for name in HOSTING_FIELDS:
                if name not in self.index_of:
                    data[name] = getattr(data["tool"], name)
        candidate = UseCase(collectivite=self.register.collectivite, status=status)
        for code, value in data.items():
            setattr(candidate, code, value)
        facts = {name: data.get(name) for name in qualification.FACT_NAMES}
        if any(value not in (None, "", []) for value in facts.values()):
            # As `use_case_create` does: a question left out is answered « Je ne sais pas ».
            for name, value in qualification.left_out_as_unknown(facts).items():
                setattr(candidate, name, value)
        self.followed(line, candidate, data)
        self.validate(line, candidate)
        if not line.errors and status == UseCaseStatus.SUBMITTED:
            use_case_services.use_case_classify(use_case=candidate)
            if candidate.blocked:
                self.error(
                    line,
                    "status",
                    _("This use is blocked by the classification rules: it cannot be submitted. Import it as draft."),
                )
        line.data = data

    def plan_update(self, line: Line, use_case: UseCase, values: dict) -> None:
        line.use_case = use_case
        line.status = use_case.status
        changes = {}
        for code, value in values.items():
            column = cols.BY_CODE[code]
            if column.editable and not _same(column, _current(use_case, code), value):
                changes[code] = value
        wanted_status = values.get("status")
        if wanted_status and wanted_status != use_case.status:
            self.error(
                line,
                "status",
                _(
                    "The status cannot be changed by an import (“%(old)s” in the register, “%(new)s” in the file): "
                    "status changes go through the review workflow."
                )
                % {"old": use_case.status, "new": wanted_status},
            )
        if changes.get("tool") is not None:
            # As `use_case_update` does: hosting answers the file does not give come from the new tool.
            for name in HOSTING_FIELDS:
                if name not in values and getattr(use_case, name) != getattr(changes["tool"], name):
                    changes[name] = getattr(changes["tool"], name)
        if changes:
            candidate = copy.copy(use_case)
            for code, value in changes.items():
                setattr(candidate, code, value)
            for code in self.followed(line, candidate, changes):
                del changes[code]
        line.action = UPDATE if changes else UNCHANGED
        if not changes:
            return
        if use_case.status not in EDITABLE_STATUSES:
            self.error(
                line,
                "reference",
                _("This use case is “%(status)s”: it can no longer be changed.") % {"status": use_case.status},
            )
        file_version = values.get("version")
        if file_version is not None and file_version != use_case.version:
            self.error(
                line,
                "version",
                _(
                    "This use case was modified since this export (version %(file)s in the file, %(now)s now): "
                    "export the register again and report your changes there."
                )
                % {"file": file_version, "now": use_case.version},
            )
        candidate = copy.copy(use_case)
        for code, value in changes.items():
            setattr(candidate, code, value)
        self.validate(line, candidate)
        paths = self.register.service_paths
        line.changes = [
            {
                "field": code,
                "old": cols.display(cols.BY_CODE[code], _current(use_case, code), paths),
                "new": cols.display(cols.BY_CODE[code], value, paths),
            }
            for code, value in changes.items()
        ]
        # The file's hosting answers go with a new tool, so that the service does not take the tool's instead.
        data = dict(changes)
        if "tool" in changes:
            for name in HOSTING_FIELDS:
                if name in values:
                    data.setdefault(name, values[name])
        line.data = data
        if use_case.status in review_services.DECIDED_STATUSES and review_services.MATERIAL_FIELDS.intersection(
            changes
        ):
            line.notes.append(str(_("A material change: the use case will be reviewed again by the DPO and the RSSI.")))


def build_plan(*, register: Register, acting_user: User, table: Table) -> Plan:
    """What importing `table` would do to the register, without writing anything."""
    return _Planner(register, acting_user, table).plan()


# Services ---------------------------------------------------------------------------------------------------
def _check_may_import(acting_user: User, collectivite: Collectivite) -> None:
    if not get_access(acting_user, collectivite).edits_all:
        raise ForbiddenError(_("Only the DPO, the RSSI or an administrator may import into the register."))


def _read_upload(uploaded_file) -> tuple[bytes, int, str]:
    """The file's bytes (no more than the limit plus one byte: a bigger file is refused without reading it all),
    its size and its SHA-256."""
    limit = max_bytes()
    digest = hashlib.sha256()
    size = 0
    kept = bytearray()
    for chunk in uploaded_file.chunks():
        size += len(chunk)
        digest.update(chunk)
        if len(kept) <= limit:
            kept.extend(chunk[: limit + 1 - len(kept)])
    return bytes(kept), size, digest.hexdigest()


def import_preview(*, collectivite: Collectivite, acting_user: User, uploaded_file) -> RegisterImport:
    """Read the file and store what importing it would do; nothing is written in the register.

    A file that cannot be read is kept as a `failed` import with the reason (not its content); a file that can
    is kept with its plan, for the person to read it and apply it or discard it."""
    _check_may_import(acting_user, collectivite)
    data, size, sha256 = _read_upload(uploaded_file)
    file_name = (getattr(uploaded_file, "name", "") or "register")[-255:]
    record = RegisterImport(
        collectivite=collectivite, created_by=acting_user, file_name=file_name, size=size, sha256=sha256
    )
    try:
        check_size(size)
        table = read_table(data, file_name)
        plan = build_plan(register=Register(collectivite), acting_user=acting_user, table=table)
    except FileRejected as rejected:
        record.status = RegisterImport.Status.FAILED
        record.message = rejected.message
        record.plan = {"code": rejected.code}
        record.save()
        return record
    record.content = data
    record.format = table.format
    record.plan = plan.as_json()
    record.counts = plan.counts
    record.save()
    return record


def _lines_in_apply_order(plan: Plan) -> list[Line]:
    """New lines bringing their reference first, so that the register's numbering never takes one of theirs."""
    return sorted(
        plan.lines,
        key=lambda line: (0 if line.action == CREATE and line.reference else 1, line.line),
    )


def import_apply(*, import_: RegisterImport, acting_user: User) -> RegisterImport:
    """Apply a previewed import, all or nothing.

    The plan is computed again from the stored file against the register as it is now, under the collectivité's
    lock: if it differs from the one the person read, nothing is written, the new plan is stored and a
    ConflictError says so (the person reads the new preview). If any line has an error, nothing is written."""
    try:
        return _apply(import_.pk, acting_user)
    except PlanChanged as changed:
        RegisterImport.objects.filter(pk=import_.pk).update(plan=changed.plan.as_json(), counts=changed.plan.counts)
        raise ConflictError(
            _(
                "The register changed since this preview: nothing was imported. Read the new preview below, "
                "then apply it again."
            )
        ) from None


@transaction.atomic
def _apply(import_pk: int, acting_user: User) -> RegisterImport:
    record = RegisterImport.objects.select_for_update().select_related("collectivite").get(pk=import_pk)
    collectivite = record.collectivite
    _check_may_import(acting_user, collectivite)
    if record.status != RegisterImport.Status.PREVIEWED:
        raise TransitionError(
            _("This import is “%(status)s”: it cannot be applied.") % {"status": record.get_status_display()}
        )
    Collectivite.objects.select_for_update().filter(pk=collectivite.pk).first()
    try:
        table = read_table(bytes(record.content), record.file_name)
        plan = build_plan(register=Register(collectivite, lock=True), acting_user=acting_user, table=table)
    except FileRejected as rejected:  # pragma: no cover - the same bytes were read at the preview
        raise ApplicationError(rejected.message) from rejected
    if plan_signature(plan.as_json()) != plan_signature(record.plan):
        raise PlanChanged(plan)
    if plan.counts[ERROR]:
        raise ApplicationError(
            _("Some lines have errors: correct the file and import it again. Nothing was imported."),
            errors={"file": [str(error["message"]) for line in plan.lines for error in line.errors][:20]},
        )
    comment = _("Imported from the file %(file)s.") % {"file": record.file_name}
    result = []
    for line in _lines_in_apply_order(plan):
        try:
            use_case = _apply_line(line, collectivite, acting_user, comment)
        except ApplicationError as error:
            details = "; ".join(str(message) for messages in error.errors.values() for message in messages)
            raise ApplicationError(
                _("Line %(line)s could not be imported (%(error)s): nothing was imported.")
                % {"line": line.line, "error": f"{error.message} {details}".strip()},
                errors=error.errors,
            ) from error
        if use_case is not None:
            result.append(
                {"line": line.line, "action": line.action, "reference": use_case.reference, "use_case_id": use_case.pk}
            )
    record.status = RegisterImport.Status.APPLIED
    record.applied_at = timezone.now()
    record.applied_by = acting_user
    record.result = sorted(result, key=lambda item: item["line"])
    record.save(update_fields=["status", "applied_at", "applied_by", "result"])
    return record


def _apply_line(line: Line, collectivite: Collectivite, acting_user: User, comment: str) -> UseCase | None:
    if line.action == CREATE:
        return use_case_services.use_case_create(
            collectivite=collectivite,
            acting_user=acting_user,
            data=line.data,
            status=line.status,
            comment=comment,
            reference=line.reference or None,
        )
    if line.action == UPDATE:
        return use_case_services.use_case_update(
            use_case=line.use_case, acting_user=acting_user, data=line.data, expected_version=line.use_case.version
        )
    return None


@transaction.atomic
def import_discard(*, import_: RegisterImport, acting_user: User) -> RegisterImport:
    """Give up a previewed import: its file is forgotten, its plan stays for the record."""
    record = RegisterImport.objects.select_for_update().get(pk=import_.pk)
    _check_may_import(acting_user, record.collectivite)
    if record.status != RegisterImport.Status.PREVIEWED:
        raise TransitionError(
            _("This import is “%(status)s”: it cannot be discarded.") % {"status": record.get_status_display()}
        )
    record.status = RegisterImport.Status.DISCARDED
    record.content = b""
    record.save(update_fields=["status", "content"])
    return record
