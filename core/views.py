"""View decorators shared by every app's pages: signed in, and holding a role in the current collectivité."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.access import get_access
from core.middleware import current_collectivite


def member_required(view):
    """Log in first; a user without any role in a collectivité gets a 403 page that says so."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        collectivite = current_collectivite(request)
        access = get_access(request.user, collectivite)
        if not access.is_member:
            return render(request, "registry/no_role.html", status=403)
        return view(request, access, *args, **kwargs)

    return wrapper
