"""The public register's pages, mounted at /algorithmes/ (no login)."""

from django.urls import path

from . import public_views

app_name = "public"
urlpatterns = [
    path("", public_views.index, name="index"),
    path("<slug:slug>/", public_views.register, name="register"),
    path("<slug:slug>/<str:reference>/", public_views.entry, name="entry"),
]
