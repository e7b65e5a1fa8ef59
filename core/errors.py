"""The application's one error type: a French, human message with structured details per field."""

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    status_code = 400

    def __init__(self, message, errors: dict | None = None):
        super().__init__(str(message))
        self.message = message
        self.errors = errors or {}


class ConflictError(ApplicationError):
    """Someone else saved the object since it was loaded: nothing was overwritten."""

    status_code = 409

    def __init__(self, message=None, errors=None):
        super().__init__(
            message
            or _(
                "Someone else changed this use case while you were editing it. Your changes were not saved: "
                "reload the page to see the new version, then apply your changes again."
            ),
            errors,
        )


class TransitionError(ApplicationError):
    status_code = 409


class ForbiddenError(ApplicationError):
    """The person may not take this action on this object (their role or their relation to it)."""

    status_code = 403
