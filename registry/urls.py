"""Web pages of the register (French paths), in the `registry` namespace that `config.urls` assembles."""

from django.urls import path

from .views import collectivite, committee, editing, qualification, register, reviews

urlpatterns = [
    path("registre/", register.use_case_list, name="use_case_list"),
    path("registre/nouveau/", editing.use_case_create, name="use_case_create"),
    path("registre/classification/", editing.classification_preview, name="classification_preview"),
    path("registre/<int:pk>/", register.use_case_detail, name="use_case_detail"),
    path("registre/<int:pk>/modifier/", editing.use_case_edit, name="use_case_edit"),
    path("registre/<int:pk>/soumettre/", register.use_case_submit, name="use_case_submit"),
    path("registre/<int:pk>/retirer/", register.use_case_withdraw, name="use_case_withdraw"),
    path("outils/", register.tool_list, name="tool_list"),
    # The qualification: the DPO's expert view (DOMAIN.md 3b)
    path("registre/<int:pk>/qualification/", qualification.qualification_view, name="qualification"),
    path(
        "registre/<int:pk>/qualification/confirmer/",
        qualification.qualification_confirm,
        name="qualification_confirm",
    ),
    path(
        "registre/<int:pk>/qualification/<str:input_name>/",
        qualification.qualification_set,
        name="qualification_set",
    ),
    path(
        "registre/<int:pk>/qualification/<str:input_name>/lever/",
        qualification.qualification_lift,
        name="qualification_lift",
    ),
    # Reviews
    path("examens/", reviews.review_list, name="review_list"),
    path("registre/<int:pk>/avis/<str:role>/", reviews.opinion_give, name="opinion_give"),
    path("registre/<int:pk>/renvoyer/", reviews.use_case_action, {"action": "return"}, name="use_case_return"),
    path("registre/<int:pk>/arreter/", reviews.use_case_action, {"action": "retire"}, name="use_case_retire"),
    path("registre/<int:pk>/retravailler/", reviews.use_case_action, {"action": "rework"}, name="use_case_rework"),
    path("registre/<int:pk>/reprendre/", reviews.use_case_action, {"action": "resume"}, name="use_case_resume"),
    path("collectivite/", register.collectivite_switch, name="collectivite_switch"),
    path("collectivite/<int:pk>/parametres/", collectivite.collectivite_settings, name="collectivite_settings"),
    # Ethics committee
    path("comite/", committee.committee, name="committee"),
    path("comite/membres/ajouter/", committee.member_add, name="committee_member_add"),
    path("comite/membres/<int:pk>/", committee.member_update, name="committee_member_update"),
    path("comite/membres/<int:pk>/fin-de-mandat/", committee.member_end, name="committee_member_end"),
    path("comite/seances/nouvelle/", committee.session_create, name="committee_session_create"),
    path("comite/seances/<int:pk>/", committee.session_detail, name="committee_session"),
    path("comite/seances/<int:pk>/ordre-du-jour/", committee.agenda_add, name="committee_agenda_add"),
    path("comite/seances/<int:pk>/ouvrir/", committee.session_open, name="committee_session_open"),
    path("comite/seances/<int:pk>/presences/", committee.attendance_record, name="committee_attendance"),
    path("comite/seances/<int:pk>/cloturer/", committee.session_close, name="committee_session_close"),
    path("comite/points/<int:pk>/retirer/", committee.agenda_remove, name="committee_agenda_remove"),
    path("comite/points/<int:pk>/avis-membre/", committee.vote, name="committee_vote"),
    path("comite/points/<int:pk>/conflit/", committee.conflict_declare, name="committee_conflict"),
    path("comite/points/<int:pk>/avis-du-comite/", committee.committee_opinion, name="committee_opinion"),
]
