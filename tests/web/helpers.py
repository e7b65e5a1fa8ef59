"""What the web tests share besides fixtures: who sees what, and French strings as rendered."""

from django.utils import translation


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
