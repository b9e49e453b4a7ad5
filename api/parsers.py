"""Request bodies the API reads: JSON, forms and multipart as DRF parses them, with JSON nested past Python's
recursion limit answered as the parse error it is (400 in the API's error shape) instead of a server error."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("Dữ liệu JSON lồng nhau quá sâu.")) from None
