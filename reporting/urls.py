"""Web pages of reporting: the home dashboard and the consolidated overview, in the `registry` namespace their
names have always had; `config.urls` puts them there."""

from django.urls import path

from .views import consolidated, dashboard

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("collectivites/", consolidated.consolidated_overview, name="consolidated"),
]
