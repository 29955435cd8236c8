"""Which release a request reads, for the code that builds links: a link made while reading a release
leads to the same release (releases.middleware sets it; releases.asof does the reading)."""

from contextvars import ContextVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

PARAMETER = "release"
viewing_release: ContextVar[str | None] = ContextVar("viewing_release", default=None)


def at_release(url: str, name: str | None = None) -> str:
    """`url` with ?release= of the release being read (or `name`); unchanged when reading today's data."""
    name = name or viewing_release.get()
    if not name:
        return url
    parts = urlsplit(url)
    query = [
        (key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != PARAMETER
    ]
    query.append((PARAMETER, name))
    return urlunsplit(parts._replace(query=urlencode(query)))
