"""Single sign-on routes, mounted at /oidc/: the redirect URI to register at the provider is /oidc/callback/."""

from django.urls import path

from . import views

app_name = "sso"
urlpatterns = [
    path("authenticate/", views.StartView.as_view(), name="start"),
    path("callback/", views.CallbackView.as_view(), name="callback"),
    path("en-attente/", views.pending, name="pending"),
]
