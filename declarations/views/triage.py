"""The DPO / RSSI side of shadow-AI declarations: the triage queue, the view by tool, one declaration's triage
page with its actions, and the regularisation of declarations into a use case of the register.

Thin views: `selectors` say what the user sees, `permissions.can_triage` who may triage (403 otherwise), and
every change goes through `services.declaration_*`. A declaration out of scope answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from core.access import get_access
from core.errors import ApplicationError, TransitionError
from core.middleware import current_collectivite
from core.validators import as_id
from declarations import forms_triage
from declarations import selectors as declaration_selectors
from declarations import services as declaration_services
from declarations.filters import DeclarationFilter, breach_overdue, breach_to_assess
from declarations.permissions import can_triage
from declarations.services import OPEN_STATUSES
from registry import selectors
from registry.choices import DeclarationOutput, DeclarationStatus, DeclaredData

PAGE_SIZE = 50


def triage_required(view):
    """Log in first; only the DPO, the RSSI and administrators triage declarations (403 for anyone else)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        access = get_access(request.user, current_collectivite(request))
        if not access.is_member:
            return render(request, "registry/no_role.html", status=403)
        if not can_triage(access):
            raise PermissionDenied(_("Only the DPO, the RSSI and the administrators triage the declarations."))
        return view(request, access, *args, **kwargs)

    return wrapper


# The queue ---------------------------------------------------------------------------------------


def _counters(user, access) -> dict:
    """What needs attention first, over every declaration of the collectivité (one query, on the columns of the
    `declaration_counts` index: a count of `status`, never null, rather than of the id)."""
    return (
        declaration_selectors.declarations_visible_to(user, access)
        .order_by()
        .aggregate(
            received=Count("status", filter=Q(status=DeclarationStatus.RECEIVED)),
            to_assess=Count("status", filter=breach_to_assess()),
            overdue=Count("status", filter=breach_overdue()),
        )
    )


@require_GET
@triage_required
def declaration_queue(request, access):
    filterset = DeclarationFilter(
        request.GET or None, queryset=declaration_selectors.declaration_queue(request.user, access), access=access
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/triage/queue.html",
        {
            "filter": filterset,
            "page": page,
            "declarations": page.object_list,
            "counters": _counters(request.user, access),
            "now": timezone.now(),
        },
    )


@require_GET
@triage_required
def declaration_tools(request, access):
    return render(
        request,
        "registry/triage/tools.html",
        {"groups": declaration_selectors.declarations_by_tool(request.user, access)},
    )


# One declaration ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    title: str
    form: type[forms_triage.TriageForm]
    run: Callable
    success: str
    button: str


ACTIONS = {
    "start": Action(
        gettext_lazy("Start the analysis"),
        forms_triage.StartAnalysisForm,
        lambda d, user, data: declaration_services.declaration_start_analysis(declaration=d, acting_user=user),
        gettext_lazy("Analysis of %(reference)s started."),
        gettext_lazy("Start the analysis"),
    ),
    "regularise": Action(
        gettext_lazy("Attach to a use case of the register"),
        forms_triage.RegulariseForm,
        lambda d, user, data: declaration_services.declaration_regularise(
            declarations=[d], acting_user=user, use_case=data["use_case"], message=data["message"]
        ),
        gettext_lazy("%(reference)s is regularised. The agent will read your message."),
        gettext_lazy("Attach and answer the agent"),
    ),
    "alternative": Action(
        gettext_lazy("Offer an alternative"),
        forms_triage.AlternativeForm,
        lambda d, user, data: declaration_services.declaration_offer_alternative(
            declaration=d, acting_user=user, alternative_tool=data["alternative_tool"], message=data["message"]
        ),
        gettext_lazy("An alternative was offered for %(reference)s. The agent will read your message."),
        gettext_lazy("Offer this tool"),
    ),
    "stop": Action(
        gettext_lazy("Ask to stop"),
        forms_triage.StopForm,
        lambda d, user, data: declaration_services.declaration_ask_to_stop(
            declaration=d, acting_user=user, message=data["message"]
        ),
        gettext_lazy("The agent was asked to stop the use declared in %(reference)s."),
        gettext_lazy("Ask the agent to stop"),
    ),
    "close": Action(
        gettext_lazy("Close"),
        forms_triage.CloseForm,
        lambda d, user, data: declaration_services.declaration_close(
            declaration=d, acting_user=user, message=data["message"]
        ),
        gettext_lazy("%(reference)s is closed. The agent will read your message."),
        gettext_lazy("Close the declaration"),
    ),
    "breach": Action(
        gettext_lazy("Record the breach assessment"),
        forms_triage.BreachForm,
        lambda d, user, data: declaration_services.declaration_assess_breach(
            declaration=d, acting_user=user, outcome=data["outcome"], notes=data["notes"]
        ),
        gettext_lazy("The outcome of the breach assessment of %(reference)s is recorded."),
        gettext_lazy("Record the outcome"),
    ),
}


def available_actions(declaration) -> list[str]:
    """The actions the page offers in the declaration's status (the services check it again)."""
    status = declaration.status
    names = []
    if status == DeclarationStatus.RECEIVED:
        names.append("start")
    if status in OPEN_STATUSES:
        names += ["regularise", "alternative", "stop"]
    if status != DeclarationStatus.CLOSED:
        names.append("close")
    if declaration.possible_breach:
        names.append("breach")
    return names


def _form_kwargs(name: str, user, access) -> dict:
    if name == "regularise":
        return {"use_cases": selectors.use_cases_visible_to(user, access)}
    if name == "alternative":
        return {"tools": selectors.tools_of(access)}
    return {}


def _auto_id(name: str) -> str:
    """Several forms share the page: their fields' ids say which form they belong to."""
    return f"{name}-%s"


def _initial(name: str, declaration) -> dict:
    if name == "alternative":
        found = declaration_selectors.declaration_alternative(declaration)
        return {"alternative_tool": found.pk} if found else {}
    return {}


def _labels(codes, choices) -> list[str]:
    mapping = dict(choices)
    return [str(mapping.get(code, code)) for code in codes]


def _answers(declaration) -> list[dict]:
    """What the agent answered, in the words of the form's choices."""
    field = declaration._meta.get_field

    def row(name, value, multiline=False):
        return {"name": name, "label": field(name).verbose_name, "value": value, "multiline": multiline}

    return [
        row("category", declaration.get_category_display()),
        row("tasks", declaration.tasks, multiline=True),
        row("frequency", declaration.get_frequency_display()),
        row("used_since", declaration.used_since),
        row("device", declaration.get_device_display()),
        row("account", declaration.get_account_display()),
        row("data_entered", _labels(declaration.data_entered, DeclaredData.choices)),
        row("output_use", _labels(declaration.output_use, DeclarationOutput.choices)),
        row("human_review", declaration.get_human_review_display()),
        row("time_saved_minutes", declaration.time_saved_minutes),
        row("need", declaration.need, multiline=True),
    ]


def _guidance_context(declaration) -> dict:
    advice = declaration_selectors.declaration_guidance(declaration)
    return {
        "advice": advice,
        "forbidden_labels": _labels(advice.forbidden_data, DeclaredData.choices),
    }


def _back_to(declaration):
    """The declaration's page, scrolled to the top of the content where the message of the action shows."""
    return redirect(reverse("registry:declaration_triage", args=[declaration.pk]) + "#main")


def _declaration_of(request, access, pk):
    queryset = declaration_selectors.declaration_queue(request.user, access).select_related(
        "author", "breach_assessed_by", "use_case"
    )
    return get_object_or_404(queryset, pk=pk)


def _render_triage(request, access, declaration, *, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    actions = []
    for name in available_actions(declaration):
        spec = ACTIONS[name]
        form = bound.get(name) or spec.form(
            initial=_initial(name, declaration), auto_id=_auto_id(name), **_form_kwargs(name, request.user, access)
        )
        actions.append({"name": name, "spec": spec, "form": form, "open": name in bound})
    now = timezone.now()
    context = {
        "declaration": declaration,
        "answers": _answers(declaration),
        "factors": declaration.factors,
        **_guidance_context(declaration),
        "events": declaration.events.select_related("actor"),
        "actions": {action["name"]: action for action in actions},
        "answer_actions": [a for a in actions if a["name"] not in ("start", "breach")],
        "breach_overdue": bool(
            declaration.possible_breach
            and not declaration.breach_outcome
            and declaration.breach_deadline
            and declaration.breach_deadline < now
        ),
        "now": now,
        "has_errors": any(form.errors for form in bound.values()),
    }
    return render(request, "registry/triage/detail.html", context, status=status)


@require_GET
@triage_required
def declaration_triage(request, access, pk):
    return _render_triage(request, access, _declaration_of(request, access, pk))


@require_POST
@triage_required
def declaration_action(request, access, pk, action):
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    declaration = _declaration_of(request, access, pk)
    form = spec.form(request.POST, auto_id=_auto_id(action), **_form_kwargs(action, request.user, access))
    if form.is_valid():
        try:
            spec.run(declaration, request.user, form.cleaned_data)
        except TransitionError as error:
            # A double click, or a colleague acted first: the page shows the declaration as it is now.
            messages.error(request, str(error.message))
            return _back_to(declaration)
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, str(spec.success) % {"reference": declaration.reference})
            return _back_to(declaration)
    return _render_triage(request, access, declaration, bound={action: form}, status=400)


# Regularisation of several declarations ------------------------------------------------------------


def parse_ids(values) -> list[int]:
    """Ids sent as repeated fields or as one comma-separated value; anything else is ignored."""
    ids = []
    for value in values:
        for part in str(value).split(","):
            number = as_id(part)
            if number is not None and number not in ids:
                ids.append(number)
    return ids


@require_POST
@triage_required
def declaration_regularise(request, access):
    """Regularise the chosen declarations: into a new use case (the creation form, pre-filled from them) or
    by attaching them to an existing one. `tool` chooses every open declaration of a tool at once."""
    visible = declaration_selectors.declaration_queue(request.user, access)
    tool = as_id(request.POST.get("tool"))
    if tool is not None:
        chosen = visible.filter(tool_id=tool, status__in=OPEN_STATUSES)
    else:
        chosen = visible.filter(pk__in=parse_ids(request.POST.getlist("declarations")))
    chosen = list(chosen)
    declarations = [d for d in chosen if d.status in OPEN_STATUSES]
    if not declarations:
        messages.error(request, _("Choose at least one declaration still open to regularise it."))
        return redirect("registry:declaration_queue")
    if len(declarations) < len(chosen):
        messages.warning(
            request,
            _("Declarations already regularised or closed were left out: %(references)s.")
            % {"references": ", ".join(d.reference for d in chosen if d not in declarations)},
        )
    ids = ",".join(str(d.pk) for d in declarations)
    if request.POST.get("intent") != "attach":
        return redirect(f"{reverse('registry:use_case_create')}?{urlencode({'declarations': ids})}")

    use_cases = selectors.use_cases_visible_to(request.user, access)
    form = forms_triage.RegulariseForm(request.POST if "use_case" in request.POST else None, use_cases=use_cases)
    if form.is_bound and form.is_valid():
        try:
            declaration_services.declaration_regularise(
                declarations=declarations,
                acting_user=request.user,
                use_case=form.cleaned_data["use_case"],
                message=form.cleaned_data["message"],
            )
        except TransitionError as error:
            messages.error(request, str(error.message))
            return redirect("registry:declaration_queue")
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            use_case = form.cleaned_data["use_case"]
            messages.success(
                request,
                ngettext(
                    "%(count)s declaration attached to %(reference)s. The agent will read your message.",
                    "%(count)s declarations attached to %(reference)s. The agents will read your message.",
                    len(declarations),
                )
                % {"count": len(declarations), "reference": use_case.reference},
            )
            if len(declarations) == 1:
                return _back_to(declarations[0])
            return redirect("registry:declaration_queue")
    return render(
        request,
        "registry/triage/regularise.html",
        {"declarations": declarations, "ids": ids, "form": form},
        status=400 if form.is_bound else 200,
    )
