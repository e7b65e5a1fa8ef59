"""The agent's side of shadow-AI declarations: declare, read the guidance, follow the answers.

Thin views: the form checks what was typed, `declaration_services.declaration_submit` records it, `selectors` read,
`permissions` decide. An agent never reads another agent's declaration (404), a head of service neither.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.access import get_access
from core.errors import ApplicationError, ConflictError
from core.middleware import current_collectivite
from core.views import member_required
from declarations import selectors as declaration_selectors
from declarations import services as declaration_services
from declarations.forms import LEVEL_EXPLANATIONS, STEPS, TIME_SAVED_CHOICES, DeclarationForm
from declarations.models import Declaration, DeclarationEvent
from declarations.permissions import can_declare, can_triage, can_view_declaration
from declarations.services import RateLimitError
from registry.choices import DeclarationOutput, DeclaredData
from registry.permissions import can_view_use_case

# Events whose message is the DPO's own working note, not an answer to the agent.
INTERNAL_MESSAGE_EVENTS = frozenset({DeclarationEvent.Kind.BREACH_ASSESSED})


def _put_errors_on_form(form: DeclarationForm, error: ApplicationError) -> None:
    """The service's errors next to their fields; what has no visible field goes to the top of the form."""
    visible = {name for name, field in form.fields.items() if not field.widget.is_hidden}
    for name, messages_ in (error.errors or {}).items():
        for message in messages_ if isinstance(messages_, list | tuple) else [messages_]:
            form.add_error(name if name in visible else None, str(message))
    if not error.errors:
        form.add_error(None, str(error.message))


def _render_form(request, form, *, rate_limited: str = "", status: int = 200):
    context = {
        "form": form,
        "steps": form.steps,
        "step_count": len(STEPS),
        "tool_categories": form.tool_categories(),
        "rate_limited": rate_limited,
    }
    return render(request, "registry/declarations/form.html", context, status=status)


def _result_redirect(declaration: Declaration):
    if declaration.anonymous:
        return redirect("registry:declaration_follow_up", code=declaration.follow_up_code)
    return redirect("registry:declaration_detail", pk=declaration.pk)


@member_required
def declaration_create(request, access):
    if not can_declare(access):
        return render(request, "registry/no_role.html", status=403)
    collectivite = current_collectivite(request)
    if request.method != "POST":
        return _render_form(request, DeclarationForm(collectivite=collectivite))

    form = DeclarationForm(request.POST, collectivite=collectivite)
    if form.is_valid():
        try:
            declaration, created = declaration_services.declaration_submit(
                collectivite=collectivite,
                acting_user=request.user,
                data=form.service_data(),
                anonymous=form.anonymous,
                submission_key=form.cleaned_data["submission_key"],
                session_key=request.session.session_key,
            )
        except RateLimitError as error:
            return _render_form(request, form, rate_limited=str(error.message), status=429)
        except ConflictError as error:
            # The key was first sent by someone else: nothing of their declaration is shown, nor its follow-up page;
            # the same answers, under a new key, can be sent.
            data = request.POST.copy()
            data["submission_key"] = str(uuid.uuid4())
            form = DeclarationForm(data, collectivite=collectivite)
            form.is_valid()
            form.add_error(None, str(error.message))
            return _render_form(request, form, status=409)
        except ApplicationError as error:
            _put_errors_on_form(form, error)
        else:
            if created:
                messages.success(
                    request,
                    _("Thank you: your declaration %(reference)s was sent to the DPO.")
                    % {"reference": declaration.reference},
                )
            else:
                messages.info(
                    request,
                    _("This declaration had already been sent (%(reference)s): it was not sent twice.")
                    % {"reference": declaration.reference},
                )
            return _result_redirect(declaration)
    return _render_form(request, form)


@require_GET
@member_required
def my_declarations(request, access):
    return render(
        request,
        "registry/declarations/my_list.html",
        {"declarations": declaration_selectors.my_declarations(request.user, access)},
    )


def _result_context(request, declaration: Declaration, *, follow_up: bool) -> dict:
    guidance = declaration_selectors.declaration_guidance(declaration)
    labels = dict(DeclaredData.choices)
    access = get_access(request.user, declaration.collectivite)
    use_case = declaration.use_case
    events = [
        {
            "kind": event.get_kind_display(),
            "code": event.kind,
            "date": event.created_at,
            # The author of a declaration is never shown (anonymous or not); the DPO's name is.
            "actor": "" if event.kind == DeclarationEvent.Kind.SUBMITTED else (event.actor or ""),
            "message": "" if event.kind in INTERNAL_MESSAGE_EVENTS else event.message,
            "status": event.get_to_status_display() if event.to_status != event.from_status else "",
        }
        for event in declaration.events.select_related("actor").order_by("created_at", "id")
    ]
    return {
        "declaration": declaration,
        "guidance": guidance,
        "follow_up": follow_up,
        "forbidden_labels": [
            str(labels.get(code, code)) for code in DeclaredData.values if code in guidance.forbidden_data
        ],
        "data_labels": [
            str(labels.get(code, code)) for code in DeclaredData.values if code in declaration.data_entered
        ],
        "output_labels": [str(label) for code, label in DeclarationOutput.choices if code in declaration.output_use],
        "time_saved_label": dict(TIME_SAVED_CHOICES).get(declaration.time_saved_minutes, ""),
        "levels": [(code, LEVEL_EXPLANATIONS[code]) for code in ("C0", "C1", "C2")],
        "allowed_level_text": LEVEL_EXPLANATIONS.get(guidance.allowed_level or "", ""),
        "alternative_level_text": LEVEL_EXPLANATIONS.get(guidance.alternative_level or "", ""),
        "use_case_visible": use_case is not None and can_view_use_case(request.user, access, use_case),
        "events": events,
        "charter_url": declaration_selectors.charter_link(access, declaration.collectivite),
        "follow_up_url": request.build_absolute_uri(
            reverse("registry:declaration_follow_up", args=[declaration.follow_up_code])
        ),
    }


_RESULT_RELATED = ("tool", "alternative_tool", "use_case", "use_case__service", "collectivite")


@require_GET
@member_required
def declaration_detail(request, access, pk):
    declaration = get_object_or_404(
        declaration_selectors.declarations_visible_to(request.user, access).select_related(*_RESULT_RELATED), pk=pk
    )
    if can_triage(access):
        return redirect("registry:declaration_triage", pk=declaration.pk)
    if not can_view_declaration(request.user, access, declaration):
        raise Http404
    context = _result_context(request, declaration, follow_up=False)
    return render(request, "registry/declarations/result.html", context)


@require_GET
@login_required
def declaration_follow_up(request, code):
    """The private follow-up page of a declaration (the only one an anonymous author has): any member of the
    declaration's collectivité holding the link may read it; it shows nothing of the author."""
    declaration = declaration_selectors.declaration_by_follow_up_code(code)
    if declaration is None:
        raise Http404
    access = get_access(request.user, declaration.collectivite)
    if not access.is_member:
        raise Http404
    context = _result_context(request, declaration, follow_up=True)
    return render(request, "registry/declarations/result.html", context)
