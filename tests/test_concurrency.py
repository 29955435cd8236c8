"""Many editors and an import writing the same subtotals at once, on PostgreSQL: nobody gets a 5xx,
the database meets no deadlock, the import finishes, and the subtotals stay exact.

Runs for CARSI_CONCURRENCY_SECONDS (10) against a live server, with real connections: one per
writer thread, one for the import.
"""

import http.client
import io
import json
import logging
import os
import threading
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection, connections
from rest_framework.authtoken.models import Token

from funding.choices import Stage
from funding.io.imports import import_allocations, read_allocation_csv
from funding.models import Allocation
from funding.queries import subtotals
from partners.models import Country, Organization
from sources.models import Source

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]

WRITERS = 20
SECONDS = float(os.environ.get("CARSI_CONCURRENCY_SECONDS", "10"))
IMPORT_ROWS = 2000


def _writer(base_url, token, item_id, countries, deadline, statuses, errors):
    """Move one line item back and forth between two countries (two subtotals) until the deadline."""
    parts = urlsplit(base_url)
    client = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    version, turn = 1, 0
    try:
        while time.monotonic() < deadline:
            turn += 1
            body = json.dumps({"country": countries[turn % 2], "change_reason": "concurrency test"})
            client.request(
                "PATCH",
                f"/api/v1/allocations/{item_id}/",
                body=body,
                headers={
                    "Authorization": f"Token {token}",
                    "Content-Type": "application/json",
                    "If-Match": f'"{version}"',
                },
            )
            response = client.getresponse()
            answer = response.read()
            statuses[response.status] += 1
            if response.status == 200:
                version = json.loads(answer)["version"]
            else:
                errors.append((response.status, answer[:300]))
    finally:
        client.close()
        connections.close_all()


def _import(text, result):
    try:
        result["report"] = import_allocations(
            read_allocation_csv(io.StringIO(text)), reason="concurrency test"
        )
    except Exception as error:  # the test reports it rather than losing it in a thread
        result["error"] = repr(error)
    finally:
        connections.close_all()


def test_twenty_writers_and_an_import_on_the_same_subtotals(live_server, caplog):
    call_command("load_seed", verbosity=0)
    editor = User.objects.create_user("concurrent-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    token = Token.objects.create(user=editor).key
    united_states = Organization.objects.get(slug="united-states")
    source = Source.objects.get(key="gao-13-295r")
    guatemala, honduras = Country.objects.get(iso2="GT"), Country.objects.get(iso2="HN")
    # Half the writers start in Guatemala and half in Honduras: each moves money in the
    # opposite direction to its neighbour, through the same two subtotals.
    items = [
        Allocation.objects.create(
            fiscal_year=2011,
            stage=Stage.DISBURSED,
            amount=1000 + index,
            donor=united_states,
            account_id=Allocation.objects.filter(account__code="ESF").values("account").first()["account"],
            country=guatemala if index % 2 else honduras,
            source=source,
            source_detail=f"concurrency writer {index}",
        )
        for index in range(WRITERS)
    ]
    rows = "".join(
        f"2011,disbursed,{100 + row}.00,united-states,ESF,{'GT' if row % 2 else 'HN'},gao-13-295r,"
        f"concurrency import row {row}\n"
        for row in range(IMPORT_ROWS)
    )
    csv_text = "fiscal_year,stage,amount,donor,account,country,source,source_detail\n" + rows

    caplog.set_level(logging.WARNING, logger="core.db")
    statuses, errors, imported = Counter(), [], {}
    deadline = time.monotonic() + SECONDS
    threads = [
        threading.Thread(
            target=_writer,
            args=(
                live_server.url,
                token,
                item.pk,
                ["GT", "HN"] if index % 2 else ["HN", "GT"],
                deadline,
                statuses,
                errors,
            ),
        )
        for index, item in enumerate(items)
    ]
    for thread in threads:
        thread.start()
    time.sleep(min(1.0, SECONDS / 4))
    importer = threading.Thread(target=_import, args=(csv_text, imported))
    importer.start()
    for thread in [*threads, importer]:
        thread.join(timeout=SECONDS + 120)

    assert errors == []
    assert set(statuses) == {200} and statuses[200] > WRITERS
    assert "error" not in imported, imported.get("error")
    report = imported["report"]
    assert (report.ok, report.created) == (True, IMPORT_ROWS), [str(error) for error in report.errors]
    # No transaction had to be cancelled and run again: the locks leave nothing to deadlock on.
    assert [record.getMessage() for record in caplog.records] == []
    assert subtotals.differences() == []


def test_two_imports_of_the_same_file_at_once_both_finish(live_server):
    """The second waits for the first, then finds every row already stored: no IntegrityError."""
    call_command("load_seed", verbosity=0)
    rows = "".join(
        f"2010,obligated,{500 + row}.00,united-states,INCLE,GT,gao-13-771,overlap row {row}\n"
        for row in range(3000)
    )
    text = "fiscal_year,stage,amount,donor,account,country,source,source_detail\n" + rows
    results = [{}, {}]
    threads = [threading.Thread(target=_import, args=(text, result)) for result in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert [result.get("error") for result in results] == [None, None]
    reports = sorted((result["report"] for result in results), key=lambda report: report.created)
    assert [(report.ok, report.created, report.unchanged) for report in reports] == [
        (True, 0, 3000),
        (True, 3000, 0),
    ]
    assert Allocation.objects.filter(source_detail__startswith="overlap row").count() == 3000
    assert subtotals.differences() == []
