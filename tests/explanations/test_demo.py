"""The demo's requests: one answered with its letter, one due within days, one overdue; a second run adds none;
no e-mail goes out."""

import datetime
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone

from demo.loaders import explanations as demo
from explanations.models import ExplanationRequest

pytestmark = pytest.mark.django_db


def test_the_demo_loads_three_requests_once(collectivite, entry, users, django_capture_on_commit_callbacks):
    loader = SimpleNamespace(users={"dpo": users["dpo"]})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert demo.load(loader, collectivite) == 3
    assert mail.outbox == []
    today = timezone.localdate()
    answered, soon, late = ExplanationRequest.objects.order_by("reference")
    assert answered.status == "sent" and answered.letter and answered.letter_sha256
    assert soon.is_open and today < soon.deadline <= today + datetime.timedelta(days=5)
    assert late.is_overdue(today)
    assert demo.load(loader, collectivite) == 0
    assert ExplanationRequest.objects.count() == 3
