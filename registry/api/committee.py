"""API v1 of the ethics committee: its members, its sessions and their agendas, the members' votes and the
committee's opinion recorded by the member presiding over the case (the chair, or the vice-chair or the eldest member
present when the chair may not).

Routes (registry/api/urls.py): `/committee-sessions/` (list, read, create), `/committee-sessions/{id}/agenda/`
(put a case on the agenda), `/committee-sessions/{id}/open/` and `/attendance/` (the session held, who is
present), `/committee-sessions/{id}/agenda/{item_id}/` (DELETE: take it off),
`.../agenda/{item_id}/votes/`, `.../conflict/`, `.../opinion/`, `/committee-sessions/{id}/close/` and
`/committee-members/`. The committee's work is seen by its members, the DPO, the RSSI, the DGS and
administrators (`permissions.can_view_committee`; a session out of sight answers 404, the lists 403); it is
run by the DPO, an administrator or the chair (`permissions.can_manage_committee`).
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api.permissions import ScopedAPIMixin
from core.api.schema import ErrorSerializer
from registry.api.views import COLLECTIVITE_HEADER, ERROR_400, ERROR_403, ERROR_404

from .. import selectors, services
from ..models import AgendaItem, CommitteeMember, CommitteeSession, Vote
from ..permissions import (
    can_manage_committee,
    can_view_committee,
    committee_seat,
    has_conflict_of_interest,
    may_try_committee_opinion,
)
from .reviews_serializers import (
    AgendaAddSerializer,
    AgendaItemSerializer,
    AttendanceRecordSerializer,
    CommentSerializer,
    CommitteeMemberAddSerializer,
    CommitteeMemberSerializer,
    CommitteeMemberUpdateSerializer,
    CommitteeOpinionSerializer,
    CommitteeSessionDetailSerializer,
    CommitteeSessionSerializer,
    SessionCreateSerializer,
    SessionOpenSerializer,
    VoteCastSerializer,
)

ITEM_ID = OpenApiParameter("item_id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("Agenda item id."))
ERROR_409_SESSION = OpenApiResponse(
    ErrorSerializer,
    description=_("The session is closed, the case is not waiting for the committee, or it is already on an agenda."),
)
ERROR_409_ITEM = OpenApiResponse(
    ErrorSerializer,
    description=_(
        "The committee's opinion on this case is recorded or the session is closed, or you already gave yours."
    ),
)
ERROR_403_VIEW = OpenApiResponse(
    ErrorSerializer,
    description=_("The committee's work is shown to its members, the DPO, the RSSI, the DGS and administrators."),
)

NOT_A_MANAGER = _("Only the DPO, an administrator or the committee's chair manage the committee.")


def _check_viewer(view):
    if not can_view_committee(view.request.user, view.access):
        raise PermissionDenied(
            _("The committee's work is shown to its members, the DPO, the RSSI, the DGS and administrators.")
        )


def _check_manager(view):
    if not can_manage_committee(view.request.user, view.access):
        raise PermissionDenied(NOT_A_MANAGER)


@extend_schema(tags=["committee"], parameters=[COLLECTIVITE_HEADER])
@extend_schema_view(
    list=extend_schema(
        summary=_("The ethics committee's sessions"),
        description=_("Most recent first, with the number of cases on each agenda."),
        responses={200: CommitteeSessionSerializer(many=True), 403: ERROR_403_VIEW},
    ),
    retrieve=extend_schema(
        summary=_("A session and its agenda"),
        description=_("Each case with the members' votes and, once recorded, the committee's opinion."),
        responses={200: CommitteeSessionDetailSerializer, 404: ERROR_404},
    ),
)
class CommitteeSessionViewSet(
    ScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The ethics committee's sessions: their agendas, the members' votes, the committee's opinions."""

    serializer_class = CommitteeSessionSerializer
    queryset = CommitteeSession.objects.none()  # the real one comes from the selectors, per user
    filter_backends = []
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CommitteeSession.objects.none()
        return (
            selectors.sessions_visible_to(self.request.user, self.access)
            .select_related("created_by", "chair", "secretary")
            .order_by("-held_on", "-id")
        )

    def get_serializer_class(self):
        return CommitteeSessionSerializer if self.action == "list" else CommitteeSessionDetailSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        return {**context, "show_votes": can_view_committee(self.request.user, self.access)}

    def list(self, request, *args, **kwargs):
        _check_viewer(self)
        return super().list(request, *args, **kwargs)

    def _read(self, session, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=session.pk)
        context = self.get_serializer_context()
        return Response(CommitteeSessionDetailSerializer(fresh, context=context).data, status=status_code)

    def _item(self, session, item_id) -> AgendaItem:
        items = (
            AgendaItem.objects.filter(session=session)
            .select_related(
                "session", "review__use_case__service", "review__use_case__owner", "decided_by", "presided_by"
            )
            .prefetch_related(Prefetch("votes", queryset=Vote.objects.select_related("member__user")))
        )
        return get_object_or_404(items, pk=item_id)

    def _read_item(self, item, status_code=status.HTTP_200_OK) -> Response:
        fresh = self._item(item.session, item.pk)
        return Response(AgendaItemSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(
        summary=_("Plan a session (DPO, administrator, chair)"),
        request=SessionCreateSerializer,
        responses={201: CommitteeSessionDetailSerializer, 400: ERROR_400, 403: ERROR_403},
    )
    def create(self, request, *args, **kwargs):
        _check_manager(self)
        serializer = SessionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = services.session_create(
            collectivite=self.collectivite, acting_user=request.user, data=serializer.validated_data
        )
        return self._read(session, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Put a case on the agenda (DPO, administrator, chair)"),
        description=_(
            "A review round waiting for the committee, on a planned session; the committee's members may then "
            "read the use case."
        ),
        request=AgendaAddSerializer,
        responses={201: AgendaItemSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409_SESSION},
    )
    @action(detail=True, methods=["post"])
    def agenda(self, request, pk=None):
        session = self.get_object()
        _check_manager(self)
        serializer = AgendaAddSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        item = services.agenda_add(
            session=session, review=serializer.validated_data["review"], acting_user=request.user
        )
        return self._read_item(item, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Take a case off the agenda (DPO, administrator, chair)"),
        description=_("As long as no member has given an opinion on it."),
        parameters=[ITEM_ID],
        request=None,
        responses={204: None, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409_ITEM},
    )
    @action(detail=True, methods=["delete"], url_path=r"agenda/(?P<item_id>[0-9]+)")
    def agenda_remove(self, request, pk=None, item_id=None):
        session = self.get_object()
        item = self._item(session, item_id)
        _check_manager(self)
        services.agenda_remove(item=item, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("Give your opinion on a case (committee member)"),
        description=_(
            "Once per member and case, in session (opened, the member recorded present) and before the committee's "
            "opinion is recorded. "
            "A member who owns the use case or belongs to its service has a conflict of interest: refused (403), "
            "they declare it instead."
        ),
        parameters=[ITEM_ID],
        request=VoteCastSerializer,
        responses={201: AgendaItemSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409_ITEM},
    )
    @action(detail=True, methods=["post"], url_path=r"agenda/(?P<item_id>[0-9]+)/votes")
    def vote(self, request, pk=None, item_id=None):
        session = self.get_object()
        item = self._item(session, item_id)
        self._check_member()
        if has_conflict_of_interest(request.user, self.access, item.review.use_case):
            raise PermissionDenied(
                _("You own this use case or belong to its service: declare your conflict of interest, you cannot vote.")
            )
        serializer = VoteCastSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.vote_cast(item=item, acting_user=request.user, **serializer.validated_data)
        return self._read_item(item, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Declare a conflict of interest on a case (committee member)"),
        description=_("Recorded instead of an opinion: the member takes no part in the committee's opinion."),
        parameters=[ITEM_ID],
        request=CommentSerializer,
        responses={201: AgendaItemSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409_ITEM},
    )
    @action(detail=True, methods=["post"], url_path=r"agenda/(?P<item_id>[0-9]+)/conflict")
    def conflict(self, request, pk=None, item_id=None):
        session = self.get_object()
        item = self._item(session, item_id)
        self._check_member()
        serializer = CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.conflict_declare(item=item, acting_user=request.user, comment=serializer.validated_data["comment"])
        return self._read_item(item, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Record the committee's opinion on a case (the member presiding over it)"),
        description=_(
            "By whoever presides over the case (`presiding` of the agenda item): the chair; when the chair is absent "
            "or has a conflict of interest on it, the vice-chair, then the eldest member present without one. Anyone "
            "else is refused (403), told who presides. "
            "In session (opened on its date, with the attendance) and with the quorum: the members present without a "
            "conflict of interest on the case. The opinion keeps the quorum, the votes and who presided (`record`). "
            "The decision "
            "follows: unfavourable rejects, favourable approves (with conditions if any were set), `postponed` keeps "
            "the case waiting for a later session."
        ),
        parameters=[ITEM_ID],
        request=CommitteeOpinionSerializer,
        responses={200: AgendaItemSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409_ITEM},
    )
    @action(detail=True, methods=["post"], url_path=r"agenda/(?P<item_id>[0-9]+)/opinion")
    def item_opinion(self, request, pk=None, item_id=None):
        session = self.get_object()
        item = self._item(session, item_id)
        # Whoever presides over the case, or the chair (the service tells them who presides in their place).
        if not may_try_committee_opinion(request.user, self.access, item):
            raise PermissionDenied(_("Only the member presiding over the committee records its opinion."))
        serializer = CommitteeOpinionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.committee_opinion_record(item=item, acting_user=request.user, **serializer.validated_data)
        return self._read_item(item)

    @extend_schema(
        summary=_("Open a session on its date, with the attendance (DPO, administrator, chair)"),
        description=_(
            "Refused before the session's date. Every member in office is recorded present or absent; the committee "
            "then gives its opinions in session, each with the quorum."
        ),
        request=SessionOpenSerializer,
        responses={
            200: CommitteeSessionDetailSerializer,
            400: ERROR_400,
            403: ERROR_403,
            404: ERROR_404,
            409: ERROR_409_SESSION,
        },
    )
    @action(detail=True, methods=["post"], url_path="open")
    def open_session(self, request, pk=None):
        session = self.get_object()
        _check_manager(self)
        serializer = SessionOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.session_open(session=session, acting_user=request.user, **serializer.validated_data)
        return self._read(session)

    @extend_schema(
        summary=_("Correct the attendance of a session in progress (DPO, administrator, chair)"),
        request=AttendanceRecordSerializer,
        responses={
            200: CommitteeSessionDetailSerializer,
            400: ERROR_400,
            403: ERROR_403,
            404: ERROR_404,
            409: ERROR_409_SESSION,
        },
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        session = self.get_object()
        _check_manager(self)
        serializer = AttendanceRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.attendance_record(session=session, acting_user=request.user, **serializer.validated_data)
        return self._read(session)

    @extend_schema(
        summary=_("Close a session (DPO, administrator, chair)"),
        description=_("The cases it gave no opinion on are postponed, to be put on a later session."),
        request=None,
        responses={200: CommitteeSessionDetailSerializer, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409_SESSION},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        session = self.get_object()
        _check_manager(self)
        services.session_close(session=session, acting_user=request.user)
        return self._read(session)

    def _check_member(self):
        if committee_seat(self.request.user, self.access.collectivite_id) is None:
            raise PermissionDenied(_("Only the members of the ethics committee vote on its cases."))


@extend_schema(tags=["committee"], parameters=[COLLECTIVITE_HEADER])
@extend_schema_view(
    list=extend_schema(
        summary=_("The ethics committee's members"),
        description=_("The chair first. `include_former=true` adds the members whose mandate ended."),
        parameters=[OpenApiParameter("include_former", OpenApiTypes.BOOL, description=_("Also list former members."))],
        responses={200: CommitteeMemberSerializer(many=True), 403: ERROR_403_VIEW},
    ),
    retrieve=extend_schema(summary=_("A committee member"), responses={200: CommitteeMemberSerializer, 404: ERROR_404}),
    create=extend_schema(
        summary=_("Seat a person on the committee (DPO, administrator, chair)"),
        request=CommitteeMemberAddSerializer,
        responses={
            201: CommitteeMemberSerializer,
            400: ERROR_400,
            403: ERROR_403,
            409: OpenApiResponse(ErrorSerializer, description=_("This person already sits on the committee.")),
        },
    ),
    partial_update=extend_schema(
        summary=_("Change a member's seat: chair, quality, end of mandate (DPO, administrator, chair)"),
        request=CommitteeMemberUpdateSerializer,
        responses={200: CommitteeMemberSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404},
    ),
)
class CommitteeMemberViewSet(ScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The members of the ethics committee: named people, possibly external, and one chair."""

    serializer_class = CommitteeMemberSerializer
    queryset = CommitteeMember.objects.none()
    filter_backends = []
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or not can_view_committee(self.request.user, self.access):
            return CommitteeMember.objects.none()
        include_former = self.action != "list" or self.request.query_params.get("include_former") in ("true", "1")
        return selectors.committee_members(self.access, include_former=include_former)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        return {**context, "may_manage": can_manage_committee(self.request.user, self.access)}

    def list(self, request, *args, **kwargs):
        _check_viewer(self)
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        _check_manager(self)
        serializer = CommitteeMemberAddSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        member = services.committee_member_add(
            collectivite=self.collectivite, acting_user=request.user, **serializer.validated_data
        )
        fresh = selectors.committee_members(self.access, include_former=True).get(pk=member.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        member = self.get_object()
        _check_manager(self)
        serializer = CommitteeMemberUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member = services.committee_member_update(
            member=member, acting_user=request.user, data=serializer.validated_data
        )
        fresh = selectors.committee_members(self.access, include_former=True).get(pk=member.pk)
        return Response(self.get_serializer(fresh).data)
