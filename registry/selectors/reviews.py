"""Reads of reviews, opinions and the ethics committee, filtered by what the user may see, at fixed query counts."""

from __future__ import annotations

import datetime
import math
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from core.access import Access
from core.roles import Role
from registry.choices import (
    NOT_CLOSED_SESSION_STATUSES,
    MemberVote,
    ReviewStatus,
    SessionStatus,
)

from .. import permissions
from ..models import (
    AgendaItem,
    Attendance,
    CommitteeMember,
    CommitteeSession,
    Membership,
    Opinion,
    Review,
    UseCase,
    Vote,
)
from ..models.use_cases import CLASSIFICATION_RESULT_FIELDS
from .use_cases import use_cases_visible_to


def reviews_visible_to(user, access: Access) -> QuerySet[Review]:
    """The review rounds of the use cases the user may see."""
    if not access.is_member:
        return Review.objects.none()
    queryset = Review.objects.filter(collectivite_id=access.collectivite_id)
    if not access.sees_all:
        queryset = queryset.filter(use_case__in=use_cases_visible_to(user, access).values("pk"))
    return queryset


def review_list(user, access: Access) -> QuerySet[Review]:
    return (
        reviews_visible_to(user, access)
        .select_related("use_case__service", "use_case__owner")
        .prefetch_related(Prefetch("opinions", queryset=Opinion.objects.select_related("author")))
        .order_by("-opened_at", "-id")
    )


def _items_queryset():
    return AgendaItem.objects.select_related("session", "decided_by", "presided_by").prefetch_related(
        Prefetch("votes", queryset=Vote.objects.select_related("member__user"))
    )


def review_detail(user, access: Access) -> QuerySet[Review]:
    return (
        reviews_visible_to(user, access)
        .select_related("use_case__service", "use_case__owner", "use_case__collectivite", "opened_by", "decided_by")
        .prefetch_related(
            Prefetch("opinions", queryset=Opinion.objects.select_related("author")),
            "conditions",
            Prefetch("agenda_items", queryset=_items_queryset()),
        )
    )


def use_case_reviews(use_case: UseCase) -> list[Review]:
    """Every review round of a use case, newest first, with opinions, conditions and committee work."""
    return list(
        use_case.reviews.select_related("opened_by", "decided_by")
        .prefetch_related(
            Prefetch("opinions", queryset=Opinion.objects.select_related("author")),
            "conditions",
            Prefetch("agenda_items", queryset=_items_queryset()),
        )
        .order_by("-number")
    )


# What changed since a round was opened ---------------------------------------------------------------------------
def snapshot_display(name: str, raw) -> str:
    """A value of a frozen snapshot as a reader sees it (labels for codes, yes/no, dates)."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from ..models.use_cases import MULTI_CODE_FIELDS

    if raw in (None, "", []):
        return "—"
    if isinstance(raw, dict):
        return raw.get("label", "")
    if isinstance(raw, bool):
        return _("Yes") if raw else _("No")
    if name in MULTI_CODE_FIELDS:
        labels = dict(MULTI_CODE_FIELDS[name].choices)
        return ", ".join(str(labels.get(code, code)) for code in raw)
    choices = dict(UseCase._meta.get_field(name).choices or [])
    if choices:
        return str(choices.get(raw, raw))
    if name in ("start_date", "end_date"):
        try:
            return date_format(datetime.date.fromisoformat(raw), "DATE_FORMAT")
        except ValueError:
            return str(raw)
    return str(raw)


def review_changes(review: Review, use_case: UseCase) -> list[dict]:
    """The fields and verdicts that differ between what the round reviewed and the use case today."""
    from ..services.reviews import MATERIAL_FIELDS, snapshot_of

    current = snapshot_of(use_case)
    changes = []
    before_fields, after_fields = review.snapshot.get("fields", {}), current["fields"]
    for name, after in after_fields.items():
        before = before_fields.get(name)
        same = (
            (before or {}).get("id") == (after or {}).get("id")
            if name in ("service", "owner", "tool")
            else (before == after)
        )
        if not same:
            changes.append(
                {
                    "field": name,
                    "label": UseCase._meta.get_field(name).verbose_name,
                    "before": snapshot_display(name, before),
                    "after": snapshot_display(name, after),
                    "material": name in MATERIAL_FIELDS,
                }
            )
    before_cls, after_cls = review.snapshot.get("classification", {}), current["classification"]
    for name in CLASSIFICATION_RESULT_FIELDS:
        if before_cls.get(name) != after_cls.get(name):
            changes.append(
                {
                    "field": name,
                    "label": UseCase._meta.get_field(name).verbose_name,
                    "before": snapshot_display(name, before_cls.get(name)),
                    "after": snapshot_display(name, after_cls.get(name)),
                    "material": True,
                }
            )
    return changes


# The ethics committee ----------------------------------------------------------------------------------------------
def committee_members(access: Access, *, include_former: bool = False) -> QuerySet[CommitteeMember]:
    queryset = CommitteeMember.objects.filter(collectivite_id=access.collectivite_id).select_related("user")
    return queryset if include_former else queryset.filter(active=True)


def sessions_visible_to(user, access: Access) -> QuerySet[CommitteeSession]:
    if not permissions.can_view_committee(user, access):
        return CommitteeSession.objects.none()
    return CommitteeSession.objects.filter(collectivite_id=access.collectivite_id).annotate(item_count=Count("items"))


def session_items(session: CommitteeSession) -> list[AgendaItem]:
    return list(
        session.items.select_related(
            "review__use_case__service", "review__use_case__owner", "decided_by", "presided_by"
        ).prefetch_related(
            Prefetch("votes", queryset=Vote.objects.select_related("member__user")),
            Prefetch("review__opinions", queryset=Opinion.objects.select_related("author")),
            "review__conditions",
        )
    )


# The committee's quorum ---------------------------------------------------------------------------------------------
def quorum_required(members_in_office: int, percent: int) -> int:
    """How many members must sit, without a conflict of interest, for the committee to give an opinion: the share
    `percent` of the members in office, rounded up (50 % of 5 is 3, of 4 is 2), and never fewer than one."""
    return max(1, math.ceil(members_in_office * percent / 100))


@dataclass(frozen=True)
class SessionRoster:
    """The attendance of a held session (empty before it is opened) and the services its members belong to."""

    attendance: list = field(default_factory=list)
    # user id -> [(role, service id, service path)]: what a conflict of interest is computed from.
    links: dict = field(default_factory=dict)
    percent: int = 50

    @property
    def present_user_ids(self) -> set[int]:
        return {row.member.user_id for row in self.attendance if row.present}

    @property
    def present(self) -> list:
        return [row.member for row in self.attendance if row.present]

    @property
    def absent(self) -> list:
        return [row.member for row in self.attendance if not row.present]


@dataclass(frozen=True)
class ItemQuorum:
    """Where one case of a held session stands: members in office, quorum, members present without a conflict of
    interest, conflicts, and the votes of those members (for, for with conditions, against, abstentions)."""

    members_in_office: int
    required: int
    present: int
    conflicts: int
    favourable: int = 0
    with_conditions: int = 0
    unfavourable: int = 0
    abstain: int = 0

    @property
    def met(self) -> bool:
        return self.present >= self.required

    @property
    def votes(self) -> int:
        return self.favourable + self.with_conditions + self.unfavourable + self.abstain


def session_roster(session: CommitteeSession) -> SessionRoster:
    """The session's attendance and its members' services: two queries (none before the session is opened)."""
    return session_rosters([session])[session.pk]


def session_rosters(sessions) -> dict[int, SessionRoster]:
    """The roster of each session, by session id: two queries whatever the number of sessions (none when none was
    opened). Before a session is opened its roster is empty."""
    rosters = {session.pk: SessionRoster() for session in sessions}
    held = {session.pk: session for session in sessions if session.was_held}
    if not held:
        return rosters
    attendance: dict[int, list] = {pk: [] for pk in held}
    for row in (
        Attendance.objects.filter(session_id__in=held)
        .select_related("member__user")
        .order_by("session_id", "-member__is_chair", "member__user__last_name", "member__user__first_name", "id")
    ):
        attendance[row.session_id].append(row)
    # (collectivité, user) -> [(role, service id, service path)]
    services: dict[tuple[int, int], list] = {}
    memberships = Membership.objects.filter(
        collectivite_id__in={session.collectivite_id for session in held.values()},
        user_id__in={row.member.user_id for rows in attendance.values() for row in rows},
        service__isnull=False,
    ).values_list("collectivite_id", "user_id", "role", "service_id", "service__path")
    for collectivite_id, user_id, role, service_id, path in memberships:
        services.setdefault((collectivite_id, user_id), []).append((role, service_id, path))
    for pk, session in held.items():
        links = {
            row.member.user_id: services[key]
            for row in attendance[pk]
            if (key := (session.collectivite_id, row.member.user_id)) in services
        }
        percent = session.quorum_percent or session.collectivite.committee_quorum_percent
        rosters[pk] = SessionRoster(attendance=attendance[pk], links=links, percent=percent)
    return rosters


def conflicted_user_ids(use_case: UseCase, user_ids, links: dict) -> set[int]:
    """Among `user_ids`, who has a conflict of interest on the use case without declaring it: its owner, the agents of
    its service, the heads of its service or of a direction above it (as `permissions.has_conflict_of_interest`)."""
    path = use_case.service.path
    conflicted = set()
    for user_id in user_ids:
        if user_id == use_case.owner_id:
            conflicted.add(user_id)
            continue
        for role, service_id, service_path in links.get(user_id, ()):
            if service_id == use_case.service_id or (role == Role.HEAD_OF_SERVICE and path.startswith(service_path)):
                conflicted.add(user_id)
                break
    return conflicted


def _item_conflicts(item: AgendaItem, present_ids: set[int], roster: SessionRoster) -> set[int]:
    """The members (user ids) with a conflict of interest on the case: declared (the item's prefetched votes), or
    found from their service among those present."""
    declared = {vote.member.user_id for vote in item.votes.all() if vote.conflict_of_interest}
    return declared | conflicted_user_ids(item.review.use_case, present_ids, roster.links)


def item_quorum(item: AgendaItem, roster: SessionRoster) -> ItemQuorum:
    """The quorum and the votes on one case, from the roster and the item's prefetched votes. The members with a
    conflict of interest (declared, or found from their service) are counted out of both."""
    votes = list(item.votes.all())
    present_ids = roster.present_user_ids
    conflicted = _item_conflicts(item, present_ids, roster)
    sitting = present_ids - conflicted
    counts = Counter(vote.choice for vote in votes if not vote.conflict_of_interest and vote.member.user_id in sitting)
    in_office = len(roster.attendance)
    return ItemQuorum(
        members_in_office=in_office,
        required=quorum_required(in_office, roster.percent),
        present=len(sitting),
        conflicts=len(conflicted),
        favourable=counts[MemberVote.FAVOURABLE],
        with_conditions=counts[MemberVote.FAVOURABLE_WITH_CONDITIONS],
        unfavourable=counts[MemberVote.UNFAVOURABLE],
        abstain=counts[MemberVote.ABSTAIN],
    )


@dataclass(frozen=True)
class Presiding:
    """Who presides over the committee for one case, and so records its opinion: `member` (a seat) and `role`
    (`AgendaItem.PresidingRole`)."""

    member: CommitteeMember
    role: str

    @property
    def user(self):
        return self.member.user

    @property
    def replaces_chair(self) -> bool:
        return self.role != AgendaItem.PresidingRole.CHAIR


def _eldest(members: list) -> Presiding | None:
    """The eldest of `members` by date of birth; when no age is known, or the eldest are born the same day, the
    longest-serving among them (membership date), then by name: the choice never depends on chance, and the role
    says which rule named them."""
    if not members:
        return None

    def seniority(member):
        return (member.joined_on or datetime.date.max, member.user.last_name, member.user.first_name, member.pk)

    born = [member for member in members if member.birth_date is not None]
    if born:
        oldest = min(member.birth_date for member in born)
        eldest = [member for member in born if member.birth_date == oldest]
        if len(eldest) == 1:
            return Presiding(eldest[0], AgendaItem.PresidingRole.ELDEST)
        members = eldest
    return Presiding(min(members, key=seniority), AgendaItem.PresidingRole.LONGEST_SERVING)


def presiding_member(item: AgendaItem, roster: SessionRoster) -> Presiding | None:
    """Who presides over the committee for this case (the rules of procedure), and so records its opinion: the chair,
    when present without a conflict of interest on it; else the vice-chair, on the same terms; else the eldest member
    present without a conflict of interest (see `_eldest` when ages are unknown). None when no member present is free
    of a conflict (the case is then postponed when the session closes). Reads the roster and the item's prefetched
    votes: the session's page, the API, the service and the minutes all ask this function.

    Once the opinion is recorded, who presided is the one frozen with it (`AgendaItem.presided_by`)."""
    present = roster.present
    conflicted = _item_conflicts(item, {member.user_id for member in present}, roster)
    free = [member for member in present if member.user_id not in conflicted]
    chair = next((member for member in free if member.is_chair), None)
    if chair is not None:
        return Presiding(chair, AgendaItem.PresidingRole.CHAIR)
    vice_chair = next((member for member in free if member.is_vice_chair), None)
    if vice_chair is not None:
        return Presiding(vice_chair, AgendaItem.PresidingRole.VICE_CHAIR)
    return _eldest(free)


def recorded_quorum(item: AgendaItem) -> ItemQuorum | None:
    """The quorum and votes frozen with the committee's opinion (None for an opinion recorded before the rules)."""
    if not item.has_record:
        return None
    return ItemQuorum(
        members_in_office=item.members_in_office,
        required=item.quorum_required,
        present=item.present_count,
        conflicts=item.conflict_count,
        favourable=item.votes_favourable,
        with_conditions=item.votes_with_conditions,
        unfavourable=item.votes_unfavourable,
        abstain=item.votes_abstain,
    )


def reviews_awaiting_committee(access: Access) -> QuerySet[Review]:
    """Cases the committee must examine that are not on the agenda of a session to come (planned or in session)."""
    scheduled = AgendaItem.objects.filter(
        review=OuterRef("pk"), opinion="", session__status__in=NOT_CLOSED_SESSION_STATUSES
    )
    return (
        Review.objects.filter(collectivite_id=access.collectivite_id, status=ReviewStatus.COMMITTEE)
        .exclude(Exists(scheduled))
        .select_related("use_case__service", "use_case__owner")
        .order_by("opened_at", "id")
    )


def committee_items_pending(collectivite_id) -> QuerySet[AgendaItem]:
    """The cases of the collectivité's sessions in progress whose committee opinion is still to record."""
    return AgendaItem.objects.filter(
        session__collectivite_id=collectivite_id,
        session__status=SessionStatus.OPEN,
        opinion="",
        review__status=ReviewStatus.COMMITTEE,
    )


def items_to_preside(user, access: Access) -> list[int]:
    """The ids of the cases, in a session in progress, over which the person presides and so whose committee opinion
    they record (`presiding_member`: the chair, or in their absence or conflict of interest the vice-chair, then the
    eldest member present). One query without a seat or a case in progress (the seat is checked in it); else four,
    whatever the number of cases or sessions: the cases, their votes, the attendance and the members' services."""
    seat = CommitteeMember.objects.filter(user=user, collectivite_id=access.collectivite_id, active=True)
    items = list(
        committee_items_pending(access.collectivite_id)
        .filter(Exists(seat))
        .select_related("session__collectivite", "review__use_case__service")
        .prefetch_related(Prefetch("votes", queryset=Vote.objects.select_related("member")))
    )
    if not items:
        return []
    rosters = session_rosters({item.session_id: item.session for item in items}.values())
    ids = []
    for item in items:
        presiding = presiding_member(item, rosters[item.session_id])
        if presiding is not None and presiding.member.user_id == user.pk:
            ids.append(item.pk)
    return ids


__all__ = [
    "snapshot_display",
    "committee_members",
    "conflicted_user_ids",
    "item_quorum",
    "committee_items_pending",
    "items_to_preside",
    "ItemQuorum",
    "presiding_member",
    "Presiding",
    "quorum_required",
    "recorded_quorum",
    "session_roster",
    "session_rosters",
    "SessionRoster",
    "review_changes",
    "review_detail",
    "review_list",
    "reviews_awaiting_committee",
    "reviews_visible_to",
    "session_items",
    "sessions_visible_to",
    "use_case_reviews",
]
