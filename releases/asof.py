"""Every question asked of the data as it stood at a release, by the very queries that ask it of today.

A release's data is not copied. Each table people read is, as of release R, its rows' versions in the
change history that R holds (core.history): a view with the table's own name and columns over the
historical table. Switching a request to R puts those views in front of the tables on its database
connection, and every query of every page and endpoint, filters, joins and sums alike, reads R:

- PostgreSQL: the views live in a schema of R's own, `release_<R>`, made when R is published and made
  again after every migrate (a view holds the columns of its day); the request sets `search_path` to
  that schema first. The line items are a materialized view there, with the indexes of the table
  itself, and the subtotals another, summed once from them: a view over a million versions in the
  history has none of the table's indexes, and made every list, caveat and page at a release scan
  all of them (bench/RESULTS.md).
- SQLite: temporary views of the tables' names, made on the request's connection for the time of
  the request (the temporary schema is searched before the main one); the subtotals are summed from
  R's line items as they are read.

While a release is read, the connection refuses writes: a past release is never changed.
"""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from core.history import tracked_models
from funding.models import Allocation
from funding.queries import subtotals

SCHEMA_PREFIX = "release_"
WRITES = ("insert", "update", "delete", "merge", "truncate", "alter", "drop", "create")


def schema_name(number: int) -> str:
    return f"{SCHEMA_PREFIX}{int(number)}"


def _valid_at(alias: str, number: int) -> str:
    number = int(number)
    return (
        f"{alias}.history_release_from <= {number} AND "
        f"({alias}.history_release_until IS NULL OR {alias}.history_release_until > {number}) AND "
        f"{alias}.history_type <> '-'"
    )


def _tracked_m2m(model) -> list:
    return list(getattr(model.history.model, "_history_m2m_fields", []))


def release_tables(number: int, connection, base: str) -> list[tuple[str, str]]:
    """(table, SELECT of its rows as of release `number`) for every table a release shows, the
    kept sums (subtotals.KEPT) last. `base` qualifies the stored tables: "main" on SQLite, the schema
    on PostgreSQL."""
    qn = connection.ops.quote_name

    def stored(table):
        return f"{qn(base)}.{qn(table)}"

    tables = []
    for model in tracked_models():
        history = model.history.model
        columns = ", ".join(f"h.{qn(field.column)}" for field in model._meta.concrete_fields)
        tables.append(
            (
                model._meta.db_table,
                f"SELECT {columns} FROM {stored(history._meta.db_table)} h WHERE {_valid_at('h', number)}",
            )
        )
        for field in _tracked_m2m(model):
            through = field.remote_field.through
            links = getattr(history, field.name).model
            columns = ", ".join(f"m.{qn(column.column)}" for column in through._meta.concrete_fields)
            tables.append(
                (
                    through._meta.db_table,
                    f"SELECT {columns} FROM {stored(links._meta.db_table)} m "
                    f"JOIN {stored(history._meta.db_table)} h ON h.history_id = m.history_id "
                    f"WHERE {_valid_at('h', number)}",
                )
            )
    line_items = dict(tables)[Allocation._meta.db_table]
    tables.extend((kept.table, kept.derived_from(line_items, connection.vendor)) for kept in subtotals.KEPT)
    return tables


def _base_schema(connection) -> str:
    if not hasattr(connection, "carsi_base_schema"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_schema()")
            connection.carsi_base_schema = cursor.fetchone()[0]
    return connection.carsi_base_schema


def create_release_views(number: int, using: str = DEFAULT_DB_ALIAS) -> None:
    """PostgreSQL: (re)make release `number`'s schema of views. SQLite keeps nothing between requests."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    qn = connection.ops.quote_name
    schema = qn(schema_name(number))
    base = _base_schema(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        cursor.execute(f"CREATE SCHEMA {schema}")
        tables = release_tables(number, connection, base)
        for table, select in tables[: -len(subtotals.KEPT)]:
            if table == Allocation._meta.db_table:
                cursor.execute(f"CREATE MATERIALIZED VIEW {schema}.{qn(table)} AS {select}")
                _copy_indexes(cursor, connection, base, schema, table)
                cursor.execute(f"ANALYZE {schema}.{qn(table)}")
            else:
                cursor.execute(f"CREATE VIEW {schema}.{qn(table)} AS {select}")
        # Summed once, from the release's own line items (the views just made).
        line_items = f"SELECT * FROM {schema}.{qn(Allocation._meta.db_table)}"
        for kept in subtotals.KEPT:
            cursor.execute(
                f"CREATE MATERIALIZED VIEW {schema}.{qn(kept.table)} AS "
                f"{kept.derived_from(line_items, 'postgresql')}"
            )
            cursor.execute(f"ANALYZE {schema}.{qn(kept.table)}")


def _copy_indexes(cursor, connection, base: str, schema: str, table: str) -> None:
    """The stored table's indexes, made again on its materialized view in a release's schema (the same
    columns, so the same query plans; not unique: a view checks nothing)."""
    qn = connection.ops.quote_name
    cursor.execute("SELECT quote_ident(%s) || '.' || quote_ident(%s)", [base, table])
    stored_table = f" ON {cursor.fetchone()[0]} "  # as pg_indexes writes it
    for (definition,) in _definitions(cursor, base, table):
        if stored_table not in definition:
            raise DatabaseError(f"Cannot read the index {definition!r} of {table}")
        definition = definition.replace("CREATE UNIQUE INDEX", "CREATE INDEX", 1)
        cursor.execute(definition.replace(stored_table, f" ON {schema}.{qn(table)} ", 1))


def _definitions(cursor, base: str, table: str) -> list[tuple[str]]:
    cursor.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = %s AND tablename = %s", [base, table])
    return cursor.fetchall()


def rebuild_release_views(using: str = DEFAULT_DB_ALIAS) -> int:
    """PostgreSQL: the schema of every release made again (after a migrate or a restore), and those of
    releases no longer stored dropped. Returns how many releases there are."""
    from releases.models import Release

    connection = connections[using]
    if (
        connection.vendor != "postgresql"
        or Release._meta.db_table not in connection.introspection.table_names()
    ):
        return 0
    numbers = list(Release.objects.using(using).values_list("number", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
            [SCHEMA_PREFIX.replace("_", r"\_") + "%"],
        )
        stale = {name for (name,) in cursor.fetchall()} - {schema_name(number) for number in numbers}
        for name in stale:
            cursor.execute(f"DROP SCHEMA {connection.ops.quote_name(name)} CASCADE")
    for number in numbers:
        create_release_views(number, using)
    return len(numbers)


class ReleaseIsReadOnly(Exception):
    pass


def _refuse_writes(execute, sql, params, many, context):
    words = sql.split(None, 1)
    if words and words[0].lower() in WRITES:
        raise ReleaseIsReadOnly("A past release is read only: nothing can be written while reading one.")
    return execute(sql, params, many, context)


def enter(number: int, using: str = DEFAULT_DB_ALIAS) -> None:
    """Read release `number` on this connection until leave()."""
    connection = connections[using]
    if getattr(connection, "carsi_release", None) is not None:
        leave(using)
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            base = _base_schema(connection)
            known = connection.__dict__.setdefault("carsi_release_schemas", set())
            if number not in known:
                cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema_name(number)])
                if cursor.fetchone() is None:  # a release restored, or published by an older version
                    create_release_views(number, using)
                known.add(number)
            cursor.execute(f"SET search_path TO {qn(schema_name(number))}, {qn(base)}")
        else:
            for table, select in release_tables(number, connection, "main"):
                cursor.execute(f"CREATE TEMP VIEW {qn(table)} AS {select}")
    connection.carsi_release = number
    connection.execute_wrappers.append(_refuse_writes)


def leave(using: str = DEFAULT_DB_ALIAS) -> None:
    """Back to the data of today."""
    connection = connections[using]
    number = getattr(connection, "carsi_release", None)
    if number is None:
        return
    if _refuse_writes in connection.execute_wrappers:
        connection.execute_wrappers.remove(_refuse_writes)
    connection.carsi_release = None
    if connection.connection is None:  # closed meanwhile: a new connection starts at today's data
        return
    if connection.needs_rollback:  # the transaction that switched it is being undone, switch and all
        return
    qn = connection.ops.quote_name
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"SET search_path TO {qn(_base_schema(connection))}")
            else:
                for table, _ in reversed(release_tables(number, connection, "main")):
                    cursor.execute(f"DROP VIEW IF EXISTS temp.{qn(table)}")
    except DatabaseError:
        if connection.in_atomic_block:
            raise
        # Never leave a connection reading a release for the next request: a new one reads today's.
        connection.close()


@contextmanager
def reading(release, using: str = DEFAULT_DB_ALIAS):
    """The data as of `release` (a Release, or its number) inside the block."""
    enter(getattr(release, "number", release), using)
    try:
        yield
    finally:
        leave(using)
