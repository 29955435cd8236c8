"""Request bodies the API reads."""

import json

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing with a 400 what would otherwise end as a 500: nesting deeper than
    Python's stack, and strings that are no text (a lone surrogate such as "\\ud800", which no
    database stores). Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE before this runs.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None
        except UnicodeEncodeError:
            raise ParseError(
                "JSON parse error - a string holds a lone surrogate (such as \\ud800), which is no text."
            ) from None
        return data
