"""Sums of line items kept by the database: the subtotals, and the sums per objective and program.

Triggers on the line-item table keep each table exact in the same transaction as every write,
whoever makes it. Summing a million line items takes the database a quarter of a second on two
cores; summing their fifteen thousand subtotals takes a few milliseconds.

- funding_subtotal: one row per donor, stage, fiscal year, account, country and source. Totals that
  filter and group only by those columns, the dashboard and the reconciliation read it.
- funding_programsubtotal: one row per objective, program and stage (a few hundred). The objective
  and program pages and lists read it: neither column can join the subtotals' key at a bearable size
  (65,889 and 82,014 subtotals at a million line items, in place of 15,219).

On SQLite, a migration that rebuilds the line-item table drops its triggers with it; after every
`migrate`, ensure() puts back what is missing and rebuilds the sums it had to.
"""

from django.db import connection as default_connection
from django.db import transaction
from django.db.models import Count, Sum

from core import dataversion
from funding.models import Allocation, ProgramSubtotal, Subtotal
from funding.money import cents
from funding.totals import added_up

# The first key of the advisory locks on subtotals (pg_advisory_xact_lock(LOCK_CLASS, hash of the
# subtotal's key)): a number of this project's own, so no other use of advisory locks meets them.
LOCK_CLASS = 0x5CA751
# Subtotals share LOCK_BUCKETS locks (the low bits of the key's hash): a transaction holds at most
# that many however many subtotals it changes. One lock per subtotal ran PostgreSQL's shared lock
# table out of room (max_locks_per_transaction, 64 per connection by default) in a transaction of
# 15,000 subtotals, the million synthetic line items. Writers on two subtotals of one bucket take turns.
LOCK_BUCKETS = 256
LOCK_ID = f"(hashtext({{key}}) & {LOCK_BUCKETS - 1})"
LINE_ITEMS = Allocation._meta.db_table


class KeptSums:
    """One table of sums of line items, keyed by some of their columns, and the triggers that keep it.

    `locked`: the PostgreSQL triggers take an advisory lock per bucket of keys, in one order, before
    changing any row. The subtotals were kept so before the data version serialized every writer
    (core.dataversion: its lock is taken before any line item is written); a table added since
    relies on that lock alone.
    """

    def __init__(self, model, *, locked: bool):
        self.model = model
        self.table = model._meta.db_table
        self.locked = locked
        self.triggers = tuple(f"{self.table}_{event}" for event in ("insert", "delete", "update"))
        fields = [Allocation._meta.get_field(name) for name in model.KEY]
        # The key columns on the line-item table, in the key's order.
        self.columns = [field.column for field in fields]
        self.attnames = [field.attname for field in fields]
        self.nullable = {field.column for field in fields if field.null}
        self.insert = f"INSERT INTO {self.table} (key, {', '.join(self.columns)}, amount, line_items) "
        # Only a change to a summed column moves money between rows.
        self.watched = ", ".join(["amount", *self.columns])

    def key(self, row: str, vendor: str) -> str:
        """The key of NEW or OLD: its key columns joined by "|", "-" for none."""
        parts = []
        for column in self.columns:
            text = (
                f"{row}.{column}::text" if vendor == "postgresql" and column != "stage" else f"{row}.{column}"
            )
            parts.append(f"coalesce({text}, '-')" if column in self.nullable else text)
        return " || '|' || ".join(parts)

    def columns_of(self, row: str) -> str:
        return ", ".join(f"{row}.{column}" for column in self.columns)

    def key_of(self, line_item: Allocation) -> str:
        """The key of the row a line item counts in, as the triggers write it."""
        values = (getattr(line_item, attname) for attname in self.attnames)
        return "|".join(str(value) if value is not None else "-" for value in values)

    def sqlite_statements(self) -> list[str]:
        # SQLite keeps decimals with cents as floating point: every sum is rounded back to the cent,
        # so that no error builds up over a row's many changes.
        def add(row):
            return (
                self.insert + f"VALUES ({self.key(row, 'sqlite')}, {self.columns_of(row)}, {row}.amount, 1) "
                f"ON CONFLICT (key) DO UPDATE SET amount = round({self.table}.amount + excluded.amount, 2), "
                f"line_items = {self.table}.line_items + 1;"
            )

        def take_away(row):
            key = self.key(row, "sqlite")
            return (
                f"UPDATE {self.table} SET amount = round(amount - {row}.amount, 2), "
                "line_items = line_items - 1 "
                f"WHERE key = {key}; "
                f"DELETE FROM {self.table} WHERE key = {key} AND line_items = 0;"
            )

        insert, delete, update = self.triggers
        return [
            f"CREATE TRIGGER IF NOT EXISTS {insert} AFTER INSERT ON {LINE_ITEMS} BEGIN {add('NEW')} END",
            f"CREATE TRIGGER IF NOT EXISTS {delete} AFTER DELETE ON {LINE_ITEMS} "
            f"BEGIN {take_away('OLD')} END",
            f"CREATE TRIGGER IF NOT EXISTS {update} AFTER UPDATE OF {self.watched} ON {LINE_ITEMS} "
            f"BEGIN {take_away('OLD')} {add('NEW')} END",
        ]

    def postgresql_statements(self) -> list[str]:
        """One trigger per statement, over the rows it changed (transition tables), not one per row.

        A statement that writes a million line items then changes each row once: per-row triggers
        would update the same row tens of thousands of times in one transaction, and every update
        leaves a row version behind that later updates have to step over.
        """
        table = self.table

        def grouped(rows: str, alias: str) -> str:
            qualified = self.columns_of(alias)
            return (
                f"SELECT {self.key(alias, 'postgresql')} AS key, {qualified}, "
                f"SUM({alias}.amount) AS amount, COUNT(*) AS line_items FROM {rows} {alias} "
                f"GROUP BY {qualified}"
            )

        def add(rows: str) -> str:
            return (
                self.insert + grouped(rows, "r") + " ON CONFLICT (key) DO UPDATE SET "
                f"amount = {table}.amount + excluded.amount, "
                f"line_items = {table}.line_items + excluded.line_items;"
            )

        def take_away(rows: str) -> str:
            return (
                f"WITH gone AS ({grouped(rows, 'r')}) UPDATE {table} s "
                "SET amount = s.amount - gone.amount, line_items = s.line_items - gone.line_items "
                "FROM gone WHERE s.key = gone.key; "
                f"DELETE FROM {table} s USING ({grouped(rows, 'r')}) gone "
                "WHERE s.key = gone.key AND s.line_items = 0;"
            )

        def lock(rows: str) -> str:
            # Every row the statement will change, locked before any is changed, in one order
            # shared by every transaction (volatile functions in a target list run after ORDER BY):
            # two writers moving money between the same rows in opposite directions wait for
            # each other instead of deadlocking. Advisory locks cover rows not created yet.
            if not self.locked:
                return ""
            return (
                f"PERFORM pg_advisory_xact_lock({LOCK_CLASS}, lock_id) FROM "
                f"(SELECT DISTINCT {LOCK_ID.format(key='k.key')} AS lock_id FROM ({rows}) k) ids "
                "ORDER BY lock_id;"
            )

        def keys(rows: str) -> str:
            return f"SELECT {self.key('r', 'postgresql')} AS key FROM {rows} r"

        # Of an UPDATE, only the rows whose summed columns changed move money between rows.
        moved = (
            "(SELECT {side}.* FROM old_rows o JOIN new_rows n ON n.id = o.id "
            f"WHERE (o.amount, {self.columns_of('o')}) IS DISTINCT FROM (n.amount, {self.columns_of('n')}))"
        )
        function = """CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
        BEGIN {body} RETURN NULL; END $$ LANGUAGE plpgsql"""
        old_moved, new_moved = moved.format(side="o"), moved.format(side="n")
        insert, delete, update = self.triggers
        return [
            function.format(name=f"{table}_inserted", body=lock(keys("new_rows")) + add("new_rows")),
            function.format(name=f"{table}_deleted", body=lock(keys("old_rows")) + take_away("old_rows")),
            function.format(
                name=f"{table}_updated",
                body=lock(f"{keys(old_moved)} UNION {keys(new_moved)}")
                + take_away(old_moved)
                + " "
                + add(new_moved),
            ),
            function.format(name=f"{table}_empty", body=f"DELETE FROM {table};"),
            *(
                f"DROP TRIGGER IF EXISTS {name} ON {LINE_ITEMS}"
                for name in (*self.triggers, f"{table}_truncate")
            ),
            f"CREATE TRIGGER {insert} AFTER INSERT ON {LINE_ITEMS} REFERENCING NEW TABLE AS new_rows "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_inserted()",
            f"CREATE TRIGGER {delete} AFTER DELETE ON {LINE_ITEMS} REFERENCING OLD TABLE AS old_rows "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_deleted()",
            f"CREATE TRIGGER {update} AFTER UPDATE ON {LINE_ITEMS} "
            "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_updated()",
            f"CREATE TRIGGER {table}_truncate AFTER TRUNCATE ON {LINE_ITEMS} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_empty()",
        ]

    def statements(self, vendor: str) -> list[str]:
        return self.postgresql_statements() if vendor == "postgresql" else self.sqlite_statements()

    def rebuild_statements(self, vendor: str) -> list[str]:
        """Empty the table and sum it again from the line items (one GROUP BY)."""
        total = "SUM(a.amount)" if vendor == "postgresql" else "round(SUM(a.amount), 2)"
        fill = (
            self.insert + f"SELECT {self.key('a', vendor)}, {self.columns_of('a')}, {total}, COUNT(*) "
            f"FROM {LINE_ITEMS} a GROUP BY {self.columns_of('a')}"
        )
        if vendor == "postgresql":
            # No line item may be written between emptying the table and filling it again; TRUNCATE
            # makes a new, compact table rather than leave dead rows behind.
            return [f"LOCK TABLE {LINE_ITEMS} IN SHARE MODE", f"TRUNCATE {self.table}", fill]
        return [f"DELETE FROM {self.table}", fill]

    def derived_from(self, line_items_sql: str, vendor: str) -> str:
        """A SELECT of the table's columns (id, key, the key columns, amount, line_items) summed from
        the line items that `line_items_sql` selects: what the table would hold for those line items.
        A release's sums are this, over its line items (releases.asof)."""
        total = "SUM(a.amount)" if vendor == "postgresql" else "round(SUM(a.amount), 2)"
        return (
            f"SELECT MIN(a.id) AS id, {self.key('a', vendor)} AS key, {self.columns_of('a')}, "
            f"{total} AS amount, "
            f"COUNT(*) AS line_items FROM ({line_items_sql}) a GROUP BY {self.columns_of('a')}"
        )

    def differences(self, connection) -> list[tuple]:
        """Groups whose kept sum differs from the sum of their line items (none, if the triggers work)."""
        expected = {
            tuple(row[field] for field in self.attnames): (row["amount"], row["count"])
            for row in Allocation.objects.using(connection.alias)
            .order_by()
            .values(*self.attnames)
            .annotate(amount=Sum("amount"), count=Count("id"))
        }
        kept = {
            tuple(row[field] for field in self.attnames): (row["amount"], row["line_items"])
            for row in self.model.objects.using(connection.alias).values(
                *self.attnames, "amount", "line_items"
            )
        }
        return sorted(
            (
                (self.table, group, expected.get(group), kept.get(group))
                for group in expected.keys() | kept.keys()
                if _cents(expected.get(group)) != _cents(kept.get(group))
            ),
            key=str,
        )


SUBTOTALS = KeptSums(Subtotal, locked=True)
PROGRAM_SUBTOTALS = KeptSums(ProgramSubtotal, locked=False)
KEPT = (SUBTOTALS, PROGRAM_SUBTOTALS)
TRIGGERS = tuple(name for kept in KEPT for name in kept.triggers)


def subtotal_key(line_item: Allocation) -> str:
    """The key of the subtotal a line item counts in, as the triggers write it."""
    return SUBTOTALS.key_of(line_item)


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
                [LINE_ITEMS],
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [LINE_ITEMS]
            )
        return {name for (name,) in cursor.fetchall()} & set(TRIGGERS)


def _execute(connection, statements) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection=default_connection) -> None:
    for kept in KEPT:
        _execute(connection, kept.statements(connection.vendor))


def rebuild(connection=default_connection) -> int:
    """Recompute every kept sum from the line items; returns how many subtotals there are."""
    with transaction.atomic(using=connection.alias):
        for kept in KEPT:
            _execute(connection, kept.rebuild_statements(connection.vendor))
    return Subtotal.objects.using(connection.alias).count()


def ensure(connection=default_connection) -> bool:
    """Install the missing triggers of each kept table and rebuild those tables. True if it did."""
    installed = installed_triggers(connection)
    missing = [kept for kept in KEPT if not set(kept.triggers) <= installed]
    with transaction.atomic(using=connection.alias):
        for kept in missing:
            _execute(connection, kept.statements(connection.vendor))
            _execute(connection, kept.rebuild_statements(connection.vendor))
    return bool(missing)


def differences(connection=default_connection) -> list[tuple]:
    """(table, group, its line items' sum and count, the kept ones) wherever the two differ: none, if
    the triggers work."""
    return [difference for kept in KEPT for difference in kept.differences(connection)]


def _cents(pair):
    return None if pair is None else (cents(pair[0]), pair[1])


def _in_use(filterset) -> set[str]:
    return {
        name
        for name, value in filterset.form.cleaned_data.items()
        if name != "ordering" and value not in (None, "", [], ())
    }


def totals_queryset(filterset, group_by=()):
    """What to total for a valid AllocationFilter: the first kept table whose columns hold every filter
    in use and every grouping, else its line items. A search is totalled in the parts that find it
    (funding.queries.search): its line items citing a row it names, from a kept table where one
    holds them too, and those its texts find. All give the same sums."""
    in_use = _in_use(filterset)
    searched = getattr(filterset, "searched", None)
    if searched is None:
        kept = _kept(filterset, in_use, group_by)
        return filterset.qs if kept is None else kept
    kept = None
    if searched.cited and not searched.other_words:
        kept = _kept(filterset, in_use - {"search"}, group_by, also=set(searched.cited))
    return Parts(searched.parts(citing_from=kept))


def _kept(filterset, in_use, group_by, also=()):
    """The first kept table whose columns hold the filters in use (and `also`) and the grouping, with
    the filters applied; None if none does."""
    for model in (Subtotal, ProgramSubtotal):
        if in_use | set(also) <= model.FILTERS and set(group_by) <= model.DIMENSIONS:
            queryset = model.objects.all()
            for name in in_use:  # the same filters, applied to the kept table's same-named columns
                queryset = filterset.filters[name].filter(queryset, filterset.form.cleaned_data.get(name))
            return queryset
    return None


class Parts:
    """Line items totalled in parts that share none, added up group by group."""

    def __init__(self, querysets):
        self.querysets = querysets

    def totals(self, group_by=()):
        return added_up([row for queryset in self.querysets for row in queryset.totals(group_by)], group_by)


def line_item_count(filterset) -> int | None:
    """How many line items a valid AllocationFilter selects, from a kept table if one can say (a sum
    over a few thousand rows instead of a count over a million), or a search's, counted in the parts
    that find it; None if neither can."""
    if getattr(filterset, "searched", None) is not None:
        return filterset.searched.count()
    queryset = totals_queryset(filterset)
    if queryset.model is Allocation:
        return None
    return queryset.aggregate(count=Sum("line_items"))["count"] or 0
