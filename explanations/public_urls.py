"""The public pages of the explanation requests, mounted at /explication/ (no login)."""

from django.urls import path

from . import public_views

app_name = "explanations_public"
urlpatterns = [
    path("suivi/<str:token>/", public_views.follow_up, name="follow_up"),
    path("suivi/<str:token>/lettre.pdf", public_views.letter_download, name="letter"),
    path("recue/<str:token>/", public_views.acknowledgment, name="acknowledgment"),
    path("<slug:slug>/", public_views.request_form, name="request"),
    path("<slug:slug>/<str:reference>/", public_views.request_form, name="request_for_entry"),
]
