"""`GET /api/v1/consolidated/`: the consolidated overview of a person who sees the whole register in one or more
collectivités (a shared DPO), the same figures as the web page (`registry.selectors.consolidated`).

Not scoped to the current collectivité (no `X-Collectivite`): it lists every collectivité where the person holds
the DPO, RSSI, DGS or administrator role, with figures only. One such collectivité is enough (its row alone); a
person without any answers 403.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import ErrorDocumentingAutoSchema
from core.roles import Role
from registry.api.views import ERROR_403
from reporting import consolidated


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
