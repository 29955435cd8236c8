"""Subtotals of line items per donor, stage, fiscal year, account, country and source, kept by the
database.

Triggers on the line-item table keep funding_subtotal exact in the same transaction as every
write, whoever makes it. Summing a million line items takes the database a quarter of a second on
two cores; summing their fifteen thousand subtotals takes a few milliseconds. So totals that filter
and group only by those six columns, the dashboard and the reconciliation read the subtotals.

On SQLite, a migration that rebuilds the line-item table drops its triggers with it; after every
`migrate`, ensure() puts back what is missing and rebuilds the subtotals if it had to.
"""

from django.db import connection as default_connection
from django.db import transaction
from django.db.models import Count, Sum

from core import dataversion
from funding.models import Allocation, Subtotal
from funding.money import cents

TRIGGERS = ("funding_subtotal_insert", "funding_subtotal_delete", "funding_subtotal_update")
# The first key of the advisory locks on subtotals (pg_advisory_xact_lock(LOCK_CLASS, hash of the
# subtotal's key)): a number of this project's own, so no other use of advisory locks meets them.
LOCK_CLASS = 0x5CA751
# Subtotals share LOCK_BUCKETS locks (the low bits of the key's hash): a transaction holds at most
# that many however many subtotals it changes. One lock per subtotal ran PostgreSQL's shared lock
# table out of room (max_locks_per_transaction, 64 per connection by default) in a transaction of
# 15,000 subtotals, the million synthetic line items. Writers on two subtotals of one bucket take turns.
LOCK_BUCKETS = 256
LOCK_ID = f"(hashtext({{key}}) & {LOCK_BUCKETS - 1})"
# The subtotal's key columns on the line-item table, in the key's order: donor_id, stage, ...
COLUMNS = [Allocation._meta.get_field(name).column for name in Subtotal.KEY]
NULLABLE = {
    Allocation._meta.get_field(name).column for name in Subtotal.KEY if Allocation._meta.get_field(name).null
}
INSERT = f"INSERT INTO funding_subtotal (key, {', '.join(COLUMNS)}, amount, line_items) "


def _key(row: str, vendor: str) -> str:
    """The subtotal key of NEW or OLD: donor|stage|fiscal_year|account|country|source, "-" for none."""
    parts = []
    for column in COLUMNS:
        text = f"{row}.{column}::text" if vendor == "postgresql" and column != "stage" else f"{row}.{column}"
        parts.append(f"coalesce({text}, '-')" if column in NULLABLE else text)
    return " || '|' || ".join(parts)


def _columns_of(row: str) -> str:
    return ", ".join(f"{row}.{column}" for column in COLUMNS)


def _add(row: str, vendor: str) -> str:
    # SQLite keeps decimals with cents as floating point: every sum is rounded back to the cent,
    # so that no error builds up over a subtotal's many changes.
    return (
        INSERT + f"VALUES ({_key(row, vendor)}, {_columns_of(row)}, {row}.amount, 1) "
        "ON CONFLICT (key) DO UPDATE SET amount = round(funding_subtotal.amount + excluded.amount, 2), "
        "line_items = funding_subtotal.line_items + 1;"
    )


def _take_away(row: str, vendor: str) -> str:
    key = _key(row, vendor)
    return (
        f"UPDATE funding_subtotal SET amount = round(amount - {row}.amount, 2), line_items = line_items - 1 "
        f"WHERE key = {key}; "
        f"DELETE FROM funding_subtotal WHERE key = {key} AND line_items = 0;"
    )


# Only a change to a summed column moves money between subtotals.
WATCHED = ", ".join(["amount", *COLUMNS])


def _sqlite_statements() -> list[str]:
    table = Allocation._meta.db_table
    return [
        f"CREATE TRIGGER IF NOT EXISTS funding_subtotal_insert AFTER INSERT ON {table} "
        f"BEGIN {_add('NEW', 'sqlite')} END",
        f"CREATE TRIGGER IF NOT EXISTS funding_subtotal_delete AFTER DELETE ON {table} "
        f"BEGIN {_take_away('OLD', 'sqlite')} END",
        f"CREATE TRIGGER IF NOT EXISTS funding_subtotal_update AFTER UPDATE OF {WATCHED} ON {table} "
        f"BEGIN {_take_away('OLD', 'sqlite')} {_add('NEW', 'sqlite')} END",
    ]


def _postgresql_statements() -> list[str]:
    """One trigger per statement, over the rows it changed (transition tables), not one per row.

    A statement that writes a million line items then changes each subtotal once: per-row
    triggers would update the same subtotal row tens of thousands of times in one transaction,
    and every update leaves a row version behind that later updates have to step over.
    """
    table = Allocation._meta.db_table

    def grouped(rows: str, alias: str) -> str:
        qualified = _columns_of(alias)
        return (
            f"SELECT {_key(alias, 'postgresql')} AS key, {qualified}, "
            f"SUM({alias}.amount) AS amount, COUNT(*) AS line_items FROM {rows} {alias} "
            f"GROUP BY {qualified}"
        )

    def add(rows: str) -> str:
        return (
            INSERT + grouped(rows, "r") + " ON CONFLICT (key) DO UPDATE SET "
            "amount = funding_subtotal.amount + excluded.amount, "
            "line_items = funding_subtotal.line_items + excluded.line_items;"
        )

    def take_away(rows: str) -> str:
        return (
            f"WITH gone AS ({grouped(rows, 'r')}) UPDATE funding_subtotal s "
            "SET amount = s.amount - gone.amount, line_items = s.line_items - gone.line_items "
            "FROM gone WHERE s.key = gone.key; "
            f"DELETE FROM funding_subtotal s USING ({grouped(rows, 'r')}) gone "
            "WHERE s.key = gone.key AND s.line_items = 0;"
        )

    def lock(rows: str) -> str:
        # Every subtotal the statement will change, locked before any is changed, in one order
        # shared by every transaction (volatile functions in a target list run after ORDER BY):
        # two writers moving money between the same subtotals in opposite directions wait for
        # each other instead of deadlocking. Advisory locks cover subtotals not created yet.
        return (
            f"PERFORM pg_advisory_xact_lock({LOCK_CLASS}, lock_id) FROM "
            f"(SELECT DISTINCT {LOCK_ID.format(key='k.key')} AS lock_id FROM ({rows}) k) ids "
            "ORDER BY lock_id;"
        )

    def keys(rows: str) -> str:
        return f"SELECT {_key('r', 'postgresql')} AS key FROM {rows} r"

    # Of an UPDATE, only the rows whose summed columns changed move money between subtotals.
    moved = (
        "(SELECT {side}.* FROM old_rows o JOIN new_rows n ON n.id = o.id "
        f"WHERE (o.amount, {_columns_of('o')}) IS DISTINCT FROM (n.amount, {_columns_of('n')}))"
    )
    function = """CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
        BEGIN {body} RETURN NULL; END $$ LANGUAGE plpgsql"""
    old_moved, new_moved = moved.format(side="o"), moved.format(side="n")
    return [
        function.format(name="funding_subtotal_inserted", body=lock(keys("new_rows")) + add("new_rows")),
        function.format(name="funding_subtotal_deleted", body=lock(keys("old_rows")) + take_away("old_rows")),
        function.format(
            name="funding_subtotal_updated",
            body=lock(f"{keys(old_moved)} UNION {keys(new_moved)}")
            + take_away(old_moved)
            + " "
            + add(new_moved),
        ),
        function.format(name="funding_subtotal_empty", body="DELETE FROM funding_subtotal;"),
        *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for name in (*TRIGGERS, "funding_subtotal_truncate")),
        f"CREATE TRIGGER funding_subtotal_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION funding_subtotal_inserted()",
        f"CREATE TRIGGER funding_subtotal_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION funding_subtotal_deleted()",
        f"CREATE TRIGGER funding_subtotal_update AFTER UPDATE ON {table} "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION funding_subtotal_updated()",
        f"CREATE TRIGGER funding_subtotal_truncate AFTER TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION funding_subtotal_empty()",
    ]


def subtotal_key(line_item: Allocation) -> str:
    """The key of the subtotal a line item counts in, as the triggers write it."""
    values = (getattr(line_item, Allocation._meta.get_field(name).attname) for name in Subtotal.KEY)
    return "|".join(str(value) if value is not None else "-" for value in values)


def lock_subtotals(keys, connection=default_connection) -> None:
    """Take, in a transaction that will write line items in several statements (an import), the locks
    its triggers would take one statement at a time, all at once and in the triggers' order.

    Taken statement by statement, an import's locks would not be in one order overall, and a
    writer locking in that order could deadlock with it. Locks already held are taken again at
    no cost. Nothing to do on SQLite, which lets one transaction write at a time.
    """
    if connection.vendor != "postgresql" or not keys:
        return
    # Every writer takes the data version's lock before any subtotal's (core.dataversion).
    dataversion.lock(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT pg_advisory_xact_lock({LOCK_CLASS}, lock_id) FROM "
            f"(SELECT DISTINCT {LOCK_ID.format(key='key')} AS lock_id FROM unnest(%s::text[]) key) ids "
            "ORDER BY lock_id",
            [sorted(set(keys))],
        )


def installed_triggers(connection=default_connection) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [Allocation._meta.db_table],
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [Allocation._meta.db_table],
            )
        return {name for (name,) in cursor.fetchall()} & set(TRIGGERS)


def install(connection=default_connection) -> None:
    statements = _postgresql_statements() if connection.vendor == "postgresql" else _sqlite_statements()
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def rebuild(connection=default_connection) -> int:
    """Recompute every subtotal from the line items (one GROUP BY); returns how many there are."""
    vendor = connection.vendor
    key = _key("a", vendor)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if vendor == "postgresql":
            # No line item may be written between emptying the table and filling it again.
            cursor.execute(f"LOCK TABLE {Allocation._meta.db_table} IN SHARE MODE")
        # TRUNCATE on PostgreSQL: a new, compact table rather than dead rows left behind.
        cursor.execute(
            "TRUNCATE funding_subtotal" if vendor == "postgresql" else "DELETE FROM funding_subtotal"
        )
        cursor.execute(
            INSERT + f"SELECT {key}, {_columns_of('a')}, "
            f"{'SUM(a.amount)' if vendor == 'postgresql' else 'round(SUM(a.amount), 2)'}, COUNT(*) "
            f"FROM {Allocation._meta.db_table} a GROUP BY {_columns_of('a')}"
        )
    return Subtotal.objects.using(connection.alias).count()


def derived_from(line_items_sql: str, vendor: str) -> str:
    """A SELECT of the subtotals' columns (id, key, the key columns, amount, line_items) summed from
    the line items that `line_items_sql` selects: what the subtotals of those line items would be.
    A release's subtotals are this, over its line items (releases.asof)."""
    total = "SUM(a.amount)" if vendor == "postgresql" else "round(SUM(a.amount), 2)"
    return (
        f"SELECT MIN(a.id) AS id, {_key('a', vendor)} AS key, {_columns_of('a')}, {total} AS amount, "
        f"COUNT(*) AS line_items FROM ({line_items_sql}) a GROUP BY {_columns_of('a')}"
    )


def ensure(connection=default_connection) -> bool:
    """Install missing triggers and, if any were missing, rebuild the subtotals. True if it did."""
    if installed_triggers(connection) == set(TRIGGERS):
        return False
    install(connection)
    rebuild(connection)
    return True


def differences(connection=default_connection) -> list[tuple]:
    """Groups whose subtotal differs from the sum of their line items (none, if the triggers work)."""
    fields = [Allocation._meta.get_field(name).attname for name in Subtotal.KEY]
    expected = {
        tuple(row[field] for field in fields): (row["amount"], row["count"])
        for row in Allocation.objects.using(connection.alias)
        .order_by()
        .values(*fields)
        .annotate(amount=Sum("amount"), count=Count("id"))
    }
    kept = {
        tuple(row[field] for field in fields): (row["amount"], row["line_items"])
        for row in Subtotal.objects.using(connection.alias).values(*fields, "amount", "line_items")
    }
    return sorted(
        (
            (group, expected.get(group), kept.get(group))
            for group in expected.keys() | kept.keys()
            if _cents(expected.get(group)) != _cents(kept.get(group))
        ),
        key=str,
    )


def _cents(pair):
    return None if pair is None else (cents(pair[0]), pair[1])


def totals_queryset(filterset, group_by=()):
    """What to total for a valid AllocationFilter: its subtotals when every filter in use and every
    grouping is one a subtotal keeps, else its line items. Both give the same sums."""
    in_use = {
        name
        for name, value in filterset.form.cleaned_data.items()
        if name != "ordering" and value not in (None, "", [], ())
    }
    if not (in_use <= Subtotal.FILTERS and set(group_by) <= Subtotal.DIMENSIONS):
        return filterset.qs
    queryset = Subtotal.objects.all()
    for name in Subtotal.FILTERS:  # the same filters, applied to the subtotals' same-named columns
        queryset = filterset.filters[name].filter(queryset, filterset.form.cleaned_data.get(name))
    return queryset


def line_item_count(filterset) -> int | None:
    """How many line items a valid AllocationFilter selects, from the subtotals if they can say
    (a sum over a few thousand rows instead of a count over a million); None if they cannot."""
    queryset = totals_queryset(filterset)
    if queryset.model is not Subtotal:
        return None
    return queryset.aggregate(count=Sum("line_items"))["count"] or 0
