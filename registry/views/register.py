"""Browse, read and act on the register: the list, a use case's page, submit/withdraw, the tool catalogue.

Thin views: what the user may see comes from `selectors`, what they may do from `permissions`, every
change goes through `services`. Out of scope answers 404, a forbidden action 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import ApplicationError, ConflictError
from core.middleware import SESSION_KEY
from core.validators import as_id
from core.views import member_required

from .. import permissions, selectors, services
from ..choices import ToolStatus
from ..filters import UseCaseFilter
from ..models import UseCase
from ..presenters import classification_context, qualification_context, use_case_sections
from ..signals import use_case_page_sections

PAGE_SIZE = 50


@require_GET
@member_required
def use_case_list(request, access):
    filterset = UseCaseFilter(
        request.GET or None, queryset=selectors.use_case_rows(request.user, access), access=access
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/use_case_list.html",
        {"filter": filterset, "page": page, "use_cases": page.object_list},
    )


@require_GET
@member_required
def use_case_detail(request, access, pk):
    from .reviews import review_context

    use_case = get_object_or_404(selectors.use_case_detail(request.user, access), pk=pk)
    user = request.user
    # The sections other apps own (audits: the checkpoints and the incidents), without the register importing them.
    app_sections = {}
    for _receiver, context in use_case_page_sections.send(sender=UseCase, user=user, access=access, use_case=use_case):
        app_sections.update(context or {})
    checkpoints = app_sections.get("checkpoints", [])
    production = _production_context(user, access, use_case, checkpoints)
    if production["production_blockers"] and any(
        PRODUCTION_REFUSED in message.extra_tags for message in messages.get_messages(request)
    ):
        # The refusal just listed them, one message each: the page does not list them a second time.
        production["production_blockers"] = []
        production["production_refused"] = True
    return render(
        request,
        "registry/use_case_detail.html",
        {
            "use_case": use_case,
            "sections": use_case_sections(use_case),
            **classification_context(use_case),
            "qualification": qualification_context(use_case.qualification_outcome(), use_case=use_case),
            "can_qualify": bool(permissions.qualifiable_inputs(access)),
            "can_confirm_qualification": use_case.qualification_to_confirm
            and permissions.can_confirm_qualification(access, use_case),
            "events": use_case.events.select_related("actor").order_by("-created_at", "-id"),
            "history": selectors.use_case_history(use_case),
            "can_change": permissions.can_change_use_case(user, access, use_case),
            "can_submit": permissions.can_submit_use_case(user, access, use_case),
            "can_withdraw": permissions.can_withdraw_use_case(user, access, use_case),
            "checkpoints": checkpoints,
            **app_sections,
            **production,
            **review_context(user, access, use_case, checkpoints),
        },
    )


# The tag of the messages of a refused "Put into production" (one per missing item).
PRODUCTION_REFUSED = "production-refused"


def _production_context(user, access, use_case, checkpoints: list) -> dict:
    """For whoever may put an approved use case into production, what still holds it back (`checkpoints`: the use
    case's, already loaded with their type by the page's sections)."""
    may_go_live = use_case.status in services.APPROVED_STATUSES and permissions.can_change_use_case(
        user, access, use_case
    )
    blockers = services.use_case_production_blockers(use_case, checkpoints=checkpoints) if may_go_live else []
    return {
        "can_put_into_production": may_go_live and not blockers,
        "production_blockers": blockers,
        "production_refused": False,
    }


def _transition_view(request, access, pk, *, allowed, service, success_message, conflict_message):
    use_case = get_object_or_404(selectors.use_case_detail(request.user, access), pk=pk)
    if not allowed(request.user, access, use_case):
        if not permissions.can_change_use_case(request.user, access, use_case):
            raise PermissionDenied(_("You may not take this action on this use case."))
        # The person may act on this use case, only not in its current status (a double click, a stale page).
        messages.error(request, _("This action is not possible in the use case's current status."))
        return redirect("registry:use_case_detail", pk=use_case.pk)
    try:
        use_case = service(
            use_case=use_case,
            acting_user=request.user,
            comment=request.POST.get("comment", "").strip(),
            expected_version=request.POST.get("version") or None,
        )
    except ConflictError:
        messages.error(request, conflict_message)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, success_message % {"reference": use_case.reference})
    return redirect("registry:use_case_detail", pk=use_case.pk)


@require_POST
@member_required
def use_case_submit(request, access, pk):
    return _transition_view(
        request,
        access,
        pk,
        allowed=permissions.can_submit_use_case,
        service=services.use_case_submit,
        success_message=_("Use case %(reference)s submitted for review to the DPO and the RSSI."),
        conflict_message=_(
            "This use case changed since you opened the page, so it was not submitted. Read the new version, "
            "then submit it again."
        ),
    )


@require_POST
@member_required
def use_case_withdraw(request, access, pk):
    return _transition_view(
        request,
        access,
        pk,
        allowed=permissions.can_withdraw_use_case,
        service=services.use_case_withdraw,
        success_message=_("Use case %(reference)s withdrawn: it is a draft again."),
        conflict_message=_(
            "This use case changed since you opened the page, so it was not withdrawn. Read the new version, "
            "then withdraw it again."
        ),
    )


@require_POST
@login_required
def collectivite_switch(request):
    wanted = as_id(request.POST.get("collectivite"))
    collectivite = (
        selectors.collectivites_for_user(request.user).filter(pk=wanted).first() if wanted is not None else None
    )
    if collectivite is None:
        raise PermissionDenied(_("You hold no role in this collectivité."))
    request.session[SESSION_KEY] = collectivite.pk
    messages.success(request, _("You are now working in %(name)s.") % {"name": collectivite.name})
    # The page the user came from belongs to the previous collectivité: start again from the register, or from the
    # page asked for (the consolidated overview asks for the dashboard) when it is one of ours.
    wanted_next = request.POST.get("next", "")
    if wanted_next and url_has_allowed_host_and_scheme(
        wanted_next, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(wanted_next)
    return redirect("registry:use_case_list")


_TOOL_STATUS_ORDER = Case(
    *(When(status=code, then=Value(rank)) for rank, code in enumerate(ToolStatus.values)),
    output_field=IntegerField(),
)


@require_GET
@member_required
def tool_list(request, access):
    tools = selectors.tools_of(access).order_by(_TOOL_STATUS_ORDER, "name")
    return render(request, "registry/tool_list.html", {"tools": tools})
