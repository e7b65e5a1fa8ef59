"""The API's JSON parser: DRF's, with a document nested too deeply refused as bad input (400) rather than left to
Python's recursion limit (a 500)."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(_("The JSON document is nested too deeply.")) from error
