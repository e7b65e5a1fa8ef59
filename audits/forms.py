"""The HTML forms of checkpoints, attestations and incidents.

They only check what was typed and turn it into the services' arguments; the rules (who attests, what a
valid attestation or incident is) are the services' (`audits.services`), whose errors come back next to the
fields they concern.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.errors import ApplicationError
from core.forms import ServiceForm
from registry.forms import DATETIME_INPUT_FORMATS, PersonChoiceField
from registry.models import User

from . import services
from .models import (
    Attestation,
    BreachRisk,
    CheckpointType,
    Frequency,
    Incident,
    IncidentNotification,
    PersonsExemption,
    SeriousCategory,
)

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class AuditForm(ServiceForm):
    """The checkpoint pages' forms."""


MemberChoiceField = PersonChoiceField


def members_of(collectivite_id: int) -> QuerySet[User]:
    """The people who may own a checkpoint: the members of the collectivité."""
    return (
        User.objects.filter(memberships__collectivite_id=collectivite_id, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


# Attestations ------------------------------------------------------------------------------------


class AttestationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, attestation: Attestation) -> str:
        return _("%(date)s — %(outcome)s — %(who)s") % {
            "date": date_format(attestation.performed_on, "SHORT_DATE_FORMAT"),
            "outcome": attestation.get_outcome_display(),
            "who": attestation.attested_by,
        }


class AttestationForm(AuditForm):
    performed_on = forms.DateField(
        label=_("Date of the control"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day the control was actually done; today by default."),
        error_messages={
            "required": _("Give the date of the control."),
            "invalid": _("Give a valid date, for example 31/01/2026."),
        },
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Attestation.Outcome.choices,
        widget=forms.RadioSelect,
        initial=Attestation.Outcome.OK,
        error_messages={"required": _("Choose the outcome of the control.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when an issue was found: describe it and what was done."),
    )
    evidence = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
    )
    corrects = AttestationChoiceField(
        label=_("This attestation corrects a previous one (optional)"),
        queryset=Attestation.objects.none(),
        required=False,
        empty_label=_("— It corrects no previous attestation —"),
        help_text=_(
            "An attestation is never changed nor deleted. If a previous one was wrong, choose it here: "
            "this one is recorded as its correction, and both stay in the history."
        ),
        error_messages={"invalid_choice": _("Choose an attestation of this checkpoint.")},
    )

    def __init__(self, *args, checkpoint, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("performed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        evidence = self.fields["evidence"]
        evidence.widget.attrs["accept"] = ",".join(sorted(services.EVIDENCE_SIGNATURES))
        evidence.help_text = _(
            "PDF, image (PNG, JPEG), office document (ODT, ODS, DOCX, XLSX), text or CSV file, %(size)s MB at "
            "most. It can be downloaded only by the people who may see the use case."
        ) % {"size": getattr(settings, "EVIDENCE_MAX_BYTES", 10 * 1024 * 1024) // (1024 * 1024)}
        previous = checkpoint.attestations.select_related("attested_by")
        self.fields["corrects"].queryset = previous
        if not previous.exists():
            del self.fields["corrects"]

    def clean_evidence(self):
        # The service's own check, run here too so that a wrong file is reported with the other answers.
        upload = self.cleaned_data.get("evidence")
        if upload:
            try:
                services.validate_evidence(upload)
            except ApplicationError as error:
                raise forms.ValidationError(
                    [str(error.message), *(str(m) for m in error.errors.get("evidence", []))]
                ) from error
        return upload

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "performed_on": data["performed_on"],
            "outcome": data["outcome"],
            "comment": data.get("comment", ""),
            "evidence": data.get("evidence") or None,
            "corrects": data.get("corrects"),
        }


# Checkpoints -------------------------------------------------------------------------------------

OWNER_HELP = _(
    "The named person who does the control and attests it. They see it in “My checkpoints” and get the reminders."
)


class CheckpointEditForm(AuditForm):
    owner = MemberChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— No owner —"),
        help_text=OWNER_HELP,
        error_messages={"invalid_choice": _("Choose a person of the collectivité.")},
    )
    frequency = forms.ChoiceField(
        label=_("Frequency"),
        choices=Frequency.choices,
        help_text=_("Changing it moves the next due date: one period after the last attestation."),
        error_messages={"required": _("Choose a frequency.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, checkpoint, **kwargs):
        kwargs.setdefault(
            "initial",
            {"owner": checkpoint.owner_id, "frequency": checkpoint.frequency, "version": checkpoint.version},
        )
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(checkpoint.use_case.collectivite_id)
        if checkpoint.mandatory:
            owner = self.fields["owner"]
            owner.required = True
            owner.widget.attrs["aria-required"] = "true"
            owner.error_messages["required"] = _("A mandatory checkpoint needs an owner: choose one.")


class CheckpointTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, kind: CheckpointType) -> str:
        if kind.collectivite_id:
            return _("%(title)s (local type)") % {"title": kind.display_title}
        return str(kind.display_title)


class CheckpointAddForm(AuditForm):
    type = CheckpointTypeChoiceField(
        label=_("Control"),
        queryset=CheckpointType.objects.none(),
        empty_label=_("— Choose a control —"),
        help_text=_("The national catalogue, and the local types defined by the collectivité's administrators."),
        error_messages={
            "required": _("Choose the control to add."),
            "invalid_choice": _("Choose a control of the list."),
        },
    )
    owner = MemberChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        empty_label=_("— Choose a person —"),
        help_text=OWNER_HELP,
        error_messages={
            "required": _("Choose who is responsible for the control."),
            "invalid_choice": _("Choose a person of the collectivité."),
        },
    )
    frequency = forms.ChoiceField(
        label=_("Frequency"),
        required=False,
        choices=[("", _("The control's default frequency")), *Frequency.choices],
    )

    def __init__(self, *args, use_case, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = types
        self.fields["owner"].queryset = members_of(use_case.collectivite_id)


# Incidents ---------------------------------------------------------------------------------------


class IncidentForm(AuditForm):
    occurred_at = forms.DateTimeField(
        label=_("When did it happen?"),
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Date and time, Paris time. If you do not know the exact time, give your best estimate."),
        error_messages={
            "required": _("Give the date and time of the incident."),
            "invalid": _("Give a valid date and time, for example 31/01/2026 14:30."),
        },
    )
    description = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Facts only: what the system did, who noticed it, what it caused."),
        error_messages={"required": _("Describe what happened.")},
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=Incident.Severity.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Serious: the incident led, or could have led, to a death or serious harm to a person's health, a "
            "serious disruption of critical infrastructure, a breach of fundamental rights, or serious damage "
            "to property or the environment (AI Act art. 3(49))."
        ),
        error_messages={"required": _("Choose the severity.")},
    )
    persons_affected = forms.IntegerField(
        label=_("Number of persons affected"),
        min_value=0,
        initial=0,
        help_text=_("An estimate is enough; 0 if nobody was affected."),
        error_messages={
            "required": _("Give a number, 0 if nobody was affected."),
            "invalid": _("Give a whole number."),
            "min_value": _("Give a number, 0 if nobody was affected."),
        },
    )
    personal_data_breach = forms.BooleanField(
        label=_("Personal data was disclosed, lost, altered or made unavailable"),
        required=False,
        help_text=_(
            "It may be a personal-data breach: the DPO then has 72 hours from now to assess it and, unless it is "
            "unlikely to result in a risk to the persons, notify the CNIL (RGPD art. 33). Tick it when in doubt."
        ),
    )
    actions_taken = forms.CharField(
        label=_("Actions already taken"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: use stopped, outputs withdrawn, people informed, provider alerted."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault(
            "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
        )
        super().__init__(*args, **kwargs)


# Serious incidents, notifications, breaches ----------------------------------------------------------------------


def _datetime_field(label, help_text, required_message):
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=help_text,
        error_messages={
            "required": required_message,
            "invalid": _("Give a valid date and time, for example 31/01/2026 14:30."),
        },
    )


class IncidentQualificationForm(AuditForm):
    prefix = "qualification"

    serious = forms.TypedChoiceField(
        label=_("Is it a serious incident (AI Act art. 3(49))?"),
        choices=[("yes", _("Yes, a serious incident")), ("no", _("No, not a serious incident"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the incident is serious.")},
    )
    category = forms.ChoiceField(
        label=_("What did it directly or indirectly lead to?"),
        choices=SeriousCategory.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("For a serious incident only."),
    )
    death = forms.BooleanField(
        label=_("A person died"),
        required=False,
        help_text=_("The authority is then notified within 10 days (art. 73(4))."),
    )
    widespread_infringement = forms.BooleanField(
        label=_("Widespread infringement (AI Act art. 3(61))"),
        required=False,
        help_text=_(
            "An infringement harming the collective interests of persons in several Member States, or one with the "
            "same harmful features in at least three Member States: the authority is notified within 2 days "
            "(art. 73(3)), as for a disruption of critical infrastructure."
        ),
    )
    aware_at = _datetime_field(
        _("When did the collectivité become aware of it?"),
        _("Paris time. Every deadline counts from this moment, in calendar days (weekends and holidays included)."),
        _("Give the date and time the collectivité became aware of the incident."),
    )
    comment = forms.CharField(
        label=_("Reasons of the qualification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the qualification rests on: the facts, the harm, the causal link with the system."),
    )

    def __init__(self, *args, incident, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("aware_at", timezone.localtime(incident.aware_at or incident.created_at))
        if incident.serious is not None:
            initial.setdefault("serious", "yes" if incident.serious else "no")
            initial.setdefault("category", incident.serious_category)
            initial.setdefault("death", incident.death)
            initial.setdefault("widespread_infringement", incident.widespread_infringement)
            initial.setdefault("comment", incident.qualification_comment)
        super().__init__(*args, **kwargs)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "serious": data["serious"],
            "category": data.get("category") or "",
            "death": data.get("death", False),
            "widespread_infringement": data.get("widespread_infringement", False),
            "aware_at": data["aware_at"],
            "comment": data.get("comment", ""),
        }


class IncidentNotificationForm(AuditForm):
    prefix = "notification"

    recipient = forms.ChoiceField(
        label=_("Who was notified?"),
        choices=[("", _("— Choose —")), *IncidentNotification.Recipient.choices],
        error_messages={"required": _("Choose who was notified.")},
    )
    recipient_name = forms.CharField(
        label=_("Name of the recipient"),
        required=False,
        max_length=200,
        help_text=_("For example the provider's company, the authority's name; required for « Other »."),
    )
    sent_at = _datetime_field(
        _("When was it sent?"), _("Paris time."), _("Give the date and time of the notification.")
    )
    channel = forms.ChoiceField(
        label=_("How?"),
        choices=IncidentNotification.Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how it was sent.")},
    )
    stage = forms.ChoiceField(
        label=_("Kind of report"),
        choices=IncidentNotification.Stage.choices,
        widget=forms.RadioSelect,
        initial=IncidentNotification.Stage.INITIAL,
        help_text=_("An initial report may be completed later (AI Act art. 73(5)): record each one."),
        error_messages={"required": _("Choose the kind of report.")},
    )
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=200,
        help_text=_("The file number or acknowledgement given by the recipient, if any."),
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(label=_("Attached file (optional)"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("sent_at", timezone.localtime().replace(second=0, microsecond=0))
        super().__init__(*args, **kwargs)
        attachment = self.fields["attachment"]
        attachment.widget.attrs["accept"] = ",".join(sorted(services.EVIDENCE_SIGNATURES))
        attachment.help_text = _(
            "The notification sent or its acknowledgement: PDF, image, office document, text or CSV file, %(size)s MB "
            "at most."
        ) % {"size": getattr(settings, "EVIDENCE_MAX_BYTES", 10 * 1024 * 1024) // (1024 * 1024)}

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in self.fields}


class BreachAssessmentForm(AuditForm):
    prefix = "breach"

    risk = forms.ChoiceField(
        label=_("Risk to the rights and freedoms of the persons"),
        choices=BreachRisk.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the risk to the persons.")},
    )
    cnil_not_required_reason = forms.CharField(
        label=_("Why is the breach unlikely to result in a risk?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the CNIL is not notified: the record of the breach keeps it (RGPD art. 33(5))."),
    )
    persons_exemption = forms.ChoiceField(
        label=_("For a high risk: why the persons need not be informed"),
        choices=[("", _("The persons are informed")), *PersonsExemption.choices],
        widget=forms.RadioSelect,
        required=False,
        help_text=_("RGPD art. 34(3)."),
    )
    comment = forms.CharField(
        label=_("Assessment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The data concerned, the persons, the likely consequences, the measures taken (RGPD art. 33(3))."),
    )

    def __init__(self, *args, incident, **kwargs):
        initial = kwargs.setdefault("initial", {})
        if incident.breach_risk:
            initial.setdefault("risk", incident.breach_risk)
            initial.setdefault("cnil_not_required_reason", incident.cnil_not_required_reason)
            initial.setdefault("persons_exemption", incident.persons_exemption)
            initial.setdefault("comment", incident.breach_comment)
        super().__init__(*args, **kwargs)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) or "" for name in self.fields}
