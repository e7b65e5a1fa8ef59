"""The charter's pages, under /charte/."""

from django.urls import path

from . import views

app_name = "charter"
urlpatterns = [
    path("", views.current, name="current"),
    path("editions/", views.edition_list, name="edition_list"),
    path("<int:year>/", views.edition_detail, name="edition_detail"),
    path("<int:year>/sections/<slug:key>/", views.section_edit, name="section_edit"),
    path("<int:year>/publier/", views.edition_publish, name="edition_publish"),
    path("<int:year>/lu/", views.acknowledge, name="acknowledge"),
]
