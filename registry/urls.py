"""Web pages of the register (French paths)."""

from django.urls import path

from .views import editing, register

app_name = "registry"
urlpatterns = [
    path("", register.home, name="home"),
    path("registre/", register.use_case_list, name="use_case_list"),
    path("registre/nouveau/", editing.use_case_create, name="use_case_create"),
    path("registre/classification/", editing.classification_preview, name="classification_preview"),
    path("registre/<int:pk>/", register.use_case_detail, name="use_case_detail"),
    path("registre/<int:pk>/modifier/", editing.use_case_edit, name="use_case_edit"),
    path("registre/<int:pk>/soumettre/", register.use_case_submit, name="use_case_submit"),
    path("registre/<int:pk>/retirer/", register.use_case_withdraw, name="use_case_withdraw"),
    path("outils/", register.tool_list, name="tool_list"),
    path("collectivite/", register.collectivite_switch, name="collectivite_switch"),
]
