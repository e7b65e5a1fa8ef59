"""Serializers of the review workflow's API: review rounds, DPO and RSSI opinions, conditions, the ethics
committee (members, sessions, agenda items, members' votes). "Mes tâches" is reporting's (`reporting.api`).

Codes are DOMAIN.md's; the individual votes of committee members are shown only to those who may see the
committee's work (`permissions.can_view_committee`), the committee's opinion to everyone who sees the case.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import CodeField, OptionalCodeField
from registry.api.serializers import (
    PlausibleDateTimeField,
    ScopedRelatedField,
    ServiceSummarySerializer,
    UserSummarySerializer,
)

from ..choices import (
    CommitteeOpinion,
    DataClassification,
    MemberVote,
    OpinionVerdict,
    ProgressStatus,
    ReviewDecision,
    ReviewerRole,
    ReviewKind,
    ReviewStatus,
    SessionStatus,
    UseCaseStatus,
    VendorReuse,
)
from ..models import (
    AgendaItem,
    Attendance,
    CommitteeMember,
    CommitteeSession,
    Opinion,
    Review,
    ReviewCondition,
    UseCase,
    User,
    Vote,
)
from ..permissions import reviewer_roles
from ..services.reviews import DPO_FIELDS, MAX_CONDITIONS, RSSI_FIELDS

# Named for the OpenAPI enums (see SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
CONDITION_SOURCES = ReviewCondition.Source
TEXT_MAX_LENGTH = 5000


def _may_see_votes(serializer) -> bool:
    return bool(serializer.context.get("show_votes"))


# --- Reading -----------------------------------------------------------------------------------------


class ReviewedUseCaseSerializer(serializers.ModelSerializer):
    """The use case a review round is about, as a list row shows it."""

    status = serializers.ChoiceField(choices=UseCaseStatus.choices, read_only=True)
    service = ServiceSummarySerializer(read_only=True)
    owner = UserSummarySerializer(read_only=True)

    class Meta:
        model = UseCase
        fields = ("id", "reference", "name", "status", "service", "owner")
        read_only_fields = fields


class OpinionSummarySerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=ReviewerRole.choices, read_only=True)
    verdict = serializers.ChoiceField(choices=OpinionVerdict.choices, read_only=True)
    author = UserSummarySerializer(read_only=True)

    class Meta:
        model = Opinion
        fields = ("id", "role", "verdict", "ask_committee", "author", "created_at")
        read_only_fields = fields


class OpinionSerializer(OpinionSummarySerializer):
    """The DPO's (data protection) or the RSSI's (security) opinion; the other role's fields are null."""

    conditions = serializers.SerializerMethodField(help_text=_("The conditions this opinion sets."))
    legal_basis = serializers.CharField(read_only=True, allow_null=True, help_text=_("DPO only."))
    dpia_status = OptionalCodeField(choices=ProgressStatus.choices, read_only=True, help_text=_("DPO only."))
    processing_record_ref = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("DPO only: the entry of the record of processing (art. 30).")
    )
    retention = serializers.CharField(read_only=True, allow_null=True, help_text=_("DPO only."))
    hosting_assessment = serializers.CharField(read_only=True, allow_null=True, help_text=_("RSSI only."))
    data_classification = OptionalCodeField(
        choices=DataClassification.choices,
        read_only=True,
        help_text=_("RSSI only: the most sensitive data the use may process."),
    )
    vendor_reuse = OptionalCodeField(choices=VendorReuse.choices, read_only=True, help_text=_("RSSI only."))
    homologation_status = OptionalCodeField(
        choices=ProgressStatus.choices, read_only=True, help_text=_("RSSI only: the security homologation.")
    )

    class Meta(OpinionSummarySerializer.Meta):
        fields = (
            *OpinionSummarySerializer.Meta.fields,
            "comment",
            "conditions",
            *DPO_FIELDS,
            *RSSI_FIELDS,
        )
        read_only_fields = fields

    def get_conditions(self, opinion) -> list[str]:
        return [c.text for c in opinion.review.conditions.all() if c.source == opinion.role]

    def to_representation(self, opinion):
        data = super().to_representation(opinion)
        for name in RSSI_FIELDS if opinion.role == ReviewerRole.DPO else DPO_FIELDS:
            data[name] = None
        return data


class ReviewConditionSerializer(serializers.ModelSerializer):
    source = serializers.ChoiceField(choices=CONDITION_SOURCES.choices, read_only=True)
    checkpoints = serializers.SerializerMethodField(
        help_text=_(
            "The checkpoints the condition became on approval (ids): their owner is to be named on the checkpoint."
        )
    )

    class Meta:
        model = ReviewCondition
        fields = ("id", "source", "text", "checkpoints", "created_at")
        read_only_fields = fields

    def get_checkpoints(self, condition) -> list[int]:
        return [checkpoint.pk for checkpoint in condition.checkpoints.all()]


class CommitteeMemberSerializer(serializers.ModelSerializer):
    """A seat on the ethics committee. The date of birth (used only to name the eldest member present) is shown to
    those who manage the committee only; null for others."""

    user = UserSummarySerializer(read_only=True)
    birth_date = serializers.SerializerMethodField(
        help_text=_(
            "Used only to name the eldest member present, who presides over a case when neither the chair nor the "
            "vice-chair may; shown to those who manage the committee, null for others."
        )
    )

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_birth_date(self, member):
        if not self.context.get("may_manage") or member.birth_date is None:
            return None
        return member.birth_date.isoformat()

    class Meta:
        model = CommitteeMember
        fields = (
            "id",
            "user",
            "is_chair",
            "is_vice_chair",
            "external",
            "affiliation",
            "active",
            "joined_on",
            "birth_date",
        )
        read_only_fields = fields


class VoteSerializer(serializers.ModelSerializer):
    """A member's opinion on a case, or their declared conflict of interest (then `choice` is null)."""

    member = serializers.IntegerField(source="member_id", read_only=True)
    member_name = serializers.SerializerMethodField()
    choice = OptionalCodeField(choices=MemberVote.choices, read_only=True)

    class Meta:
        model = Vote
        fields = ("id", "member", "member_name", "choice", "conflict_of_interest", "comment", "created_at")
        read_only_fields = fields

    def get_member_name(self, vote) -> str:
        return str(vote.member)


class SessionSummarySerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=SessionStatus.choices, read_only=True)

    class Meta:
        model = CommitteeSession
        fields = ("id", "held_on", "place", "status")
        read_only_fields = fields


class ReviewSummarySerializer(serializers.ModelSerializer):
    use_case = ReviewedUseCaseSerializer(read_only=True)
    kind = serializers.ChoiceField(choices=ReviewKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=ReviewStatus.choices, read_only=True)
    decision = OptionalCodeField(choices=ReviewDecision.choices, read_only=True)

    class Meta:
        model = Review
        fields = ("id", "number", "kind", "status", "ethics_required", "decision", "use_case")
        read_only_fields = fields


class OpinionRecordSerializer(serializers.Serializer):
    """The attendance and the votes the committee's opinion was given with, frozen when the chair recorded it."""

    members_in_office = serializers.IntegerField(read_only=True)
    quorum_required = serializers.IntegerField(read_only=True)
    present = serializers.IntegerField(
        source="present_count", read_only=True, help_text=_("Members present without a conflict of interest.")
    )
    conflicts = serializers.IntegerField(source="conflict_count", read_only=True)
    favourable = serializers.IntegerField(source="votes_favourable", read_only=True)
    favourable_with_conditions = serializers.IntegerField(source="votes_with_conditions", read_only=True)
    unfavourable = serializers.IntegerField(source="votes_unfavourable", read_only=True)
    abstain = serializers.IntegerField(source="votes_abstain", read_only=True)
    presided_by = UserSummarySerializer(
        read_only=True,
        allow_null=True,
        help_text=_("Who presided over the case and recorded its opinion (null for an opinion recorded before this)."),
    )
    presiding_role = OptionalCodeField(
        choices=AgendaItem.PresidingRole.choices,
        read_only=True,
        help_text=_(
            "As what they presided: `chair`; `vice_chair` or the `eldest` member present when the chair was absent or "
            "had a conflict of interest on the case; `longest_serving` when the ages were not known or equal."
        ),
    )


class PresidingSerializer(serializers.Serializer):
    """Who presides over a case in session, and so alone records the committee's opinion on it."""

    member = serializers.IntegerField(source="member.pk", read_only=True)
    user = UserSummarySerializer(read_only=True)
    presiding_role = serializers.ChoiceField(source="role", choices=AgendaItem.PresidingRole.choices, read_only=True)


def _roster(context: dict, session):
    """The session's roster (`selectors.session_roster`), read once per response and shared by its items."""
    from ..selectors import session_roster

    rosters = context.setdefault("_rosters", {})
    if session.pk not in rosters:
        rosters[session.pk] = session_roster(session)
    return rosters[session.pk]


class AgendaItemSerializer(serializers.ModelSerializer):
    """A case on a session's agenda: the members' votes and the committee's opinion (recorded by the chair)."""

    session = SessionSummarySerializer(read_only=True)
    review = ReviewSummarySerializer(read_only=True)
    opinion = OptionalCodeField(
        choices=CommitteeOpinion.choices, read_only=True, help_text=_("The committee's opinion; null until recorded.")
    )
    decided_by = UserSummarySerializer(read_only=True, allow_null=True)
    vote_count = serializers.SerializerMethodField(help_text=_("Opinions given and conflicts of interest declared."))
    record = serializers.SerializerMethodField(
        help_text=_(
            "The quorum and the votes (for, for with conditions, against, abstentions) the committee's opinion was "
            "given with; null until it is recorded in session."
        )
    )
    votes = serializers.SerializerMethodField(
        help_text=_(
            "The members' individual opinions: shown to the committee's members, the DPO, the RSSI, the DGS and "
            "administrators; null for others."
        )
    )
    presiding = serializers.SerializerMethodField(
        help_text=_(
            "In session and until the opinion is recorded: who presides over the case and alone may record the "
            "committee's opinion (the chair; when the chair is absent or has a conflict of interest on it, the "
            "vice-chair, then the eldest member present). Null otherwise; once recorded, see `record`."
        )
    )

    class Meta:
        model = AgendaItem
        fields = (
            "id",
            "session",
            "review",
            "position",
            "opinion",
            "opinion_comment",
            "decided_by",
            "decided_at",
            "vote_count",
            "record",
            "presiding",
            "votes",
        )
        read_only_fields = fields

    @extend_schema_field(PresidingSerializer(allow_null=True))
    def get_presiding(self, item):
        from ..selectors import presiding_member

        if item.opinion or item.session.status != SessionStatus.OPEN:
            return None
        presiding = presiding_member(item, _roster(self.context, item.session))
        return PresidingSerializer(presiding).data if presiding else None

    def get_vote_count(self, item) -> int:
        return len(item.votes.all())

    @extend_schema_field(OpinionRecordSerializer(allow_null=True))
    def get_record(self, item):
        return OpinionRecordSerializer(item).data if item.has_record else None

    @extend_schema_field(VoteSerializer(many=True, allow_null=True))
    def get_votes(self, item):
        if not _may_see_votes(self):
            return None
        return VoteSerializer(item.votes.all(), many=True).data


class ReviewSerializer(serializers.ModelSerializer):
    """A review round as the list shows it: the case, where the round stands, the opinions given."""

    use_case = ReviewedUseCaseSerializer(read_only=True)
    kind = serializers.ChoiceField(choices=ReviewKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=ReviewStatus.choices, read_only=True)
    decision = OptionalCodeField(choices=ReviewDecision.choices, read_only=True)
    ethics_required = serializers.BooleanField(
        read_only=True, help_text=_("The classification requires the ethics committee's opinion.")
    )
    stale_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text=_("When a material change made this approval out of date (a newer round reviews the change)."),
    )
    opinions = OpinionSummarySerializer(many=True, read_only=True)
    awaiting_opinions = serializers.SerializerMethodField(
        help_text=_("The opinions still awaited while the round waits for them (`dpo`, `rssi`).")
    )

    class Meta:
        model = Review
        fields = (
            "id",
            "use_case",
            "number",
            "kind",
            "status",
            "ethics_required",
            "opened_at",
            "decision",
            "decided_at",
            "stale_at",
            "opinions",
            "awaiting_opinions",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ReviewerRole.choices)))
    def get_awaiting_opinions(self, review) -> list[str]:
        if review.status != ReviewStatus.OPINIONS:
            return []
        given = {opinion.role for opinion in review.opinions.all()}
        return [role for role in ReviewerRole.values if role not in given]


class ReviewRoundSerializer(ReviewSerializer):
    """A review round in full: what was submitted (frozen), the opinions, the conditions, the committee's work
    and the decision."""

    snapshot = serializers.JSONField(
        read_only=True,
        help_text=_(
            "What was reviewed, frozen when the round opened: `fields` (the use case's fields), `classification`, "
            "`required_checkpoints`, `reasons`, `version`, `status`."
        ),
    )
    snapshot_version = serializers.IntegerField(read_only=True, help_text=_("The version of the use case reviewed."))
    opened_by = UserSummarySerializer(read_only=True, allow_null=True)
    decided_by = UserSummarySerializer(read_only=True, allow_null=True)
    opinions = OpinionSerializer(many=True, read_only=True)
    conditions = ReviewConditionSerializer(many=True, read_only=True)
    agenda_items = AgendaItemSerializer(many=True, read_only=True)

    class Meta(ReviewSerializer.Meta):
        fields = (
            *ReviewSerializer.Meta.fields,
            "snapshot",
            "snapshot_version",
            "opened_by",
            "decided_by",
            "decision_comment",
            "closed_reason",
            "conditions",
            "agenda_items",
        )
        read_only_fields = fields


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField(read_only=True, help_text=_("The field's code."))
    label = serializers.CharField(read_only=True)
    before = serializers.CharField(read_only=True, help_text=_("As reviewed."))
    after = serializers.CharField(read_only=True, help_text=_("Today."))
    material = serializers.BooleanField(
        read_only=True, help_text=_("A change that calls for a new review (classification, tool, purpose).")
    )


class ReviewDetailSerializer(ReviewRoundSerializer):
    """A review round in full, with what changed in the use case since it was reviewed."""

    changes = serializers.SerializerMethodField(
        help_text=_("The fields and classification results that differ between what was reviewed and today.")
    )

    class Meta(ReviewRoundSerializer.Meta):
        fields = (*ReviewRoundSerializer.Meta.fields, "changes")
        read_only_fields = fields

    @extend_schema_field(ChangeSerializer(many=True))
    def get_changes(self, review):
        from ..selectors import review_changes

        return ChangeSerializer(review_changes(review, review.use_case), many=True).data


class CommitteeSessionSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(
        choices=SessionStatus.choices,
        read_only=True,
        help_text=_("`open`: opened on its date with the attendance, the committee sits and gives its opinions."),
    )
    held = serializers.BooleanField(
        source="was_held",
        read_only=True,
        help_text=_("Opened with the attendance (a session closed unopened was not held)."),
    )
    item_count = serializers.IntegerField(read_only=True, help_text=_("Cases on the agenda."))
    created_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = CommitteeSession
        fields = (
            "id",
            "held_on",
            "place",
            "status",
            "held",
            "notes",
            "item_count",
            "created_by",
            "created_at",
            "opened_at",
            "closed_at",
        )
        read_only_fields = fields


class AttendanceSerializer(serializers.ModelSerializer):
    member = serializers.IntegerField(source="member_id", read_only=True)
    member_name = serializers.SerializerMethodField()

    class Meta:
        model = Attendance
        fields = ("member", "member_name", "present")
        read_only_fields = fields

    def get_member_name(self, row) -> str:
        return str(row.member)


class CommitteeSessionDetailSerializer(CommitteeSessionSerializer):
    """A session with its attendance, its quorum and its agenda, in order."""

    chair = UserSummarySerializer(read_only=True, allow_null=True)
    secretary = UserSummarySerializer(read_only=True, allow_null=True)
    quorum_percent = serializers.IntegerField(read_only=True, allow_null=True)
    attendance = serializers.SerializerMethodField(
        help_text=_("Every member in office, present or not; empty until opened.")
    )
    items = serializers.SerializerMethodField()

    class Meta(CommitteeSessionSerializer.Meta):
        fields = (
            *CommitteeSessionSerializer.Meta.fields,
            "chair",
            "secretary",
            "quorum_percent",
            "attendance",
            "items",
        )
        read_only_fields = fields

    @extend_schema_field(AttendanceSerializer(many=True))
    def get_attendance(self, session):
        # The roster the agenda's items read too (who presides over each case): one read of the attendance.
        rows = sorted(_roster(self.context, session).attendance, key=lambda row: (not row.member.is_chair, row.pk))
        return AttendanceSerializer(rows, many=True).data

    @extend_schema_field(AgendaItemSerializer(many=True))
    def get_items(self, session):
        from ..selectors import session_items

        return AgendaItemSerializer(session_items(session), many=True, context=self.context).data


# --- Writing -----------------------------------------------------------------------------------------


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH)


class RequiredCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=TEXT_MAX_LENGTH,
        help_text=_("Why: recorded in the history and sent to the people concerned. Required."),
    )


class ConditionsField(serializers.ListField):
    child = serializers.CharField(max_length=500)

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", list)
        kwargs.setdefault("max_length", MAX_CONDITIONS)
        kwargs.setdefault(
            "help_text",
            _("Conditions, one per item (500 characters at most): required with a favourable opinion with conditions."),
        )
        super().__init__(**kwargs)


def _text(max_length=TEXT_MAX_LENGTH, **kwargs):
    return serializers.CharField(required=False, allow_blank=True, default="", max_length=max_length, **kwargs)


class OpinionGiveSerializer(serializers.Serializer):
    """The DPO's or the RSSI's opinion on a review round, given once per role."""

    role = CodeField(
        choices=ReviewerRole.choices,
        required=False,
        help_text=_("`dpo` or `rssi`: may be left out by whoever holds only one of the two roles."),
    )
    verdict = CodeField(choices=OpinionVerdict.choices)
    comment = _text(help_text=_("Required with an unfavourable opinion."))
    conditions = ConditionsField()
    ask_committee = serializers.BooleanField(
        default=False, help_text=_("Ask for the ethics committee's opinion even if the classification does not.")
    )
    legal_basis = _text(help_text=_("DPO only."))
    dpia_status = OptionalCodeField(choices=ProgressStatus.choices, help_text=_("DPO only."))
    processing_record_ref = _text(100, help_text=_("DPO only: the entry of the record of processing (art. 30)."))
    retention = _text(200, help_text=_("DPO only."))
    hosting_assessment = _text(help_text=_("RSSI only."))
    data_classification = OptionalCodeField(choices=DataClassification.choices, help_text=_("RSSI only."))
    vendor_reuse = OptionalCodeField(choices=VendorReuse.choices, help_text=_("RSSI only."))
    homologation_status = OptionalCodeField(choices=ProgressStatus.choices, help_text=_("RSSI only."))

    def validate(self, attrs):
        roles = reviewer_roles(self.context["access"])
        role = attrs.get("role")
        if role is None and len(roles) > 1:
            raise serializers.ValidationError(
                {"role": [_("You are both DPO and RSSI: say which opinion you give (`dpo` or `rssi`).")]}
            )
        role = role or (roles[0] if roles else None)
        attrs["role"] = role
        others = RSSI_FIELDS if role == ReviewerRole.DPO else DPO_FIELDS if role == ReviewerRole.RSSI else ()
        misplaced = {name: [_("This field belongs to the other role's opinion.")] for name in others if attrs.get(name)}
        if misplaced:
            raise serializers.ValidationError(misplaced)
        return attrs


class SessionCreateSerializer(serializers.Serializer):
    held_on = PlausibleDateTimeField(label=_("date"), help_text=_("Date and time of the session."))
    place = _text(200, label=_("place"))
    notes = _text(label=_("notes"))


# An id a database can hold: beyond it PostgreSQL refuses the query (a 500), not the request (a 400).
ID_BOUNDS = {"min_value": 1, "max_value": 2**63 - 1}


class AttendanceRecordSerializer(serializers.Serializer):
    present = serializers.ListField(
        child=serializers.IntegerField(**ID_BOUNDS),
        allow_empty=True,
        max_length=200,
        help_text=_("The ids of the committee's members present; the others are absent."),
    )


class SessionOpenSerializer(AttendanceRecordSerializer):
    secretary = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("A person of the collectivité, by id; the DPO by default."),
        **ID_BOUNDS,
    )


class AgendaAddSerializer(serializers.Serializer):
    review = ScopedRelatedField(
        lambda access: Review.objects.filter(collectivite_id=access.collectivite_id),
        queryset=Review.objects.all(),
        help_text=_("A review round awaiting the ethics committee (status `committee`), by id."),
    )


class VoteCastSerializer(serializers.Serializer):
    choice = CodeField(choices=MemberVote.choices)
    comment = _text(help_text=_("Required with an unfavourable opinion."))


class CommitteeOpinionSerializer(serializers.Serializer):
    opinion = CodeField(
        choices=CommitteeOpinion.choices,
        help_text=_("`postponed` keeps the case waiting for the committee, to be put on a later session."),
    )
    comment = _text(help_text=_("The committee's reasons: required with an unfavourable or postponed opinion."))
    conditions = ConditionsField()


def _members_of(access):
    return User.objects.filter(memberships__collectivite_id=access.collectivite_id).distinct()


BIRTH_DATE_HELP = _(
    "Optional: used only to name the eldest member present, who presides over a case when neither the chair nor the "
    "vice-chair may."
)


class CommitteeMemberAddSerializer(serializers.Serializer):
    user = ScopedRelatedField(
        _members_of,
        queryset=User.objects.all(),
        help_text=_(
            "A person with an account in the collectivité, by id (an external member is first given an account by "
            "an administrator). They receive the ethics committee role."
        ),
    )
    is_chair = serializers.BooleanField(default=False, help_text=_("The current chair, if any, steps down."))
    is_vice_chair = serializers.BooleanField(
        default=False, help_text=_("The current vice-chair, if any, steps down. Not with `is_chair`.")
    )
    external = serializers.BooleanField(default=False)
    affiliation = _text(200, help_text=_("E.g. elected official, researcher, resident."))
    birth_date = serializers.DateField(required=False, allow_null=True, default=None, help_text=BIRTH_DATE_HELP)


class CommitteeMemberUpdateSerializer(serializers.Serializer):
    is_chair = serializers.BooleanField(required=False, help_text=_("The current chair, if any, steps down."))
    is_vice_chair = serializers.BooleanField(
        required=False, help_text=_("The current vice-chair, if any, steps down. Not with `is_chair`.")
    )
    birth_date = serializers.DateField(required=False, allow_null=True, help_text=BIRTH_DATE_HELP)
    external = serializers.BooleanField(required=False)
    affiliation = serializers.CharField(required=False, allow_blank=True, max_length=200)
    active = serializers.BooleanField(
        required=False, help_text=_("False ends the mandate: the person no longer sees the committee's cases.")
    )
