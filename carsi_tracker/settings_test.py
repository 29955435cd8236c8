"""Settings for the test suite: the normal settings, with a fixed key and fast hashing."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key")

from carsi_tracker.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests render pages without running collectstatic first: WhiteNoise serves the files
# where they lie, as in debug mode.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The login lockout needs the request at every authenticate(), which client.login() does not
# give; the lockout tests turn it on for themselves.
AXES_ENABLED = False
# The rate-limit tests set their own rate; the rest of the suite is not throttled.
API_ANON_RATE = None
# Each test counts its own requests, in memory; tests/test_production.py checks the shared count
# of separate processes under the normal settings.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"},
    "responses": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "responses"},
}
