"""Web pages of the register (French paths)."""

from django.urls import path

from .views import declarations, editing, register, reviews, triage

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
    # Reviews and the ethics committee
    path("mes-taches/", reviews.my_tasks, name="my_tasks"),
    path("collectivite/", register.collectivite_switch, name="collectivite_switch"),
    # Shadow-AI declarations: the agent's side
    path("declarer/", declarations.declaration_create, name="declaration_create"),
    path("mes-declarations/", declarations.my_declarations, name="my_declarations"),
    path("mes-declarations/<int:pk>/", declarations.declaration_detail, name="declaration_detail"),
    path("suivi/<str:code>/", declarations.declaration_follow_up, name="declaration_follow_up"),
    # ... and the DPO / RSSI triage
    path("triage/", triage.declaration_queue, name="declaration_queue"),
    path("triage/par-outil/", triage.declaration_tools, name="declaration_tools"),
    path("triage/regulariser/", triage.declaration_regularise, name="declaration_regularise"),
    path("triage/<int:pk>/", triage.declaration_triage, name="declaration_triage"),
    path("triage/<int:pk>/<slug:action>/", triage.declaration_action, name="declaration_action"),
]
