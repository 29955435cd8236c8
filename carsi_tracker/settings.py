"""Settings, read from environment variables.

Every variable is parsed strictly: a value that cannot be understood stops the
start-up with a message naming the variable, rather than silently falling back.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from carsi_tracker.env import env_bool, env_int, env_list, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. For local use, "
            "`make run` turns debug on; run other commands as `DJANGO_DEBUG=1 .venv/bin/python manage.py …`."
        )
    SECRET_KEY = "insecure-local-development-key-never-used-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# HTTPS, each behind its own switch so that a plain-HTTP local `make serve` still works.
# Behind a proxy that ends TLS (nginx), DJANGO_BEHIND_HTTPS_PROXY=1 trusts its X-Forwarded-Proto.
if env_bool("DJANGO_BEHIND_HTTPS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
# A load balancer's or monitor's plain-HTTP health check is answered, not redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=False)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
# Every response: no framing, no MIME sniffing, the referrer only to this site.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# How many proxies (nginx = 1) stand in front of the app: the client's address for the
# API rate limit and the login lockout is taken that many hops back in X-Forwarded-For.
NUM_PROXIES = env_int("DJANGO_NUM_PROXIES", default=0)

INSTALLED_APPS = [
    # Texts people type in two languages (django-modeltranslation): before the admin, as it asks.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # runserver serves static files the way production does, through WhiteNoise.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "csp",
    "axes",
    "corsheaders",
    # What knows no CARSI concept: versions and history, API plumbing, backup and restore.
    "core",
    "partners",
    "sources",
    "programs",
    "funding",
    # The data as it stood at each release, and every change since.
    "releases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Any site may read the API from a browser (GET, no credentials); none may write through one.
    "core.cors.ReadOnlyCorsMiddleware",
    # Static files from the app itself, compressed and cached for a year under hashed names.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.RejectNullCharacters",
    # A database that is down, too slow or in a conflict: 503 with Retry-After, not 500.
    "core.middleware.DatabaseUnavailable",
    # ETags, 304s and rendered answers kept by data version, for anonymous reads (core.responsecache):
    # before the rest, so that an answer from the cache costs one query and nothing else.
    "core.responsecache.ResponseCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # English or Spanish: from the page's address (/es/…), else the reader's choice, else the browser's.
    "core.i18n.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Lets the change history record which user made a change.
    "simple_history.middleware.HistoryRequestMiddleware",
    # ?release=<name>: the data as it stood at that release, on every page and endpoint.
    "releases.middleware.ReleaseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Locks out a username after repeated failed logins from one address (django-axes); last, as it asks.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "carsi_tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "releases.context_processors.release",
            ],
        },
    },
]

WSGI_APPLICATION = "carsi_tracker.wsgi.application"

# SQLite in the project folder unless DATABASE_URL names another database,
# e.g. postgres://root@127.0.0.1:5432/carsi
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
            conn_max_age=60,
            # A connection kept open across a database restart is checked before use, not failed on.
            conn_health_checks=True,
        )
    }
except ValueError as error:
    raise ImproperlyConfigured(
        f"DATABASE_URL cannot be read ({error}); use sqlite:///path/to/file.sqlite3 or "
        "postgres://user@host:5432/name."
    ) from None
# A database that does not answer must not hold a request (and the server's threads) for ever:
# connecting gives up after DJANGO_DB_CONNECT_TIMEOUT seconds, and PostgreSQL cancels any statement
# running longer than DJANGO_DB_STATEMENT_TIMEOUT seconds (0: no limit). Either ends as a 503.
DB_CONNECT_TIMEOUT = env_int("DJANGO_DB_CONNECT_TIMEOUT", default=5)
DB_STATEMENT_TIMEOUT = env_int("DJANGO_DB_STATEMENT_TIMEOUT", default=30)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": DB_CONNECT_TIMEOUT,
            # No JIT compiling: it is for long analytical queries, and it cost a search at a million line
            # items 40 ms of compiling for 30 ms of reading (bench/RESULTS.md).
            "options": f"-c statement_timeout={DB_STATEMENT_TIMEOUT * 1000} -c jit=off",
            # A connection to a server that went away is noticed within a minute, not two hours.
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
        }
    )
# /healthz gives the database this long to answer `SELECT 1` before answering 503.
HEALTHZ_TIMEOUT = env_int("DJANGO_HEALTHZ_TIMEOUT", default=3)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The line-item indexes carry the summed columns (INCLUDE) on PostgreSQL; SQLite, which has no
# such thing, builds them without, as it should, and needs no warning about it on every command.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English, and Spanish for the region CARSI is for; pages in Spanish live under /es/ (core.i18n).
# A third language: add it here, then `make messages LANGUAGE=xx` (README, "Languages").
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Program names, objectives, figure labels, disagreements: a column per language, English the
# original; a text with no version in the reader's language is shown in English (marked lang="en").
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # `collectstatic` writes hashed, compressed copies; debug mode serves the originals.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Content-Security-Policy (django-csp): scripts, styles, images, fonts and requests from
# this site only; no inline script or style, no plugins, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Password guessing at the admin login (django-axes): the 5th wrong password for a username
# from one address locks that pair out for an hour (answer 429); a correct login resets the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.limits.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# The API rate limit for anonymous requests is counted in the "throttle" cache: Redis when REDIS_URL
# is set (one count for every worker of every app server), else files in THROTTLE_CACHE_DIR, which
# every gunicorn worker of one machine shares (a count per process would let each worker allow the
# full rate).
REDIS_URL = env_str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "throttle": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "responses": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "carsi-responses",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "responses": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "responses",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
        "throttle": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("DJANGO_THROTTLE_CACHE_DIR", default=str(BASE_DIR / ".cache" / "throttle")),
        },
    }
# Rendered answers to anonymous reads, kept under the data version (core.responsecache): in the
# "responses" cache above, for a day at most (a new version names new entries; old ones age out), up
# to 2 MB each (a larger answer is a download, rendered again). Browsers and proxies may keep an
# answer RESPONSE_CACHE_MAX_AGE seconds, then revalidate it with its ETag.
RESPONSE_CACHE_SECONDS = 24 * 60 * 60
RESPONSE_CACHE_MAX_BYTES = 2 * 2**20
# With REDIS_URL, each worker also keeps the answers it last served in its own memory, up to this
# many bytes (DJANGO_RESPONSE_CACHE_LOCAL_MB; 0: none), so that the most asked ones cost no round trip.
RESPONSE_CACHE_LOCAL_BYTES = env_int("DJANGO_RESPONSE_CACHE_LOCAL_MB", default=16) * 2**20
RESPONSE_CACHE_MAX_AGE = env_int("DJANGO_RESPONSE_MAX_AGE", default=60)
RESPONSE_CACHE_EXCLUDED_PATHS = ("/admin/", "/healthz", "/language/")
# The apps whose tables are the tracker's data: a write to any of them moves the data version.
DATA_VERSION_APPS = ["partners", "sources", "programs", "funding", "releases"]
if not env_bool("DJANGO_RESPONSE_CACHE", default=True):
    # Every answer rendered (the ETags and 304s stay): for measuring what a render costs.
    CACHES["responses"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
API_ANON_RATE = env_rate("DJANGO_API_ANON_RATE", default="120/minute")

# Cross-origin reads of the API (core.cors): any origin, no cookies or credentials, safe methods only.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["Content-Disposition", "Content-Language", "Retry-After"]

REST_FRAMEWORK = {
    # Token first: an anonymous write is answered 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Anyone reads; writing needs the model's add/change/delete permission.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    # Where edits are versioned, a stale one is a 409/412 naming the version (core.versioning).
    # An unknown query parameter is a 400 naming it (core.api.parameters), before any filter runs.
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.parameters.KnownParameters",
        "django_filters.rest_framework.DjangoFilterBackend",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.Pagination",
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Anonymous requests: API_ANON_RATE per client address (429 with Retry-After beyond it).
    "DEFAULT_THROTTLE_CLASSES": ["core.limits.AnonRateThrottle"],
    "NUM_PROXIES": NUM_PROXIES,
    # JSON and the browsable API everywhere; CSV and XLSX where a view offers them (SPREADSHEET_RENDERERS).
    # Any other ?format= is a 406 naming the formats the address has.
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "core.api.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.api.negotiation.ContentNegotiation",
    # Summaries, descriptions and the filters typed as the keys they take (core.api.schema).
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
}

# The IATI activity XML (/api/v1/iati/activities.xml) names its publisher: the tracker, as a secondary
# reporter. Set the organisation identifier the publisher has registered with IATI (org-id.guide) and its
# IATI organisation type (90: other; 80: academic, training and research; 21/22: NGO).
IATI_REPORTING_ORG = env_str("DJANGO_IATI_REPORTING_ORG", default="CARSI-TRACKER")
IATI_REPORTING_ORG_TYPE = env_str("DJANGO_IATI_REPORTING_ORG_TYPE", default="90")
IATI_REPORTING_ORG_NAME = env_str("DJANGO_IATI_REPORTING_ORG_NAME", default="CARSI Tracker")

SPECTACULAR_SETTINGS = {
    "TITLE": "CARSI Tracker API",
    "DESCRIPTION": (
        "Funding and programs of the Central America Regional Security Initiative, FY2008–FY2012. "
        "Money is a string with two decimals; every line item cites its source; totals never add "
        "two stages together."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the installed sidecar package: the docs work with no internet access.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for a choice set that several fields use.
    "ENUM_NAME_OVERRIDES": {"FiscalYearBasisEnum": "funding.choices.FiscalYearBasis"},
    # Every operation's error answers, and anonymous reads, in the schema.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", default="INFO")},
}

# dumpdata/loaddata (and so backup/restore) keep times to the microsecond.
SERIALIZATION_MODULES = {"json": "core.exact_json"}

# Admin export (django-import-export): CSV and XLSX, open to whoever may view the rows.
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
