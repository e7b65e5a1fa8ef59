"""Web pages of the AIDF of a use case, in the `fria` namespace that `config.urls` assembles."""

from django.urls import path

from . import views

app_name = "fria"

urlpatterns = [
    path("registre/<int:use_case_pk>/aidf/", views.fria_detail, name="detail"),
    path("registre/<int:use_case_pk>/aidf/commencer/", views.fria_start, name="start"),
    path("registre/<int:use_case_pk>/aidf/modifier/", views.fria_edit, name="edit"),
    path("registre/<int:use_case_pk>/aidf/soumettre/", views.fria_submit, name="submit"),
    path("registre/<int:use_case_pk>/aidf/examen/", views.fria_review, name="review"),
    path("registre/<int:use_case_pk>/aidf/notification/", views.fria_notify, name="notify"),
    path("registre/<int:use_case_pk>/aidf/nouvelle-version/", views.fria_reopen, name="reopen"),
    path("registre/<int:use_case_pk>/aidf/versions/", views.fria_versions, name="versions"),
    path("registre/<int:use_case_pk>/aidf/aidf.pdf", views.fria_pdf, name="pdf"),
    path("registre/<int:use_case_pk>/aidf/aipd/telecharger/", views.aipd_download, name="aipd_download"),
]
