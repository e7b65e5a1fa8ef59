"""The staff's pages of the explanation requests, mounted at /explications/."""

from django.urls import path

from . import views

app_name = "explanations"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<str:pk>/", views.detail, name="detail"),
    path("<str:pk>/apercu.pdf", views.preview, name="preview"),
    path("<str:pk>/envoyer/", views.send, name="send"),
    path("<str:pk>/rejeter/", views.reject, name="reject"),
    path("<str:pk>/lettre.pdf", views.letter, name="letter"),
]
