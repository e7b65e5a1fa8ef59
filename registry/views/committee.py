"""The ethics committee in the browser: its page (members, sessions, cases awaiting it), the creation of a
session, and a session's page where the secretariat sets the agenda, members give their opinions or declare a
conflict of interest, and the chair (or, when the chair may not, the member presiding over the case) records the
committee's opinion.

Thin views: `selectors` say what the user sees, `permissions` who may act (403 otherwise), every change goes
through `services`. A session, an agenda item or a seat of another collectivité answers 404.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError, ForbiddenError
from core.middleware import current_collectivite
from core.views import member_required

from .. import forms_committee, permissions, selectors, services, titles
from ..choices import ReviewerRole, SessionStatus
from ..models import AgendaItem, CommitteeMember, User


def committee_required(view):
    """A member of the collectivité (see `member_required`) who may see the committee: its members and the roles
    that see the whole register."""

    @member_required
    @wraps(view)
    def wrapper(request, access, *args, **kwargs):
        if not permissions.can_view_committee(request.user, access):
            raise PermissionDenied(_("Only the members of the ethics committee, the DPO, the RSSI and the DGS see it."))
        return view(request, access, current_collectivite(request), *args, **kwargs)

    return wrapper


def _require_manager(request, access) -> None:
    if not permissions.can_manage_committee(request.user, access):
        raise PermissionDenied(_("Only the DPO, an administrator or the committee's chair manage the committee."))


def _session_label(session) -> str:
    return formats.date_format(timezone.localtime(session.held_on), "DATETIME_FORMAT")


# The committee's page ------------------------------------------------------------------------------


def _people_to_seat(access):
    """The collectivité's people who do not sit on the committee now (former members may come back)."""
    seated = CommitteeMember.objects.filter(collectivite_id=access.collectivite_id, active=True).values("user_id")
    return (
        User.objects.filter(memberships__collectivite_id=access.collectivite_id, is_active=True)
        .exclude(pk__in=seated)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _member_of(access, pk) -> CommitteeMember:
    return get_object_or_404(selectors.committee_members(access, include_former=True), pk=pk)


def _render_committee(request, access, *, add_form=None, member_forms=None, status=200):
    user = request.user
    can_manage = permissions.can_manage_committee(user, access)
    seats = list(selectors.committee_members(access, include_former=can_manage))
    member_forms = member_forms or {}
    members = []
    for seat in seats:
        if not seat.active:
            continue
        form = member_forms.get(seat.pk)
        if form is None and can_manage:
            form = forms_committee.MemberUpdateForm(
                initial={
                    "affiliation": seat.affiliation,
                    "external": seat.external,
                    "is_chair": seat.is_chair,
                    "is_vice_chair": seat.is_vice_chair,
                    "birth_date": seat.birth_date,
                },
                auto_id=f"member{seat.pk}-%s",
            )
        members.append({"seat": seat, "form": form, "open": seat.pk in member_forms})
    sessions = list(selectors.sessions_visible_to(user, access).select_related("created_by"))
    planned = sorted((s for s in sessions if s.status != SessionStatus.CLOSED), key=lambda s: (s.held_on, s.pk))
    past = [s for s in sessions if s.status == SessionStatus.CLOSED]
    # Members see only the cases on their sessions' agendas: the queue is for those who see the whole register.
    show_awaiting = can_manage or access.sees_all
    if can_manage and add_form is None:
        add_form = forms_committee.MemberAddForm(people=_people_to_seat(access), auto_id="add-%s")
    context = {
        "members": members,
        "former_members": [seat for seat in seats if not seat.active],
        "planned_sessions": planned,
        "past_sessions": past,
        "show_awaiting": show_awaiting,
        "awaiting": list(selectors.reviews_awaiting_committee(access)) if show_awaiting else [],
        "can_manage": can_manage,
        "add_form": add_form,
        "has_errors": bool((add_form is not None and add_form.errors) or any(f.errors for f in member_forms.values())),
        "my_seat": permissions.committee_seat(user, access.collectivite_id),
    }
    return render(request, "registry/committee/committee.html", context, status=status)


@require_GET
@committee_required
def committee(request, access, collectivite):
    return _render_committee(request, access)


@require_POST
@committee_required
def member_add(request, access, collectivite):
    _require_manager(request, access)
    form = forms_committee.MemberAddForm(request.POST, people=_people_to_seat(access), auto_id="add-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            member = services.committee_member_add(
                collectivite=collectivite,
                acting_user=request.user,
                user=data["user"],
                is_chair=data["is_chair"],
                is_vice_chair=data["is_vice_chair"],
                external=data["external"],
                affiliation=data["affiliation"].strip(),
                birth_date=data["birth_date"],
            )
        except ForbiddenError as error:
            raise PermissionDenied(str(error.message)) from error
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("%(name)s now sits on the ethics committee.") % {"name": member})
            return redirect(reverse("registry:committee") + "#members")
    return _render_committee(request, access, add_form=form, status=400)


@require_POST
@committee_required
def member_update(request, access, collectivite, pk):
    _require_manager(request, access)
    seat = _member_of(access, pk)
    if not seat.active:
        messages.error(request, _("%(name)s no longer sits on the committee: seat them again.") % {"name": seat})
        return redirect(reverse("registry:committee") + "#members")
    form = forms_committee.MemberUpdateForm(request.POST, auto_id=f"member{seat.pk}-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.committee_member_update(
                member=seat,
                acting_user=request.user,
                data={**data, "affiliation": data["affiliation"].strip()},
            )
        except ForbiddenError as error:
            raise PermissionDenied(str(error.message)) from error
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The seat of %(name)s is updated.") % {"name": seat})
            return redirect(reverse("registry:committee") + f"#member-{seat.pk}")
    return _render_committee(request, access, member_forms={seat.pk: form}, status=400)


@require_POST
@committee_required
def member_end(request, access, collectivite, pk):
    _require_manager(request, access)
    seat = _member_of(access, pk)
    if not seat.active:
        messages.error(request, _("%(name)s no longer sits on the committee.") % {"name": seat})
        return redirect(reverse("registry:committee") + "#members")
    try:
        services.committee_member_update(member=seat, acting_user=request.user, data={"active": False})
    except ForbiddenError as error:
        raise PermissionDenied(str(error.message)) from error
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("The mandate of %(name)s has ended: they no longer see the committee's cases.") % {"name": seat},
        )
    return redirect(reverse("registry:committee") + "#members")


# Sessions ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@committee_required
def session_create(request, access, collectivite):
    _require_manager(request, access)
    form = forms_committee.SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                collectivite=collectivite, acting_user=request.user, data=form.cleaned_data
            )
        except ForbiddenError as error:
            raise PermissionDenied(str(error.message)) from error
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("The session of %(date)s is planned: put the cases awaiting the committee on its agenda.")
                % {"date": _session_label(session)},
            )
            return redirect("registry:committee_session", pk=session.pk)
    return render(
        request,
        "registry/committee/session_form.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


def _session_of(request, access, pk):
    return get_object_or_404(
        selectors.sessions_visible_to(request.user, access).select_related("created_by", "chair", "secretary"), pk=pk
    )


def _item_of(request, access, pk) -> AgendaItem:
    """An agenda item of the collectivité's committee (404 otherwise), with what the services and checks read."""
    return get_object_or_404(
        AgendaItem.objects.filter(session__collectivite_id=access.collectivite_id).select_related(
            "session", "review__use_case__service", "review__use_case__owner"
        ),
        pk=pk,
    )


def _auto_id(kind: str, item_pk: int) -> str:
    """Several forms share the page: their fields' ids say which item and which form they belong to."""
    return f"item{item_pk}-{kind}-%s"


def _present_item(item, *, user, access, seat, can_manage, session_planned, bound, roster) -> dict:
    """One case of the agenda and what this person may do on it; reads only what `session_items` loaded."""
    review = item.review
    use_case = review.use_case
    votes = list(item.votes.all())
    opinions = {opinion.role: opinion for opinion in review.opinions.all()}
    conditions = list(review.conditions.all())
    mine = next((vote for vote in votes if seat is not None and vote.member_id == seat.pk), None)
    may_vote = seat is not None and mine is None and permissions.can_vote(user, access, item)
    may_declare = seat is not None and mine is None and permissions.can_declare_conflict(user, access, item)
    conflict = may_declare and permissions.has_conflict_of_interest(user, access, use_case)
    # A member not recorded present may declare a conflict, not vote.
    absent = may_vote and seat.pk not in {member.pk for member in roster.present}
    # Who presides over this case (the chair, else the vice-chair, else the eldest member present, each without a
    # conflict of interest): they alone see the form to record the committee's opinion.
    presiding = selectors.presiding_member(item, roster) if roster.attendance and not item.opinion else None
    may_record = permissions.can_record_committee_opinion(user, access, item, presiding)
    if item.opinion:
        quorum = selectors.recorded_quorum(item)
    else:
        quorum = selectors.item_quorum(item, roster) if roster.attendance else None

    def form(kind, form_class):
        return bound.get((kind, item.pk)) or form_class(auto_id=_auto_id(kind, item.pk))

    return {
        "item": item,
        "review": review,
        "use_case": use_case,
        "reviewer_opinions": [(role.label, opinions.get(role.value), role.value) for role in ReviewerRole],
        "asked_by": [opinion.role for opinion in opinions.values() if opinion.ask_committee],
        "review_conditions": [c for c in conditions if c.source != "committee"],
        "committee_conditions": [c for c in conditions if c.source == "committee"],
        "votes": votes,
        "conflicts": sum(1 for vote in votes if vote.conflict_of_interest),
        "my_vote": mine,
        "may_vote": may_declare,
        "absent": absent,
        "conflict": conflict,
        "quorum": quorum,
        "vote_form": form("vote", forms_committee.VoteForm) if may_vote and not conflict and not absent else None,
        "conflict_form": form("conflict", forms_committee.ConflictForm) if may_declare else None,
        "opinion_form": form("opinion", forms_committee.CommitteeOpinionForm) if may_record else None,
        "presiding": presiding,
        "presiding_label": titles.presided_by(presiding.role, presiding.user) if presiding else "",
        "presided_label": (
            titles.presided_by(item.presiding_role, item.presided_by)
            if item.presided_by_id and item.presiding_role
            else ""
        ),
        "may_remove": can_manage and session_planned and not item.opinion and not votes,
        "open": any(key[1] == item.pk for key in bound),
    }


def _render_session(request, access, session, *, bound=None, status=200):
    bound = bound or {}
    user = request.user
    seat = permissions.committee_seat(user, access.collectivite_id)
    can_manage = permissions.can_manage_committee(user, access)
    planned = session.status != SessionStatus.CLOSED
    roster = selectors.session_roster(session)
    items = [
        _present_item(
            item,
            user=user,
            access=access,
            seat=seat,
            can_manage=can_manage,
            session_planned=planned,
            bound=bound,
            roster=roster,
        )
        for item in selectors.session_items(session)
    ]
    agenda_form = open_form = attendance_form = None
    if can_manage and session.status == SessionStatus.PLANNED and session.held_on <= timezone.now():
        open_form = bound.get(("open", 0)) or _open_form(access, auto_id="open-%s")
    if can_manage and session.status == SessionStatus.OPEN:
        attendance_form = bound.get(("attendance", 0)) or forms_committee.AttendanceForm(
            members=_roster_members(access, session),
            initial={"present": [member.pk for member in roster.present]},
            auto_id="attendance-%s",
        )
    if can_manage and planned:
        agenda_form = bound.get(("agenda", 0)) or forms_committee.AgendaAddForm(
            reviews=list(selectors.reviews_awaiting_committee(access)), auto_id="agenda-%s"
        )
    context = {
        "session": session,
        "items": items,
        "seat": seat,
        "can_manage": can_manage,
        "planned": planned,
        "is_open": session.status == SessionStatus.OPEN,
        "in_future": session.held_on > timezone.now(),
        "roster": roster,
        "quorum_required": selectors.quorum_required(len(roster.attendance), roster.percent)
        if roster.attendance
        else None,
        "open_form": open_form,
        "attendance_form": attendance_form,
        "agenda_form": agenda_form,
        "has_errors": any(form.errors for form in bound.values()),
    }
    return render(request, "registry/committee/session_detail.html", context, status=status)


def _roster_members(access, session):
    """The members an attendance lists: those in office, and those already on the session's roster."""
    return (
        CommitteeMember.objects.filter(collectivite_id=access.collectivite_id)
        .filter(Q(active=True) | Q(attendance__session=session))
        .select_related("user")
        .distinct()
        .order_by("-is_chair", "user__last_name", "user__first_name")
    )


def _open_form(access, data=None, **kwargs):
    members = selectors.committee_members(access).order_by("-is_chair", "user__last_name", "user__first_name")
    return forms_committee.SessionOpenForm(data, members=members, people=_people_of(access), **kwargs)


def _people_of(access):
    return (
        User.objects.filter(memberships__collectivite_id=access.collectivite_id, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _back_to(session, item=None):
    anchor = f"#item-{item.pk}" if item is not None else "#main"
    return redirect(reverse("registry:committee_session", args=[session.pk]) + anchor)


@require_GET
@committee_required
def session_detail(request, access, collectivite, pk):
    return _render_session(request, access, _session_of(request, access, pk))


@require_POST
@committee_required
def agenda_add(request, access, collectivite, pk):
    session = _session_of(request, access, pk)
    _require_manager(request, access)
    form = forms_committee.AgendaAddForm(
        request.POST, reviews=list(selectors.reviews_awaiting_committee(access)), auto_id="agenda-%s"
    )
    if form.is_valid():
        review = form.cleaned_data["review"]
        try:
            item = services.agenda_add(session=session, review=review, acting_user=request.user)
        except ForbiddenError as error:
            raise PermissionDenied(str(error.message)) from error
        except ApplicationError as error:
            # The session was closed or the case scheduled meanwhile: the page shows them as they are now.
            messages.error(request, str(error.message))
            return _back_to(session)
        else:
            messages.success(
                request,
                _("%(reference)s is on the agenda: the committee's members may now read it.")
                % {"reference": review.use_case.reference},
            )
            return _back_to(session, item)
    return _render_session(request, access, session, bound={("agenda", 0): form}, status=400)


@require_POST
@committee_required
def agenda_remove(request, access, collectivite, pk):
    item = _item_of(request, access, pk)
    _require_manager(request, access)
    reference = item.review.use_case.reference
    try:
        services.agenda_remove(item=item, acting_user=request.user)
    except ForbiddenError as error:
        raise PermissionDenied(str(error.message)) from error
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return _back_to(item.session, item)
    messages.success(request, _("%(reference)s was taken off the agenda.") % {"reference": reference})
    return _back_to(item.session)


@require_POST
@committee_required
def session_close(request, access, collectivite, pk):
    session = _session_of(request, access, pk)
    _require_manager(request, access)
    try:
        services.session_close(session=session, acting_user=request.user)
    except ForbiddenError as error:
        raise PermissionDenied(str(error.message)) from error
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("The session is closed. The cases it gave no opinion on are postponed to a later session."),
        )
    return _back_to(session)


def _session_action(request, access, session, *, kind, form, run, success):
    """Validate the form, call the service on the session; its field errors come back next to the form's fields,
    a refusal without fields (the session moved on meanwhile) as a message on the page as it is now."""
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except ForbiddenError as error:
            raise PermissionDenied(str(error.message)) from error
        except ApplicationError as error:
            if not error.errors:
                messages.error(request, str(error.message))
                return _back_to(session)
            form.add_service_error(error)
        else:
            messages.success(request, success)
            return _back_to(session)
    return _render_session(request, access, session, bound={(kind, 0): form}, status=400)


@require_POST
@committee_required
def session_open(request, access, collectivite, pk):
    session = _session_of(request, access, pk)
    _require_manager(request, access)
    return _session_action(
        request,
        access,
        session,
        kind="open",
        form=_open_form(access, request.POST, auto_id="open-%s"),
        run=lambda data: services.session_open(
            session=session, acting_user=request.user, present=list(data["present"]), secretary=data["secretary"]
        ),
        success=_("The session is open: the members present may give their opinions."),
    )


@require_POST
@committee_required
def attendance_record(request, access, collectivite, pk):
    session = _session_of(request, access, pk)
    _require_manager(request, access)
    return _session_action(
        request,
        access,
        session,
        kind="attendance",
        form=forms_committee.AttendanceForm(
            request.POST, members=_roster_members(access, session), auto_id="attendance-%s"
        ),
        run=lambda data: services.attendance_record(
            session=session, acting_user=request.user, present=list(data["present"])
        ),
        success=_("The attendance is recorded."),
    )


# Members' opinions and the committee's opinion ---------------------------------------------------------------


def _item_action(request, access, pk, *, kind, form_class, allowed, run, success):
    """Validate the form, call the service; its field errors come back next to the fields of this item."""
    item = _item_of(request, access, pk)
    if not allowed(item):
        raise PermissionDenied(_("You may not take this action on this case."))
    form = form_class(request.POST, auto_id=_auto_id(kind, item.pk))
    if form.is_valid():
        try:
            run(item, form.cleaned_data)
        except ForbiddenError as error:
            raise PermissionDenied(str(error.message)) from error
        except ApplicationError as error:
            if error.errors:
                form.add_service_error(error)
            else:
                # A double click, a colleague acted first, the session was closed: show the page as it is now.
                messages.error(request, str(error.message))
                return _back_to(item.session, item)
        else:
            messages.success(request, success % {"reference": item.review.use_case.reference})
            return _back_to(item.session, item)
    return _render_session(request, access, item.session, bound={(kind, item.pk): form}, status=400)


@require_POST
@committee_required
def vote(request, access, collectivite, pk):
    return _item_action(
        request,
        access,
        pk,
        kind="vote",
        form_class=forms_committee.VoteForm,
        allowed=lambda item: permissions.committee_seat(request.user, access.collectivite_id) is not None,
        run=lambda item, data: services.vote_cast(
            item=item, acting_user=request.user, choice=data["choice"], comment=data["comment"]
        ),
        success=_("Your opinion on %(reference)s is recorded."),
    )


@require_POST
@committee_required
def conflict_declare(request, access, collectivite, pk):
    return _item_action(
        request,
        access,
        pk,
        kind="conflict",
        form_class=forms_committee.ConflictForm,
        allowed=lambda item: permissions.committee_seat(request.user, access.collectivite_id) is not None,
        run=lambda item, data: services.conflict_declare(item=item, acting_user=request.user, comment=data["comment"]),
        success=_("Your conflict of interest on %(reference)s is recorded: you take no part in its opinion."),
    )


@require_POST
@committee_required
def committee_opinion(request, access, collectivite, pk):
    return _item_action(
        request,
        access,
        pk,
        kind="opinion",
        form_class=forms_committee.CommitteeOpinionForm,
        # Whoever presides over the case, or the chair (the service tells them who presides in their place).
        allowed=lambda item: permissions.may_try_committee_opinion(request.user, access, item),
        run=lambda item, data: services.committee_opinion_record(
            item=item,
            acting_user=request.user,
            opinion=data["opinion"],
            comment=data["comment"],
            conditions=data["conditions"],
        ),
        success=_("The committee's opinion on %(reference)s is recorded; the decision follows from it."),
    )
