"""Regularising shadow-AI declarations into a new use case: the register's creation form (`registry:use_case_create`,
reached from the triage with `?declarations=1,2`), pre-filled from the declarations; saving it regularises them in the
new use case, in the same transaction.

The register knows nothing of declarations: its form asks through `registry.signals.use_case_form_extension`,
which `DeclarationsConfig.ready()` connects to `regularising_extension` here.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from declarations import selectors as declaration_selectors
from declarations import services as declaration_services
from declarations.permissions import can_triage
from declarations.views.triage import parse_ids
from registry.creation import CreationExtension

# The field of the triage's choice, kept through the creation form's POST by a hidden field of the same name.
FIELD = "declarations"


class RegularisingDeclarations(CreationExtension):
    """The declarations a new use case regularises."""

    template = "registry/triage/_regularising_new.html"

    def __init__(self, declarations: list):
        self.declarations = declarations

    @property
    def hidden_fields(self) -> dict[str, str]:
        return {FIELD: ",".join(str(declaration.pk) for declaration in self.declarations)}

    def initial(self) -> dict:
        return declaration_selectors.use_case_initial_from_declarations(self.declarations)

    def created(self, use_case, acting_user) -> None:
        declaration_services.declaration_regularise(
            declarations=self.declarations,
            acting_user=acting_user,
            use_case=use_case,
            message=_regularised_message(use_case),
        )

    def success_message(self, use_case) -> str:
        count = len(self.declarations)
        text = ngettext(
            "The use case %(reference)s was created as a draft and %(count)s declaration regularised in "
            "it: the agent was told. Submit it for review when it is complete.",
            "The use case %(reference)s was created as a draft and %(count)s declarations regularised in "
            "it: the agents were told. Submit it for review when it is complete.",
            count,
        )
        return text % {"reference": use_case.reference, "count": count}


def _regularised_message(use_case) -> str:
    return _(
        "Thank you for your declaration. Your use is now recorded in the register under the reference "
        "%(reference)s: “%(name)s”. The DPO and the RSSI follow it with your service; until it is approved, "
        "keep to the guidance you received."
    ) % {"reference": use_case.reference, "name": use_case.name}


def regularising_extension(sender, *, request, access, **kwargs) -> RegularisingDeclarations | None:
    """The shadow-AI declarations this new use case regularises (`?declarations=1,2`, kept through the POST by a
    hidden field): only for the DPO / RSSI, and only those they may see. None when there are none."""
    raw = (request.POST.get(FIELD) if request.method == "POST" else "") or request.GET.get(FIELD)
    if not raw or not can_triage(access):
        return None
    declarations = (
        declaration_selectors.declarations_visible_to(request.user, access)
        .filter(pk__in=parse_ids([raw]))
        .select_related("tool", "service")
        .order_by("created_at", "id")
    )
    # The named ones first (they give the service): an anonymous declaration keeps only its day, not its time.
    declarations = sorted(declarations, key=lambda declaration: declaration.anonymous)
    return RegularisingDeclarations(declarations) if declarations else None
