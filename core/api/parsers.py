"""The API's JSON parser: DRF's, with two kinds of document refused as bad input (400 in the API's error shape)
rather than left to fail later with a 500:

- a document nested deeper than MAX_DEPTH levels: no request of the API nests more than a few, and one nested
  1,000 levels (2 KB of `[`) exceeds Python's recursion limit, in the parser or in whatever walks it next (a
  serializer, the JSON encoder of a JSON field, an error message quoting it);
- a NUL character (U+0000, written `\\u0000` in JSON) in any string, key or value: no text of the register holds
  one, and PostgreSQL refuses it in text and in JSON alike. Forms, query strings and headers are checked by
  config.inputs.NulCharacterMiddleware.
"""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32
NUL = "\x00"


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(_("The JSON document is nested too deeply.")) from error
        problem = check_document(data)
        if problem == "depth":
            raise ParseError(_("The JSON document is nested too deeply."))
        if problem == "nul":
            raise ParseError(_("The JSON document contains a NUL character (\\u0000), which no text may hold."))
        return data


def check_document(data, max_depth: int = MAX_DEPTH) -> str | None:
    """ "depth" if the document nests deeper than `max_depth` arrays and objects, "nul" if one of its strings (a key
    or a value) holds a NUL character, else None. Walked without recursion: the document may be nested just short
    of the recursion limit."""
    pending = [(data, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            if NUL in item:
                return "nul"
        elif isinstance(item, dict | list):
            if depth >= max_depth:
                return "depth"
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return None
