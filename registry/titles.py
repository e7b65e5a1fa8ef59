"""A role's title printed next to a person, agreed with how the person is addressed (`User.civility`).

The title is the role's, in the person's grammatical form: « Présidente » for Madame, « Président » for Monsieur.
When the person's form of address is not stated, the role is named as a function (« Présidence du comité
d'éthique »), which reads correctly whoever holds it; never a form with a bracket (« Délégué(e) »). Used by the
minutes, the committee's pages and wherever a role title is printed next to a person.
"""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from .choices import Civility

CHAIR = "chair"
COMMITTEE_CHAIR = "committee_chair"
DPO = "dpo"
SECRETARY = "secretary"
MEMBER = "member"

# Per role: (feminine, masculine, neutral — the function). The contexts keep each form its own French entry.
TITLES = {
    CHAIR: (
        pgettext_lazy("title, feminine", "Chair"),
        pgettext_lazy("title, masculine", "Chair"),
        pgettext_lazy("title, function", "Chair"),
    ),
    COMMITTEE_CHAIR: (
        pgettext_lazy("title, feminine", "Chair of the ethics committee"),
        pgettext_lazy("title, masculine", "Chair of the ethics committee"),
        pgettext_lazy("title, function", "Chair of the ethics committee"),
    ),
    DPO: (
        pgettext_lazy("title, feminine", "Data protection officer"),
        pgettext_lazy("title, masculine", "Data protection officer"),
        pgettext_lazy("title, function", "Data protection officer"),
    ),
    # « Secrétaire de séance » and « Membre » are the same for everyone.
    SECRETARY: (pgettext_lazy("title", "Secretary of the session"),) * 3,
    MEMBER: (pgettext_lazy("title", "Member"),) * 3,
}


def title(role: str, person=None) -> str:
    """The title of `role` for `person` (a User, or anything with a `civility`; None: the neutral form)."""
    feminine, masculine, function = TITLES[role]
    civility = getattr(person, "civility", "") or ""
    if civility == Civility.MADAME:
        return str(feminine)
    if civility == Civility.MONSIEUR:
        return str(masculine)
    return str(function)
