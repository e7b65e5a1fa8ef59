"""The current collectivité's identity (name, logo, colour) and the user's access, for every page."""

from .middleware import current_collectivite
from .permissions import get_access


def collectivite(request):
    if not hasattr(request, "user") or not request.user.is_authenticated:
        return {"current_collectivite": None, "access": None}
    current = current_collectivite(request)
    return {"current_collectivite": current, "access": get_access(request.user, current)}
