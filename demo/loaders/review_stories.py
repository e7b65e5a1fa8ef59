"""The review story of each demo use case (demo/register.py, REVIEW_STORIES), through the registry services.

`ReviewStories` seats the ethics committee and runs, in date order, every step of every story — declared or
recorded, edited, submitted, the DPO's and the RSSI's opinions, the committee's sessions with their agendas, votes,
conflicts of interest and opinions, the conditions' owners, production, retirement, the DPO's qualification — acting
as the people named (`use_case_create`, `use_case_update`, `use_case_submit`, `opinion_give`, ...). `Timeline` then
dates what each step wrote at its moment in the past.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils import timezone

from audits import services as audits_services
from audits.models import Checkpoint, CheckpointType
from demo import register as demo
from registry import qualification, selectors, services
from registry.choices import (
    OPEN_REVIEW_STATUSES,
    ReviewDecision,
    ReviewStatus,
    UseCaseStatus,
)
from registry.models import (
    AgendaItem,
    Attendance,
    Collectivite,
    CommitteeMember,
    CommitteeSession,
    Opinion,
    Review,
    ReviewCondition,
    UseCase,
    UseCaseEvent,
    Vote,
)
from registry.models.use_cases import CLASSIFICATION_INPUT_FIELDS

# The demo use cases were declared over the last months: one every three days, changes a day apart.
DEMO_SPREAD = timedelta(days=3)

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

if TYPE_CHECKING:
    from demo.loaders.bellerive import DemoLoader


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
        data = self.loader.resolve(use_case_data(spec))
        self.timeline.mark(moment)
        use_case = services.use_case_create(collectivite=self.collectivite, acting_user=data["owner"], data=data)
        if spec.get("facts") is None:
            before_questionnaire(use_case)
        self.use_cases[spec["name"]] = use_case.pk
        self.created["use_cases"] += 1

    def _record(self, moment: datetime, spec: dict) -> None:
        """A use already running, recorded by the DPO's inventory and submitted for review at once."""
        data = self.loader.resolve(use_case_data(spec))
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
                data=self.loader.resolve(changes),
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
