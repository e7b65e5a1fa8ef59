"""API v1 of reporting, the figures read across the apps:

- `GET /api/v1/consolidated/`: the consolidated overview of a person who sees the whole register in one or more
  collectivités (a shared DPO), the same figures as the web page (`reporting.consolidated`). Not scoped to the
  current collectivité (no `X-Collectivite`): it lists every collectivité where the person holds the DPO, RSSI, DGS
  or administrator role, with figures only. One such collectivité is enough (its row alone); a person without any
  answers 403.
- `GET /api/v1/tasks/`: « Mes tâches », what waits for you by section (`reporting.my_tasks`).
- `GET /api/v1/compliance/`: the checkpoints attested on time (`audits.selectors.compliance_summary`); 403 for those
  who may not see it.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from audits.api import CheckpointSerializer, IncidentDeadlineSerializer
from audits.permissions import can_see_compliance
from audits.selectors import compliance_summary, overdue_incidents_for_compliance
from core.api.permissions import ScopedAPIMixin
from core.api.schema import ErrorDocumentingAutoSchema
from core.roles import Role
from fria import selectors as fria_selectors
from fria.services import fria_of
from registry.api.views import COLLECTIVITE_HEADER, ERROR_403
from reporting import consolidated
from reporting.my_tasks import task_count, tasks_for

# Named for the OpenAPI enums (see SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
TASK_SECTIONS = (
    ("opinions", _("Opinions to give (DPO, RSSI)")),
    ("to_schedule", _("Cases to put on a committee agenda")),
    ("votes", _("Cases to give your opinion on as a committee member")),
    ("committee_opinions", _("Committee opinions to record (the member presiding over the case)")),
    ("conditions", _("Conditions of your use cases waiting for an owner")),
    ("rereviews", _("Periodic re-reviews of your use cases")),
    ("rework", _("Your rejected use cases, to rework or retire")),
    ("qualifications", _("Qualifications to confirm: answers not known or contradictory (DPO)")),
    ("facts", _("Your use cases whose facts are to complete in the questionnaire")),
    ("checkpoints", _("Your checkpoints due within a week")),
    (
        "publications",
        _("Use cases to publish in the public register (CRPA L312-1-3) or whose public record is out of date"),
    ),
    (
        "fria",
        _("AIDF (AI Act art. 27): yours to complete or whose notification is to record, those to review (DPO)"),
    ),
)
TASK_SECTIONS += (
    ("incidents", _("Serious incidents and personal-data breaches whose notifications are due or overdue")),
)
TASK_SECTIONS += (
    ("explanations", _("Requests for an explanation of an individual decision to answer (DPO, head of service)")),
)
TASK_OBJECTS = (
    ("incident", _("Incident")),
    ("review", _("Review round")),
    ("agenda_item", _("Agenda item")),
    ("checkpoint", _("Checkpoint")),
    ("use_case", _("Use case")),
    ("explanation_request", _("Request for an explanation")),
)


# The consolidated overview -----------------------------------------------------------------------------------


class OverviewRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="collectivite.pk")
    name = serializers.CharField(source="collectivite.name")
    slug = serializers.CharField(source="collectivite.slug", help_text=_("Send it as `X-Collectivite` to act there."))
    kind = serializers.CharField(source="collectivite.kind")
    agents_count = serializers.IntegerField(source="collectivite.agents_count")
    roles = serializers.SerializerMethodField(help_text=_("Your roles in this collectivité (codes)."))
    in_register = serializers.IntegerField(help_text=_("Use cases in the register (retired ones left out)."))
    live = serializers.IntegerField(help_text=_("Approved or in production."))
    high_risk_live = serializers.IntegerField(help_text=_("Live and high risk under the AI Act."))
    in_review = serializers.IntegerField(help_text=_("Submitted or in review."))
    blocked = serializers.IntegerField(help_text=_("Blocked by the classification rules."))
    overdue_checkpoints = serializers.IntegerField(
        allow_null=True, help_text=_("Checkpoints of live use cases past their due date.")
    )
    declarations_waiting = serializers.IntegerField(
        allow_null=True,
        help_text=_("Shadow-AI declarations waiting for triage; null where your roles do not triage them."),
    )
    breaches_to_assess = serializers.IntegerField(
        allow_null=True, help_text=_("Possible personal-data breaches not assessed; null as above.")
    )
    public_entries_missing = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "Use cases whose rules must be published (CRPA L312-1-3) and are not; null where your roles do not "
            "publish them."
        ),
    )
    charter_published = serializers.BooleanField(help_text=_("This year's AI usage charter is published."))

    def get_roles(self, row) -> list[str]:
        return [role for role in Role.values if role in row.roles]


class ConsolidatedSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    collectivites = OverviewRowSerializer(many=True)


@extend_schema(
    tags=["collectivites"],
    summary=_("Consolidated overview across your collectivités"),
    description=_(
        "For a person holding the DPO, RSSI, DGS or administrator role in one or more collectivités (a DPO shared "
        "through an intercommunalité, for instance): one row of figures per such collectivité. Figures only: "
        "each register stays behind its own `X-Collectivite`. A role elsewhere (agent, head of service, "
        "committee member) adds no row. 403 for a person without such a role."
    ),
    responses={200: ConsolidatedSerializer, 403: ERROR_403},
)
class ConsolidatedView(APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    schema = ErrorDocumentingAutoSchema()

    def get(self, request):
        rows = consolidated.overview_rows(request.user)
        if not rows:
            raise PermissionDenied(
                _("The overview is for the DPO, the RSSI, the DGS and the administrators of one or more collectivités.")
            )
        return Response(ConsolidatedSerializer({"year": consolidated.current_year(), "collectivites": rows}).data)


# « Mes tâches » ------------------------------------------------------------------------------------------------
class TaskEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text=_("The id of the object (see the section's `object`)."))
    use_case = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Null for a request for an explanation not attributed yet.")
    )
    review = serializers.IntegerField(read_only=True, allow_null=True)
    session = serializers.IntegerField(read_only=True, allow_null=True, help_text=_("For an agenda item."))


class TaskSectionSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=TASK_SECTIONS, read_only=True)
    object = serializers.ChoiceField(choices=TASK_OBJECTS, read_only=True, help_text=_("What the ids are."))
    count = serializers.IntegerField(read_only=True)
    items = TaskEntrySerializer(many=True, read_only=True)


class TasksSerializer(serializers.Serializer):
    """What waits for you, by section (only the sections that apply to your roles)."""

    count = serializers.IntegerField(read_only=True)
    sections = TaskSectionSerializer(many=True, read_only=True)


# "Mes tâches": each section, the kind of object it lists and how to read its rows.
SECTION_OBJECTS = {
    "opinions": "review",
    "to_schedule": "review",
    "votes": "agenda_item",
    "committee_opinions": "agenda_item",
    "conditions": "checkpoint",
    "rereviews": "review",
    "rework": "use_case",
    "qualifications": "use_case",
    "facts": "use_case",
    "checkpoints": "checkpoint",
    "publications": "use_case",
    "incidents": "incident",
    "fria": "use_case",
    "explanations": "explanation_request",
}


def _task_entry(kind: str, section: str, row) -> dict:
    if kind == "review":
        return {"id": row.pk, "use_case": row.use_case_id, "review": row.pk, "session": None}
    if kind == "agenda_item":
        return {"id": row.pk, "use_case": row.review.use_case_id, "review": row.review_id, "session": row.session_id}
    if kind in ("incident", "explanation_request"):
        return {"id": row.pk, "use_case": row.use_case_id, "review": None, "session": None}
    if kind == "checkpoint":
        review = row.condition.review_id if section == "conditions" and row.condition_id else None
        return {"id": row.pk, "use_case": row.use_case_id, "review": review, "session": None}
    return {"id": row.pk, "use_case": row.pk, "review": None, "session": None}


@extend_schema(
    tags=["reviews"],
    parameters=[COLLECTIVITE_HEADER],
    summary=_("Mes tâches: what waits for you"),
    description=_(
        "By section, the objects waiting for you: opinions to give, cases to schedule, to vote on or to record "
        "the committee's opinion on, conditions of your use cases waiting for an owner, re-reviews, rejected "
        "use cases, qualifications to confirm (DPO), facts of your use cases to complete, checkpoints due within a "
        "week. Only the sections that apply to your roles are listed."
    ),
    responses={200: TasksSerializer},
)
class TasksView(ScopedAPIMixin, APIView):
    def get(self, request):
        tasks = tasks_for(request.user, self.access)
        sections = []
        for key, rows in tasks.items():
            kind = SECTION_OBJECTS[key]
            sections.append(
                {
                    "key": key,
                    "object": kind,
                    "count": rows.total,
                    "items": [_task_entry(kind, key, row) for row in rows],
                }
            )
        return Response(TasksSerializer({"count": task_count(tasks), "sections": sections}).data)


# Compliance -----------------------------------------------------------------------------------------------------
class ComplianceRateSerializer(serializers.Serializer):
    total = serializers.IntegerField(read_only=True, help_text=_("Scheduled checkpoints of live use cases."))
    on_time = serializers.IntegerField(read_only=True, help_text=_("Those not overdue."))
    rate = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Share on time, in percent; null when nothing is scheduled.")
    )


class ComplianceRowSerializer(ComplianceRateSerializer):
    id = serializers.IntegerField(read_only=True, allow_null=True, help_text=_("The service's or the use case's id."))
    label = serializers.CharField(read_only=True)


class FriaDueSerializer(serializers.Serializer):
    """A use case whose AIDF (AI Act art. 27) is required and not completed (approved and notified) yet."""

    id = serializers.IntegerField(read_only=True, help_text=_("The use case's id."))
    reference = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    fria_status = serializers.SerializerMethodField(
        help_text=_("The AIDF's status (`FriaStatusEnum` codes); null when it is not started.")
    )

    def get_fria_status(self, use_case) -> str | None:
        fria = fria_of(use_case)
        return fria.status if fria is not None else None


class OverdueIncidentSerializer(serializers.Serializer):
    """An incident with a notification deadline passed (AI Act art. 26(5) and 73, RGPD art. 33)."""

    id = serializers.IntegerField(read_only=True)
    use_case = serializers.IntegerField(source="use_case_id", read_only=True)
    reference = serializers.CharField(source="use_case.reference", read_only=True)
    occurred_at = serializers.DateTimeField(read_only=True)
    overdue_deadlines = IncidentDeadlineSerializer(source="overdue_clocks", many=True, read_only=True)


class ComplianceSummarySerializer(serializers.Serializer):
    """Checkpoints attested on time, overall, per service and per use case (live use cases), worst first."""

    today = serializers.DateField(read_only=True)
    overall = ComplianceRateSerializer(read_only=True)
    services = ComplianceRowSerializer(many=True, read_only=True)
    use_cases = ComplianceRowSerializer(many=True, read_only=True)
    overdue = CheckpointSerializer(
        many=True, read_only=True, help_text=_("The overdue checkpoints, most overdue first (at most 500).")
    )
    fria_due = FriaDueSerializer(
        many=True,
        read_only=True,
        help_text=_("The use cases whose AIDF is required and not approved and notified yet (at most 500)."),
    )
    overdue_incidents = OverdueIncidentSerializer(
        many=True,
        read_only=True,
        help_text=_("The incidents whose notification to the provider, the authority or the CNIL is overdue."),
    )


@extend_schema(
    tags=["compliance"],
    parameters=[COLLECTIVITE_HEADER],
    summary=_("Compliance of the checkpoints"),
    description=_(
        "Share of the live use cases' checkpoints attested on time, overall, per service and per use case, with "
        "the overdue ones. The DPO, the RSSI, the DGS and administrators see the whole collectivité; a head of "
        "service sees their services."
    ),
    responses={200: ComplianceSummarySerializer, 403: ERROR_403},
)
class ComplianceView(ScopedAPIMixin, APIView):
    def get(self, request):
        if not can_see_compliance(self.access):
            raise PermissionDenied(_("Compliance is shown to the DPO, the RSSI, the DGS and heads of service."))
        summary = compliance_summary(request.user, self.access)
        summary["fria_due"] = fria_selectors.fria_due_rows(fria_selectors.fria_due_scope(request.user, self.access))
        summary["overdue_incidents"] = overdue_incidents_for_compliance(request.user, self.access)
        context = {"request": request, "today": summary["today"]}
        return Response(ComplianceSummarySerializer(summary, context=context).data)
