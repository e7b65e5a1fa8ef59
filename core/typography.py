"""French typography and grammar of what the app shows, applied once per medium rather than string by string:
HTML pages (`FrenchTypographyMiddleware`), PDFs (`audits.pdf.render_pdf`), e-mails (`registry.emails`).

`typeset_html` and `typeset_text` put a narrow no-break space (U+202F) before « : ; ! ? » and inside « », so the
mark never starts a line, and write the one apostrophe the project uses (the straight ', as its catalogue).
They touch text only: never a tag, an attribute (a form field keeps what the person typed), a <script>, <style>,
<pre>, <code>, <textarea>, nor a URL (`https://`), a time (`10:30`) or a ratio (`16:9`); and only French text.

`with_article`, `after_de` and `after_a` give a collectivité's name (or a tool's) its article in a French sentence:
« Algorithmes utilisés par la Ville de Montreuil », « Paramètres du Département du Nord ».
"""

from __future__ import annotations

import re
from bisect import bisect_right

from django.conf import settings
from django.utils import translation

NNBSP = "\u202f"  # narrow no-break space
APOSTROPHE = "'"  # the catalogue's and the templates' apostrophe

_SPACES = " \t\r\n\u00a0\u202f"
_SPACE_ENTITIES = ("&nbsp;", "&#160;", "&#xa0;", "&#xA0;")
# What may come right before a mark that lacks its space: the end of a word, of a number, of a bracket, of an
# element (`<strong>Statut</strong>:`).
_WORD_END = frozenset(")]%€…>")
# What follows « : » and « ; » that end a clause (not `10:30`, `https://`, `16:9`, `&amp;x`), and « ! ? » that end a
# sentence (not `?page=2`).
_CLAUSE_END = frozenset(_SPACES + "<")
_SENTENCE_END = frozenset(_SPACES + "<»)].,;:!?")
_MARKS = ":;!?»«’"
# Elements whose content is code, preformatted or typed by the person, and comments: left as they are. In lower
# case, as the templates and Django write them (a case-insensitive search would double the cost).
_VERBATIM = re.compile(r"<(?:(script|style|pre|code|textarea|kbd|samp)(?=[\s>/])|!--)")


def is_french(language: str | None = None) -> bool:
    """Whether `language` (by default the active one) is French."""
    return (language or translation.get_language() or settings.LANGUAGE_CODE).lower().split("-")[0] == "fr"


def typeset_text(text: str, *, language: str | None = None) -> str:
    """Plain text (an e-mail's subject or body) in French typography; unchanged in another language."""
    if not text or not is_french(language):
        return text
    return _typeset(text, html=False)


def typeset_html(html: str, *, language: str | None = None) -> str:
    """An HTML page or fragment in French typography, in its text only; unchanged in another language."""
    if not html or not is_french(language):
        return html
    return _typeset(html, html=True)


def _verbatim_spans(html: str) -> list[tuple[int, int]]:
    """Where the verbatim elements and the comments are, in order."""
    spans: list[tuple[int, int]] = []
    for match in _VERBATIM.finditer(html):
        if spans and match.start() < spans[-1][1]:
            continue  # inside the previous one: `<pre><code>`
        name = match.group(1)
        closing = f"</{name}>" if name else "-->"
        end = html.find(closing, match.end())
        spans.append((match.start(), len(html) if end == -1 else end + len(closing)))
    return spans


def _typeset(source: str, *, html: bool) -> str:
    """The edits are found from the marks, by `str.find`, rather than by regular expressions over the whole page:
    a page of the register with 200 rows is typeset in about a millisecond."""
    length = len(source)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), in source order once sorted
    spans = _verbatim_spans(source) if html else []
    starts = [start for start, _end in spans]  # sorted: found in order

    def in_text(index: int) -> bool:
        if not html:
            return True
        if source.rfind("<", 0, index) > source.rfind(">", 0, index):
            return False  # inside a tag: an attribute
        where = bisect_right(starts, index) - 1
        return where < 0 or spans[where][1] <= index

    def space_before(index: int) -> int:
        """Where the run of spaces ending at `index` starts."""
        while True:
            while index > 0 and source[index - 1] in _SPACES:
                index -= 1
            for entity in _SPACE_ENTITIES if html else ():
                if source.endswith(entity, 0, index):
                    index -= len(entity)
                    break
            else:
                return index

    for mark in _MARKS:
        index = source.find(mark)
        while index != -1:
            following = source[index + 1] if index + 1 < length else ""
            previous = source[index - 1] if index else ""
            edit = None
            if mark == "’":
                edit = (index, index + 1, APOSTROPHE)
            elif mark == "«":
                end = index + 1
                while end < length and source[end] in _SPACES:
                    end += 1
                if source[index + 1 : end] != NNBSP:
                    edit = (index + 1, end, NNBSP)
            elif mark in ":;" and following and following not in _CLAUSE_END:
                pass  # `10:30`, `https://`, `&#x27;s`
            elif mark in "!?" and (previous in "!?" or (following and following not in _SENTENCE_END)):
                pass  # the second mark of « ?! », or `?page=2`
            else:
                start = space_before(index)
                if start < index:
                    if source[start:index] != NNBSP:
                        edit = (start, index, NNBSP)
                elif (previous.isalnum() or previous in _WORD_END or (mark == "»" and previous in ".!?")) and not (
                    mark == ";" and _ends_entity(source, index)
                ):
                    edit = (index, index, NNBSP)
            if edit is not None and in_text(index):
                edits.append(edit)
            index = source.find(mark, index + 1)

    if not edits:
        return source
    edits.sort()
    pieces, done = [], 0
    for start, end, replacement in edits:
        if start < done:  # « » with nothing inside: one space, not two
            continue
        pieces.append(source[done:start])
        pieces.append(replacement)
        done = end
    pieces.append(source[done:])
    return "".join(pieces)


def _ends_entity(source: str, index: int) -> bool:
    """Whether the « ; » at `index` closes an HTML entity (`&amp;`, `&#x27;`)."""
    start = index
    while start > 0 and (source[start - 1].isalnum() or source[start - 1] == "#"):
        start -= 1
    return start > 0 and source[start - 1] == "&"


class FrenchTypographyMiddleware:
    """French typography of every HTML page answered in French (the admin's included).

    Placed outside the locale middleware, it reads the page's language from its `Content-Language`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
            or not is_french(response.get("Content-Language") or getattr(request, "LANGUAGE_CODE", None))
            or response.get("Content-Encoding")
        ):
            return response
        charset = response.charset or settings.DEFAULT_CHARSET
        html = response.content.decode(charset)
        typeset = typeset_html(html, language="fr")
        if typeset != html:
            response.content = typeset.encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response


# The article of a name ----------------------------------------------------------------------------------------
# The first word of a collectivité's name tells its article: « la Ville de … », « le Département du … ».
_FEMININE = frozenset(
    {
        *("ville", "commune", "communauté", "métropole", "eurométropole", "région", "collectivité", "agglomération"),
        *("mairie", "intercommunalité", "préfecture", "direction", "université", "académie", "caisse", "agence"),
    }
)
_MASCULINE = frozenset(
    {
        *("département", "conseil", "centre", "syndicat", "établissement", "groupement", "pôle", "territoire"),
        *("office", "service", "ccas", "cias", "sdis", "sivu", "sivom", "epci", "ept", "pays", "parc", "hôpital"),
        "hôtel",
    }
)
_ARTICLES = {"le ": "le", "la ": "la", "les ": "les", "l'": "l'", "l’": "l'"}
_VOWELS = "aeiouyàâäéèêëîïôöùûüœæ"
# Words whose h is mute (the article elides: « l'Hôtel de ville »); other h are aspirated (« le Havre »).
_MUTE_H = ("hôpital", "hôtel", "habitat", "hospice", "horticult")


def _starts_with_vowel_sound(word: str) -> bool:
    word = word.lower()
    return word[:1] in _VOWELS or word.startswith(_MUTE_H)


def _split_article(name: str) -> tuple[str, str, bool]:
    """(article, rest, written): the article the name starts with (written) or takes, and the rest of the name;
    no article for a bare proper name (« Montreuil »)."""
    lowered = name.lower()
    for prefix, article in _ARTICLES.items():
        if lowered.startswith(prefix) and len(name) > len(prefix):
            return article, name[len(prefix) :], True
    first = re.split(r"[\s'’-]", lowered, maxsplit=1)[0]
    if first in _FEMININE or first in _MASCULINE:
        if _starts_with_vowel_sound(first):
            return "l'", name, False
        return ("la" if first in _FEMININE else "le"), name, False
    return "", name, False


def french_with_article(name: str) -> str:
    """« la Ville de Montreuil », « le Département du Nord », « l'Eurométropole de Strasbourg », « Montreuil »,
    « Le Havre »: the name as it reads after « par » or as a subject. A name that has its article keeps it."""
    if not name:
        return name
    article, rest, written = _split_article(name)
    if not article or written:
        return name
    return f"{article}{rest}" if article == "l'" else f"{article} {rest}"


def french_after_de(name: str) -> str:
    """The name after « de », contracted: « de la Ville de Montreuil », « du Département du Nord »,
    « de l'Eurométropole », « des Ulis », « du Chat Pro » (for « Le Chat Pro »), « d'Orléans », « de Montreuil »."""
    return _after("de", name)


def french_after_a(name: str) -> str:
    """The name after « à », contracted: « à la Ville de Montreuil », « au Département du Nord », « aux Ulis »,
    « à l'Eurométropole », « à Montreuil »."""
    return _after("à", name)


# « de » and « à » before « le » and « les » contract; « de » elides before a vowel.
_CONTRACTIONS = {("de", "le"): "du", ("de", "les"): "des", ("à", "le"): "au", ("à", "les"): "aux"}


def _after(preposition: str, name: str) -> str:
    if not name:
        return name
    article, rest, written = _split_article(name)
    contracted = _CONTRACTIONS.get((preposition, article))
    if contracted:
        return f"{contracted} {rest}"
    if article:  # « la », « l' »: no contraction; a written article keeps its capital (« de La Rochelle »)
        return f"{preposition} {name if written else french_with_article(name)}"
    if preposition == "de" and _starts_with_vowel_sound(name):
        return f"d'{name}"
    return f"{preposition} {name}"


def with_article(name: str) -> str:
    """`french_with_article` when the active language is French, else the name as it is."""
    return french_with_article(name) if is_french() else name


def after_de(name: str) -> str:
    """`french_after_de` when the active language is French, else the name as it is (English says « of »)."""
    return french_after_de(name) if is_french() else name


def after_a(name: str) -> str:
    """`french_after_a` when the active language is French, else the name as it is (English says « to », « in »)."""
    return french_after_a(name) if is_french() else name
