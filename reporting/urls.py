"""Web pages of reporting, in the namespaces their names have always had; `config.urls` puts them there:
`urlpatterns` in `registry` (the home dashboard, the consolidated overview, « Mes tâches »), `audits_urlpatterns` in
`audits` (the compliance page)."""

from django.urls import path

from .views import compliance, consolidated, dashboard, incident_report, my_tasks

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("collectivites/", consolidated.consolidated_overview, name="consolidated"),
    path("mes-taches/", my_tasks.my_tasks, name="my_tasks"),
]

audits_urlpatterns = [
    path("conformite/", compliance.compliance, name="compliance"),
    path("incidents/<int:pk>/rapport.pdf", incident_report.incident_report_download, name="incident_report"),
]
