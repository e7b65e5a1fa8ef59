"""Applying an import: all or nothing, refused when the register changed since the preview, through the
register's own services (versions, events, references)."""

from unittest import mock

import pytest
from django.utils.translation import gettext

from core.errors import ApplicationError, ConflictError, ForbiddenError, TransitionError
from exchange import export
from exchange import services as exchange_services
from exchange.models import RegisterImport
from registry.models import Review, UseCase, UseCaseEvent
from registry.services import use_cases as use_case_services
from tests.exchange.conftest import preview, register_state

HEADER = "reference;name;summary;purpose;service;technique;audience;status"


def _csv(*lines: str) -> bytes:
    return "\r\n".join(lines).encode()


def _lines(n: int) -> list[str]:
    return [f";Usage {i};Résumé {i}.;Besoin.;CCAS;genai_text;agents;draft" for i in range(n)]


def test_a_failure_in_the_middle_of_apply_writes_nothing(collectivite, users, services, tools):
    record = preview(collectivite, users["dpo"], _csv(HEADER, *_lines(80)))
    assert record.counts["create"] == 80
    state = register_state()
    real_create = use_case_services.use_case_create
    calls = {"n": 0}

    def failing_create(**kwargs):
        calls["n"] += 1
        if calls["n"] == 50:
            raise ApplicationError("panne")
        return real_create(**kwargs)

    with (
        mock.patch.object(use_case_services, "use_case_create", side_effect=failing_create),
        pytest.raises(ApplicationError) as raised,
    ):
        exchange_services.import_apply(import_=record, acting_user=users["dpo"])

    assert calls["n"] == 50
    # The line that failed is named: the 50th data line is line 51 of the file.
    assert str(raised.value.message) == gettext(
        "Line %(line)s could not be imported (%(error)s): nothing was imported."
    ) % {"line": 51, "error": "panne"}
    assert register_state() == state and not UseCase.objects.exists()
    record.refresh_from_db()
    assert record.status == RegisterImport.Status.PREVIEWED


def test_apply_is_refused_when_the_register_changed_since_the_preview(collectivite, users, register):
    content = export.csv_bytes(UseCase.objects.filter(collectivite=collectivite), collectivite)
    edited = content.decode("utf-8-sig").replace("Un résumé.", "Un résumé corrigé.").encode()
    record = preview(collectivite, users["dpo"], edited)
    assert record.counts["update"] == 1
    minimal = register["minimal"]
    # Meanwhile someone edits the same use case.
    use_case_services.use_case_update(
        use_case=minimal, acting_user=users["rssi"], data={"purpose": "Autre besoin."}, expected_version=1
    )
    state = register_state()

    with pytest.raises(ConflictError):
        exchange_services.import_apply(import_=record, acting_user=users["dpo"])

    assert register_state() == state
    record.refresh_from_db()
    assert record.status == RegisterImport.Status.PREVIEWED
    [line] = [line for line in record.plan["lines"] if line["reference"] == minimal.reference]
    # The new plan: the line's version (1 in the file, 2 now) is an error now.
    assert line["action"] == "error" and line["errors"][0]["column"] == "version"
    assert not record.can_apply


def test_updates_go_through_the_service_with_versions_and_events(collectivite, users, register):
    content = export.csv_bytes(UseCase.objects.filter(collectivite=collectivite), collectivite).decode("utf-8-sig")
    content = content.replace("Un résumé.", "Un résumé corrigé.").replace(";chef;", ";agent;", 1)
    record = preview(collectivite, users["dpo"], content.encode())
    assert record.counts["update"] == 2 and record.counts["unchanged"] == 2
    changes = {line["reference"]: line["changes"] for line in record.plan["lines"] if line["changes"]}
    assert changes[register["minimal"].reference] == [
        {"field": "summary", "old": "Un résumé.", "new": "Un résumé corrigé."}
    ]
    events = UseCaseEvent.objects.count()

    exchange_services.import_apply(import_=record, acting_user=users["dpo"])

    minimal = UseCase.objects.get(pk=register["minimal"].pk)
    assert (minimal.summary, minimal.version) == ("Un résumé corrigé.", 2)
    assert UseCaseEvent.objects.count() == events + 2
    assert UseCaseEvent.objects.filter(use_case=minimal, kind="updated", actor=users["dpo"]).exists()
    record.refresh_from_db()
    assert {item["reference"] for item in record.result} == set(changes)
    assert record.applied_by == users["dpo"] and record.applied_at


def test_a_line_modified_since_the_export_is_an_error(collectivite, users, register):
    content = export.csv_bytes(UseCase.objects.filter(collectivite=collectivite), collectivite).decode("utf-8-sig")
    use_case_services.use_case_update(
        use_case=register["minimal"], acting_user=users["rssi"], data={"purpose": "Autre."}, expected_version=1
    )
    record = preview(collectivite, users["dpo"], content.replace("Un résumé.", "Résumé changé.").encode())
    [line] = [line for line in record.plan["lines"] if line["reference"] == register["minimal"].reference]
    assert line["action"] == "error"
    assert [(e["column"], e["line"]) for e in line["errors"]] == [("version", line["line"])]
    # The other lines did not change, and the file's version of them does not matter.
    assert record.counts["unchanged"] == 3


def test_a_changed_status_is_an_error(collectivite, users, register):
    content = export.csv_bytes(UseCase.objects.filter(pk=register["minimal"].pk), collectivite).decode("utf-8-sig")
    record = preview(collectivite, users["dpo"], content.replace(";draft;", ";approved;").encode())
    assert record.plan["lines"][0]["errors"][0]["column"] == "status"


@pytest.mark.parametrize(
    "status,allowed",
    [
        ("draft", True),
        ("submitted", True),
        ("in_production", True),
        ("approved", False),
        ("in_review", False),
        ("rejected", False),
        ("suspended", False),
        ("retired", False),
    ],
)
def test_creation_statuses(collectivite, users, services, status, allowed):
    record = preview(
        collectivite, users["dpo"], _csv(HEADER, f"INV-7;Usage;Résumé.;Besoin.;CCAS;rules;agents;{status}")
    )
    line = record.plan["lines"][0]
    assert (line["action"] == "create") is allowed, line
    if not allowed:
        assert line["errors"][0]["column"] == "status"
        return
    exchange_services.import_apply(import_=record, acting_user=users["dpo"])
    use_case = UseCase.objects.get(collectivite=collectivite, reference="INV-7")
    assert use_case.status == status
    assert use_case.history.get().reference == "INV-7"
    event = use_case.events.get()
    assert event.kind == ("created" if status == "draft" else "recorded")
    assert Review.objects.filter(use_case=use_case).exists() is (status == "submitted")


def test_references_are_kept_and_the_others_numbered_after_them(collectivite, users, services, register):
    taken = {uc.reference for uc in register.values()}
    number = int(max(taken).rsplit("-", 1)[1])
    wanted = f"{max(taken).rsplit('-', 1)[0]}-{number + 1:04d}"  # the number the register would give next
    record = preview(
        collectivite,
        users["dpo"],
        _csv(HEADER, ";Sans référence;R.;B.;CCAS;rules;agents;", f"{wanted};Avec référence;R.;B.;CCAS;rules;agents;"),
    )
    assert record.counts["create"] == 2
    exchange_services.import_apply(import_=record, acting_user=users["dpo"])
    assert UseCase.objects.get(reference=wanted).name == "Avec référence"
    assert UseCase.objects.get(name="Sans référence").reference == f"{wanted[:-4]}{number + 2:04d}"


def test_duplicate_and_malformed_references_are_errors(collectivite, users, services):
    record = preview(
        collectivite,
        users["dpo"],
        _csv(
            HEADER,
            "A-1;U1;R.;B.;CCAS;rules;agents;",
            "A-1;U2;R.;B.;CCAS;rules;agents;",
            "pas bon !;U3;R.;B.;CCAS;rules;agents;",
        ),
    )
    assert [line["action"] for line in record.plan["lines"]] == ["create", "error", "error"]
    assert {line["errors"][0]["column"] for line in record.plan["lines"][1:]} == {"reference"}


def test_a_missing_owner_is_the_person_importing(collectivite, users, services):
    record = preview(collectivite, users["rssi"], _csv(HEADER, ";U;R.;B.;CCAS;rules;agents;"))
    exchange_services.import_apply(import_=record, acting_user=users["rssi"])
    assert UseCase.objects.get().owner == users["rssi"]


def test_an_owner_by_email_and_a_service_by_code_or_path(collectivite, users, services):
    content = _csv(
        "name;summary;purpose;service;technique;audience;owner",
        f"U1;R.;B.;LOG;rules;agents;{users['chef'].email.upper()}",
        "U2;R.;B.;direction des solidarites / logement;rules;agents;agent",
    )
    record = preview(collectivite, users["dpo"], content)
    assert record.counts["create"] == 2, record.plan
    exchange_services.import_apply(import_=record, acting_user=users["dpo"])
    assert set(UseCase.objects.values_list("service__code", "owner__username")) == {("LOG", "chef"), ("LOG", "agent")}


def test_a_blocked_use_cannot_be_imported_as_submitted(collectivite, users, services):
    # (a prohibited practice blocks an AI system; rules written by people are outside the AI Act: see
    # test_classification_columns)
    content = _csv(HEADER + ";art5_practices", ";U;R.;B.;CCAS;ml_predictive;agents;submitted;c")
    record = preview(collectivite, users["dpo"], content)
    assert record.plan["lines"][0]["errors"][0]["column"] == "status"


def test_only_editors_may_preview_and_apply(collectivite, users, services, outsider):
    for role in ("agent", "chef", "comite", "dgs"):
        with pytest.raises(ForbiddenError):
            preview(collectivite, users[role], _csv(HEADER, ";U;R.;B.;CCAS;rules;agents;"))
    record = preview(collectivite, users["dpo"], _csv(HEADER, ";U;R.;B.;CCAS;rules;agents;"))
    with pytest.raises(ForbiddenError):
        exchange_services.import_apply(import_=record, acting_user=users["dgs"])
    with pytest.raises(ForbiddenError):
        exchange_services.import_apply(import_=record, acting_user=outsider)
    assert not UseCase.objects.exists()


def test_an_import_is_applied_once_and_a_discarded_one_never(collectivite, users, services):
    record = preview(collectivite, users["dpo"], _csv(HEADER, ";U;R.;B.;CCAS;rules;agents;"))
    exchange_services.import_apply(import_=record, acting_user=users["dpo"])
    with pytest.raises(TransitionError):
        exchange_services.import_apply(import_=record, acting_user=users["dpo"])
    assert UseCase.objects.count() == 1
    other = preview(collectivite, users["dpo"], _csv(HEADER, ";V;R.;B.;CCAS;rules;agents;"))
    exchange_services.import_discard(import_=other, acting_user=users["dpo"])
    other.refresh_from_db()
    assert other.status == "discarded" and bytes(other.content) == b""
    with pytest.raises(TransitionError):
        exchange_services.import_apply(import_=other, acting_user=users["dpo"])
    assert UseCase.objects.count() == 1
