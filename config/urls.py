"""URL map: the register's web pages, the API v1 with its OpenAPI schema, the admin, single sign-on (/oidc/)."""

import os
import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from audits import urls as audits_urls
from declarations import urls as declarations_urls
from documents import urls as documents_urls
from registry import urls as registry_urls
from reporting import urls as reporting_urls
from sso import views as sso_views

# The admin says whose it is, in the app's language (« Administration de Registre IA »).
admin.site.site_header = _("Registre IA administration")
admin.site.site_title = _("Registre IA administration")
admin.site.index_title = _("Site administration")

urlpatterns = [
    path("connexion/", sso_views.LoginView.as_view(), name="login"),
    path("deconnexion/", sso_views.LogoutView.as_view(), name="logout"),
    path("oidc/", include("sso.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/public/explanation-requests/", include("explanations.public_api_urls")),
    path("api/v1/public/", include("transparency.api_urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("charte/", include("charter.urls")),
    path("mutualisation/", include("mutualisation.urls")),
    path("algorithmes/", include("transparency.export_urls")),
    path("algorithmes/", include("transparency.public_urls")),
    path("securite/", include("security.urls")),
    path("explication/", include("explanations.public_urls")),
    path("explications/", include("explanations.urls")),
    path("", include("transparency.urls")),
    path("", include("exchange.urls")),
    path("", include("fria.urls")),
    # Namespaces keep the names pages have always had: `audits:` for checkpoints, documents and compliance, `registry:`
    # for the register, the declarations, the dashboards and « Mes tâches », whichever app now holds them.
    path(
        "",
        include((audits_urls.urlpatterns + documents_urls.urlpatterns + reporting_urls.audits_urlpatterns, "audits")),
    ),
    path(
        "",
        include((registry_urls.urlpatterns + declarations_urls.urlpatterns + reporting_urls.urlpatterns, "registry")),
    ),
]
if settings.DEBUG or settings.SERVE_LOGOS:
    # Only the collectivités' logos are public files; evidence goes through audits:evidence_download. The embedded
    # default serves them itself, DEBUG off included (SERVE_LOGOS); production leaves them to its proxy.
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}logos/(?P<path>.*)$",
            serve,
            {"document_root": os.path.join(str(settings.MEDIA_ROOT), "logos")},
        )
    ]

# Under /api/ the API's error shape in JSON, elsewhere the site's pages (config.errors).
handler400 = "core.error_pages.bad_request"
handler403 = "core.error_pages.permission_denied"
handler404 = "core.error_pages.page_not_found"
handler500 = "core.error_pages.server_error"
