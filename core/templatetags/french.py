"""French grammar of a name in a sentence: `{{ collectivite.name|with_article }}` (« la Ville de Montreuil »),
`{{ tool.name|after_de }}` (« du Chat Pro »), `|after_a` (« au Département du Nord »). In another language the
name is left as it is."""

from django import template

from core import typography

register = template.Library()


@register.filter
def with_article(name) -> str:
    """The name with its article, as it reads after « par » or as a subject: « la Ville de Montreuil »."""
    return typography.with_article(str(name or ""))


@register.filter
def after_de(name) -> str:
    """The name after « de », contracted: « de la Ville de Montreuil », « du Département du Nord »."""
    return typography.after_de(str(name or ""))


@register.filter
def after_a(name) -> str:
    """The name after « à », contracted: « à la Ville de Montreuil », « au Département du Nord »."""
    return typography.after_a(str(name or ""))
