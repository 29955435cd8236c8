"""The data version: one value that changes with every write to the tracker's data, and with nothing else.

A trigger on every table of the data apps (settings.DATA_VERSION_APPS) moves the one row of
core_dataversion in the writing transaction, whatever wrote it: the admin, the API, an import, a
restore, a release being published, raw SQL. Readers see the new version exactly when they see the
change, never before (the answer they cache under it holds the change) and never after (no reader
who sees the change can still read the old version).

On PostgreSQL the trigger runs once per statement, before the statement changes anything: a
writing transaction takes the version's lock first and holds it until it commits, so writers of
the data take turns. One who waits holds no subtotal lock yet, so the subtotals' one-order locking
stays deadlock-free; the lock is an advisory one, which a savepoint rolled back does not release.
A tracker whose data changes a few times a year can afford the turns, and they are what makes a
cached answer never stale. SQLite, which lets one writer in at a time, moves it from row triggers.
"""

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections

TABLE = "core_dataversion"
FUNCTION = "carsi_bump_data_version"
# The first key of the version's advisory lock: a number of this project's own, beside the subtotals'
# (funding.queries.subtotals.LOCK_CLASS) and the imports' (funding.io.imports.IMPORT_LOCK_CLASS).
LOCK_CLASS = 0x5CA753
TRIGGER = "carsi_data_version"

# The row is recreated if a flush (a test database's) took it away.
_BUMP = {
    "postgresql": (
        f"INSERT INTO {TABLE} (id, number, changed_at) VALUES (1, 1, clock_timestamp()) "
        f"ON CONFLICT (id) DO UPDATE SET number = {TABLE}.number + 1, changed_at = clock_timestamp()"
    ),
    "sqlite": (
        f"INSERT INTO {TABLE} (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) "
        f"ON CONFLICT (id) DO UPDATE SET number = number + 1, "
        f"changed_at = strftime('%Y-%m-%d %H:%M:%f', 'now')"
    ),
}


def watched_tables(using="default") -> list[str]:
    """The tables of the data apps that exist in the database (history and many-to-many tables too)."""
    existing = set(connections[using].introspection.table_names())
    tables = {
        model._meta.db_table
        for label in settings.DATA_VERSION_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed
    }
    return sorted(tables & existing)


def install_triggers(using="default") -> int:
    """Make (or remake) the trigger on every watched table; returns how many tables it watches."""
    connection = connections[using]
    tables = watched_tables(using)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Before the statement changes anything: the version's lock first (an advisory lock, which
            # a savepoint rolled back does not release), then the row.
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN PERFORM pg_advisory_xact_lock({LOCK_CLASS}, 0); {_BUMP['postgresql']}; "
                "RETURN NULL; END $$"
            )
            for table in tables:
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {TRIGGER} "
                    f'BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" FOR EACH STATEMENT '
                    f"EXECUTE FUNCTION {FUNCTION}()"
                )
        elif connection.vendor == "sqlite":
            for table in tables:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(
                        f'CREATE TRIGGER IF NOT EXISTS "{TRIGGER}_{table}_{event.lower()}" '
                        f'AFTER {event} ON "{table}" BEGIN {_BUMP["sqlite"]}; END'
                    )
        else:
            raise NotImplementedError(f"no data-version triggers for {connection.vendor}")
    return len(tables)


def lock(connection) -> None:
    """Take the version's lock now, as the first write of the transaction would: for a transaction
    that takes other locks of its own before writing (an import's subtotal locks), so that every
    writer takes the version's lock first. Nothing to do on SQLite."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pg_advisory_xact_lock({LOCK_CLASS}, 0)")


def triggers_after_migrate(sender, using, **kwargs):
    if TABLE in connections[using].introspection.table_names():
        install_triggers(using)


def current(using="default") -> str:
    """The version as the tracker's readers see it now, in one indexed read: "<number>.<when>".

    The time keeps a number that starts again (a database restored or flushed) from naming old answers.
    """
    connection = connections[using]
    if (
        connection.connection is not None
        and not connection.health_check_done
        and not connection.in_atomic_block
    ):
        # The first query of a request on a kept connection, and the only one of an answer from the
        # response cache: it is its own health check. Django's (CONN_HEALTH_CHECKS) would ask the
        # server `SELECT 1` first, a second round trip on every request; here a connection that went
        # away (a database restarted) is noticed by the read failing, closed, and the read made once
        # more on a new one.
        connection.health_check_done = True
        try:
            return _read(connection)
        except DatabaseError:
            if connection.is_usable():
                raise
            connection.close()
    return _read(connection)


def _read(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number, changed_at FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return "0" if row is None else f"{row[0]}.{row[1]}"
