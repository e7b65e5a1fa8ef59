"""Who may do what in the register, in one place for views, API and templates.

Roles are held per collectivité (`Membership`); the owner of a use case and anyone a use case is shared
with hold django-guardian object permissions on it.
"""

from __future__ import annotations

from core.access import Access
from core.roles import Role
from registry.choices import VISIBLE_TO_SERVICE_STATUSES, UseCaseStatus

EDITABLE_STATUSES = frozenset(
    {
        UseCaseStatus.DRAFT,
        UseCaseStatus.SUBMITTED,
        UseCaseStatus.IN_REVIEW,
        UseCaseStatus.APPROVED,
        UseCaseStatus.APPROVED_WITH_CONDITIONS,
        UseCaseStatus.IN_PRODUCTION,
        UseCaseStatus.SUSPENDED,
    }
)


def can_view_use_case(user, access: Access, use_case) -> bool:
    if use_case.collectivite_id != access.collectivite_id or not access.is_member:
        return False
    if access.sees_all or use_case.owner_id == user.pk or access.heads_service(use_case.service):
        return True
    if use_case.service_id in access.agent_service_ids and use_case.status in VISIBLE_TO_SERVICE_STATUSES:
        return True
    # Ethics committee members see the cases on their sessions' agendas (granted per object).
    return user.has_perm("registry.view_usecase", use_case) or user.has_perm("registry.review_usecase", use_case)


def can_change_use_case(user, access: Access, use_case) -> bool:
    if use_case.collectivite_id != access.collectivite_id or use_case.status not in EDITABLE_STATUSES:
        return False
    if access.edits_all or access.heads_service(use_case.service):
        return True
    if use_case.owner_id == user.pk:
        return True
    return user.has_perm("registry.change_usecase", use_case)


def can_submit_use_case(user, access: Access, use_case) -> bool:
    return use_case.status == UseCaseStatus.DRAFT and can_change_use_case(user, access, use_case)


def can_withdraw_use_case(user, access: Access, use_case) -> bool:
    return use_case.status == UseCaseStatus.SUBMITTED and can_change_use_case(user, access, use_case)


def can_create_use_case(access: Access) -> bool:
    return access.is_member and bool(access.edits_all or access.agent_service_ids or access.headed_service_ids)


def creatable_service_ids(access: Access, services) -> list[int]:
    """The services in which the user may create a use case (those of `services` in `assignable_services`)."""
    allowed = set(assignable_services(access).values_list("pk", flat=True))
    return [s.pk for s in services if s.pk in allowed]


def assignable_services(access: Access, *, use_case=None):
    """The services this person may put a use case in, by creating it there or moving it there: every service of
    the collectivité for the DPO, the RSSI and administrators; otherwise the services they belong to and every
    service below one they head. The use case's current service stays assignable (keeping it is no move).

    The one rule behind the edit and creation forms' choices, the API, and the services that save a use case."""
    from django.db.models import Q

    from .models import Service

    if not access.is_member:
        return Service.objects.none()
    services = Service.objects.filter(collectivite_id=access.collectivite_id)
    if access.edits_all:
        return services
    scope = Q(pk__in=access.agent_service_ids)
    for path in access.headed_service_paths:
        scope |= Q(path__startswith=path)
    if use_case is not None and use_case.service_id:
        scope |= Q(pk=use_case.service_id)
    return services.filter(scope)


def assignable_owners(access: Access, *, use_case=None):
    """The people this person may make accountable for a use case (its owner): any member of the collectivité for
    the DPO, the RSSI and administrators; otherwise the members of the services they may put a use case in
    (`assignable_services`) and the heads of those services or of a direction above them. The use case's current
    owner stays assignable (keeping them is no hand-over)."""
    from django.db.models import Q

    from .models import Membership, User

    if not access.is_member:
        return User.objects.none()
    memberships = Membership.objects.filter(collectivite_id=access.collectivite_id)
    if not access.edits_all:
        paths = set(assignable_services(access, use_case=use_case).values_list("path", flat=True))
        # "000001/000007/" is below "000001/": the heads of every level above a service may answer for it.
        above = {path[: index + 1] for path in paths for index, char in enumerate(path) if char == "/"}
        memberships = memberships.filter(
            Q(service__path__in=paths) | Q(role=Role.HEAD_OF_SERVICE, service__path__in=above)
        )
    scope = Q(pk__in=memberships.values("user_id"))
    if use_case is not None and use_case.owner_id:
        scope |= Q(pk=use_case.owner_id)
    return User.objects.filter(scope)


def can_manage_catalogue(access: Access) -> bool:
    return access.edits_all


# Reviews and the ethics committee -----------------------------------------------------------------------
# The DPO gives the data-protection opinion, the RSSI the security opinion; the committee is run by its chair,
# with the DPO or an administrator as its secretariat (sessions, agendas, members).
REVIEWER_ROLES = (Role.DPO, Role.RSSI)
COMMITTEE_SECRETARIAT_ROLES = frozenset({Role.DPO, Role.ADMIN})
RETIRABLE_STATUSES = frozenset(
    {
        UseCaseStatus.DRAFT,
        UseCaseStatus.APPROVED,
        UseCaseStatus.APPROVED_WITH_CONDITIONS,
        UseCaseStatus.REJECTED,
        UseCaseStatus.IN_PRODUCTION,
        UseCaseStatus.SUSPENDED,
    }
)


def reviewer_roles(access: Access) -> list[str]:
    """The opinions this person may give: `dpo`, `rssi`, or both where one person holds both roles."""
    return [role for role in REVIEWER_ROLES if access.has(role)]


def committee_seat(user, collectivite_id):
    """The person's active seat on the collectivité's ethics committee, or None (cached per request)."""
    if not user.is_authenticated or collectivite_id is None:
        return None
    cache = user.__dict__.setdefault("_registry_seat", {})
    if collectivite_id not in cache:
        from .models import CommitteeMember

        cache[collectivite_id] = CommitteeMember.objects.filter(
            user=user, collectivite_id=collectivite_id, active=True
        ).first()
    return cache[collectivite_id]


def is_committee_chair(user, access: Access) -> bool:
    seat = committee_seat(user, access.collectivite_id)
    return bool(seat and seat.is_chair)


def can_manage_committee(user, access: Access) -> bool:
    """Members, sessions and agendas: the DPO, an administrator, or the committee's chair."""
    return bool(access.roles & COMMITTEE_SECRETARIAT_ROLES) or is_committee_chair(user, access)


def can_view_committee(user, access: Access) -> bool:
    return access.sees_all or committee_seat(user, access.collectivite_id) is not None


def can_give_opinion(access: Access, review, role: str) -> bool:
    from .choices import ReviewStatus

    return (
        review.collectivite_id == access.collectivite_id
        and review.status == ReviewStatus.OPINIONS
        and role in reviewer_roles(access)
    )


def can_return_for_changes(access: Access, review) -> bool:
    from .choices import ReviewStatus

    return (
        review.collectivite_id == access.collectivite_id
        and review.status == ReviewStatus.OPINIONS
        and review.kind != "periodic"
        and bool(reviewer_roles(access))
    )


def has_conflict_of_interest(user, access: Access, use_case) -> bool:
    """A member who owns the use case, or belongs to or heads its service, may not vote on it."""
    return (
        use_case.owner_id == user.pk
        or use_case.service_id in access.agent_service_ids
        or use_case.service_id in access.headed_service_ids
        or access.heads_service(use_case.service)
    )


def can_vote(user, access: Access, item) -> bool:
    """A member votes in session (the service also checks that their presence is recorded)."""
    from .choices import ReviewStatus, SessionStatus

    seat = committee_seat(user, access.collectivite_id)
    return (
        seat is not None
        and item.session.collectivite_id == access.collectivite_id
        and item.session.status == SessionStatus.OPEN
        and not item.opinion
        and item.review.status == ReviewStatus.COMMITTEE
    )


def can_declare_conflict(user, access: Access, item) -> bool:
    """A member declares a conflict of interest on a case before the session or during it."""
    from .choices import NOT_CLOSED_SESSION_STATUSES, ReviewStatus

    seat = committee_seat(user, access.collectivite_id)
    return (
        seat is not None
        and item.session.collectivite_id == access.collectivite_id
        and item.session.status in NOT_CLOSED_SESSION_STATUSES
        and not item.opinion
        and item.review.status == ReviewStatus.COMMITTEE
    )


def may_try_committee_opinion(user, access: Access, item) -> bool:
    """Whether this person may send the committee's opinion on the case at all: the member presiding over it
    (`selectors.presiding_member`), or the chair, whom the service then tells who presides in their place. Anyone else
    is refused before their form is read."""
    from .selectors import presiding_member, session_roster

    seat = committee_seat(user, access.collectivite_id)
    if seat is None or item.session.collectivite_id != access.collectivite_id:
        return False
    if seat.is_chair:
        return True
    roster = session_roster(item.session)
    presiding = presiding_member(item, roster) if roster.attendance else None
    return presiding is not None and presiding.member.user_id == user.pk


def can_record_committee_opinion(user, access: Access, item, presiding) -> bool:
    """Whoever presides over the case (`presiding`, from `selectors.presiding_member`: the chair, else the vice-chair,
    else the eldest member present, each without a conflict of interest on it), in session (opened on its date): the
    service also checks the quorum."""
    from django.utils import timezone

    from .choices import ReviewStatus, SessionStatus

    return (
        presiding is not None
        and presiding.member.user_id == user.pk
        and presiding.member.collectivite_id == access.collectivite_id
        and item.session.collectivite_id == access.collectivite_id
        and item.session.status == SessionStatus.OPEN
        and item.session.held_on <= timezone.now()
        and not item.opinion
        and item.review.status == ReviewStatus.COMMITTEE
    )


def may_manage_use_case(user, access: Access, use_case) -> bool:
    """Whoever answers for the use case, whatever its status: its owner, the head of its service, the DPO, the
    RSSI, an administrator, or someone it is shared with for editing. (The status then says what is possible.)"""
    return use_case.collectivite_id == access.collectivite_id and (
        access.edits_all
        or access.heads_service(use_case.service)
        or use_case.owner_id == user.pk
        or user.has_perm("registry.change_usecase", use_case)
    )


def can_retire_use_case(user, access: Access, use_case) -> bool:
    return use_case.status in RETIRABLE_STATUSES and may_manage_use_case(user, access, use_case)


def can_rework_use_case(user, access: Access, use_case) -> bool:
    """A rejected use case may be taken back as a draft by those who could change it."""
    return use_case.status == UseCaseStatus.REJECTED and may_manage_use_case(user, access, use_case)


def can_view_review_queue(user, access: Access) -> bool:
    """The queue of review rounds is for those who follow reviews: the roles that see the whole register and the
    committee's members (who see only the cases on their agendas)."""
    return can_view_committee(user, access)


# The DPO and the RSSI suspend a live use case at once, and lift the suspension (AI Act art. 26(5)).
SUSPENSION_ROLES = frozenset({Role.DPO, Role.RSSI})


def can_suspend(access: Access) -> bool:
    """Whether this person may suspend a use case of the collectivité (its status then says whether it can be)."""
    return bool(access.roles & SUSPENSION_ROLES)


def can_resume_use_case(access: Access, use_case) -> bool:
    return (
        use_case.collectivite_id == access.collectivite_id
        and use_case.status == UseCaseStatus.SUSPENDED
        and can_suspend(access)
    )


def qualifiable_inputs(access: Access) -> tuple[str, ...]:
    """The legal inputs this person may set directly, overriding the facts (DOMAIN.md 3b, issue 16): the DPO the
    legal qualification, the RSSI the security axis."""
    from .qualification import DPO_OVERRIDABLE, RSSI_OVERRIDABLE

    inputs: tuple[str, ...] = ()
    if access.has(Role.DPO):
        inputs += DPO_OVERRIDABLE
    if access.has(Role.RSSI):
        inputs += RSSI_OVERRIDABLE
    return inputs


def can_confirm_qualification(access: Access, use_case) -> bool:
    """The DPO confirms the qualification of a use case of their collectivité."""
    return access.has(Role.DPO) and use_case.collectivite_id == access.collectivite_id
