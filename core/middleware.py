from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.db import is_conflict, is_unavailable

MESSAGE = "The address contains a NUL character (%00), which no name, key or search can hold."


class RejectNullCharacters:
    """A NUL character in the path or a query parameter is a 400, before any view sees it.

    PostgreSQL refuses NUL in every string, so such a value can match nothing; left to reach
    a lookup it would end as a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = (part for key, values in request.GET.lists() for part in (key, *values))
        if "\x00" in request.path or any("\x00" in part for part in query):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MESSAGE}, status=400)
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class DatabaseUnavailable:
    """A database that is down, too slow, or cancelled a write to break a conflict: a 503 that says
    when to come back, rather than a 500. Nothing was written (the transaction rolled back)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_unavailable(exception):
            return None
        conflict = is_conflict(exception)
        detail = (
            _(
                "The database was busy with a conflicting change and nothing was saved; send the request "
                "again."
            )
            if conflict
            else _("The database is not answering right now; nothing was changed. Try again in a moment.")
        )
        retry_after = "1" if conflict else "10"
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": detail}, status=503)
        else:
            response = HttpResponse(
                render_to_string("503.html", {"detail": detail}), status=503, content_type="text/html"
            )
        response["Retry-After"] = retry_after
        return response
