"""Placeholder: replaced by the agent's declaration views."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


declaration_create = my_declarations = declaration_detail = declaration_follow_up = _todo
