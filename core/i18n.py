"""Which language a request is answered in.

Pages live in two URL spaces: English unprefixed (`/countries/GT/`), Spanish under `/es/`
(`/es/countries/GT/`). The language of a page is its URL's. An unprefixed page asked for by
someone whose choice (the language cookie, set by the switcher) or, failing that, whose browser
(`Accept-Language`) prefers Spanish is redirected to its `/es/` address; `/en/…` redirects to the
unprefixed one. Everything else (the API, the admin, downloads) keeps one URL space and answers in
the chosen or preferred language.
"""

from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import is_valid_path, translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

DEFAULT = settings.LANGUAGE_CODE
# A year: the choice outlives the session, as a reader expects of a language switch.
COOKIE_AGE = 365 * 24 * 60 * 60


def active_language() -> str:
    """The request's language, as a base code: 'es' (for 'es' or 'es-gt')."""
    return (translation.get_language() or DEFAULT).split("-")[0]


def cldr_locale() -> str | None:
    """The Babel locale of the active language; None for the default one, whose forms are the
    tracker's own ("$496.5M", "6 March 2012")."""
    language = active_language()
    return None if language == DEFAULT else language


def translated_fields(model) -> list[str]:
    """The fields of `model` that carry a column per language (django-modeltranslation), if any."""
    from modeltranslation.translator import NotRegistered, translator

    try:
        return list(translator.get_options_for_model(model).get_field_names())
    except NotRegistered:
        return []


def path_language(path: str) -> str:
    """The language a page's path is in: its prefix's, or the default for an unprefixed path."""
    return translation.get_language_from_path(path) or DEFAULT


def _strip_prefix(path: str, language: str) -> str:
    return path[len(language) + 1 :] or "/"


def _with_query(request, path: str) -> str:
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{query}" if query else path


@lru_cache(maxsize=4096)
def _is_page(path: str, language: str, urlconf) -> bool:
    """Whether `path` is a page (one of the patterns that exist in every language) in `language`.
    Remembered: the URL patterns do not change while the app runs."""
    others = [code for code, _ in settings.LANGUAGES if code != DEFAULT]
    with translation.override(language):
        if not is_valid_path(path, urlconf):
            return False
    if language != DEFAULT:
        return True
    # An English address is a page if it also exists under another language's prefix.
    if not others:
        return False
    with translation.override(others[0]):
        return is_valid_path(f"/{others[0]}{path}", urlconf)


class LanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware for English unprefixed and Spanish under `/es/`, where Django's own takes an
    unprefixed address to mean the default language whatever the reader prefers (the API included)."""

    def process_request(self, request):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        path = request.path_info
        script = request.META.get("SCRIPT_NAME", "")
        from_path = translation.get_language_from_path(path)
        if from_path == DEFAULT and _is_page(_strip_prefix(path, DEFAULT), DEFAULT, urlconf):
            return self._redirect(request, _with_query(request, script + _strip_prefix(path, DEFAULT)))
        preferred = translation.get_language_from_request(request, check_path=False)
        language = from_path or preferred
        if from_path is None and _is_page(path, DEFAULT, urlconf):
            # An unprefixed page is English; a reader who prefers another language is sent to it.
            if preferred != DEFAULT and request.method in ("GET", "HEAD"):
                return self._redirect(request, _with_query(request, f"{script}/{preferred}{path}"))
            language = DEFAULT
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if not translation.get_language_from_path(request.path_info):
            # Unprefixed, the answer's language came from the cookie or Accept-Language.
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    def _redirect(self, request, location):
        response = HttpResponseRedirect(location)
        # The redirect depends on the reader: no cache may hand it to another.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


@require_safe
@never_cache
def choose_language(request, language):
    """The language switcher's link: remembers the choice and shows the same page in that language.

    `next` is the page the reader was on (path and query string); it is translated to the chosen
    language's address, and anything that is not a page of this site goes to the dashboard."""
    if language not in dict(settings.LANGUAGES):
        raise Http404(f"No language {language!r}")
    next_url = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    path = urlsplit(next_url).path
    with translation.override(path_language(path)):
        target = translate_url(next_url, language)
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
    )
    return response


DOWNLOAD_PARAMETER = "lang"


def download_language(request) -> str:
    """The language of a download's header row: `?lang=` if given, else English, whatever the browser
    prefers (a script's file does not change with the machine it runs on). Raises ValueError naming
    the parameter for a language the tracker does not have."""
    asked = request.GET.get(DOWNLOAD_PARAMETER)
    if asked is None:
        return DEFAULT
    if asked not in dict(settings.LANGUAGES):
        choices = ", ".join(code for code, _ in settings.LANGUAGES)
        raise ValueError(f"Unknown language {asked!r}: choose one of {choices}.")
    return asked


def in_default_language(rows):
    """Rows of a streamed download, made in the default language whatever the request's (the cells
    of a file do not change with the reader's language)."""
    # The language is switched around each row only, never held across a yield: a download stopped
    # midway leaves a suspended generator, and closing it later (whenever it is collected) would
    # otherwise reset the language of whatever request that thread is serving then.
    rows = iter(rows)
    while True:
        with translation.override(DEFAULT):
            try:
                row = next(rows)
            except StopIteration:
                return
        yield row
