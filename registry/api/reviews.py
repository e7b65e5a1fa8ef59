"""API v1 of the review workflow: review rounds and the DPO's and RSSI's opinions ("Mes tâches", `/tasks/`, is
reporting's: `reporting.api`).

Routes (registry/api/urls.py): `/reviews/` (list, read), `/reviews/{id}/opinions/` (give an opinion),
`/reviews/{id}/return/` (send the case back to its owner). A round is visible to whoever sees
its use case (404 otherwise); an action the user may not take answers 403, one the round's state does not
allow 409. The ethics committee's endpoints are in `committee.py`, the use-case transitions in `views.py`.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.access import get_access
from core.api.permissions import ScopedAPIMixin
from core.api.schema import ErrorSerializer
from core.middleware import current_collectivite
from registry.api.views import COLLECTIVITE_HEADER, ERROR_400, ERROR_403, ERROR_404
from registry.permissions import can_view_committee, reviewer_roles

from .. import selectors, services
from ..choices import ReviewKind, ReviewStatus
from ..models import Opinion, Review
from .filters import CodeChoiceFilter
from .reviews_serializers import (
    CommentSerializer,
    OpinionGiveSerializer,
    ReviewDetailSerializer,
    ReviewSerializer,
)

ERROR_409 = OpenApiResponse(
    ErrorSerializer,
    description=_("The round's state does not allow it (opinions closed), or this opinion was already given."),
)


class ReviewVotesMixin:
    """Members' individual votes are shown only to those who may see the committee's work."""

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False) or self.action == "list":  # the list shows no votes
            return context
        return {**context, "show_votes": can_view_committee(self.request.user, self.access)}


# --- Filters -----------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ReviewFilter(django_filters.FilterSet):
    status = CodeChoiceFilter(choices=ReviewStatus.choices)
    kind = CodeChoiceFilter(choices=ReviewKind.choices)
    use_case = IdFilter(field_name="use_case_id", label=_("Use case (id)"))
    awaiting_my_opinion = django_filters.BooleanFilter(
        method="filter_awaiting_my_opinion",
        label=_("Rounds waiting for an opinion of yours (DPO, RSSI)"),
    )

    class Meta:
        model = Review
        fields = ("status", "kind", "use_case", "awaiting_my_opinion")

    def filter_awaiting_my_opinion(self, queryset, name, value):
        roles = reviewer_roles(get_access(self.request.user, current_collectivite(self.request)))
        if not roles:
            return queryset.none() if value else queryset
        missing = Q()
        for role in roles:
            missing |= ~Exists(Opinion.objects.filter(review=OuterRef("pk"), role=role))
        awaiting = Q(status=ReviewStatus.OPINIONS) & missing
        return queryset.filter(awaiting) if value else queryset.exclude(awaiting)


# --- Views -------------------------------------------------------------------------------------------


@extend_schema(tags=["reviews"], parameters=[COLLECTIVITE_HEADER])
@extend_schema_view(
    list=extend_schema(
        summary=_("Review rounds of the use cases you may see"),
        description=_(
            "Newest first. `awaiting_my_opinion=true` lists the rounds waiting for your opinion as DPO or RSSI."
        ),
    ),
    retrieve=extend_schema(
        summary=_("A review round: what was reviewed, opinions, committee, decision"),
        description=_(
            "`snapshot` is what was submitted, frozen; `changes` what differs in the use case today. The members' "
            "individual votes are shown to the committee's members, the DPO, the RSSI, the DGS and administrators."
        ),
        responses={200: ReviewDetailSerializer, 404: ERROR_404},
    ),
)
class ReviewViewSet(
    ReviewVotesMixin, ScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The review rounds of use cases: the DPO and the RSSI give their opinions here."""

    serializer_class = ReviewSerializer
    queryset = Review.objects.none()  # the real one comes from the selectors, per user
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReviewFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Review.objects.none()
        if self.action == "list":
            return selectors.review_list(self.request.user, self.access)
        return (
            selectors.review_detail(self.request.user, self.access)
            .select_related("use_case__tool")
            .prefetch_related("conditions__checkpoints")
        )

    def get_serializer_class(self):
        return ReviewSerializer if self.action == "list" else ReviewDetailSerializer

    def _read(self, review, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=review.pk)
        return Response(ReviewDetailSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)

    def _reviewed(self):
        review = self.get_object()  # 404 outside what the user sees
        if not reviewer_roles(self.access):
            raise PermissionDenied(_("Only the DPO and the RSSI give opinions on a review."))
        return review

    @extend_schema(
        summary=_("Give your opinion (DPO or RSSI)"),
        description=_(
            "Once per role and round, while the round waits for opinions. `role` may be left out by whoever "
            "holds only one of the two roles. The second opinion moves the case on: to the ethics committee "
            "(required by the classification or asked for), else to the decision (any unfavourable opinion "
            "rejects, any condition approves with conditions). Answers the round as it stands."
        ),
        request=OpinionGiveSerializer,
        responses={201: ReviewDetailSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409},
    )
    @action(detail=True, methods=["post"])
    def opinions(self, request, pk=None):
        review = self._reviewed()
        serializer = OpinionGiveSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        role = data.pop("role")
        services.opinion_give(review=review, acting_user=request.user, role=role, data=data)
        return self._read(review, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Return the use case to its owner for changes (DPO or RSSI)"),
        description=_(
            "While the round waits for opinions (not for a periodic re-review): the round is withdrawn and the "
            "use case goes back to draft, with the comment saying what to complete."
        ),
        request=CommentSerializer,
        responses={200: ReviewDetailSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_for_changes(self, request, pk=None):
        review = self._reviewed()
        serializer = CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.review_return_for_changes(
            review=review, acting_user=request.user, comment=serializer.validated_data["comment"]
        )
        return self._read(review)
