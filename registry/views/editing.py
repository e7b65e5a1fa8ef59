"""The guided creation and edit form of a use case, and the live classification preview it calls.

Thin views: the form validates and qualifies (the legal inputs its facts derive, DOMAIN.md 3b), `services` saves,
`rules` classifies, `presenters` shapes the classification and the qualification.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import get_access
from core.errors import ApplicationError, ConflictError
from core.middleware import current_collectivite
from core.validators import as_id

from .. import permissions, rules, selectors, services
from ..creation import CreationExtension, extension_for
from ..forms import STEPS, UseCaseForm
from ..presenters import classification_context, qualification_context

PREVIEW_ACTION = "preview"


def _access(request):
    collectivite = current_collectivite(request)
    return collectivite, get_access(request.user, collectivite)


def _classify(form: UseCaseForm, collectivite) -> rules.Classification:
    return rules.classify(form.facts(), collectivite.policy())


def _qualification(form: UseCaseForm) -> dict | None:
    """The legal answers the form's facts give, with why and what goes to the DPO (after `form.is_valid()`)."""
    if form.outcome is None:
        return None
    return qualification_context(form.outcome, use_case=form.instance)


def _put_errors_on_form(form: UseCaseForm, error: ApplicationError) -> None:
    """The service's errors next to their fields; what has no visible field goes to the top of the form."""
    visible = {name for name, field in form.fields.items() if not field.widget.is_hidden}
    for name, messages_ in error.errors.items():
        for message in messages_ if isinstance(messages_, list | tuple) else [messages_]:
            form.add_error(name if name in visible else None, str(message))
    if not error.errors:
        form.add_error(None, str(error.message))


def _preview(form: UseCaseForm) -> tuple[UseCaseForm, dict]:
    """The form shown after a preview without JavaScript: what was typed, without flagging errors the user did
    not ask to be checked for yet (the classification panel names the answers it could not use)."""
    gaps = form.preview_gaps()
    form._errors = ErrorDict()
    return form, gaps


def _render_form(
    request,
    form,
    *,
    collectivite,
    use_case=None,
    classification=None,
    preview_gaps=None,
    conflict=None,
    status=200,
    extension: CreationExtension | None = None,
    qualification=None,
):
    preview = classification_context(classification) if classification is not None else None
    context = {
        "qualification": qualification,
        "extension": extension,
        "form": form,
        "use_case": use_case,
        "steps": form.steps,
        "step_count": len(STEPS),
        "preview": preview,
        "preview_gaps": preview_gaps,
        "conflict": conflict,
        "tool_hosting": form.tool_hosting(),
        "current_collectivite": collectivite,
    }
    return render(request, "registry/use_case_form.html", context, status=status)


@login_required
def use_case_create(request):
    """The creation form of a use case; another app may join it (`registry.creation`: the shadow-AI declarations a
    new use case regularises)."""
    collectivite, access = _access(request)
    if collectivite is None or not permissions.can_create_use_case(access):
        raise PermissionDenied
    form_kwargs = {"collectivite": collectivite, "user": request.user}
    extension = extension_for(request, access)
    if request.method != "POST":
        form = UseCaseForm(initial=extension.initial() if extension else None, **form_kwargs)
        return _render_form(request, form, collectivite=collectivite, extension=extension)

    form = UseCaseForm(request.POST, **form_kwargs)
    valid = form.is_valid()
    if request.POST.get("action") == PREVIEW_ACTION:
        classification = _classify(form, collectivite)
        form, gaps = _preview(form)
        return _render_form(
            request,
            form,
            collectivite=collectivite,
            classification=classification,
            preview_gaps=gaps,
            extension=extension,
            qualification=_qualification(form),
        )
    if valid:
        try:
            # The use case and what the extension does with it (the declarations it regularises) stand or fall
            # together.
            with transaction.atomic():
                use_case = services.use_case_create(
                    collectivite=collectivite, acting_user=request.user, data=form.service_data()
                )
                if extension is not None:
                    extension.created(use_case, request.user)
        except ApplicationError as error:
            _put_errors_on_form(form, error)
        else:
            text = extension.success_message(use_case) if extension is not None else None
            if text is None:
                text = _(
                    "The use case %(reference)s was created as a draft. Submit it for review when it is complete."
                ) % {"reference": use_case.reference}
            messages.success(request, text)
            return redirect("registry:use_case_detail", pk=use_case.pk)
    return _render_form(
        request,
        form,
        collectivite=collectivite,
        classification=_classify(form, collectivite),
        status=200,
        extension=extension,
        qualification=_qualification(form),
    )


def _last_change(use_case) -> dict | None:
    """Who saved the use case last, and when (for the conflict message)."""
    record = use_case.history.select_related("history_user").order_by("-history_date", "-history_id").first()
    if record is None:
        return None
    return {"user": record.history_user, "date": record.history_date, "version": record.version}


@login_required
def use_case_edit(request, pk: int):
    collectivite, access = _access(request)
    use_case = get_object_or_404(selectors.use_case_detail(request.user, access), pk=pk)
    if not permissions.can_change_use_case(request.user, access, use_case):
        raise PermissionDenied
    form_kwargs = {"collectivite": collectivite, "user": request.user}
    if request.method != "POST":
        form = UseCaseForm(instance=use_case, **form_kwargs)
        return _render_form(
            request,
            form,
            collectivite=collectivite,
            use_case=use_case,
            classification=_stored(use_case),
            qualification=qualification_context(use_case.qualification_outcome(), use_case=use_case),
        )

    # The form works on a copy, so that the page keeps showing the saved use case's identity.
    form = UseCaseForm(request.POST, instance=selectors.use_case_detail(request.user, access).get(pk=pk), **form_kwargs)
    valid = form.is_valid()
    if request.POST.get("action") == PREVIEW_ACTION:
        classification = _classify(form, collectivite)
        form, gaps = _preview(form)
        return _render_form(
            request,
            form,
            collectivite=collectivite,
            use_case=use_case,
            classification=classification,
            preview_gaps=gaps,
            qualification=_qualification(form),
        )
    conflict = None
    if valid:
        try:
            saved = services.use_case_update(
                use_case=use_case,
                acting_user=request.user,
                data=form.service_data(),
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError as error:
            conflict = {"message": error.message, "last_change": _last_change(use_case)}
        except ApplicationError as error:
            _put_errors_on_form(form, error)
        else:
            if not selectors.use_case_detail(request.user, access).filter(pk=saved.pk).exists():
                # Handed over to someone else (a draft its new owner answers for): saved, and no longer theirs to see.
                messages.success(request, _out_of_sight_message(saved, handed_over=saved.owner_id != use_case.owner_id))
                return redirect("registry:use_case_list")
            if saved.version == use_case.version:
                messages.info(request, _("Nothing was changed."))
            else:
                messages.success(request, _("Your changes were saved."))
            return redirect("registry:use_case_detail", pk=saved.pk)
    return _render_form(
        request,
        form,
        collectivite=collectivite,
        use_case=use_case,
        classification=_classify(form, collectivite),
        conflict=conflict,
        status=409 if conflict else 200,
        qualification=_qualification(form),
    )


def _out_of_sight_message(use_case, *, handed_over: bool) -> str:
    """What a person is told after a change that takes the use case out of what they see."""
    if handed_over:
        text = _(
            "Your changes were saved. The use case %(reference)s is now in the hands of %(owner)s: you no longer see "
            "it in your register."
        )
    else:
        text = _("Your changes were saved. The use case %(reference)s is no longer among those you see.")
    return text % {"reference": use_case.reference, "owner": use_case.owner}


def _stored(use_case) -> rules.Classification:
    return rules.classify(use_case.facts(), use_case.collectivite.policy())


@require_POST
@login_required
def classification_preview(request):
    """The qualification and the classification of what the form holds now, as an HTML fragment; nothing is saved.

    Any member may ask: the answer depends only on the posted answers and the collectivité's policy — and, for the
    edit form of a use case they see (`?use_case=<id>`), on what that use case already holds (the DPO's legal
    answers, the values recorded before the questionnaire). Invalid answers are left out of the classification and
    named in the fragment, never a server error.
    """
    collectivite, access = _access(request)
    if collectivite is None or not access.is_member:
        raise PermissionDenied
    kwargs = {}
    wanted = request.GET.get("use_case", "")
    if wanted:
        if as_id(wanted) is None:
            raise Http404
        kwargs["instance"] = get_object_or_404(selectors.use_case_detail(request.user, access), pk=as_id(wanted))
    form = UseCaseForm(request.POST, collectivite=collectivite, user=request.user, **kwargs)
    form.is_valid()
    context = {
        **classification_context(_classify(form, collectivite)),
        "preview_gaps": form.preview_gaps(),
        "qualification": _qualification(form),
    }
    return render(request, "registry/_form_classification_preview.html", context)
