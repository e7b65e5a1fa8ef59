"""Loads the demo's human-control checkpoints (data: demo/checkpoints.py) through the audits and registry services:
local checkpoint types, owners, manual checkpoints, attestations (one with a PDF evidence, `minimal_pdf`), first
due dates, incidents and a suspension, each only while its rows are missing."""

from __future__ import annotations

import itertools
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.utils import timezone

from audits import schedule
from audits import services as audits_services
from audits.models import Attestation, Checkpoint, CheckpointType, Incident
from audits.selectors import LIVE
from demo import checkpoints as audits_demo
from demo import register as demo
from registry import services
from registry.models import (
    Collectivite,
    UseCase,
    UseCaseEvent,
)

if TYPE_CHECKING:
    from demo.loaders.bellerive import DemoLoader


class CheckpointLoader:
    """The human-control data of the demo (demo/checkpoints.py), on top of the checkpoints the use cases got from
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
                created_at=reported, aware_at=reported, notified_at=reported, breach_deadline=deadline
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
