import sys
import threading

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.db import is_unavailable
from core.middleware import DatabaseUnavailable

# At most one probe at a time: while one waits on a database that does not answer, /healthz says so
# at once instead of leaving another thread waiting beside it.
_probing = threading.Lock()


def database_answers(timeout: float) -> bool:
    """Whether the database answers `SELECT 1` within `timeout` seconds, on a connection of its own.

    The probe runs in a thread of its own (Django gives each thread its own connection), so that
    a database that accepts connections and never answers cannot hold the request that asked.
    """
    if not _probing.acquire(blocking=False):
        return False
    answered = threading.Event()

    def probe():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
            answered.set()
        except DatabaseError:
            pass
        finally:
            connection.close()
            _probing.release()

    threading.Thread(target=probe, name="healthz-probe", daemon=True).start()
    return answered.wait(timeout)


@require_safe
@never_cache
def healthz(request):
    """200 when the database answers within HEALTHZ_TIMEOUT seconds, else 503; the body says which."""
    if not database_answers(settings.HEALTHZ_TIMEOUT):
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception):
    """A missing page gets the site's 404 page; a missing API address gets JSON, like the API's own 404s."""
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    """Django's own refusals (a body over DATA_UPLOAD_MAX_MEMORY_SIZE, a forged host): JSON under
    /api/, and 413 for a body too large."""
    status = 413 if isinstance(exception, RequestDataTooBig) else 400
    if _is_api(request):
        detail = (
            _("The body is larger than the %(limit)s bytes accepted.")
            % {"limit": f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,}"}
            if status == 413
            else _("Bad request.")
        )
        return JsonResponse({"detail": detail}, status=status)
    response = defaults.bad_request(request, exception)
    response.status_code = status
    return response


def server_error(request):
    # A database failure outside any view (reading the session, say) is no server error either.
    exception = sys.exc_info()[1]
    if exception is not None and is_unavailable(exception):
        return DatabaseUnavailable(None).process_exception(request, exception)
    if _is_api(request):
        return JsonResponse({"detail": _("Server error; it has been logged.")}, status=500)
    return defaults.server_error(request)


@require_safe
def favicon(request):
    return HttpResponsePermanentRedirect(static("favicon.svg"))
