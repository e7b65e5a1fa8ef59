"""Import and export of the register (French paths)."""

from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("registre/export.csv", views.export_csv, name="export_csv"),
    path("registre/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("registre/import/", views.import_start, name="import_start"),
    path("registre/import/modele.csv", views.import_template, name="import_template"),
    path("registre/import/<int:pk>/", views.import_detail, name="import_detail"),
    path("registre/import/<int:pk>/appliquer/", views.import_apply, name="import_apply"),
    path("registre/import/<int:pk>/abandonner/", views.import_discard, name="import_discard"),
]
