"""A role's title printed next to a person, agreed with how the person is addressed (`User.civility`).

The title is the role's, in the person's grammatical form: « Présidente » for Madame, « Président » for Monsieur.
When the person's form of address is not stated, the role is named as a function (« Présidence du comité
d'éthique »), which reads correctly whoever holds it; never a form with a bracket (« Délégué(e) »). Used by the
minutes, the committee's pages and wherever a role title is printed next to a person.
"""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from core.roles import Role

from .choices import Civility

CHAIR = "chair"
VICE_CHAIR = "vice_chair"
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
    VICE_CHAIR: (
        pgettext_lazy("title, feminine", "Vice-chair"),
        pgettext_lazy("title, masculine", "Vice-chair"),
        pgettext_lazy("title, function", "Vice-chair"),
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


# Who presided over a case (AgendaItem.PresidingRole), inside a sentence after the person's name: « sous la présidence
# de Paul Durand, vice-président ». The function's form reads « …, à la vice-présidence ».
PRESIDING = {
    "chair": (
        pgettext_lazy("presiding, feminine", "chair"),
        pgettext_lazy("presiding, masculine", "chair"),
        pgettext_lazy("presiding, function", "chair"),
    ),
    "vice_chair": (
        pgettext_lazy("presiding, feminine", "vice-chair"),
        pgettext_lazy("presiding, masculine", "vice-chair"),
        pgettext_lazy("presiding, function", "vice-chair"),
    ),
    "eldest": (
        pgettext_lazy("presiding, feminine", "eldest member present"),
        pgettext_lazy("presiding, masculine", "eldest member present"),
        pgettext_lazy("presiding, function", "eldest member present"),
    ),
    "longest_serving": (
        pgettext_lazy("presiding, feminine", "longest-serving member present (ages not known or equal)"),
        pgettext_lazy("presiding, masculine", "longest-serving member present (ages not known or equal)"),
        pgettext_lazy("presiding, function", "longest-serving member present (ages not known or equal)"),
    ),
}


# The roles of the register (registry.choices.Role) in the person's form: (feminine, masculine); a person whose form
# of address is not stated reads the role's own label (Role's choices).
ROLE_FORMS = {
    "agent": (pgettext_lazy("role, feminine", "Agent"), pgettext_lazy("role, masculine", "Agent")),
    "head_of_service": (
        pgettext_lazy("role, feminine", "Head of service"),
        pgettext_lazy("role, masculine", "Head of service"),
    ),
    "dpo": (
        pgettext_lazy("role, feminine", "Data protection officer (DPO)"),
        pgettext_lazy("role, masculine", "Data protection officer (DPO)"),
    ),
    "dgs": (
        pgettext_lazy("role, feminine", "Director general of services (DGS)"),
        pgettext_lazy("role, masculine", "Director general of services (DGS)"),
    ),
    "admin": (pgettext_lazy("role, feminine", "Administrator"), pgettext_lazy("role, masculine", "Administrator")),
}


def role_label(role: str, person=None) -> str:
    """A role of the register (registry.choices.Role) named for `person`: « Déléguée à la protection des données
    (DPO) » for Madame, « Délégué … » for Monsieur, the role's label when the form of address is not stated."""
    civility = getattr(person, "civility", "") or ""
    forms = ROLE_FORMS.get(role)
    if forms and civility == Civility.MADAME:
        return str(forms[0])
    if forms and civility == Civility.MONSIEUR:
        return str(forms[1])
    return str(Role(role).label)


def _agreed(forms, person) -> str:
    feminine, masculine, function = forms
    civility = getattr(person, "civility", "") or ""
    if civility == Civility.MADAME:
        return str(feminine)
    if civility == Civility.MONSIEUR:
        return str(masculine)
    return str(function)


def title(role: str, person=None) -> str:
    """The title of `role` for `person` (a User, or anything with a `civility`; None: the neutral form)."""
    return _agreed(TITLES[role], person)


def presiding(role: str, person=None) -> str:
    """In what capacity `person` presided over a case (AgendaItem.PresidingRole), to follow their name in a
    sentence: « vice-présidente », « doyen d'âge »."""
    return _agreed(PRESIDING[role], person)


def presided_by(role: str, person) -> str:
    """« Paul Durand, vice-président »: who presided over a case, and as what."""
    name = person.get_full_name() or person.username
    return f"{name}, {presiding(role, person)}"
