from lxml import etree
from rest_framework import renderers
from rest_framework.renderers import BaseRenderer
from rest_framework.settings import api_settings

from core.spreadsheets import XLSX_CONTENT_TYPE, Sheet, xlsx_response


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's HTML pages for the API, which carry inline style attributes of their own.

    The site's Content-Security-Policy allows no inline style; these pages alone are let off
    for styles (never for scripts), rather than weakening the policy for every page.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_update = {"style-src": ["'unsafe-inline'"]}
        return super().render(data, accepted_media_type, renderer_context)


def spreadsheet_format(request) -> str | None:
    """ "csv" or "xlsx" when the request asks for a download in that format, by ?format= or by its
    Accept header (whichever content negotiation chose), else None."""
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is not None:
        value = renderer.format
    else:
        value = request.query_params.get(api_settings.URL_FORMAT_OVERRIDE)
    return value if value in ("csv", "xlsx") else None


class CSVRenderer(BaseRenderer):
    """Lets `?format=csv` (or Accept: text/csv) through content negotiation; views answer it with
    stream_csv().

    What reaches this renderer is an error (a 400 on a bad filter, say), written as
    one row per message so the reason is readable whatever format was asked for.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        lines = ["field,message"]
        for field, message in error_messages(data):
            lines.append(f'{field},"{message.replace(chr(34), chr(34) * 2)}"')
        return ("\n".join(lines) + "\n").encode(self.charset)


class XLSXRenderer(BaseRenderer):
    """Lets `?format=xlsx` through content negotiation; views answer it with xlsx_response().

    What reaches this renderer is an error, written as a sheet of field and message.
    """

    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = xlsx_response("error.xlsx", [Sheet("error", ["field", "message"], error_messages(data))])
        with response.file_to_stream as file:
            return file.read()


def error_messages(data) -> list[tuple[str, str]]:
    """(field, message) for each message of an error answer."""
    items = data.items() if isinstance(data, dict) else [("detail", data)]
    return [
        (str(field), str(message))
        for field, messages in items
        for message in (messages if isinstance(messages, list) else [messages])
    ]


# What the endpoints with downloads add to JSON and the browsable API.
SPREADSHEET_RENDERERS = [CSVRenderer, XLSXRenderer]


class XMLErrorRenderer(BaseRenderer):
    """For an XML endpoint: views answer with their own XML; what reaches this renderer is an error,
    written as <errors><error field="…">message</error></errors>."""

    media_type = "application/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        root = etree.Element("errors")
        for field, message in error_messages(data):
            etree.SubElement(root, "error", field=field).text = message
        return etree.tostring(root, xml_declaration=True, encoding="utf-8")
