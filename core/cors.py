"""Cross-origin reads of the API (django-cors-headers): a notebook or a page on any other site can GET
the API from the browser; no other site can write through a reader's browser."""

from corsheaders.middleware import CorsMiddleware

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ReadOnlyCorsMiddleware(CorsMiddleware):
    """CORS only for reads: a preflight is answered for the safe method it asks about, and a write's
    answer carries no Access-Control-Allow-Origin, so a browser keeps it from another site's script."""

    def is_enabled(self, request) -> bool:
        if not super().is_enabled(request):
            return False
        method = request.method
        if method == "OPTIONS":  # a preflight names the method it is for
            method = request.headers.get("access-control-request-method", method).upper()
        return method in SAFE_METHODS
