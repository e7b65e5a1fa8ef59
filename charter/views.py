"""The charter's web pages: the charter in force for every member (read it, check its fingerprints, download it, say
it was read), and for the DPO, the DGS and administrators the editions, their sections, the preview, the
publication (DGS) and who read it.

Thin views: `selectors` say what the person sees (an edition out of sight answers 404), `permissions` what they may
do (403 otherwise), and every change goes through `charter.services`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError, ConflictError, ForbiddenError
from core.middleware import current_collectivite
from core.views import member_required

from . import permissions, selectors, services
from .forms import EditionCreateForm, PublishForm, SectionForm
from .models import CharterEdition


def _edition_of(access, year: int) -> CharterEdition:
    return get_object_or_404(selectors.editions_visible(access), year=year)


def _check_can_manage(access) -> None:
    if not permissions.can_manage_charter(access):
        raise PermissionDenied(_("Only the DPO, the DGS and administrators manage the editions of the charter."))


# Reading ----------------------------------------------------------------------------------------------------


@require_GET
@member_required
def current(request, access):
    """The charter in force: the latest published edition."""
    edition = selectors.current_edition(access)
    if edition is None:
        return render(
            request,
            "charter/no_charter.html",
            {
                "can_manage": permissions.can_manage_charter(access),
                "drafts": selectors.editions_visible(access).filter(status=CharterEdition.Status.DRAFT)
                if permissions.can_manage_charter(access)
                else [],
            },
        )
    return _render_edition(request, access, edition, is_current=True)


@require_GET
@member_required
def edition_detail(request, access, year):
    edition = _edition_of(access, year)
    current_edition = selectors.current_edition(access)
    return _render_edition(
        request, access, edition, is_current=current_edition is not None and current_edition.pk == edition.pk
    )


def _render_edition(request, access, edition, *, is_current: bool = False, status: int = 200):
    content = selectors.edition_content(edition)
    can_manage = permissions.can_manage_charter(access)
    context = {
        "edition": edition,
        "content": content,
        "parts": selectors.content_parts(content),
        "is_current": is_current,
        "can_manage": can_manage,
        "can_edit": permissions.can_edit_edition(access, edition),
        "can_publish": permissions.can_publish_charter(access) and not edition.is_published,
        "can_acknowledge": permissions.can_acknowledge(access, edition),
        "acknowledgement": selectors.acknowledgement_of(edition, request.user) if edition.is_published else None,
        "rates": (
            selectors.acknowledgement_rates(current_collectivite(request), edition.year)
            if can_manage and edition.is_published
            else None
        ),
    }
    return render(request, "charter/edition_detail.html", context, status=status)


@require_POST
@member_required
def acknowledge(request, access, year):
    edition = _edition_of(access, year)
    try:
        acknowledgement = services.acknowledge(edition=edition, acting_user=request.user)
    except ForbiddenError as error:
        raise PermissionDenied(str(error.message)) from error
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return _render_edition(request, access, edition, status=error.status_code)
    messages.success(
        request,
        _("Thank you: you acknowledged the %(year)d charter on %(date)s.")
        % {
            "year": edition.year,
            "date": date_format(timezone.localtime(acknowledgement.acknowledged_at), "DATE_FORMAT"),
        },
    )
    return redirect("charter:edition_detail", year=edition.year)


# Editions ---------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_required
def edition_list(request, access):
    _check_can_manage(access)
    editions = list(selectors.editions_visible(access).annotate(acknowledged=Count("acknowledgements")))
    status = 200
    if request.method == "POST":
        form = EditionCreateForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                edition = services.edition_create(
                    collectivite=current_collectivite(request),
                    acting_user=request.user,
                    year=form.cleaned_data["year"],
                )
            except ForbiddenError as error:
                raise PermissionDenied(str(error.message)) from error
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("The %(year)d edition was created as a draft.") % {"year": edition.year})
                return redirect("charter:edition_detail", year=edition.year)
    else:
        suggested = max((e.year for e in editions), default=timezone.localdate().year - 1) + 1
        form = EditionCreateForm(initial={"year": suggested})
    return render(request, "charter/edition_list.html", {"editions": editions, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@member_required
def section_edit(request, access, year, key):
    edition = _edition_of(access, year)
    _check_can_manage(access)
    section = get_object_or_404(edition.sections.all(), key=key)
    if edition.is_published:
        return _render_section(request, edition, section, None, locked=True, status=409)
    conflict = None
    status = 200
    if request.method == "POST":
        form = SectionForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.section_update(
                    section=section,
                    acting_user=request.user,
                    data=form.cleaned_data,
                    expected_version=form.cleaned_data["version"],
                )
            except ForbiddenError as error:
                raise PermissionDenied(str(error.message)) from error
            except ConflictError as error:
                edition.refresh_from_db()
                if edition.is_published:
                    return _render_section(request, edition, section, None, locked=True, status=409)
                # What is recorded now is shown next to the form; the person's text stays in it, ready to be saved
                # over the other version once they have compared.
                conflict = str(error.message)
                section.refresh_from_db()
                data = request.POST.copy()
                data["version"] = section.version
                form = SectionForm(data)
                form.is_valid()
                status = 409
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Section “%(title)s” saved.") % {"title": form.cleaned_data["title"]})
                return redirect(f"{edition_url(edition)}#section-{section.key}")
    else:
        form = SectionForm(initial={"title": section.title, "body": section.body, "version": section.version})
    return _render_section(request, edition, section, form, conflict=conflict, status=status)


def edition_url(edition) -> str:
    return reverse("charter:edition_detail", args=[edition.year])


def _render_section(request, edition, section, form, *, conflict=None, locked=False, status=200):
    return render(
        request,
        "charter/section_edit.html",
        {"edition": edition, "section": section, "form": form, "conflict": conflict, "locked": locked},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@member_required
def edition_publish(request, access, year):
    edition = _edition_of(access, year)
    if not permissions.can_publish_charter(access):
        raise PermissionDenied(_("Only the director general of services (DGS) publishes the charter."))
    error_message = None
    status = 200
    if edition.is_published:
        error_message = _("The %(year)d edition is already published.") % {"year": edition.year}
        status = 409
        form = None
    elif request.method == "POST":
        form = PublishForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.edition_publish(
                    edition=edition, acting_user=request.user, expected_version=form.cleaned_data["version"]
                )
            except ForbiddenError as error:
                raise PermissionDenied(str(error.message)) from error
            except ApplicationError as error:
                error_message = str(error.message)
                status = error.status_code
                edition.refresh_from_db()
                form = PublishForm(initial={"version": edition.version}) if not edition.is_published else None
            else:
                messages.success(
                    request,
                    _(
                        "The %(year)d edition is published. Its PDF is being generated; it will be final and never "
                        "generated again."
                    )
                    % {"year": edition.year},
                )
                return redirect("charter:edition_detail", year=edition.year)
    else:
        form = PublishForm(initial={"version": edition.version})
    return render(
        request,
        "charter/edition_publish.html",
        {
            "edition": edition,
            "form": form,
            "error_message": error_message,
            "sections": edition.sections.all(),
        },
        status=status,
    )
