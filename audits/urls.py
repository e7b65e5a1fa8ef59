"""Placeholder URL map of checkpoints; the views come with the web pages."""

from django.urls import path

from . import views, views_documents

app_name = "audits"
urlpatterns = [
    path("mes-controles/", views.my_checkpoints, name="my_checkpoints"),
    path("mes-controles/<int:pk>/attester/", views.checkpoint_attest_quick, name="checkpoint_attest_quick"),
    path("conformite/", views.compliance, name="compliance"),
    path("controles/<int:pk>/", views.checkpoint_detail, name="checkpoint_detail"),
    path("controles/<int:pk>/attester/", views.checkpoint_attest, name="checkpoint_attest"),
    path("controles/<int:pk>/modifier/", views.checkpoint_edit, name="checkpoint_edit"),
    path("registre/<int:use_case_pk>/controles/ajouter/", views.checkpoint_add, name="checkpoint_add"),
    path("registre/<int:use_case_pk>/incidents/nouveau/", views.incident_create, name="incident_create"),
    path("registre/<int:use_case_pk>/suspendre/", views.use_case_suspend, name="use_case_suspend"),
    path(
        "registre/<int:use_case_pk>/mettre-en-production/",
        views.use_case_put_into_production,
        name="use_case_put_into_production",
    ),
    path("preuves/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("documents/", views_documents.document_list, name="document_list"),
    path("documents/demander/", views_documents.document_request, name="document_request"),
    path("documents/<int:pk>/", views_documents.document_detail, name="document_detail"),
    path("documents/<int:pk>/etat/", views_documents.document_status, name="document_status"),
    path("documents/<int:pk>/telecharger/", views_documents.document_download, name="document_download"),
]
