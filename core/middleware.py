"""The collectivité the user is acting in for this request."""

from django.apps import apps

from core.validators import as_id

SESSION_KEY = "collectivite_id"
_CACHE_ATTR = "_registry_collectivite"


def current_collectivite(request):
    """The collectivité chosen in the session (or the `X-Collectivite` header, by id or slug) among those where
    the user holds a role; else the first of them; None for a user without any role.

    Resolved on first use, not in a middleware, so that API token authentication (done in the view) counts.
    """
    # The organisation models stay in `registry`, where AUTH_USER_MODEL points: core reaches them by the app registry.
    Collectivite = apps.get_model("registry", "Collectivite")
    user = request.user
    cached = getattr(request, _CACHE_ATTR, None)
    if cached is not None and cached[0] == user.pk:
        return cached[1]
    chosen = None
    if user.is_authenticated:
        candidates = Collectivite.objects.filter(memberships__user=user).distinct().order_by("pk")
        header = request.headers.get("X-Collectivite")
        wanted = header or request.session.get(SESSION_KEY)
        if wanted:
            lookup = {"pk": as_id(wanted)} if as_id(wanted) is not None else {"slug": wanted}
            chosen = candidates.filter(**lookup).first()
            if chosen is None and header:
                # Answering for another collectivité than the one named would let a script read or write the
                # wrong register without noticing: refuse instead.
                from django.core.exceptions import PermissionDenied
                from django.utils.translation import gettext as _

                raise PermissionDenied(_("You hold no role in this collectivité."))
        if chosen is None:
            chosen = candidates.first()
    setattr(request, _CACHE_ATTR, (user.pk, chosen))
    return chosen


class FrenchFirstLocaleMiddleware:
    """French unless the person chose another language (the language cookie set by `set_language`).

    Django's LocaleMiddleware would follow the browser's Accept-Language; a collectivité's tool speaks
    French first, whatever the browser's settings.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        available = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # The thread serves other requests next: leave no language behind.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response
