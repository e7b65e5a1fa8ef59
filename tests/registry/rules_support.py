"""Shared helpers of the classification-engine tables (tests/registry/test_rules*.py).

A row is `row(article, facts, expect=..., reasons=..., absent=..., policy=...)`: its id names the article
behind the expectation, `facts` are the DOMAIN.md codes given to `UseCaseFacts.build`, `expect` the result
fields, `reasons` the (code, kind, fragment of the legal basis) each conclusion must carry.
"""

import pytest

from registry.rules import Classification, Policy, Reason, UseCaseFacts, classify

# A quiet baseline: a predictive model (an AI system: only the AI literacy duty of art. 4), no personal data,
# internal data hosted in France with vendor reuse off, so that a row only shows what its own facts trigger.
QUIET = {
    "technique": "ml_predictive",
    "audience": "agents",
    "hosting_zone": "fr",
    "max_data_classification": "C1",
    "provider_reuse_disabled": True,
}


def row(article, facts, *, expect=None, reasons=(), absent=(), policy=None):
    return pytest.param(facts, policy, expect or {}, reasons, absent, id=article)


def on_base(rows, base: dict) -> list:
    """The rows with `base` under each row's own facts (a table's own baseline, e.g. a rules-based system)."""
    return [pytest.param({**base, **param.values[0]}, *param.values[1:], id=param.id) for param in rows]


def run(facts: dict, policy: Policy | None = None) -> Classification:
    return classify(UseCaseFacts.build(**{**QUIET, **facts}), policy)


def codes(result: Classification) -> list[str]:
    return [reason.code for reason in result.reasons]


def reason(result: Classification, code: str) -> Reason:
    found = [item for item in result.reasons if item.code == code]
    assert found, f"no {code!r} reason among {codes(result)}"
    assert len(found) == 1, f"{code!r} given {len(found)} times"
    return found[0]


def check(facts, policy, expect, reasons, absent) -> Classification:
    """Classify the row's facts and check its fields, its reasons (kind and basis) and the absent ones."""
    result = run(facts, policy)
    actual = {name: getattr(result, name) for name in expect}
    assert actual == expect
    for code, kind, basis in reasons:
        found = reason(result, code)
        assert found.kind == kind, code
        assert basis in found.basis, f"{code}: {basis!r} not in {found.basis!r}"
        assert found.explanation
    present = set(codes(result))
    assert not present & set(absent), f"unexpected {sorted(present & set(absent))}"
    return result
