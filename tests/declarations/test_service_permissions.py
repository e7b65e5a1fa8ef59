"""Each write on a shadow-AI declaration checks its permission in the service itself: called directly (as a task, a
command or a new view would), it refuses a person without the right, changes nothing and records nothing."""

import uuid

import pytest

from core.errors import ForbiddenError
from declarations import services as declaration_services
from declarations.models import Declaration, DeclarationEvent
from registry.choices import DeclarationStatus, ToolStatus
from tests.declarations.support import breach_answers
from tests.registry.factories import ToolFactory, UseCaseFactory, UserFactory

pytestmark = pytest.mark.django_db

# Members of the collectivité who do not triage declarations (heads of service see none of their agents').
NOT_TRIAGING = ("agent", "chef", "comite", "dgs")
TRIAGING = ("dpo", "rssi", "admin")


def _declare(collectivite, author):
    declaration, _created = declaration_services.declaration_submit(
        collectivite=collectivite,
        acting_user=author,
        data=breach_answers(),
        anonymous=False,
        submission_key=uuid.uuid4(),
    )
    return declaration


@pytest.fixture
def declaration(collectivite, users):
    return _declare(collectivite, users["agent"])


@pytest.fixture
def approved_tool(collectivite):
    return ToolFactory(collectivite=collectivite, name="Albert", status=ToolStatus.APPROVED)


def _actions(collectivite, approved_tool):
    """Every triage write, as a function of (declaration, acting_user)."""
    use_case = UseCaseFactory(collectivite=collectivite)
    return {
        "start_analysis": lambda d, user: declaration_services.declaration_start_analysis(
            declaration=d, acting_user=user
        ),
        "regularise": lambda d, user: declaration_services.declaration_regularise(
            declarations=[d], acting_user=user, use_case=use_case, message="Votre usage est encadré."
        ),
        "offer_alternative": lambda d, user: declaration_services.declaration_offer_alternative(
            declaration=d, acting_user=user, alternative_tool=approved_tool, message="Utilisez Albert."
        ),
        "ask_to_stop": lambda d, user: declaration_services.declaration_ask_to_stop(
            declaration=d, acting_user=user, message="Arrêtez, s'il vous plaît."
        ),
        "close": lambda d, user: declaration_services.declaration_close(
            declaration=d, acting_user=user, message="Merci."
        ),
        "assess_breach": lambda d, user: declaration_services.declaration_assess_breach(
            declaration=d, acting_user=user, outcome="not_a_breach", notes=""
        ),
    }


ACTIONS = ("start_analysis", "regularise", "offer_alternative", "ask_to_stop", "close", "assess_breach")


def _unchanged(declaration) -> None:
    fresh = Declaration.objects.get(pk=declaration.pk)
    assert fresh.status == DeclarationStatus.RECEIVED and fresh.version == declaration.version
    assert fresh.use_case_id is None and fresh.alternative_tool_id is None and not fresh.breach_outcome
    assert list(DeclarationEvent.objects.filter(declaration=declaration).values_list("kind", flat=True)) == [
        DeclarationEvent.Kind.SUBMITTED
    ]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", NOT_TRIAGING)
def test_a_member_who_does_not_triage_is_refused_by_every_triage_service(
    action, role, collectivite, users, declaration, approved_tool
):
    run = _actions(collectivite, approved_tool)[action]

    with pytest.raises(ForbiddenError) as refused:
        run(declaration, users[role])

    assert refused.value.status_code == 403
    assert "DPO" in str(refused.value.message)
    _unchanged(declaration)


@pytest.mark.parametrize("action", ACTIONS)
def test_the_dpo_of_another_collectivite_is_refused_by_every_triage_service(
    action, collectivite, outsider, declaration, approved_tool
):
    run = _actions(collectivite, approved_tool)[action]

    with pytest.raises(ForbiddenError):
        run(declaration, outsider)

    _unchanged(declaration)


@pytest.mark.parametrize("action", ACTIONS)
def test_a_user_without_any_membership_is_refused_by_every_triage_service(
    action, collectivite, declaration, approved_tool
):
    run = _actions(collectivite, approved_tool)[action]

    with pytest.raises(ForbiddenError):
        run(declaration, UserFactory(username="personne"))

    _unchanged(declaration)


def test_the_refusal_comes_before_the_status_and_says_nothing_of_it(collectivite, users, declaration):
    # given a closed declaration: a transition error would tell the agent it is closed
    declaration_services.declaration_close(declaration=declaration, acting_user=users["dpo"], message="Merci.")

    with pytest.raises(ForbiddenError):
        declaration_services.declaration_close(declaration=declaration, acting_user=users["agent"], message="Merci.")


def test_regularising_several_declarations_is_refused_if_one_is_out_of_the_persons_reach(
    collectivite, other_collectivite, users, outsider, declaration
):
    # given a DPO here who is no DPO of the other collectivité, and a declaration made there
    theirs = _declare(other_collectivite, outsider)
    use_case = UseCaseFactory(collectivite=collectivite)

    with pytest.raises(ForbiddenError):
        declaration_services.declaration_regularise(
            declarations=[declaration, theirs], acting_user=users["dpo"], use_case=use_case, message="Encadré."
        )

    _unchanged(declaration)
    assert Declaration.objects.get(pk=theirs.pk).status == DeclarationStatus.RECEIVED


@pytest.mark.parametrize("role", TRIAGING)
def test_the_dpo_the_rssi_and_an_administrator_may_triage(role, collectivite, users, declaration):
    declaration = declaration_services.declaration_start_analysis(declaration=declaration, acting_user=users[role])

    assert declaration.status == DeclarationStatus.ANALYSING


def test_declaring_in_a_collectivite_one_is_not_a_member_of_is_refused(collectivite, outsider):
    for person in (outsider, UserFactory(username="personne")):
        for anonymous in (False, True):
            with pytest.raises(ForbiddenError) as refused:
                declaration_services.declaration_submit(
                    collectivite=collectivite,
                    acting_user=person,
                    data=breach_answers(),
                    anonymous=anonymous,
                    submission_key=uuid.uuid4(),
                )
            assert refused.value.status_code == 403

    assert not Declaration.objects.exists()


@pytest.mark.parametrize("role", ("agent", "chef", "comite", "dgs", "dpo", "rssi", "admin"))
def test_every_member_may_declare(role, collectivite, users):
    assert _declare(collectivite, users[role]).status == DeclarationStatus.RECEIVED
