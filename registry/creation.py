"""What an app above the register joins to the creation form of a use case, without the register knowing it.

The creation form (`views.editing.use_case_create`) sends `signals.use_case_form_extension` with the request; an app
whose request it is answers with a `CreationExtension`: the shadow-AI declarations regularised into the new use case
(`?declarations=1,2`, `declarations.views.regularising`). The form then starts from the extension's answers, shows
its block above the form, keeps its hidden fields through the POST, and calls it in the creation's transaction.
"""

from __future__ import annotations

from .signals import use_case_form_extension


class CreationExtension:
    """What an app joins to the creation of a use case (subclassed by that app)."""

    # Included above the form, with this extension as `extension` in its context.
    template: str = ""

    @property
    def hidden_fields(self) -> dict[str, str]:
        """Fields the form carries through the POST (its name and value each), so that the POST finds it again."""
        return {}

    def initial(self) -> dict | None:
        """What the form starts from, or None for an empty form."""
        return None

    def created(self, use_case, acting_user) -> None:
        """Called in the transaction that creates the use case: an `ApplicationError` undoes the creation, and its
        message is shown on the form."""

    def success_message(self, use_case) -> str | None:
        """What the person is told once the use case is created, instead of the usual message."""
        return None


def extension_for(request, access) -> CreationExtension | None:
    """The first extension an app answers for this request, or None."""
    for _receiver, answer in use_case_form_extension.send(sender=CreationExtension, request=request, access=access):
        if answer is not None:
            return answer
    return None
