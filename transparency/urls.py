"""The DPO's publication pages (login required)."""

from django.urls import path

from . import views

app_name = "transparency"
urlpatterns = [
    path("publication/", views.overview, name="overview"),
    path("registre/<int:pk>/publication/", views.edit, name="edit"),
    path("registre/<int:pk>/publication/retrait/", views.withdraw, name="withdraw"),
]
