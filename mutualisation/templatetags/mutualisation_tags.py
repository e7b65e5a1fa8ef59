"""Whether the menu shows the shared-content links: only to the people concerned, at most one query per page."""

from django import template
from django.db.models import Q

from .. import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def mutualisation_links(context) -> dict:
    """`{"shared": ..., "offered": ...}`: the structure's page for its DPO and administrators, the members' page for
    their DPO, RSSI and administrators. No query for anybody else."""
    access, collectivite = context.get("access"), context.get("current_collectivite")
    links = {"shared": False, "offered": False}
    if access is None or collectivite is None:
        return links
    manages, views = permissions.can_manage_shared(access), permissions.can_view_offered(access)
    if not (manages or views):
        return links
    request = context.get("request")
    cached = getattr(request, "_mutualisation_links", None)
    if cached is not None and cached[0] == collectivite.pk:
        return cached[1]
    from ..models import Mutualisation

    relations = set(
        Mutualisation.objects.filter(Q(structure=collectivite) | Q(member=collectivite), active=True).values_list(
            "structure_id", "member_id"
        )
    )
    links["shared"] = manages and any(structure == collectivite.pk for structure, _member in relations)
    links["offered"] = views and any(member == collectivite.pk for _structure, member in relations)
    if request is not None:
        request._mutualisation_links = (collectivite.pk, links)
    return links
