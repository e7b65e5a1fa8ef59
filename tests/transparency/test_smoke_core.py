import pytest

from tests.transparency.support import decision_use_case, published, submitted
from transparency import selectors
from transparency.fields import L312_FIELD_CODES
from transparency.models import PublicationState

pytestmark = pytest.mark.django_db


def test_publish_then_read_publicly(use_case, users):
    use_case = submitted(decision_use_case(use_case))
    assert use_case.public_register_required and use_case.crpa_mention_required
    publication = published(use_case, users["dpo"], fields=["service"])
    assert publication.state == PublicationState.PUBLISHED
    record = selectors.public_record(selectors.public_entries().get())
    assert record["lifecycle"] == "in_development"
    assert "purpose" in record and "automation_level" in record  # locked by L312-1-3
    assert "hosting_zone" not in record
    assert L312_FIELD_CODES
    assert "Dupont" not in str(record) and "Jean Interne" not in str(record)
    assert record["crpa_mention"]
