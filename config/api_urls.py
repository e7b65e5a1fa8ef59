"""API v1 routes (mounted at /api/v1/): the composition root gathers every app's endpoints under one router."""

from django.urls import path, re_path
from rest_framework.routers import DefaultRouter

from audits import api as audits_api
from core.api.errors import NotFoundView
from declarations import api as declarations
from documents import api as api_documents
from explanations import api as explanations_api
from fria import api as fria_api
from registry.api import committee, reviews, views
from reporting import api as reporting_api

app_name = "api"

router = DefaultRouter()
router.register("use-cases", views.UseCaseViewSet, basename="use-case")
router.register("tools", views.ToolViewSet, basename="tool")
router.register("services", views.ServiceViewSet, basename="service")
router.register("declarations", declarations.DeclarationViewSet, basename="declaration")
router.register("checkpoints", audits_api.CheckpointViewSet, basename="checkpoint")
router.register("reviews", reviews.ReviewViewSet, basename="review")
router.register("committee-sessions", committee.CommitteeSessionViewSet, basename="committee-session")
router.register("committee-members", committee.CommitteeMemberViewSet, basename="committee-member")
router.register("documents", api_documents.DocumentViewSet, basename="document")
router.register("frias", fria_api.FriaViewSet, basename="fria")
router.register("explanation-requests", explanations_api.ExplanationRequestViewSet, basename="explanation-request")

# Nested resources of checkpoints (issue 4): attestations are recorded, never edited nor deleted (no PUT,
# PATCH or DELETE: 405); a use case's checkpoints and incidents are listed and added below it.
attestations = audits_api.AttestationViewSet
use_case_checkpoints = audits_api.UseCaseCheckpointViewSet
incidents = audits_api.IncidentViewSet

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("classify/", views.ClassifyView.as_view(), name="classify"),
    path("qualify/", views.QualifyView.as_view(), name="qualify"),
    path("compliance/", reporting_api.ComplianceView.as_view(), name="compliance"),
    path("tasks/", reporting_api.TasksView.as_view(), name="tasks"),
    path("consolidated/", reporting_api.ConsolidatedView.as_view(), name="consolidated"),
    path(
        "checkpoints/<int:checkpoint_id>/attestations/",
        attestations.as_view({"get": "list", "post": "create"}),
        name="checkpoint-attestation-list",
    ),
    path(
        "checkpoints/<int:checkpoint_id>/attestations/<int:pk>/",
        attestations.as_view({"get": "retrieve"}),
        name="checkpoint-attestation-detail",
    ),
    path(
        "use-cases/<int:use_case_id>/checkpoints/",
        use_case_checkpoints.as_view({"get": "list", "post": "create"}),
        name="use-case-checkpoint-list",
    ),
    path(
        "use-cases/<int:use_case_id>/incidents/",
        incidents.as_view({"get": "list", "post": "create"}),
        name="use-case-incident-list",
    ),
    path(
        "use-cases/<int:use_case_id>/incidents/<int:pk>/",
        incidents.as_view({"get": "retrieve"}),
        name="use-case-incident-detail",
    ),
    path(
        "use-cases/<int:use_case_id>/incidents/<int:pk>/qualify/",
        incidents.as_view({"post": "qualify"}),
        name="use-case-incident-qualify",
    ),
    path(
        "use-cases/<int:use_case_id>/incidents/<int:pk>/breach-assessment/",
        incidents.as_view({"post": "breach_assessment"}),
        name="use-case-incident-breach-assessment",
    ),
    path(
        "use-cases/<int:use_case_id>/incidents/<int:incident_id>/notifications/",
        audits_api.IncidentNotificationViewSet.as_view({"get": "list", "post": "create"}),
        name="use-case-incident-notification-list",
    ),
    *router.urls,
    re_path(r"^.*/$", NotFoundView.as_view(), name="not-found"),
]
