"""The security pages, under /securite/."""

from django.urls import path

from . import views

app_name = "security"
urlpatterns = [
    path("journal/", views.journal, name="journal"),
]
