"""Placeholder: replaced by the guided creation/edit form views."""
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


use_case_create = use_case_edit = classification_preview = _todo
