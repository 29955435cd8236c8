"""?release=<name> on any page or endpoint: the answer as the data stood at that release."""

import json

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from core.release_context import viewing_release
from releases import asof
from releases.models import Release

PARAMETER = "release"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _refusal(request, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return HttpResponse(json.dumps({PARAMETER: [message]}), status=400, content_type="application/json")
    return TemplateResponse(request, "releases/bad_release.html", {"message": message}, status=400).render()


class ReleaseMiddleware:
    """Reads `?release=` and, for the time of the request (of a streamed answer, until its last
    byte), puts the release's data in front of today's (releases.asof). `request.release` is the
    release asked for, or None for today's data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.release = None
        names = request.GET.getlist(PARAMETER)
        if not names:
            return self.get_response(request)
        if len(names) > 1:
            return _refusal(request, _("Give one release, not several."))
        release = Release.objects.filter(name=names[0]).defer("bundle").first()
        if release is None:
            latest = Release.objects.defer("bundle").latest_release()
            hint = (
                _(" The latest is %(name)s.") % {"name": latest.name}
                if latest
                else _(" None has been published yet.")
            )
            return _refusal(
                request,
                _("Unknown release: %(name)r. Releases are named like 2026-12-01.1 (see /api/v1/releases/).")
                % {"name": names[0]}
                + hint,
            )
        if request.method not in SAFE_METHODS:
            return _refusal(
                request,
                _("Release %(name)s is published and read only: write to today's data.")
                % {"name": release.name},
            )
        request.release = release
        token = viewing_release.set(release.name)
        asof.enter(release.number)
        try:
            response = self.get_response(request)
        finally:
            asof.leave()
            viewing_release.reset(token)
        if response.streaming:
            response.streaming_content = _as_of(release, response.streaming_content)
        return response


def _as_of(release, content):
    token = viewing_release.set(release.name)
    asof.enter(release.number)
    try:
        yield from content
    finally:
        asof.leave()
        viewing_release.reset(token)
