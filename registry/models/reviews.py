"""How a use case is approved: review rounds with a frozen snapshot, the DPO and RSSI opinions, their
conditions, and the ethics committee (members, sessions, agenda items, members' votes).

Every status here is written by `registry.services.reviews` only (the fields are not editable); opinions,
votes and conditions are append-only.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import AppendOnlyModel

from ..choices import (
    OPEN_REVIEW_STATUSES,
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
    VendorReuse,
)
from .organisation import Collectivite, User
from .use_cases import UseCase


class Review(models.Model):
    """One review round of a use case: what was submitted (frozen), the opinions, and the decision."""

    collectivite = models.ForeignKey(
        Collectivite, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("collectivité")
    )
    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("use case"))
    number = models.PositiveIntegerField(_("round"), editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=ReviewKind.choices, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.OPINIONS, editable=False
    )
    # What was submitted: the use case's fields and classification, frozen when the round opened.
    snapshot = models.JSONField(_("snapshot"), editable=False)
    snapshot_version = models.PositiveIntegerField(_("version reviewed"), editable=False)
    ethics_required = models.BooleanField(_("ethics committee required"), default=False, editable=False)
    opened_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    decision = models.CharField(
        _("decision"), max_length=30, choices=ReviewDecision.choices, blank=True, editable=False
    )
    decision_comment = models.TextField(_("decision comment"), blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    # Set when a material change made the approval out of date (a newer round then reviews the change).
    stale_at = models.DateTimeField(_("approval out of date since"), null=True, blank=True, editable=False)
    closed_reason = models.TextField(_("reason for closing"), blank=True, editable=False)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["use_case", "number"], name="review_round_unique"),
            # At most one open round per use case: two reviewers opening one at the same time cannot both win.
            models.UniqueConstraint(
                fields=["use_case"], condition=Q(status__in=OPEN_REVIEW_STATUSES), name="review_one_open"
            ),
        ]
        indexes = [models.Index(fields=["collectivite", "status"])]

    def __str__(self) -> str:
        return f"{self.use_case.reference} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REVIEW_STATUSES


class Opinion(AppendOnlyModel):
    """The DPO's or the RSSI's opinion on one review round, given once."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="opinions", verbose_name=_("review"))
    role = models.CharField(_("role"), max_length=4, choices=ReviewerRole.choices)
    author = models.ForeignKey(User, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(_("opinion"), max_length=30, choices=OpinionVerdict.choices)
    comment = models.TextField(_("comment"), blank=True)
    ask_committee = models.BooleanField(_("ask for the ethics committee's opinion"), default=False)
    # The DPO's assessment (data protection).
    legal_basis = models.TextField(_("legal basis"), blank=True)
    dpia_status = models.CharField(_("DPIA"), max_length=20, choices=ProgressStatus.choices, blank=True)
    processing_record_ref = models.CharField(_("record of processing (art. 30)"), max_length=100, blank=True)
    retention = models.CharField(_("retention period"), max_length=200, blank=True)
    # The RSSI's assessment (security).
    hosting_assessment = models.TextField(_("hosting"), blank=True)
    data_classification = models.CharField(
        _("highest data classification allowed"), max_length=2, choices=DataClassification.choices, blank=True
    )
    vendor_reuse = models.CharField(_("vendor reuse of data"), max_length=10, choices=VendorReuse.choices, blank=True)
    homologation_status = models.CharField(
        _("security homologation"), max_length=20, choices=ProgressStatus.choices, blank=True
    )
    created_at = models.DateTimeField(_("given at"), auto_now_add=True)

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "role"], name="opinion_once_per_role")]

    def __str__(self) -> str:
        return f"{self.review} {self.role} {self.verdict}"


class ReviewCondition(AppendOnlyModel):
    """A condition set by the DPO, the RSSI or the committee; on approval it becomes a checkpoint."""

    class Source(models.TextChoices):
        DPO = "dpo", _("DPO")
        RSSI = "rssi", _("RSSI")
        COMMITTEE = "committee", _("Ethics committee")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="conditions", verbose_name=_("review"))
    source = models.CharField(_("set by"), max_length=10, choices=Source.choices)
    text = models.CharField(_("condition"), max_length=500)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class CommitteeMember(models.Model):
    """A member of the collectivité's ethics committee: an elected official, an agent, or an external person."""

    collectivite = models.ForeignKey(
        Collectivite, on_delete=models.CASCADE, related_name="committee_members", verbose_name=_("collectivité")
    )
    user = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.PROTECT, related_name="committee_seats")
    is_chair = models.BooleanField(_("chair"), default=False)
    # Presides in the chair's place when the chair is absent or has a conflict of interest on a case.
    is_vice_chair = models.BooleanField(_("vice-chair"), default=False)
    external = models.BooleanField(_("external member"), default=False)
    affiliation = models.CharField(
        _("quality"), max_length=200, blank=True, help_text=_("E.g. elected official, researcher, resident.")
    )
    active = models.BooleanField(_("active"), default=True)
    joined_on = models.DateField(_("member since"), auto_now_add=True)
    birth_date = models.DateField(
        _("date of birth"),
        null=True,
        blank=True,
        help_text=_(
            "Optional, and used for one thing only: naming the eldest member present, who presides over a case when "
            "neither the chair nor the vice-chair may. Without it, the longest-serving member presides."
        ),
    )

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["-is_chair", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["collectivite", "user"], name="committee_member_unique"),
            models.UniqueConstraint(
                fields=["collectivite"], condition=Q(is_chair=True, active=True), name="committee_one_chair"
            ),
            models.UniqueConstraint(
                fields=["collectivite"],
                condition=Q(is_vice_chair=True, active=True),
                name="committee_one_vice_chair",
            ),
            models.CheckConstraint(
                condition=~Q(is_chair=True, is_vice_chair=True), name="committee_chair_not_vice_chair"
            ),
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username


class CommitteeSession(models.Model):
    """A meeting of the ethics committee, with an agenda of cases."""

    collectivite = models.ForeignKey(
        Collectivite, on_delete=models.CASCADE, related_name="committee_sessions", verbose_name=_("collectivité")
    )
    held_on = models.DateTimeField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED, editable=False
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    # Set when the secretary opens the session on its date, with the attendance: the session is then held.
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True, editable=False)
    opened_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("opened by")
    )
    # Who chaired it and who kept the minutes (the DPO by default): they sign the minutes.
    chair = models.ForeignKey(
        User, verbose_name=_("chair"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    secretary = models.ForeignKey(
        User, verbose_name=_("secretary"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The collectivité's quorum when the session was opened (its rules may change later: the record stays).
    quorum_percent = models.PositiveSmallIntegerField(_("quorum (%)"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("closed at"))

    class Meta:
        verbose_name = _("committee session")
        verbose_name_plural = _("committee sessions")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.collectivite} {self.held_on:%Y-%m-%d}"

    @property
    def was_held(self) -> bool:
        """Opened on its date with the attendance (a session closed without being opened did not take place)."""
        return self.opened_at is not None


class Attendance(models.Model):
    """Whether a member in office was present at a held session: the roster is the quorum's basis."""

    session = models.ForeignKey(
        CommitteeSession, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("session")
    )
    member = models.ForeignKey(
        "CommitteeMember", on_delete=models.PROTECT, related_name="attendance", verbose_name=_("member")
    )
    present = models.BooleanField(_("present"), default=False)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(auto_now=True, verbose_name=_("recorded at"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session_id", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="attendance_once_per_member")]

    def __str__(self) -> str:
        return f"{self.session} {self.member_id} {'present' if self.present else 'absent'}"


class AgendaItem(models.Model):
    """A case on a session's agenda, and the committee's opinion on it (recorded by whoever presides over it: the
    chair, or in the chair's absence or conflict of interest the vice-chair, then the eldest member present)."""

    class PresidingRole(models.TextChoices):
        CHAIR = "chair", _("chair")
        VICE_CHAIR = "vice_chair", _("vice-chair")
        ELDEST = "eldest", _("eldest member present")
        # The ages are not known (or equal): the member seated earliest presides, and the record says so.
        LONGEST_SERVING = "longest_serving", _("longest-serving member present")

    session = models.ForeignKey(
        CommitteeSession, on_delete=models.CASCADE, related_name="items", verbose_name=_("session")
    )
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("review"))
    position = models.PositiveIntegerField(default=1, verbose_name=_("position"))
    opinion = models.CharField(
        _("committee opinion"), max_length=30, choices=CommitteeOpinion.choices, blank=True, editable=False
    )
    opinion_comment = models.TextField(_("reasons"), blank=True, editable=False)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("decided at"))
    # The record behind the opinion, frozen when the chair records it: the attendance and the members' votes.
    members_in_office = models.PositiveSmallIntegerField(_("members in office"), null=True, blank=True, editable=False)
    quorum_required = models.PositiveSmallIntegerField(_("quorum required"), null=True, blank=True, editable=False)
    present_count = models.PositiveSmallIntegerField(
        _("members present without a conflict of interest"), null=True, blank=True, editable=False
    )
    conflict_count = models.PositiveSmallIntegerField(
        _("members with a conflict of interest"), null=True, blank=True, editable=False
    )
    votes_favourable = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True, editable=False)
    votes_with_conditions = models.PositiveSmallIntegerField(
        _("votes for with conditions"), null=True, blank=True, editable=False
    )
    votes_unfavourable = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True, editable=False)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True, editable=False)
    # Who presided over the case when its opinion was recorded, and in what capacity (frozen with the opinion).
    presided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("presided by")
    )
    presiding_role = models.CharField(
        _("presiding as"), max_length=20, choices=PresidingRole.choices, blank=True, editable=False
    )
    added_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("added by")
    )
    added_at = models.DateTimeField(auto_now_add=True, verbose_name=_("added at"))

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["session_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "review"], name="agenda_item_unique")]

    def __str__(self) -> str:
        return f"{self.session} — {self.review}"

    @property
    def has_record(self) -> bool:
        """The opinion was recorded with its quorum and votes (the opinions before the rules of procedure were not)."""
        return self.quorum_required is not None


class Vote(AppendOnlyModel):
    """A member's opinion on an agenda item, or their declared conflict of interest (then no opinion)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes", verbose_name=_("item"))
    member = models.ForeignKey(
        CommitteeMember, on_delete=models.PROTECT, related_name="votes", verbose_name=_("member")
    )
    choice = models.CharField(_("opinion"), max_length=30, choices=MemberVote.choices, blank=True)
    conflict_of_interest = models.BooleanField(_("conflict of interest"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("member's opinion")
        verbose_name_plural = _("members' opinions")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="vote_once_per_member"),
            models.CheckConstraint(
                condition=Q(conflict_of_interest=True, choice="") | Q(conflict_of_interest=False) & ~Q(choice=""),
                name="vote_choice_xor_conflict",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.member_id} {self.choice or 'conflict'}"
