"""Schemathesis against the API schema (/api/schema/), in-process, inside the test transaction.

For each role (and anonymous), every operation of the schema gets a few generated requests, some of them
aimed at objects that exist (the ids of a small but complete register), and each answer is checked:
never a 5xx, and the status code, content type, headers and body are those the schema documents.
"""

from __future__ import annotations

import datetime
import traceback
import uuid

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from audits import services as audits
from declarations import services as declaration_services
from documents import services as document_services
from explanations import services as explanation_services
from registry.models import Review
from tests.fria.factories import high_risk_use_case, written_fria
from tests.registry.factories import UseCaseFactory
from tests.registry.reviews_support import both_opinions, submit, to_agenda
from tests.transparency.support import decision_use_case, published

ROLES = ("anonymous", "agent", "chef", "dpo", "comite", "dgs", "outsider")
# A few examples per operation and role, so that the whole file stays within CI's budget (~3 minutes): about
# half of them aim at objects that exist. Operations that do not depend on who asks (the token exchange, the
# public register) run once, anonymously.
MAX_EXAMPLES = 3
ROLE_INDEPENDENT = ("/api/v1/auth/", "/api/v1/public/")
# Schemathesis' default checks, less `positive_data_acceptance`: the schema describes the shape of a request, not
# the business rules behind it (wrong credentials, a service where the user may not declare, a date in the past,
# a status that does not allow the action): a well-formed request refused with 400 is the API doing its job.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
ETHICS = {"art50_features": ["chatbot"], "audience": "public"}


@pytest.fixture
def world(collectivite, other_collectivite, services, users, outsider, tool, use_case, committee, settings):
    """A small register where every kind of object the API names exists at least once."""
    settings.DECLARATION_RATE_LIMIT = 100_000
    cache.clear()
    # A use case in front of the ethics committee, on a session's agenda.
    ethics = UseCaseFactory(
        collectivite=collectivite, service=services["communication"], owner=users["agent"], tool=tool, **ETHICS
    )
    review = both_opinions(submit(ethics), users)
    item = to_agenda(review, users)
    # A live use case with its checkpoints, one attested, and an incident.
    live = UseCaseFactory(
        collectivite=collectivite, service=services["ccas"], owner=users["agent"], tool=tool, status="in_production"
    )
    audits.checkpoints_sync(use_case=live)
    checkpoint = live.checkpoints.filter(active=True).first()
    checkpoint.owner = users["agent"]
    checkpoint.save()
    attestation = audits.attestation_record(checkpoint=checkpoint, acting_user=users["agent"], comment="Relu.")
    incident = audits.incident_record(
        use_case=live,
        acting_user=users["dpo"],
        data={
            "occurred_at": timezone.now() - datetime.timedelta(days=2),
            "description": "Réponse erronée envoyée.",
            "severity": "minor",
        },
    )
    # A shadow-AI declaration.
    declaration, _created = declaration_services.declaration_submit(
        collectivite=collectivite,
        acting_user=users["agent"],
        data={
            "tool_name": "ChatGPT",
            "category": "general_chatbot",
            "tasks": "Rédiger des courriers",
            "frequency": "weekly",
            "device": "personal_device",
            "account": "personal_free",
            "data_entered": ["ordinary"],
            "output_use": ["sent_to_users"],
            "human_review": "always",
            "time_saved_minutes": 30,
            "need": "Aller plus vite",
            "tool": None,
        },
        anonymous=False,
        submission_key=uuid.uuid4(),
    )
    # A public record of an algorithm founding individual decisions.
    public = UseCaseFactory(collectivite=collectivite, service=services["ccas"], owner=users["agent"], tool=tool)
    public = submit(decision_use_case(public)).use_case
    published(public, users["dpo"])
    public.refresh_from_db()
    # A document asked for (its generation, queued on commit, never runs inside the test's transaction).
    document = document_services.document_request(
        collectivite=collectivite, acting_user=users["dpo"], kind="use_case_report", use_case=use_case
    )
    # A request for the explanation of a decision of the published use case.
    explanation = explanation_services.request_create(
        collectivite=collectivite,
        data={"requester_name": "Camille Martin", "requester_email": "camille@example.org", "elements": ["data"]},
        use_case=public,
    ).request
    # The AIDF (AI Act art. 27) of a high-risk use case of Annex III, being written.
    fria = written_fria(
        high_risk_use_case(collectivite=collectivite, service=services["ccas"], owner=users["agent"], tool=tool),
        users["agent"],
    )
    tokens = {role: Token.objects.create(user=users[role]).key for role in ROLES if role in users}
    tokens["outsider"] = Token.objects.create(user=outsider).key
    return {
        "tokens": tokens,
        "ids": {
            "use-cases": [use_case.pk, ethics.pk, live.pk, public.pk],
            "tools": [tool.pk],
            "services": [service.pk for service in services.values()],
            "declarations": [declaration.pk],
            "checkpoints": [checkpoint.pk],
            "attestations": [attestation.pk],
            "incidents": [incident.pk],
            "reviews": [review.pk, *Review.objects.filter(use_case=public).values_list("pk", flat=True)],
            "committee-sessions": [item.session_id],
            "agenda": [item.pk],
            "committee-members": [member.pk for member in committee.values()],
            "documents": [document.pk],
            "explanation-requests": [explanation.pk],
            "frias": [fria.pk],
            "collectivite": [collectivite.slug, other_collectivite.slug],
            "reference": [public.reference, use_case.reference],
        },
    }


def _resource(path: str, name: str) -> str:
    """Which kind of object a path parameter names: `{id}` is the resource its path is about."""
    if name == "item_id":
        return "agenda"
    if name in ("collectivite", "reference"):
        return name
    if name == "checkpoint_id":
        return "checkpoints"
    if name == "use_case_id":
        return "use-cases"
    if "/attestations/" in path:
        return "attestations"
    if "/incidents/" in path:
        return "incidents"
    return path.removeprefix("/api/v1/").split("/")[0]


@pytest.fixture
def wsgi_app():
    """Django's WSGI application, kept from closing the test transaction's connection at the start and end of each
    request (as Django's test client does), and telling which exception a 500 came from."""
    errors = []

    def remember(sender, request=None, **kwargs):
        errors.append(traceback.format_exc())

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    signals.got_request_exception.connect(remember)
    yield get_wsgi_application(), errors
    signals.got_request_exception.disconnect(remember)
    signals.request_finished.connect(close_old_connections)
    signals.request_started.connect(close_old_connections)


def _path_parameter_sets(operation, ids):
    """Real ids for each path parameter of an operation (the generated ones rarely exist)."""
    names = [parameter.name for parameter in operation.path_parameters]
    return st.fixed_dictionaries({name: st.sampled_from(ids[_resource(operation.path, name)]) for name in names})


def _strategy(operation, ids):
    generated = operation.as_strategy()
    if not list(operation.path_parameters):
        return generated
    real = _path_parameter_sets(operation, ids).flatmap(lambda values: operation.as_strategy(path_parameters=values))
    return st.one_of(generated, real)


@pytest.mark.parametrize("role", ROLES)
def test_the_api_answers_as_its_schema_says(db, world, wsgi_app, role):
    app, server_errors = wsgi_app
    schema = schemathesis.openapi.from_wsgi("/api/schema/", app)
    headers = {} if role == "anonymous" else {"Authorization": f"Token {world['tokens'][role]}"}
    failures = []

    def check(case):
        server_errors.clear()
        with transaction.atomic():
            try:
                case.call_and_validate(headers=headers, checks=CHECKS)
            finally:
                if server_errors:
                    transaction.set_rollback(True)

    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith(ROLE_INDEPENDENT) and role != "anonymous":
            continue
        run = hypothesis.settings(
            max_examples=MAX_EXAMPLES,
            derandomize=True,  # the same examples on every run: CI is reproducible
            deadline=None,
            database=None,
            phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
            report_multiple_bugs=False,
            suppress_health_check=list(hypothesis.HealthCheck),
        )(hypothesis.given(case=_strategy(operation, world["ids"]))(check))
        try:
            run()
        except (AssertionError, BaseExceptionGroup) as error:  # every operation is tried, failures reported together
            detail = str(error)[:3000]
            if server_errors:
                detail += "\n" + server_errors[-1][-3000:]
            failures.append(f"{operation.label}: {detail}")
    assert not failures, "\n\n".join(failures)
