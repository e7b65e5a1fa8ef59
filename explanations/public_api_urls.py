"""The public, create-only endpoint of the explanation requests (mounted at /api/v1/public/explanation-requests/)."""

from django.urls import path

from . import api

app_name = "explanations_public_api"
urlpatterns = [path("", api.PublicExplanationRequestCreate.as_view(), name="create")]
