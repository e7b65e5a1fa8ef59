"""Reviews on the use case's side: the review section of a use case's page, the DPO's and the RSSI's opinion
form, the actions on a use case's lifecycle (return for changes, retire, rework, resume) and the review queue
("Mes tâches" is reporting's: `reporting.views.my_tasks`).

Thin views: reads from `selectors`, rights from `permissions`, every change through `services`. A use case out
of sight answers 404, an action the person may not take 403; an action the person may take, only not in the
current state (a double click, a colleague acted first), sends them back to the page with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import ApplicationError, ConflictError, ForbiddenError, TransitionError
from core.roles import Role
from core.views import member_required
from registry.choices import OPEN_REVIEW_STATUSES, ReviewDecision, ReviewerRole, ReviewStatus

from .. import permissions, presenters, rules, selectors, services
from ..filters_reviews import ReviewFilter
from ..forms_reviews import ActionCommentForm, OpinionForm, opinion_initial
from ..models import UseCase

PAGE_SIZE = 50
ROLE_LABELS = dict(ReviewerRole.choices)


def _use_case_page(use_case, anchor: str = "review"):
    return redirect(reverse("registry:use_case_detail", args=[use_case.pk]) + f"#{anchor}")


def _use_case_of(request, access, pk) -> UseCase:
    return get_object_or_404(selectors.use_case_detail(request.user, access), pk=pk)


def _open_review(use_case):
    return use_case.reviews.filter(status__in=OPEN_REVIEW_STATUSES).prefetch_related("opinions").first()


# The review section of a use case's page --------------------------------------------------------------


def _opinion_rows(review) -> list[dict]:
    given = {opinion.role: opinion for opinion in review.opinions.all()}
    return [{"role": role, "label": ROLE_LABELS[role], "opinion": given.get(role)} for role in ReviewerRole.values]


def _round(review, checkpoint_by_condition: dict) -> dict:
    """One round as the page shows it, from what `selectors.use_case_reviews` prefetched (no query)."""
    return {
        "review": review,
        "opinions": _opinion_rows(review),
        "conditions": [
            {"condition": condition, "checkpoint": checkpoint_by_condition.get(condition.pk)}
            for condition in review.conditions.all()
        ],
        "items": [{"item": item, "votes": list(item.votes.all())} for item in review.agenda_items.all()],
    }


def _stale_approval(reviews):
    """The last decided round, when it approved the use and a material change made that approval out of date."""
    decided = next((r for r in reviews if r.status == ReviewStatus.DECIDED), None)
    if decided and decided.decision != ReviewDecision.REJECTED and decided.stale_at:
        return decided
    return None


def review_context(user, access, use_case, checkpoints) -> dict:
    """The context of `reviews/_use_case_review.html` (a fixed number of queries, whatever the rounds)."""
    reviews = selectors.use_case_reviews(use_case)
    checkpoint_by_condition = {c.condition_id: c for c in checkpoints if c.condition_id}
    rounds = [_round(review, checkpoint_by_condition) for review in reviews]
    current = reviews[0] if reviews else None
    given = {opinion.role for opinion in current.opinions.all()} if current else set()
    opinion_roles = [
        {"role": role, "label": ROLE_LABELS[role]}
        for role in permissions.reviewer_roles(access)
        if current is not None and role not in given and permissions.can_give_opinion(access, current, role)
    ]
    open_review = current is not None and current.is_open
    stale = _stale_approval(reviews)
    actions = {
        "return": current is not None and permissions.can_return_for_changes(access, current),
        "retire": permissions.can_retire_use_case(user, access, use_case),
        "rework": permissions.can_rework_use_case(user, access, use_case),
        "resume": permissions.can_resume_use_case(access, use_case) and not open_review,
    }
    return {
        "current_round": rounds[0] if rounds else None,
        "previous_rounds": rounds[1:],
        "review_changes": selectors.review_changes(current, use_case) if current is not None else [],
        "stale_approval": stale,
        "stale_changes": selectors.review_changes(stale, use_case) if stale is not None else [],
        # Only asked where a round went to a session (it may cost the committee seat's query).
        "can_view_committee": any(r["items"] for r in rounds) and permissions.can_view_committee(user, access),
        "opinion_roles": opinion_roles,
        "review_actions": [
            {"name": name, "spec": ACTIONS[name], "form": _action_form(name)}
            for name, allowed in actions.items()
            if allowed
        ],
    }


# The opinion form -------------------------------------------------------------------------------------


def snapshot_sections(review) -> list[dict]:
    """What was submitted, in the same groups as the use case's page."""
    fields = review.snapshot.get("fields", {})
    sections = []
    for code, title, names in presenters.SECTIONS:
        rows = []
        for name in names:
            if name not in fields:
                continue
            model_field = UseCase._meta.get_field(name)
            rows.append(
                {
                    "name": name,
                    "label": str(model_field.verbose_name),
                    "value": selectors.snapshot_display(name, fields[name]),
                    "multiline": model_field.get_internal_type() == "TextField",
                }
            )
        if rows:
            sections.append({"code": code, "title": str(title), "rows": rows})
    return sections


def snapshot_classification(review) -> presenters.ClassificationView:
    """The classification as it was when the round opened (the partial `_classification.html` reads it)."""
    snapshot = review.snapshot
    return presenters.ClassificationView(
        **snapshot.get("classification", {}),
        reasons=rules.reasons_from_stored(snapshot.get("reasons", [])),
        checkpoints=presenters.checkpoint_items(snapshot.get("required_checkpoints", [])),
    )


def _not_waiting(request, use_case, role, review) -> bool:
    """Tell the person when the round no longer waits for this opinion (closed, or already given)."""
    if review is None or review.status != ReviewStatus.OPINIONS:
        messages.error(request, _("This use case is not waiting for an opinion."))
        return True
    if any(opinion.role == role for opinion in review.opinions.all()):
        messages.error(
            request, _("The %(role)s opinion on this review was already given.") % {"role": ROLE_LABELS[role]}
        )
        return True
    return False


@require_http_methods(["GET", "POST"])
@member_required
def opinion_give(request, access, pk, role):
    if role not in ReviewerRole.values:
        raise Http404
    use_case = _use_case_of(request, access, pk)
    if role not in permissions.reviewer_roles(access):
        raise PermissionDenied(
            _("Only the DPO gives the data-protection opinion, and only the RSSI the security opinion.")
        )
    review = _open_review(use_case)
    if _not_waiting(request, use_case, role, review):
        return _use_case_page(use_case)
    status = 200
    if request.method == "POST":
        form = OpinionForm(request.POST, role=role)
        status = 400
        if form.is_valid():
            try:
                services.opinion_give(review=review, acting_user=request.user, role=role, data=form.service_data())
            except ForbiddenError as error:
                raise PermissionDenied(str(error.message)) from error
            except (TransitionError, ConflictError) as error:
                # A colleague acted first, or a double click: the page shows the round as it is now.
                messages.error(request, str(error.message))
                return _use_case_page(use_case)
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    _("Your %(role)s opinion on %(reference)s is recorded.")
                    % {"role": ROLE_LABELS[role], "reference": use_case.reference},
                )
                return _use_case_page(use_case)
    else:
        form = OpinionForm(initial=opinion_initial(review, role), role=role)
    other = next((o for o in review.opinions.all() if o.role != role), None)
    return render(
        request,
        "registry/reviews/opinion_form.html",
        {
            "use_case": use_case,
            "review": review,
            "role": role,
            "role_label": ROLE_LABELS[role],
            "form": form,
            "other_role_label": ROLE_LABELS[ReviewerRole.RSSI if role == ReviewerRole.DPO else ReviewerRole.DPO],
            "other_opinion": other,
            "snapshot_sections": snapshot_sections(review),
            "classification": snapshot_classification(review),
            "dpia_required": review.snapshot.get("classification", {}).get("dpia_required"),
        },
        status=status,
    )


# Actions on the use case's lifecycle ------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    title: str
    button: str
    comment_label: str
    comment_help: str
    comment_required: bool
    success: str
    confirm: str
    # May the person take this action at all (their role), and now (the use case's state)?
    entitled: Callable
    allowed: Callable
    run: Callable


ACTIONS = {
    "return": Action(
        title=gettext_lazy("Return for changes"),
        button=gettext_lazy("Return to the owner as a draft"),
        comment_label=gettext_lazy("What should the owner complete or change?"),
        comment_help=gettext_lazy("The owner reads it with the use case; the review round is closed."),
        comment_required=True,
        success=gettext_lazy("%(reference)s is returned to its owner as a draft."),
        confirm=gettext_lazy("Return this use case to its owner as a draft?"),
        entitled=lambda user, access, use_case: bool(permissions.reviewer_roles(access)),
        allowed=lambda user, access, use_case, review: (
            review is not None and permissions.can_return_for_changes(access, review)
        ),
        run=lambda use_case, review, user, comment: services.review_return_for_changes(
            review=review, acting_user=user, comment=comment
        ),
    ),
    "retire": Action(
        title=gettext_lazy("Retire the use"),
        button=gettext_lazy("Retire this use for good"),
        comment_label=gettext_lazy("Why does the use stop?"),
        comment_help=gettext_lazy("The use case stays in the register, with its history; it can no longer be used."),
        comment_required=True,
        success=gettext_lazy("%(reference)s is retired."),
        confirm=gettext_lazy("Retire this use for good?"),
        entitled=permissions.may_manage_use_case,
        allowed=lambda user, access, use_case, review: permissions.can_retire_use_case(user, access, use_case),
        run=lambda use_case, review, user, comment: services.use_case_retire(
            use_case=use_case, acting_user=user, comment=comment
        ),
    ),
    "rework": Action(
        title=gettext_lazy("Rework the rejected use case"),
        button=gettext_lazy("Reopen as a draft"),
        comment_label=gettext_lazy("Comment"),
        comment_help=gettext_lazy("Optional: what you intend to change before submitting it again."),
        comment_required=False,
        success=gettext_lazy("%(reference)s is a draft again: change it, then submit it again."),
        confirm=gettext_lazy("Reopen this rejected use case as a draft?"),
        entitled=permissions.may_manage_use_case,
        allowed=lambda user, access, use_case, review: permissions.can_rework_use_case(user, access, use_case),
        run=lambda use_case, review, user, comment: services.use_case_rework(
            use_case=use_case, acting_user=user, comment=comment
        ),
    ),
    "resume": Action(
        title=gettext_lazy("Lift the suspension"),
        button=gettext_lazy("Put back into production"),
        comment_label=gettext_lazy("What was done about the cause of the suspension?"),
        comment_help=gettext_lazy("Recorded in the use case's trail of events."),
        comment_required=True,
        success=gettext_lazy("%(reference)s is back in production."),
        confirm=gettext_lazy("Put this use case back into production?"),
        entitled=lambda user, access, use_case: bool(access.roles & {Role.DPO, Role.RSSI}),
        allowed=lambda user, access, use_case, review: (
            permissions.can_resume_use_case(access, use_case) and review is None
        ),
        run=lambda use_case, review, user, comment: services.use_case_resume(
            use_case=use_case, acting_user=user, comment=comment
        ),
    ),
}


def _action_form(name: str, data=None) -> ActionCommentForm:
    spec = ACTIONS[name]
    return ActionCommentForm(
        data,
        label=spec.comment_label,
        help_text=spec.comment_help,
        required=spec.comment_required,
        # Several action forms share the use case's page: their ids say which one they belong to.
        auto_id=f"{name}-%s",
    )


@require_http_methods(["GET", "POST"])
@member_required
def use_case_action(request, access, pk, action):
    spec = ACTIONS[action]
    use_case = _use_case_of(request, access, pk)
    if not spec.entitled(request.user, access, use_case):
        raise PermissionDenied(_("You may not take this action on this use case."))
    review = _open_review(use_case)
    if not spec.allowed(request.user, access, use_case, review):
        messages.error(request, _("This action is not possible in the use case's current status."))
        return _use_case_page(use_case)
    status = 200
    form = _action_form(action, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                spec.run(use_case, review, request.user, form.cleaned_data["comment"])
            except ForbiddenError as error:
                raise PermissionDenied(str(error.message)) from error
            except (TransitionError, ConflictError) as error:
                messages.error(request, str(error.message))
                return _use_case_page(use_case)
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, str(spec.success) % {"reference": use_case.reference})
                return _use_case_page(use_case)
    return render(
        request,
        "registry/reviews/action_form.html",
        {"use_case": use_case, "action": action, "spec": spec, "form": form},
        status=status,
    )


# The review queue -------------------------------------------------------------------------------------


@require_GET
@member_required
def review_list(request, access):
    if not permissions.can_view_review_queue(request.user, access):
        raise PermissionDenied(_("Only the DPO, the RSSI, the DGS, the administrators and the committee see reviews."))
    filterset = ReviewFilter(
        request.GET or None,
        queryset=selectors.review_list(request.user, access),
        access=access,
        reviewer_roles=permissions.reviewer_roles(access),
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"review": review, "opinions": _opinion_rows(review)} for review in page.object_list]
    return render(request, "registry/reviews/review_list.html", {"filter": filterset, "page": page, "rows": rows})
