"""Placeholder: replaced by the DPO / RSSI triage views."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


declaration_queue = declaration_tools = declaration_triage = declaration_action = declaration_regularise = _todo
