"""Web pages of checkpoints, attestations and incidents, in the `audits` namespace that `config.urls` assembles."""

from django.urls import path

from . import views

urlpatterns = [
    path("mes-controles/", views.my_checkpoints, name="my_checkpoints"),
    path("mes-controles/<int:pk>/attester/", views.checkpoint_attest_quick, name="checkpoint_attest_quick"),
    path("controles/<int:pk>/", views.checkpoint_detail, name="checkpoint_detail"),
    path("controles/<int:pk>/attester/", views.checkpoint_attest, name="checkpoint_attest"),
    path("controles/<int:pk>/modifier/", views.checkpoint_edit, name="checkpoint_edit"),
    path("registre/<int:use_case_pk>/controles/ajouter/", views.checkpoint_add, name="checkpoint_add"),
    path("registre/<int:use_case_pk>/incidents/nouveau/", views.incident_create, name="incident_create"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/qualifier/", views.incident_qualify, name="incident_qualify"),
    path("incidents/<int:pk>/notifications/", views.incident_notification_add, name="incident_notification_add"),
    path("incidents/<int:pk>/violation/", views.incident_breach_assess, name="incident_breach_assess"),
    path(
        "incidents/notifications/<int:pk>/telecharger/",
        views.notification_attachment_download,
        name="notification_attachment_download",
    ),
    path("registre/<int:use_case_pk>/suspendre/", views.use_case_suspend, name="use_case_suspend"),
    path(
        "registre/<int:use_case_pk>/mettre-en-production/",
        views.use_case_put_into_production,
        name="use_case_put_into_production",
    ),
    path("preuves/<int:pk>/", views.evidence_download, name="evidence_download"),
]
