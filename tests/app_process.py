"""The app in a process of its own, with the normal settings and an environment of the test's choosing."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

APP_REQUESTS = """
import json, sys, time
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
answers = []
for path in sys.argv[1:]:
    started = time.monotonic()
    response = client.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    answers.append({
        "path": path, "status": response.status_code, "seconds": round(time.monotonic() - started, 2),
        "retry_after": response.get("Retry-After"), "body": body.decode()[:300],
    })
print(json.dumps(answers))
"""


def requests_against(database_url, *paths, **env):
    environment = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")} | {
        "DJANGO_SETTINGS_MODULE": "carsi_tracker.settings",
        "DJANGO_SECRET_KEY": "test-only-secret-key",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_API_ANON_RATE": "off",
        "DATABASE_URL": database_url,
        "DJANGO_DB_CONNECT_TIMEOUT": "2",
        "DJANGO_HEALTHZ_TIMEOUT": "1",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", APP_REQUESTS, *paths],
        cwd=Path(settings.BASE_DIR),
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return {answer["path"]: answer for answer in json.loads(result.stdout.strip().splitlines()[-1])}
