"""Web pages of the shadow-AI declarations (French paths).

They keep the `registry` namespace their names have always had (`registry:declaration_create`): `config.urls`
puts them in it, with the register's own pages.
"""

from django.urls import path

from .views import declaring as declarations
from .views import triage

urlpatterns = [
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
