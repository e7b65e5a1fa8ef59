"""API access: every endpoint acts in the user's current collectivité and needs a role there.

The rules themselves live in `registry.permissions`; this module only adapts them to DRF views.
"""

from functools import cached_property

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from ..middleware import current_collectivite
from ..permissions import Access, get_access


class IsCollectiviteMember(BasePermission):
    """A signed-in user holding at least one role in the collectivité they act in."""

    message = _("You hold no role in any collectivité: ask your administrator for access.")

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and view.access.is_member)


class CollectiviteScopedMixin:
    """The collectivité the request acts in and the user's access there, resolved once per request.

    Resolved from the DRF request so that token authentication counts (see `current_collectivite`).
    """

    @cached_property
    def collectivite(self):
        return current_collectivite(self.request)

    @cached_property
    def access(self) -> Access:
        return get_access(self.request.user, self.collectivite)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        context.update(collectivite=self.collectivite, access=self.access)
        return context
