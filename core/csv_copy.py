"""CSV written by PostgreSQL itself: `COPY (SELECT …) TO STDOUT WITH (FORMAT csv)`, streamed to the
reader as the database writes it, byte for byte the file that core.spreadsheets.stream_csv writes of
the same cells.

The SELECT makes each cell the text csv_cell makes of it (core.spreadsheets.csv_cell_sql). COPY then
quotes as the csv module does (a cell with a comma, a quote or a line break, its quotes doubled),
and its row ends become the csv module's \\r\\n. It runs on the request's own connection, so that it
reads what the request reads (a release's views, the request's transaction), in a thread of its own
that hands the rows over in chunks through a short queue: memory stays flat whatever the size, and
a reader who leaves early cancels the COPY and leaves the connection as it found it.
"""

import queue
import threading
import time

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Expression, F, TextField

from core.spreadsheets import csv_cell_sql, csv_header, csv_response

ROWS_PER_CHUNK = 1000
QUEUED_CHUNKS = 4
# What the COPY runs with on its connection, for its time only:
# - no statement timeout: it is one statement, however long the reader takes to read it; the
#   timeout bounds the wait for its first row instead (_copied);
# - no JIT: compiling the cells' expressions, in each parallel worker, costs seconds and saves less
#   than it costs, even at a million rows.
COPY_SETTINGS = {"statement_timeout": "0", "jit": "off"}
SAVEPOINT = "csv_copy"
_DONE = object()


def copies_csv(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the database writes the CSV downloads itself: PostgreSQL does, through psycopg2's
    copy_expert (SQLite has no COPY)."""
    if connections[using].vendor != "postgresql":
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return not is_psycopg3


class CSVCell(Expression):
    """csv_cell of an expression, in PostgreSQL's SQL (core.spreadsheets.csv_cell_sql); with `when_null`
    (key expression, text), the text wherever the key is NULL."""

    def __init__(self, value, *, when_null=None):
        super().__init__(output_field=TextField())
        self.value = value
        self.key, self.text = when_null or (None, None)

    def get_source_expressions(self):
        return [self.value, self.key]

    def set_source_expressions(self, expressions):
        self.value, self.key = expressions

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.value)
        params = list(params)
        if self.key is not None:
            key, key_params = compiler.compile(self.key)
            sql = f"(CASE WHEN {key} IS NULL THEN %s ELSE {sql} END)"
            params = [*key_params, self.text, *params]
        return csv_cell_sql(sql, params, self.value.output_field)


def cells_select(queryset, paths: list[str], *, when_null: dict[int, tuple[int, str]] | None = None):
    """(sql, params) of the SELECT of the CSV cells of queryset.values_list(*paths), row by row in its
    order: each column as csv_cell writes it. `when_null` {column: (key column, text)} puts the text
    in a column wherever the key column is NULL.

    The cells are made in the queryset's own SELECT, from the same paths, so that its filters,
    joins, order and tables (a release's) are those of the rows it gives in Python, and PostgreSQL
    makes them beside the rows, in its parallel workers, before it sorts them."""
    when_null = when_null or {}
    cells = {}
    for number, path in enumerate(paths):
        key, text = when_null.get(number, (None, None))
        cells[f"csv_cell_{number}"] = CSVCell(F(path), when_null=(F(paths[key]), text) if text else None)
    values = queryset.annotate(**cells).values_list(*cells)
    return values.query.get_compiler(values.db, elide_empty=False).as_sql()


def copy_csv(
    filename: str, header: list[str], select: tuple[str, list], *, bom: bool = False, using=DEFAULT_DB_ALIAS
):
    """A CSV download of the header row and the rows of `select` (cells_select), written by PostgreSQL.

    The database is reached before the answer starts: one that is down is a 503 (core.middleware),
    not a "200 OK" with nothing under it. Nothing is sent before the first row (or the end): a COPY
    that fails at once fails the request."""
    connections[using].ensure_connection()
    return csv_response(filename, _copied(csv_header(header, bom=bom).encode(), *select, using))


def _copied(header: bytes, sql: str, params: list, using: str):
    connection = connections[using]
    connection.ensure_connection()
    raw = connection.connection
    in_transaction = not connection.get_autocommit()
    # The statements around the COPY are the connection's bookkeeping, as psycopg2's own BEGIN is:
    # the query log holds the COPY alone.
    with connection.wrap_database_errors, raw.cursor() as cursor:
        statement = cursor.mogrify(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params)
        cursor.execute("SELECT name, setting FROM pg_settings WHERE name = ANY(%s)", [list(COPY_SETTINGS)])
        previous = dict(cursor.fetchall())
        _set_config(cursor, COPY_SETTINGS)
        if in_transaction:  # a COPY cancelled inside a transaction would fail the whole transaction
            cursor.execute(f"SAVEPOINT {SAVEPOINT}")
    copy = _Copy(raw, statement)
    started = time.monotonic()
    try:
        copy.start()
        with connection.wrap_database_errors:
            chunk = copy.next(timeout=int(previous["statement_timeout"]) / 1000 or None)
        yield header + (chunk or b"")
        while chunk is not None:
            with connection.wrap_database_errors:
                chunk = copy.next()
            if chunk is not None:
                yield chunk
    finally:
        copy.stop()
        with connection.wrap_database_errors, raw.cursor() as cursor:
            if in_transaction:
                cursor.execute(
                    f"ROLLBACK TO SAVEPOINT {SAVEPOINT}; RELEASE SAVEPOINT {SAVEPOINT}"
                    if copy.error
                    else f"RELEASE SAVEPOINT {SAVEPOINT}"
                )
            _set_config(cursor, previous)
        if connection.queries_logged:
            elapsed = time.monotonic() - started
            connection.queries_log.append({"sql": statement.decode(), "time": f"{elapsed:.3f}"})


def _set_config(cursor, settings: dict[str, str]) -> None:
    cursor.execute(
        "SELECT set_config(name, value, false) FROM unnest(%s::text[], %s::text[]) AS setting (name, value)",
        [list(settings), list(settings.values())],
    )


class _Copy(threading.Thread):
    """COPY … TO STDOUT on a psycopg2 connection, its rows handed over in chunks through a short queue.

    psycopg2 calls write() once a row (libpq gives COPY's data a row at a time), each ending in \\n.
    """

    def __init__(self, connection, statement: bytes):
        super().__init__(name="csv-copy", daemon=True)
        self.connection = connection
        self.statement = statement
        self.chunks = queue.Queue(maxsize=QUEUED_CHUNKS)
        self.rows = []
        self.rows_per_chunk = 1  # the first row alone: the download starts as soon as there is one
        self.stopped = False
        self.done = False
        self.error = None

    def run(self):
        try:
            with self.connection.cursor() as cursor:
                cursor.copy_expert(self.statement, self)
            if self.rows and not self.stopped:
                self.chunks.put(_crlf(self.rows))
        except Exception as error:
            self.error = error
        finally:
            self.chunks.put(_DONE)

    def write(self, row: bytes) -> None:
        if self.stopped:
            return
        self.rows.append(row)
        if len(self.rows) >= self.rows_per_chunk:
            rows, self.rows, self.rows_per_chunk = self.rows, [], ROWS_PER_CHUNK
            self.chunks.put(_crlf(rows))

    def next(self, timeout: float | None = None) -> bytes | None:
        """The next chunk, or None after the last; raises the COPY's error if it failed. After
        `timeout` seconds without a chunk, the COPY is cancelled (and fails)."""
        try:
            item = self.chunks.get(timeout=timeout)
        except queue.Empty:
            self.connection.cancel()
            item = self.chunks.get()
        if item is not _DONE:
            return item
        self.done = True
        if self.error is not None:
            raise self.error
        return None

    def stop(self) -> None:
        """Ends the COPY where it stands if it is still running (the reader left), and the thread."""
        if self.ident is None:  # never started
            return
        if not self.done:
            self.stopped = True
            if self.is_alive():
                self.connection.cancel()
            while self.chunks.get() is not _DONE:
                pass
            self.done = True
        self.join()


def _crlf(rows: list[bytes]) -> bytes:
    """COPY's rows, each ending in \\n, ending in \\r\\n as the csv module ends them (a line break
    inside a quoted cell stays as it is, as the csv module leaves it)."""
    chunk = b"".join(rows)
    if chunk.count(b"\n") == len(rows):  # no line break inside a cell
        return chunk.replace(b"\n", b"\r\n")
    return b"".join(row[:-1] + b"\r\n" for row in rows)
