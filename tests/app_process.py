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


# An app process that stays up: reads requests as JSON lines and answers each with its status, ETag,
# body, the number of queries it took and how many times Django checked the database connection
# first (CONN_HEALTH_CHECKS). Before each request its kept connections are looked at as a server's
# are (request_started), which the test client alone does not do.
APP_WORKER = """
import json, sys
import django
django.setup()
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
health_checks = 0
is_usable = connection.is_usable
def counted():
    global health_checks
    health_checks += 1
    return is_usable()
connection.is_usable = counted
client = Client(raise_request_exception=False)
for line in sys.stdin:
    ask = json.loads(line)
    headers = {"HTTP_" + name.upper().replace("-", "_"): value
               for name, value in ask.get("headers", {}).items()}
    close_old_connections()
    health_checks = 0
    with CaptureQueriesContext(connection) as queries:
        if ask.get("method") == "PATCH":
            response = client.patch(ask["path"], json.dumps(ask["data"]),
                                    content_type="application/json", **headers)
        else:
            response = client.get(ask["path"], **headers)
    print(json.dumps({"status": response.status_code, "etag": response.get("ETag"),
                      "body": response.content.decode(), "queries": len(queries),
                      "health_checks": health_checks}), flush=True)
"""


def app_environment(database_url, **env) -> dict:
    """The environment of an app process: this one's, without its DJANGO_ settings, and the normal
    settings with `env` on top."""
    return {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")} | {
        "DJANGO_SETTINGS_MODULE": "carsi_tracker.settings",
        "DJANGO_SECRET_KEY": "test-only-secret-key",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_API_ANON_RATE": "off",
        "DATABASE_URL": database_url,
        **env,
    }


def requests_against(database_url, *paths, **env):
    environment = app_environment(
        database_url, **({"DJANGO_DB_CONNECT_TIMEOUT": "2", "DJANGO_HEALTHZ_TIMEOUT": "1"} | env)
    )
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


class AppWorker:
    """An app process that answers one request at a time, as a gunicorn worker would (APP_WORKER)."""

    def __init__(self, database_url, **env):
        self.process = subprocess.Popen(
            [sys.executable, "-c", APP_WORKER],
            cwd=Path(settings.BASE_DIR),
            env=app_environment(database_url, **env),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, path, **request) -> dict:
        self.process.stdin.write(json.dumps({"path": path, **request}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the app process stopped"
        return json.loads(line)

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)
