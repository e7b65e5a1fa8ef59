"""Placeholder: replaced by the checkpoint web pages."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


my_checkpoints = checkpoint_attest_quick = compliance = checkpoint_detail = checkpoint_attest = _todo
checkpoint_edit = checkpoint_add = incident_create = use_case_suspend = use_case_put_into_production = _todo
evidence_download = _todo
