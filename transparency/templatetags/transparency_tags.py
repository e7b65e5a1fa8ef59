"""Template helpers of the public register for the internal pages: the publication panel of a use case."""

from __future__ import annotations

from django import template

from .. import permissions
from ..models import Publication, PublicationState

register = template.Library()


@register.inclusion_tag("transparency/_use_case_panel.html", takes_context=True)
def publication_panel(context, use_case):
    """`{% publication_panel use_case %}`: is the use case public, must it be, and (DPO, admin) where to edit it.

    One query (the publication); the access comes from the context processor.
    """
    publication = (
        Publication.objects.filter(use_case_id=use_case.pk)
        .only("id", "state", "published_at", "withdrawn_at", "out_of_date", "use_case_id")
        .first()
    )
    access = context.get("access")
    published = publication is not None and publication.state == PublicationState.PUBLISHED
    return {
        "use_case": use_case,
        "publication": publication,
        "state": publication.state if publication else "",
        "published": published,
        "out_of_date": published and publication.out_of_date,
        "required_missing": use_case.public_register_required and not published,
        "can_publish": access is not None and permissions.can_manage_publication(None, access, use_case),
    }
