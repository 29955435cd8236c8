from django.http import HttpResponseBadRequest, JsonResponse

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
