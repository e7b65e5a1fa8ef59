"""API access: every endpoint acts in the user's current collectivité and needs a role there.

The rules themselves live in `core.access` and each app's `permissions`; this module only adapts them to DRF views.
"""

from functools import cached_property

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission, IsAuthenticated

from core.access import Access, get_access
from core.api.schema import ErrorDocumentingAutoSchema
from core.middleware import current_collectivite
from core.validators import as_id


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


class ScopedAPIMixin(CollectiviteScopedMixin):
    """Signed in (session or token) and holding a role in the current collectivité."""

    # Token first, so that a missing or wrong token answers 401 with `WWW-Authenticate: Token`.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated, IsCollectiviteMember]
    schema = ErrorDocumentingAutoSchema()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # An id in the path is ASCII digits of a database's size (as_id): « ٣ » would otherwise be read as 3 by
        # int(), and « ² » fail; either is an object that does not exist.
        if any((name == "pk" or name.endswith("_id")) and as_id(value) is None for name, value in kwargs.items()):
            raise NotFound(_("Not found."))
