"""The ethics committee's forms: members, sessions, agendas, members' opinions and the committee's opinion.

The forms only check what was typed; the rules (who may act, in which state, what an opinion needs) are the
services' (`services.committee_*`, `session_*`, `agenda_*`, `vote_cast`, `conflict_declare`,
`committee_opinion_record`), whose errors come back next to the fields.
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import ServiceForm
from registry.forms import DATETIME_INPUT_FORMATS, PersonChoiceField

from .choices import CommitteeOpinion, MemberVote
from .models import CommitteeMember, User


class CommitteeForm(ServiceForm):
    """The committee's forms."""


# Members -----------------------------------------------------------------------------------------


AFFILIATION_HELP = _("What they bring to the committee, e.g. elected official, researcher, resident, agent.")
VICE_CHAIR_HELP = _(
    "Presides over a case in the chair's place when the chair is absent or has a conflict of interest on it; the "
    "current vice-chair, if any, steps down."
)


class BirthDateField(forms.DateField):
    """Optional: asked only to name the eldest member present when neither the chair nor the vice-chair may
    preside over a case (data minimisation: nothing else reads it)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Date of birth (optional)"))
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _(
                "Used only to name the eldest member present, who presides over a case when neither the chair nor "
                "the vice-chair may. Without it, the longest-serving member presides."
            ),
        )
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y"])
        kwargs.setdefault("error_messages", {"invalid": _("Give a valid date, for example 31/01/1970.")})
        super().__init__(**kwargs)


class MemberAddForm(CommitteeForm):
    user = PersonChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        empty_label=_("— Choose a person —"),
        help_text=_(
            "A person with an account in the collectivité. An external member needs an account first: ask an "
            "administrator to create it."
        ),
        error_messages={
            "required": _("Choose the person to seat on the committee."),
            "invalid_choice": _("Choose a person of the collectivité who does not sit on the committee yet."),
        },
    )
    affiliation = forms.CharField(label=_("Quality"), max_length=200, required=False, help_text=AFFILIATION_HELP)
    external = forms.BooleanField(label=_("External member (not an agent or an elected official)"), required=False)
    is_chair = forms.BooleanField(
        label=_("Chair of the committee"),
        required=False,
        help_text=_("The chair records the committee's opinions; the current chair, if any, steps down."),
    )
    is_vice_chair = forms.BooleanField(
        label=_("Vice-chair of the committee"), required=False, help_text=VICE_CHAIR_HELP
    )
    birth_date = BirthDateField()

    def __init__(self, *args, people: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people


class MemberUpdateForm(CommitteeForm):
    affiliation = forms.CharField(label=_("Quality"), max_length=200, required=False, help_text=AFFILIATION_HELP)
    external = forms.BooleanField(label=_("External member"), required=False)
    is_chair = forms.BooleanField(label=_("Chair of the committee"), required=False)
    is_vice_chair = forms.BooleanField(
        label=_("Vice-chair of the committee"), required=False, help_text=VICE_CHAIR_HELP
    )
    birth_date = BirthDateField()


# Sessions and agendas ----------------------------------------------------------------------------


class SessionForm(CommitteeForm):
    held_on = forms.DateTimeField(
        label=_("Date and time"),
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Paris time."),
        error_messages={
            "required": _("Give the date and time of the session."),
            "invalid": _("Give a valid date and time, for example 31/01/2026 14:30."),
        },
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("A room, or the link of a video conference."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Seen by the members: documents to read beforehand, practical details."),
    )


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, member):
        return f"{member} — {member.affiliation}" if member.affiliation else str(member)


class AttendanceForm(CommitteeForm):
    """Who is present: every member in office is listed; the ones not ticked are recorded as absent."""

    present = MemberChoiceField(
        label=_("Members present"),
        queryset=CommitteeMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "The quorum is counted from this list, without the members who have a conflict of interest on a case."
        ),
        error_messages={"invalid_choice": _("Tick the members present among the committee's members.")},
    )

    def __init__(self, *args, members: QuerySet[CommitteeMember], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = members


class SessionOpenForm(AttendanceForm):
    secretary = PersonChoiceField(
        label=_("Secretary of the session"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— The DPO —"),
        help_text=_("Keeps the minutes and signs them with the chair. By default, the DPO."),
        error_messages={"invalid_choice": _("Choose a person of the collectivité.")},
    )

    def __init__(self, *args, people: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secretary"].queryset = people


class AgendaAddForm(CommitteeForm):
    """A case awaiting the committee, chosen among a list the view already read (one query for the page)."""

    review = forms.TypedChoiceField(
        label=_("Case awaiting the committee"),
        coerce=int,
        error_messages={
            "required": _("Choose the case to put on the agenda."),
            "invalid_choice": _("Choose a case that is waiting for the committee and not on an agenda yet."),
        },
    )

    def __init__(self, *args, reviews: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.reviews = {review.pk: review for review in reviews}
        self.fields["review"].choices = [("", _("— Choose a case —"))] + [
            (review.pk, f"{review.use_case.reference} — {review.use_case.name} ({review.use_case.service.name})")
            for review in reviews
        ]

    def clean_review(self):
        return self.reviews[self.cleaned_data["review"]]


# Opinions ----------------------------------------------------------------------------------------


class VoteForm(CommitteeForm):
    choice = forms.ChoiceField(
        label=_("Opinion"),
        choices=MemberVote.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose your opinion.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for an unfavourable opinion; say which conditions you would set, if any."),
    )


class ConflictForm(CommitteeForm):
    comment = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConditionsField(forms.CharField):
    """Conditions typed one per line, cleaned into a list (empty lines dropped)."""

    widget = forms.Textarea

    def to_python(self, value):
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value


class CommitteeOpinionForm(CommitteeForm):
    opinion = forms.ChoiceField(
        label=_("The committee's opinion"),
        choices=CommitteeOpinion.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "The decision follows: unfavourable rejects the use case; favourable approves it (with conditions "
            "if the DPO, the RSSI or the committee set some); postponed keeps it waiting for a later session."
        ),
        error_messages={"required": _("Choose the committee's opinion.")},
    )
    conditions = ConditionsField(
        label=_("Conditions, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only with a favourable opinion with conditions. Each one becomes a control on the use case, whose "
            "owner names who carries it out."
        ),
    )
    comment = forms.CharField(
        label=_("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for an unfavourable or postponed opinion: the owner reads them."),
    )
