"""Downloads of the public register (mounted at /algorithmes/, before the public pages)."""

from django.urls import path

from . import export_views

app_name = "public_exports"
urlpatterns = [
    path("<slug:slug>/export.csv", export_views.csv_export, name="csv"),
    path("<slug:slug>/export/algoritmeregister.json", export_views.algoritmeregister_export, name="algoritmeregister"),
    path(
        "<slug:slug>/export/algoritmeregister.csv",
        export_views.algoritmeregister_csv_export,
        name="algoritmeregister-csv",
    ),
    path("<slug:slug>/export/atrs.json", export_views.atrs_export, name="atrs"),
]
