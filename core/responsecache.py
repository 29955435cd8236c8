"""Answers that stay the same until the data changes: ETags, 304s and a response cache, by data version.

An anonymous GET or HEAD is named by the data version (core.dataversion), the address as asked
(scheme, host, path and query string), the language it is answered in and, for the API, its Accept
header. That name is its ETag. A request whose If-None-Match holds it is answered 304 after the one
query that reads the version; a rendered answer (not a streamed download) is kept in the
"responses" cache under it, so that the next reader of the address gets it without the view
running: from Redis when REDIS_URL is set (every worker of every app server shares it), else from
the process's memory. A write moves the version in its own transaction, so the first request after
the commit misses and renders afresh: the server never answers from before a change.

Anonymous answers say `Cache-Control: public, max-age=60, must-revalidate` (settings.
RESPONSE_CACHE_MAX_AGE): a browser or proxy may keep them a minute without asking, so a reader may
see an answer up to a minute older than the last change; then it asks again with the ETag.
A request that carries a session or an Authorization header, and every write, is neither looked up
nor stored, and its answer says `private, no-store`. An answer that sets a cookie or says its own
Cache-Control is left as the view made it; one with an ETag of its own (a line item's version)
keeps it, is not stored, and gets the same Cache-Control.
"""

import functools
import hashlib
import logging
import os
import threading
from pathlib import Path

from cachetools import LRUCache
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags

from core import dataversion

logger = logging.getLogger(__name__)

CACHE_ALIAS = "responses"
SAFE_METHODS = ("GET", "HEAD")
# Headers a stored answer does not keep: those made again for each answer, and cookies (an answer that
# sets one is never stored). The middleware around this one adds its own on the way out, to answers
# from the cache too.
_UNKEPT_HEADERS = {"date", "content-length", "etag", "cache-control", "expires", "set-cookie"}


def _cacheable_request(request) -> bool:
    if request.method not in SAFE_METHODS or "HTTP_AUTHORIZATION" in request.META:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return not request.path_info.startswith(settings.RESPONSE_CACHE_EXCLUDED_PATHS)


# What else decides an answer: the code that renders it. Kept in the key, so that a deploy never
# serves what the code before it rendered.
_CODE_SUFFIXES = (".py", ".html", ".txt", ".mo")
_STATIC_MANIFEST = "staticfiles.json"
# Not code: tests, the seed data (it is data, and versioned as such), backups, and every hidden folder
# (.venv, .git, the caches of the tools).
_CODE_SKIPPED = {"node_modules", "backups", "tests", "fixtures", "__pycache__"}


@functools.cache
def code_version() -> str:
    """A digest of the tracker's code, templates, catalogs, requirements and static manifest: the same on
    every server that runs the same release of the code."""
    digest = hashlib.blake2b(digest_size=8)
    root = Path(settings.BASE_DIR)
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(
            name for name in folders if name not in _CODE_SKIPPED and not name.startswith(".")
        )
        for name in sorted(files):
            if name.endswith(_CODE_SUFFIXES) or name == _STATIC_MANIFEST:
                path = Path(folder) / name
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _etag(request, version: str) -> str:
    # The API may answer another format for another Accept; no header and "*/*" ask the same.
    accept = request.META.get("HTTP_ACCEPT", "").strip() if request.path_info.startswith("/api/") else ""
    accept = "" if accept == "*/*" else accept
    # The language the reader prefers (cookie, else Accept-Language), as core.i18n reads it: with the
    # path, it decides the answer's language, or a redirect to the reader's.
    preferred = translation.get_language_from_request(request, check_path=False)
    name = "\n".join((request.build_absolute_uri(), preferred, accept, version, code_version()))
    digest = hashlib.blake2b(name.encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
    return f'"{version.split(".", 1)[0]}-{digest}"'


def _matches(request, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    tags = parse_etags(header)
    # Weak comparison, as RFC 9110 asks of If-None-Match: a proxy that compressed the answer made it W/.
    # "*" (any answer at all) is not taken: the middleware cannot know that one exists before the view
    # has run, and a 304 for an address that is a 404 would be wrong.
    return etag in tags or f"W/{etag}" in tags


def _public(response, etag: str) -> None:
    response["ETag"] = etag
    _fresh(response)


def _fresh(response) -> None:
    patch_cache_control(response, public=True, max_age=settings.RESPONSE_CACHE_MAX_AGE, must_revalidate=True)


def _storable(response) -> bool:
    return not response.streaming and len(response.content) <= settings.RESPONSE_CACHE_MAX_BYTES


def _from_cache(entry) -> HttpResponse:
    content, headers = entry
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response["Content-Length"] = str(len(content))
    return response


class _LocalCopies:
    """The answers a worker last served from the shared cache, kept in its memory up to `max_bytes`,
    the least recently served dropped first: an answer from here costs no round trip to Redis. Their
    names hold the data version, so a copy is right for as long as anyone asks for it by name."""

    def __init__(self, max_bytes: int):
        self._entries = LRUCache(maxsize=max_bytes, getsizeof=_entry_size)
        self._lock = threading.Lock()  # gunicorn's threads share a worker's copies

    def get(self, etag):
        with self._lock:
            return self._entries.get(etag)

    def set(self, etag, entry) -> None:
        if _entry_size(entry) <= self._entries.maxsize:
            with self._lock:
                self._entries[etag] = entry


def _entry_size(entry) -> int:
    content, headers = entry
    return len(content) + sum(len(name) + len(value) for name, value in headers)


def _local_copies(cache) -> _LocalCopies | None:
    # In front of a cache in another process (Redis) only: one in this process's memory already is one.
    if settings.RESPONSE_CACHE_LOCAL_BYTES <= 0 or isinstance(cache, (LocMemCache, DummyCache)):
        return None
    return _LocalCopies(settings.RESPONSE_CACHE_LOCAL_BYTES)


class ResponseCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches[CACHE_ALIAS]
        self.local = _local_copies(self.cache)

    def __call__(self, request):
        if settings.DEBUG:
            # Development: templates change under a running server, so every answer is rendered.
            return self.get_response(request)
        if not _cacheable_request(request):
            response = self.get_response(request)
            if "Cache-Control" in response:
                patch_cache_control(response, private=True)
            else:
                patch_cache_control(response, private=True, no_store=True)
            return response
        try:
            version = dataversion.current()
        except DatabaseError:
            # The database is not answering: the view finds out too, and says so (a 503).
            return self.get_response(request)
        etag = _etag(request, version)
        if _matches(request, etag):
            response = HttpResponseNotModified()
            _public(response, etag)
            self._vary(request, response)
            return response
        entry = self._lookup(etag)
        if entry is not None:
            response = _from_cache(entry)
            _public(response, etag)
            return response
        response = self.get_response(request)
        # An answer that names its own freshness is left as the view made it.
        if response.status_code != 200 or response.cookies or "Cache-Control" in response:
            return response
        self._vary(request, response)
        if "ETag" in response:
            # Its own version (the API's line items: the ETag an edit sends back in If-Match) is kept,
            # so the answer is not stored under the cache's name; it is as fresh as any other.
            _fresh(response)
            return response
        if _storable(response):
            headers = tuple(
                (name, value) for name, value in response.items() if name.lower() not in _UNKEPT_HEADERS
            )
            self._store(etag, (response.content, headers))
        _public(response, etag)
        return response

    # A cache that is down (Redis restarting) makes answers slower, never wrong and never an error.
    def _lookup(self, etag):
        if self.local is not None and (entry := self.local.get(etag)) is not None:
            return entry
        try:
            entry = self.cache.get(etag)
        except Exception:
            logger.warning("The response cache is not answering; rendering instead.", exc_info=True)
            return None
        if entry is not None and self.local is not None:
            self.local.set(etag, entry)
        return entry

    def _store(self, etag, entry) -> None:
        if self.local is not None:
            self.local.set(etag, entry)
        try:
            self.cache.set(etag, entry, settings.RESPONSE_CACHE_SECONDS)
        except Exception:
            logger.warning("The response cache is not answering; the answer was not kept.", exc_info=True)

    @staticmethod
    def _vary(request, response) -> None:
        # The answer depends on the reader's language choice and, in the API, on the format asked for.
        patch_vary_headers(
            response,
            ("Accept", "Accept-Language", "Cookie")
            if request.path_info.startswith("/api/")
            else ("Accept-Language", "Cookie"),
        )
