"""The public register's open-data API (mounted at /api/v1/public/): no authentication, cacheable."""

from django.urls import path, re_path

from core.api.errors import NotFoundView

from . import api

app_name = "public_api"
urlpatterns = [
    path("use-cases/", api.PublicUseCaseList.as_view(), name="use-case-list"),
    path("use-cases/<slug:collectivite>/<str:reference>/", api.PublicUseCaseDetail.as_view(), name="use-case-detail"),
    re_path(r"^.*/$", NotFoundView.as_view(), name="not-found"),
]
