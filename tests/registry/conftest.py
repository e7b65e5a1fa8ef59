"""The rules tables name the legal bases in the engine's own (English) wording."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_for_rules_tables(request, _french_by_default):
    if request.module.__name__.rsplit(".", 1)[-1].startswith("test_rules"):
        with translation.override("en"):
            yield
    else:
        yield
