"""Shared reference content, under /mutualisation/."""

from django.urls import path

from . import views

app_name = "mutualisation"
urlpatterns = [
    path("partages/", views.shared_list, name="shared_list"),
    path("partages/<int:pk>/retirer/", views.item_withdraw, name="item_withdraw"),
    path("proposes/", views.offered_list, name="offered_list"),
    path("proposes/<int:pk>/", views.offered_detail, name="offered_detail"),
    path("proposes/<int:pk>/decision/", views.offered_decide, name="offered_decide"),
    path("proposes/<int:pk>/adapter/", views.offered_adapt, name="offered_adapt"),
]
