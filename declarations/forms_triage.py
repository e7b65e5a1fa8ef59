"""The DPO / RSSI's action forms on a shadow-AI declaration: each answer carries a message to the agent.

The forms only check what was typed; the transition itself is the service's (`services.declaration_*`).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ServiceForm
from registry.choices import BreachOutcome, ToolStatus, UseCaseStatus
from registry.models import Tool, UseCase

MESSAGE_HELP = _(
    "The agent reads it as you write it: it is e-mailed to them when the declaration is named, and shown in "
    "“My declarations” (or on the follow-up page of an anonymous declaration). Be concrete and kind: "
    "declaring carries no blame."
)
MESSAGE_REQUIRED = _("Write a message to the agent: it is what they will read.")


class TriageForm(ServiceForm):
    """The base of the triage forms."""


class MessageField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Message to the agent"))
        kwargs.setdefault("help_text", MESSAGE_HELP)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        kwargs.setdefault("error_messages", {"required": MESSAGE_REQUIRED})
        super().__init__(**kwargs)


class StartAnalysisForm(TriageForm):
    pass


class UseCaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, use_case: UseCase) -> str:
        return f"{use_case.reference} — {use_case.name} ({use_case.get_status_display()})"


class RegulariseForm(TriageForm):
    use_case = UseCaseChoiceField(
        label=_("Use case of the register"),
        queryset=UseCase.objects.none(),
        empty_label=_("— Choose a use case —"),
        help_text=_("The declaration is attached to this use case: the agent's use is then governed by it."),
        error_messages={
            "required": _("Choose the use case to attach the declaration to."),
            "invalid_choice": _("Choose a use case of the collectivité's register."),
        },
    )
    message = MessageField()

    def __init__(self, *args, use_cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["use_case"].queryset = use_cases.exclude(
            status__in=(UseCaseStatus.REJECTED, UseCaseStatus.RETIRED)
        ).order_by("reference")


class ToolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, tool: Tool) -> str:
        return _("%(name)s — %(status)s, data up to %(level)s") % {
            "name": tool.name,
            "status": tool.get_status_display(),
            "level": tool.max_data_classification,
        }


class AlternativeForm(TriageForm):
    alternative_tool = ToolChoiceField(
        label=_("Approved tool to use instead"),
        queryset=Tool.objects.none(),
        empty_label=_("— Choose a tool —"),
        help_text=_("Only the tools the collectivité has approved, with the data each may receive."),
        error_messages={
            "required": _("Choose the tool to offer instead."),
            "invalid_choice": _("Choose an approved tool of the collectivité's catalogue."),
        },
    )
    message = MessageField()

    def __init__(self, *args, tools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alternative_tool"].queryset = tools.filter(
            status__in=(ToolStatus.APPROVED, ToolStatus.RESTRICTED)
        ).order_by("name")


class StopForm(TriageForm):
    message = MessageField()


class CloseForm(TriageForm):
    message = MessageField()


class BreachForm(TriageForm):
    outcome = forms.ChoiceField(
        label=_("Outcome of the assessment"),
        choices=BreachOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the outcome of the assessment."),
            "invalid_choice": _("Choose one of the outcomes listed."),
        },
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What you checked and decided: the data concerned, the persons informed, the CNIL notification "
            "number. Kept in the declaration's trail, not sent to the agent."
        ),
    )
