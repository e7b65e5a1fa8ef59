"""Writes on the charter: create an edition, edit its sections, publish it (DGS), acknowledge it (every member).

Publishing freezes the edition's content (its sections and the register's data at that moment) in a snapshot with
its SHA-256 fingerprint, and asks for its PDF, which the builder (`charter.pdf`) marks final: never generated again.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import get_access
from core.errors import ApplicationError, ConflictError, ForbiddenError
from documents import services as documents
from documents.models import Document
from registry.models import Collectivite, User

from . import defaults, permissions, selectors
from .models import CharterAcknowledgement, CharterEdition, CharterEvent, CharterSection

__all__ = ["acknowledge", "edition_create", "edition_publish", "section_update"]

FIRST_YEAR = 2020
TITLE_MAX_LENGTH = CharterSection._meta.get_field("title").max_length
BODY_MAX_LENGTH = 20_000


def _check_can_manage(acting_user: User, collectivite: Collectivite, message) -> None:
    if not permissions.can_manage_charter(get_access(acting_user, collectivite)):
        raise ForbiddenError(message)


@transaction.atomic
def edition_create(*, collectivite: Collectivite, acting_user: User, year: int) -> CharterEdition:
    """A new draft edition, starting from the latest earlier edition's sections (or the shipped defaults)."""
    _check_can_manage(
        acting_user, collectivite, _("Only the DPO, the DGS and administrators write the AI usage charter.")
    )
    next_year = timezone.localdate().year + 1
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not FIRST_YEAR <= year <= next_year:
        raise ApplicationError(
            _("Choose another year."),
            errors={
                "year": [_("Give a year between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": next_year}]
            },
        )
    # One creation at a time per collectivité: two people creating the same year get one edition and a clear error.
    Collectivite.objects.select_for_update().filter(pk=collectivite.pk).first()
    if CharterEdition.objects.filter(collectivite=collectivite, year=year).exists():
        raise ApplicationError(
            _("The %(year)d edition already exists.") % {"year": year},
            errors={"year": [_("The %(year)d edition already exists.") % {"year": year}]},
        )
    # The latest earlier edition; for a year before every existing edition, the earliest one.
    previous = (
        CharterEdition.objects.filter(collectivite=collectivite, year__lt=year).order_by("-year").first()
        or CharterEdition.objects.filter(collectivite=collectivite).order_by("year").first()
    )
    edition = CharterEdition.objects.create(collectivite=collectivite, year=year, created_by=acting_user)
    if previous is not None:
        source = [{"key": s.key, "title": s.title, "body": s.body} for s in previous.sections.order_by("position")]
        comment = str(_("Copied from the %(year)d edition.") % {"year": previous.year})
    else:
        source = defaults.SECTIONS
        comment = str(_("Created from the default sections."))
    CharterSection.objects.bulk_create(
        CharterSection(
            edition=edition,
            key=data["key"],
            position=position,
            title=data["title"],
            body=data["body"],
            updated_by=acting_user,
        )
        for position, data in enumerate(source, start=1)
    )
    CharterEvent.objects.create(edition=edition, kind=CharterEvent.Kind.CREATED, actor=acting_user, comment=comment)
    return edition


def _locked_edition(edition_id: int) -> CharterEdition:
    return CharterEdition.objects.select_for_update(of=("self",)).select_related("collectivite").get(pk=edition_id)


def _check_draft(edition: CharterEdition) -> None:
    if edition.is_published:
        raise ConflictError(
            _("The %(year)d edition is published: it is final and can no longer be changed.") % {"year": edition.year}
        )


def _section_text(data: dict) -> tuple[str, str]:
    """A section's title and text, cleaned; refused with a message per field."""
    title = (data.get("title") or "").strip()
    body = (data.get("body") or "").strip().replace("\r\n", "\n")
    errors = {}
    if not title:
        errors["title"] = [_("Give the section a title.")]
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [_("At most %(max)d characters.") % {"max": TITLE_MAX_LENGTH}]
    if not body:
        errors["body"] = [_("Write the text of the section.")]
    elif len(body) > BODY_MAX_LENGTH:
        errors["body"] = [_("At most %(max)d characters.") % {"max": BODY_MAX_LENGTH}]
    if errors:
        raise ApplicationError(_("The section was not saved."), errors=errors)
    return title, body


@transaction.atomic
def section_add(
    *, edition: CharterEdition, key: str, acting_user: User, data: dict, comment: str = ""
) -> CharterSection:
    """Add a section at the end of a draft edition (a section taken from a structure's reference content)."""
    locked = _locked_edition(edition.pk)
    _check_can_manage(acting_user, locked.collectivite, _("Only the DPO, the DGS and administrators edit the charter."))
    _check_draft(locked)
    title, body = _section_text(data)
    position = (locked.sections.aggregate(last=Max("position"))["last"] or 0) + 1
    section = CharterSection.objects.create(
        edition=locked, key=key, position=position, title=title, body=body, updated_by=acting_user
    )
    locked.version += 1
    locked.save(update_fields=["version"])
    CharterEvent.objects.create(
        edition=locked, kind=CharterEvent.Kind.SECTION_UPDATED, section=section, actor=acting_user, comment=comment
    )
    return section


@transaction.atomic
def section_update(
    *, section: CharterSection, acting_user: User, data: dict, expected_version: int | None = None
) -> CharterSection:
    """Change a section's title and text. If someone saved it since `expected_version`, nothing is overwritten."""
    edition = _locked_edition(section.edition_id)
    _check_can_manage(
        acting_user, edition.collectivite, _("Only the DPO, the DGS and administrators edit the charter.")
    )
    _check_draft(edition)
    locked = CharterSection.objects.select_for_update().get(pk=section.pk)
    if expected_version is not None and locked.version != int(expected_version):
        raise ConflictError(
            _(
                "Someone else changed this section while you were editing it. Your text was not saved: it is still "
                "in the form below, next to the version recorded now."
            )
        )
    title, body = _section_text(data)
    if (title, body) == (locked.title, locked.body):
        return locked
    locked.title = title
    locked.body = body
    locked.version += 1
    locked.updated_by = acting_user
    locked.save(update_fields=["title", "body", "version", "updated_by", "updated_at"])
    edition.version += 1
    edition.save(update_fields=["version"])
    CharterEvent.objects.create(
        edition=edition, kind=CharterEvent.Kind.SECTION_UPDATED, section=locked, actor=acting_user
    )
    return locked


@transaction.atomic
def edition_publish(
    *, edition: CharterEdition, acting_user: User, expected_version: int | None = None
) -> CharterEdition:
    """The DGS publishes the edition: its content is frozen and fingerprinted, its final PDF is generated.

    `expected_version`: the version the DGS read before confirming; if a section changed since, nothing happens."""
    locked = _locked_edition(edition.pk)
    access = get_access(acting_user, locked.collectivite)
    if not permissions.can_publish_charter(access):
        raise ForbiddenError(_("Only the director general of services (DGS) publishes the charter."))
    _check_draft(locked)
    if expected_version is not None and locked.version != int(expected_version):
        raise ConflictError(
            _(
                "The edition changed since you read it (a section was edited). Nothing was published: read it again, "
                "then publish."
            )
        )
    preview = (
        Document.objects.select_for_update()
        .filter(collectivite=locked.collectivite, kind=Document.Kind.CHARTER, year=locked.year)
        .first()
    )
    if preview is not None and preview.status == Document.Status.RUNNING:
        # The preview being rendered would come back as the edition's PDF without being final.
        raise ConflictError(_("A preview of this edition is being generated: publish again in a minute."))
    snapshot = selectors.live_content(locked, signatory=acting_user)
    locked.snapshot = snapshot
    locked.content_fingerprint = selectors.fingerprint(snapshot)
    locked.status = CharterEdition.Status.PUBLISHED
    locked.published_at = timezone.now()
    locked.published_by = acting_user
    locked.version += 1
    locked.save(update_fields=["snapshot", "content_fingerprint", "status", "published_at", "published_by", "version"])
    CharterEvent.objects.create(edition=locked, kind=CharterEvent.Kind.PUBLISHED, actor=acting_user)
    locked.document = documents.document_request(
        collectivite=locked.collectivite, acting_user=acting_user, kind=Document.Kind.CHARTER, year=locked.year
    )
    locked.save(update_fields=["document"])
    return locked


@transaction.atomic
def acknowledge(*, edition: CharterEdition, acting_user: User) -> CharterAcknowledgement:
    """A member says they read a published edition. Saying it again changes nothing (the first date stands)."""
    access = get_access(acting_user, edition.collectivite)
    if not permissions.can_view_edition(access, edition):
        raise ForbiddenError(_("This charter is not yours to acknowledge."))
    if not edition.is_published:
        raise ConflictError(_("Only a published charter can be acknowledged."))
    acknowledgement, _created = CharterAcknowledgement.objects.get_or_create(edition=edition, user=acting_user)
    return acknowledgement
