"""Two app processes (two gunicorn workers, or two app servers) on one PostgreSQL and one Redis: an answer
one of them cached is served by the other, and an edit through one is read back through the other at once."""

import json
import os
from decimal import Decimal

import pytest
import redis
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from rest_framework.authtoken.models import Token

from funding.models import Allocation
from tests.app_process import AppWorker

REDIS_URL = os.environ.get("CARSI_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").split(":")[0] not in ("postgres", "postgresql"),
        reason="two processes share one database: PostgreSQL (the SQLite test database is in memory)",
    ),
]


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def workers():
    redis.Redis.from_url(REDIS_URL).flushdb()
    call_command("load_seed", verbosity=0)
    started = [AppWorker(database_url(), REDIS_URL=REDIS_URL) for _ in range(2)]
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


def test_a_worker_serves_its_own_copy_without_asking_redis(workers):
    first, second = workers
    path = "/api/v1/reconciliation/"
    rendered = first.ask(path)
    redis.Redis.from_url(REDIS_URL).flushdb()
    # The first worker kept what it rendered: the same answer, after the one query, with Redis empty.
    kept = first.ask(path)
    assert (kept["body"], kept["etag"], kept["queries"]) == (rendered["body"], rendered["etag"], 1)
    # The other worker has no copy of its own and Redis none any more: it renders the answer again.
    again = second.ask(path)
    assert again["etag"] == rendered["etag"]
    assert again["queries"] > 1


def test_an_answer_from_the_cache_costs_one_round_trip_and_survives_a_database_restart(workers):
    first, _ = workers
    path = "/api/v1/allocations/totals/?group_by=country"
    rendered = first.ask(path)
    cached = first.ask(path)
    # The version's read is the only query, and Django asks no `SELECT 1` of the kept connection first.
    assert (cached["etag"], cached["queries"], cached["health_checks"]) == (rendered["etag"], 1, 0)

    # The database restarts under the worker: every connection it had is gone.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    # The read fails on the dead connection, which is closed, and is made again on a new one.
    after = first.ask(path)
    assert (after["status"], after["etag"], after["body"]) == (200, rendered["etag"], rendered["body"])
    assert after["health_checks"] == 1
