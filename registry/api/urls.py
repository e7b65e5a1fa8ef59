"""API v1 routes (mounted at /api/v1/)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import declarations, views

app_name = "api"

router = DefaultRouter()
router.register("use-cases", views.UseCaseViewSet, basename="use-case")
router.register("tools", views.ToolViewSet, basename="tool")
router.register("services", views.ServiceViewSet, basename="service")
router.register("declarations", declarations.DeclarationViewSet, basename="declaration")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("classify/", views.ClassifyView.as_view(), name="classify"),
    *router.urls,
]
