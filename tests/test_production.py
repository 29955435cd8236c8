"""What a production deployment relies on: headers, rate limits, the login lockout, settings, errors."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.app_process import requests_against

MANAGE_PY = str(Path(settings.BASE_DIR) / "manage.py")

# The production environment of README "Deploying", behind nginx with TLS.
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "k3y-" + "x7Qp9vLm2Rt8Zw4Nc6Hy" * 3,
    "DJANGO_ALLOWED_HOSTS": "carsi.example.org",
    "DJANGO_BEHIND_HTTPS_PROXY": "1",
    "DJANGO_NUM_PROXIES": "1",
    "DJANGO_SECURE_SSL_REDIRECT": "1",
    "DJANGO_SECURE_COOKIES": "1",
    "DJANGO_SECURE_HSTS_SECONDS": "31536000",
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "DJANGO_SECURE_HSTS_PRELOAD": "1",
}

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

PAGES = [
    "/",
    "/allocations/?country=GT",
    "/allocations/1/",
    "/reconciliation/",
    "/programs/",
    "/programs/guatemala-aviation-program/",
    "/countries/",
    "/countries/GT/",
    "/objectives/",
    "/sources/",
    "/api/v1/",
    "/api/v1/allocations/",
    "/api/v1/allocations/totals/?group_by=fiscal_year",
    "/api/v1/reconciliation/",
    "/api/v1/schema/",
    "/api/v1/docs/",
    "/admin/login/",
    "/healthz",
    "/no-such-page/",
    "/api/v1/no-such-resource/",
]


def manage(*args, **env):
    clean = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    return subprocess.run([sys.executable, MANAGE_PY, *args], env=clean | env, capture_output=True, text=True)


def policy(response) -> dict[str, str]:
    parts = (part.strip() for part in response["Content-Security-Policy"].split(";"))
    return dict(part.split(" ", 1) for part in parts if part)


# Security headers


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_every_page_sends_the_security_headers(client, url):
    response = client.get(url)
    assert response.status_code in (200, 404), url
    assert policy(response) == CSP
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_browsable_api_alone_may_use_inline_styles_but_never_inline_scripts(client):
    response = client.get("/api/v1/allocations/", HTTP_ACCEPT="text/html")
    assert response["Content-Type"].startswith("text/html")
    assert policy(response) == CSP | {"style-src": "'self' 'unsafe-inline'"}
    assert policy(client.get("/api/v1/allocations/")) == CSP


@pytest.mark.django_db
def test_hsts_and_https_redirect_follow_their_switches(client, settings):
    assert "Strict-Transport-Security" not in client.get("/", secure=True)
    assert client.get("/sources/").status_code == 200
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True
    client = Client()  # the security middleware reads its settings when it starts
    response = client.get("/sources/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/sources/"
    assert client.get("/", secure=True)["Strict-Transport-Security"] == "max-age=31536000"


# Errors a client can understand


@pytest.mark.django_db
def test_an_unknown_api_address_answers_json_and_an_unknown_page_the_site_404(client):
    api = client.get("/api/v1/allocations/not-a-number/")
    assert api.status_code == 404
    assert api.json() == {"detail": "Not found."}
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert "CARSI Tracker" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/allocations/?objective=553150776649679802764603084089851904", "objective"),
        ("/api/v1/allocations/totals/?objective=-36674198399824588800", "objective"),
        ("/api/v1/programs/?objective=99999999999999999999999", "objective"),
        ("/api/v1/allocations/?objective=%25s%25d", "objective"),
        ("/api/v1/allocations/?country=100%25", "country"),
    ],
)
def test_filter_values_that_once_crashed_the_api_are_a_400_naming_the_parameter(client, url, field):
    response = client.get(url)
    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["objective=553150776649679802764603084089851904", "objective=%25s"])
def test_the_explorer_page_answers_such_values_with_a_message_too(client, query):
    response = client.get(f"/allocations/?{query}")
    assert response.status_code == 400
    assert "Unknown objective" in response.content.decode()


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")


# The anonymous API rate limit


@pytest.fixture
def limited(settings):
    settings.API_ANON_RATE = "3/minute"
    caches["throttle"].clear()
    yield
    caches["throttle"].clear()


_asked = iter(range(1, 10_000))


def countries() -> str:
    """The countries, at an address not asked before: an answer from the response cache is not counted."""
    return f"/api/v1/countries/?page_size={next(_asked)}"


@pytest.mark.django_db
def test_anonymous_api_requests_beyond_the_rate_get_429_with_retry_after(client, limited):
    for _ in range(3):
        assert client.get(countries()).status_code == 200
    response = client.get("/api/v1/allocations/totals/")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("Request was throttled.")
    # Another address has its own count; the pages are not API requests.
    assert client.get(countries(), REMOTE_ADDR="10.0.0.2").status_code == 200
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_an_answer_from_the_response_cache_is_not_counted(client, limited):
    for _ in range(6):
        assert client.get("/api/v1/countries/").status_code == 200
    assert client.get(countries()).status_code == 200


@pytest.mark.django_db
def test_a_forged_x_forwarded_for_does_not_escape_the_limit(client, limited):
    statuses = [client.get(countries(), HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.django_db
def test_behind_a_proxy_the_client_is_the_address_the_proxy_saw(client, limited, settings):
    settings.NUM_PROXIES = 1
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {"NUM_PROXIES": 1}
    for _ in range(3):
        assert client.get(countries(), HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 200
    assert client.get(countries(), HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert client.get(countries(), HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200


@pytest.mark.django_db
def test_requests_with_a_token_are_not_rate_limited(client, limited, django_user_model):
    user = django_user_model.objects.create_user("analyst", password="pw-for-tests-only")
    user.groups.add(Group.objects.get(name="Analyst"))
    token = Token.objects.create(user=user)
    for _ in range(6):
        assert client.get(countries(), HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200


# Password guessing at the admin login


@pytest.fixture
def lockout(settings, django_user_model):
    settings.AXES_ENABLED = True
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "the-right-password")


def log_in(client, password, address="192.0.2.10"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "admin", "password": password},
        REMOTE_ADDR=address,
    )


@pytest.mark.django_db
def test_the_fifth_wrong_password_locks_the_login_even_for_the_right_one(client, lockout):
    for _ in range(4):
        assert log_in(client, "guess").status_code == 200  # the form again, with an error
    locked = log_in(client, "guess")
    assert locked.status_code == 429
    assert "Login locked" in locked.content.decode()
    assert log_in(client, "the-right-password").status_code == 429
    # Another address is not locked out of the account.
    assert log_in(client, "the-right-password", address="192.0.2.99").status_code == 302


@pytest.mark.django_db
def test_a_right_password_before_the_limit_resets_the_count(client, lockout):
    for _ in range(4):
        log_in(client, "guess")
    assert log_in(client, "the-right-password").status_code == 302
    client.logout()
    for _ in range(4):
        assert log_in(client, "guess").status_code == 200


# Settings


def test_check_deploy_is_clean_under_the_documented_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_names_what_plain_http_leaves_out():
    result = manage("check", "--deploy", DJANGO_SECRET_KEY=PRODUCTION_ENV["DJANGO_SECRET_KEY"])
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_SECURE_HSTS_SECONDS", "a year", "DJANGO_SECURE_HSTS_SECONDS must be a whole number"),
        ("DJANGO_NUM_PROXIES", "-1", "DJANGO_NUM_PROXIES must be a whole number"),
        ("DJANGO_API_ANON_RATE", "fast", 'DJANGO_API_ANON_RATE must look like "120/minute"'),
        ("DJANGO_SECURE_COOKIES", "sure", "DJANGO_SECURE_COOKIES must be one of"),
        ("DATABASE_URL", "postgress://db/carsi", "DATABASE_URL cannot be read"),
        ("DJANGO_DB_STATEMENT_TIMEOUT", "soon", "DJANGO_DB_STATEMENT_TIMEOUT must be a whole number"),
    ],
)
def test_a_setting_that_cannot_be_read_stops_the_start_in_one_line(variable, value, message):
    result = manage("check", **(PRODUCTION_ENV | {variable: value}))
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_the_anonymous_rate_reads_off_and_a_rate():
    result = subprocess.run(
        [sys.executable, "-c", "import carsi_tracker.settings as s; print(s.API_ANON_RATE)"],
        env={name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
        | {"DJANGO_DEBUG": "1", "DJANGO_API_ANON_RATE": "off"},
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "None"


def test_the_log_goes_to_stdout():
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('django.request').warning('a line for the log')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
        | PRODUCTION_ENV
        | {"DJANGO_SETTINGS_MODULE": "carsi_tracker.settings"},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert "a line for the log" in result.stdout
    assert "a line for the log" not in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(("ordering", "status"), [(",", 200), (",,-amount", 200), ("-", 400), (" , ", 400)])
def test_empty_ordering_names_are_ignored_not_a_crash(client, ordering, status):
    """Found by fuzzing: "?ordering=," once ordered by a field named ""."""
    response = client.get("/api/v1/allocations/", {"ordering": ordering, "page_size": 3})
    assert response.status_code == status
    assert client.get("/allocations/", {"ordering": ordering}).status_code == status
    if ordering == ",,-amount":
        amounts = [float(row["amount"]) for row in response.json()["results"]]
        assert amounts == sorted(amounts, reverse=True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/reported-figures/?source=a%00b",
        "/api/v1/allocations/?country=G%00T",
        "/api/v1/sources/a%00b/",
        "/api/v1/allocations/?search=x%00",
        "/allocations/?donor=%00",
        "/countries/G%00/",
    ],
)
def test_a_nul_character_in_the_address_is_a_400(client, url):
    """Found by fuzzing: PostgreSQL refuses NUL in a string, which once ended as a 500."""
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert "NUL character" in response.json()["detail"]


@pytest.mark.django_db
def test_a_partial_update_answers_every_name_even_when_its_relation_is_empty(django_user_model):
    """Found by fuzzing: a PATCH answer left out lead_organization_name when the program had none."""
    from rest_framework.test import APIClient

    from programs.models import Program

    editor = django_user_model.objects.create_user("editor", password="pw-for-tests-only")
    editor.groups.add(Group.objects.get(name="Editor"))
    api = APIClient()
    api.force_authenticate(editor)
    program = Program.objects.filter(lead_organization__isnull=True).first()
    body = api.patch(
        f"/api/v1/programs/{program.slug}/", {"summary": "Edited.", "version": program.version}, format="json"
    ).json()
    assert "lead_organization_name" in body and body["lead_organization_name"] is None
    from funding.models import Allocation

    regional = Allocation.objects.filter(country__isnull=True).first()
    body = api.patch(
        f"/api/v1/allocations/{regional.pk}/", {"note": "Edited.", "version": regional.version}, format="json"
    ).json()
    assert body["country_name"] is None and body["donor_name"]


def test_the_anonymous_rate_is_counted_once_for_every_process_of_a_machine(tmp_path):
    """Without Redis, two gunicorn workers (here two processes) share one count, not one each."""
    env = {"DJANGO_API_ANON_RATE": "3/minute", "DJANGO_THROTTLE_CACHE_DIR": str(tmp_path / "throttle")}
    database = f"sqlite:///{tmp_path / 'unused.sqlite3'}"
    first = requests_against(database, "/api/v1/", "/api/v1/?again", **env)
    second = requests_against(database, "/api/v1/?third", "/api/v1/?fourth", **env)
    assert [answer["status"] for answer in [*first.values(), *second.values()]] == [200, 200, 200, 429]
