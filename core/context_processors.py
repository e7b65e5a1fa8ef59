"""The current collectivité's identity (name, logo, colour) and the user's access, for every page."""

from core.access import get_access
from core.middleware import current_collectivite


def collectivite(request):
    if not hasattr(request, "user") or not request.user.is_authenticated:
        return {"current_collectivite": None, "access": None}
    current = current_collectivite(request)
    return {"current_collectivite": current, "access": get_access(request.user, current)}
