"""Placeholder: replaced by the register views (list, detail, actions)."""
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


home = use_case_list = use_case_detail = use_case_submit = use_case_withdraw = collectivite_switch = tool_list = _todo
