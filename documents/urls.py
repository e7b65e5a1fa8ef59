"""Web pages of the generated documents, in the `audits` namespace their names have always had (`config.urls`)."""

from django.urls import path

from . import views as views_documents

urlpatterns = [
    path("documents/", views_documents.document_list, name="document_list"),
    path("documents/demander/", views_documents.document_request, name="document_request"),
    path("documents/<int:pk>/", views_documents.document_detail, name="document_detail"),
    path("documents/<int:pk>/etat/", views_documents.document_status, name="document_status"),
    path("documents/<int:pk>/telecharger/", views_documents.document_download, name="document_download"),
]
