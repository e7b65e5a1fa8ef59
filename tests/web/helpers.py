"""What the web tests share besides fixtures: who sees what, and French strings as rendered."""

from django.utils import translation

from registry.services import use_case_classify
from tests.registry.qualification_support import QUIET


def fr(msgid: str) -> str:
    """A message as the French page shows it, whatever the catalogue holds today.

    Compare it with the page's unescaped text: `{% translate %}` leaves apostrophes as they are while
    variables are escaped, so the raw HTML holds either form.
    """
    with translation.override("fr"):
        return translation.gettext(msgid)


# Who sees which use case of the `register` fixture (issue 2, "Permissions").
ALL_HERE = {"ccas_draft", "ccas_approved", "agent_own_draft", "logement_draft", "com_in_production", "ethics_submitted"}
VISIBLE = {
    "agent": {"ccas_approved", "agent_own_draft"},
    "chef": {"ccas_draft", "ccas_approved", "agent_own_draft", "logement_draft"},
    "dpo": ALL_HERE,
    "rssi": ALL_HERE,
    "comite": {"ethics_submitted"},
    "dgs": ALL_HERE,
    "admin": ALL_HERE,
    "outsider": {"neighbour"},
}
ROLES = tuple(VISIBLE)


def frn(singular: str, plural: str, count: int) -> str:
    """A plural message as the French page shows it."""
    with translation.override("fr"):
        return translation.ngettext(singular, plural, count)


# The questionnaire (DOMAIN.md 3b) answered for a simple writing assistant of the agents: what a head of service
# ticks for the quietest use, as the form posts it. A test changes the answers its case is about.
QUIET_FACTS = {"art5_practices": ["none"], **QUIET}


def answer_questionnaire(use_case, **answers):
    """Give a use case the quiet answers of the questionnaire (with `answers` instead), classified and saved
    so that the legal inputs are derived from them, as a use case created through the form."""
    facts = {name: value for name, value in QUIET_FACTS.items() if name != "art5_practices"}
    for name, value in {**facts, **answers}.items():
        setattr(use_case, name, value)
    use_case_classify(use_case=use_case)
    use_case.save()
    use_case.refresh_from_db()
    return use_case
