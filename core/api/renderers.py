from rest_framework import renderers
from rest_framework.renderers import BaseRenderer
from rest_framework.settings import api_settings


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


def wants_csv(request) -> bool:
    return request.query_params.get(api_settings.URL_FORMAT_OVERRIDE) == "csv"


class CSVRenderer(BaseRenderer):
    """Lets `?format=csv` through content negotiation; views answer it with stream_csv().

    What reaches this renderer is an error (a 400 on a bad filter, say), written as
    one row per message so the reason is readable whatever format was asked for.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        lines = ["field,message"]
        items = data.items() if isinstance(data, dict) else [("detail", data)]
        for field, messages in items:
            for message in messages if isinstance(messages, list) else [messages]:
                lines.append(f'{field},"{str(message).replace(chr(34), chr(34) * 2)}"')
        return ("\n".join(lines) + "\n").encode(self.charset)
