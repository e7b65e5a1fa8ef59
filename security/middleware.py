"""The request being served, for the signal handlers that record security events (a role granted, a permission
removed) and have no request of their own. A context variable: safe with threads and with async views."""

from contextvars import ContextVar

_current_request: ContextVar = ContextVar("security_current_request", default=None)


def current_request():
    """The request being served in this context; None outside a request (shell, command, Celery task)."""
    return _current_request.get()


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
