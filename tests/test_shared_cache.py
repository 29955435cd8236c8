"""Two app processes (two gunicorn workers, or two app servers) on one PostgreSQL and one Redis: an answer
one of them cached is served by the other, and an edit through one is read back through the other at once."""

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from rest_framework.authtoken.models import Token

from funding.models import Allocation

REDIS_URL = os.environ.get("CARSI_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")

# One app process: reads requests as JSON lines, answers each with its status, ETag, body and the
# number of queries it took.
WORKER = """
import json, sys
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(raise_request_exception=False)
for line in sys.stdin:
    ask = json.loads(line)
    headers = {"HTTP_" + name.upper().replace("-", "_"): value
               for name, value in ask.get("headers", {}).items()}
    with CaptureQueriesContext(connection) as queries:
        if ask.get("method") == "PATCH":
            response = client.patch(ask["path"], json.dumps(ask["data"]),
                                    content_type="application/json", **headers)
        else:
            response = client.get(ask["path"], **headers)
    print(json.dumps({"status": response.status_code, "etag": response.get("ETag"),
                      "body": response.content.decode(), "queries": len(queries)}), flush=True)
"""

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").split(":")[0] not in ("postgres", "postgresql"),
        reason="two processes share one database: PostgreSQL (the SQLite test database is in memory)",
    ),
]


class Worker:
    def __init__(self):
        db = connection.settings_dict
        url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        environment = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
        environment |= {
            "DJANGO_SETTINGS_MODULE": "carsi_tracker.settings",
            "DJANGO_SECRET_KEY": "test-only-secret-key",
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_API_ANON_RATE": "off",
            "DATABASE_URL": url,
            "REDIS_URL": REDIS_URL,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER],
            cwd=Path(settings.BASE_DIR),
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, path, **request) -> dict:
        self.process.stdin.write(json.dumps({"path": path, **request}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the worker stopped"
        return json.loads(line)

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture
def workers():
    redis.Redis.from_url(REDIS_URL).flushdb()
    call_command("load_seed", verbosity=0)
    started = [Worker(), Worker()]
    yield started
    for worker in started:
        worker.close()
    redis.Redis.from_url(REDIS_URL).flushdb()


def test_an_edit_through_one_worker_is_read_back_through_the_other(workers, django_user_model):
    first, second = workers
    editor = django_user_model.objects.create_user("editor", password="pw-for-tests-only")
    editor.groups.add(Group.objects.get(name="Editor"))
    token = Token.objects.create(user=editor).key
    item = Allocation.objects.filter(country__iso2="GT", stage="disbursed").order_by("pk").first()
    path = "/api/v1/allocations/totals/?country=GT&stage=disbursed"

    rendered = first.ask(path)
    assert rendered["status"] == 200
    assert Decimal(json.loads(rendered["body"])["total"]["amount"]) == Decimal("1675000.00")
    # The other worker finds the answer in Redis: one query, for the data version.
    cached = second.ask(path)
    assert (cached["body"], cached["etag"], cached["queries"]) == (rendered["body"], rendered["etag"], 1)
    assert second.ask(path, headers={"If-None-Match": rendered["etag"]})["status"] == 304

    edit = first.ask(
        f"/api/v1/allocations/{item.pk}/",
        method="PATCH",
        data={"amount": str(item.amount + 1000), "version": item.version},
        headers={"Authorization": f"Token {token}"},
    )
    assert edit["status"] == 200, edit["body"]

    after = second.ask(path, headers={"If-None-Match": rendered["etag"]})
    assert after["status"] == 200
    assert after["etag"] != rendered["etag"]
    assert Decimal(json.loads(after["body"])["total"]["amount"]) == Decimal("1676000.00")
    assert json.loads(first.ask(path)["body"]) == json.loads(after["body"])
