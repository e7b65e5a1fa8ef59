"""The review forms of the use case's side: the DPO's or the RSSI's opinion, and the comment of an action.

The forms only read what was typed; what an opinion needs (conditions with a conditional verdict, a reason
for an unfavourable one, a comment for a return) is checked by `services.reviews`, whose errors are then put
next to the fields with `add_service_error`.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ServiceForm
from core.roles import Role
from registry.choices import DataClassification, OpinionVerdict, ProgressStatus, VendorReuse

from .services.reviews import DPO_FIELDS, MAX_CONDITIONS, RSSI_FIELDS

ROLE_FIELDS = {Role.DPO: DPO_FIELDS, Role.RSSI: RSSI_FIELDS}


NOT_ASSESSED = _("— Not assessed —")


def _choices(choices):
    return [("", NOT_ASSESSED), *choices]


class ConditionsField(forms.CharField):
    """One condition per line; blank lines are dropped (the service checks the number and the length)."""

    widget = forms.Textarea

    def to_python(self, value) -> list[str]:
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value


class OpinionForm(ServiceForm):
    """The DPO's (data protection) or the RSSI's (security) opinion on what was submitted."""

    verdict = forms.ChoiceField(
        label=_("Opinion"), choices=OpinionVerdict.choices, widget=forms.RadioSelect, required=False
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Read by the owner and the other reviewers. Required with an unfavourable opinion."),
    )
    conditions = ConditionsField(
        label=_("Conditions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One condition per line (at most %(max)s), only with a favourable opinion with conditions. On approval "
            "each one becomes a checkpoint of the use case, with an owner to name."
        )
        % {"max": MAX_CONDITIONS},
    )
    ask_committee = forms.BooleanField(
        label=_("Ask for the ethics committee's opinion"),
        required=False,
        help_text=_("The case then goes to the ethics committee once both opinions are given."),
    )
    # The DPO's assessment.
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Prefilled with the lawful basis the owner gave (RGPD art. 6): correct or complete it."),
    )
    dpia_status = forms.ChoiceField(label=_("DPIA (AIPD)"), choices=_choices(ProgressStatus.choices), required=False)
    processing_record_ref = forms.CharField(
        label=_("Record of processing (art. 30)"),
        max_length=100,
        required=False,
        help_text=_("The reference of the entry in the record of processing activities."),
    )
    retention = forms.CharField(
        label=_("Retention period"),
        max_length=200,
        required=False,
        help_text=_("How long the data, the prompts and the outputs are kept."),
    )
    # The RSSI's assessment.
    hosting_assessment = forms.CharField(
        label=_("Hosting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Prefilled with the tool and hosting the owner described: say what you checked."),
    )
    data_classification = forms.ChoiceField(
        label=_("Highest data classification allowed"),
        choices=_choices(DataClassification.choices),
        required=False,
    )
    vendor_reuse = forms.ChoiceField(
        label=_("Vendor reuse of data"), choices=_choices(VendorReuse.choices), required=False
    )
    homologation_status = forms.ChoiceField(
        label=_("Security homologation"), choices=_choices(ProgressStatus.choices), required=False
    )

    def __init__(self, *args, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role
        other = RSSI_FIELDS if role == Role.DPO else DPO_FIELDS
        for name in other:
            del self.fields[name]

    @property
    def common_fields(self):
        return [self[name] for name in ("verdict", "comment", "conditions", "ask_committee")]

    @property
    def role_fields(self):
        return [self[name] for name in ROLE_FIELDS[self.role]]

    def service_data(self) -> dict:
        """What `services.opinion_give` reads."""
        data = self.cleaned_data
        return {name: data.get(name) for name in ("verdict", "comment", "conditions", "ask_committee")} | {
            name: data.get(name) or "" for name in ROLE_FIELDS[self.role]
        }


def opinion_initial(review, role: str) -> dict:
    """What the form starts from: what the owner declared in the version under review, where it answers the
    reviewer's question (the lawful basis, the record reference, the hosting, the data classification)."""
    fields = review.snapshot.get("fields", {})
    if role == Role.DPO:
        return {
            "legal_basis": fields.get("lawful_basis") or "",
            "processing_record_ref": fields.get("processing_record_ref") or "",
        }
    from .choices import HostingQualification, HostingZone

    zones, qualifications = dict(HostingZone.choices), dict(HostingQualification.choices)
    tool = (fields.get("tool") or {}).get("label", "")
    parts = [str(_("Tool: %(tool)s") % {"tool": tool})] if tool else []
    if fields.get("hosting_zone"):
        parts.append(str(_("hosting: %(zone)s") % {"zone": zones.get(fields["hosting_zone"], fields["hosting_zone"])}))
    qualification = fields.get("hosting_qualification")
    if qualification and qualification != HostingQualification.NONE:
        parts.append(str(qualifications.get(qualification, qualification)))
    return {
        "hosting_assessment": " — ".join(parts),
        "data_classification": fields.get("max_data_classification") or "",
    }


class ActionCommentForm(ServiceForm):
    """The comment that goes with an action on a use case (required or not: the service says)."""

    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, label=None, help_text=None, required=False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["comment"]
        if label:
            field.label = label
        if help_text:
            field.help_text = help_text
        # Shown as required; the service checks it (its message goes next to the field).
        field.widget.attrs["aria-required"] = "true" if required else "false"
        self.comment_required = required
