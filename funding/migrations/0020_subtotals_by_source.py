# The source joins the subtotals' key (donor|stage|fiscal_year|account|country|source): a source's
# page and ?source= then read its subtotals instead of summing or counting its line items (a source
# of a million line items: 315 ms for its page, 100 ms for the count). Few sources give line items
# of one donor, stage, year, account and country, so there are hardly more subtotals (15,168 to
# 15,219 for the million synthetic line items).
#
# The triggers are frozen here as this migration installs them (a migration must not call code
# that later changes); going back installs those of 0006 and 0015 again. The subtotals are derived:
# emptied, and summed again from the line items once the column is there. The releases' subtotals
# are views summed from their line items, made again after every migrate (releases.signals).

from importlib import import_module

from django.db import migrations, models
import django.db.models.deletion

POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION funding_subtotal_inserted() RETURNS trigger AS $$\n        BEGIN PERFORM pg_advisory_xact_lock(6072145, lock_id) FROM (SELECT DISTINCT (hashtext(k.key) & 255) AS lock_id FROM (SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') || '|' || r.source_id::text AS key FROM new_rows r) k) ids ORDER BY lock_id;INSERT INTO funding_subtotal (key, donor_id, stage, fiscal_year, account_id, country_id, source_id, amount, line_items) SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') || '|' || r.source_id::text AS key, r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, r.source_id, SUM(r.amount) AS amount, COUNT(*) AS line_items FROM new_rows r GROUP BY r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, r.source_id ON CONFLICT (key) DO UPDATE SET amount = funding_subtotal.amount + excluded.amount, line_items = funding_subtotal.line_items + excluded.line_items; RETURN NULL; END $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION funding_subtotal_deleted() RETURNS trigger AS $$\n        BEGIN PERFORM pg_advisory_xact_lock(6072145, lock_id) FROM (SELECT DISTINCT (hashtext(k.key) & 255) AS lock_id FROM (SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') || '|' || r.source_id::text AS key FROM old_rows r) k) ids ORDER BY lock_id;WITH gone AS (SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') || '|' || r.source_id::text AS key, r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, r.source_id, SUM(r.amount) AS amount, COUNT(*) AS line_items FROM old_rows r GROUP BY r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, r.source_id) UPDATE funding_subtotal s SET amount = s.amount - gone.amount, line_items = s.line_items - gone.line_items FROM gone WHERE s.key = gone.key; DELETE FROM funding_subtotal s USING (SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') || '|' || r.source_id::text AS key, r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, r.source_id, SUM(r.amount) AS amount, COUNT(*) AS line_items FROM old_rows r GROUP BY r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, r.source_id) gone WHERE s.key = gone.key AND s.line_items = 0; RETURN NULL; END $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION funding_subtotal_updated() RETURNS trigger AS $$\n        BEGIN PERFORM pg_advisory_xact_lock(6072145, lock_id) FROM (SELECT DISTINCT (hashtext(k.key) & 255) AS lock_id FROM (SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') || '|' || r.source_id::text AS key FROM (SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE (o.amount, o.donor_id, o.stage, o.fiscal_year, o.account_id, o.country_id, o.source_id) IS DISTINCT FROM (n.amount, n.donor_id, n.stage, n.fiscal_year, n.account_id, n.country_id, n.source_id)) r UNION SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') || '|' || r.source_id::text AS key FROM (SELECT n.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE (o.amount, o.donor_id, o.stage, o.fiscal_year, o.account_id, o.country_id, o.source_id) IS DISTINCT FROM (n.amount, n.donor_id, n.stage, n.fiscal_year, n.account_id, n.country_id, n.source_id)) r) k) ids ORDER BY lock_id;WITH gone AS (SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') || '|' || r.source_id::text AS key, r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, r.source_id, SUM(r.amount) AS amount, COUNT(*) AS line_items FROM (SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE (o.amount, o.donor_id, o.stage, o.fiscal_year, o.account_id, o.country_id, o.source_id) IS DISTINCT FROM (n.amount, n.donor_id, n.stage, n.fiscal_year, n.account_id, n.country_id, n.source_id)) r GROUP BY r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, r.source_id) UPDATE funding_subtotal s SET amount = s.amount - gone.amount, line_items = s.line_items - gone.line_items FROM gone WHERE s.key = gone.key; DELETE FROM funding_subtotal s USING (SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') || '|' || r.source_id::text AS key, r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, r.source_id, SUM(r.amount) AS amount, COUNT(*) AS line_items FROM (SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE (o.amount, o.donor_id, o.stage, o.fiscal_year, o.account_id, o.country_id, o.source_id) IS DISTINCT FROM (n.amount, n.donor_id, n.stage, n.fiscal_year, n.account_id, n.country_id, n.source_id)) r GROUP BY r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, r.source_id) gone WHERE s.key = gone.key AND s.line_items = 0; INSERT INTO funding_subtotal (key, donor_id, stage, fiscal_year, account_id, country_id, source_id, amount, line_items) SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') || '|' || r.source_id::text AS key, r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, r.source_id, SUM(r.amount) AS amount, COUNT(*) AS line_items FROM (SELECT n.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE (o.amount, o.donor_id, o.stage, o.fiscal_year, o.account_id, o.country_id, o.source_id) IS DISTINCT FROM (n.amount, n.donor_id, n.stage, n.fiscal_year, n.account_id, n.country_id, n.source_id)) r GROUP BY r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, r.source_id ON CONFLICT (key) DO UPDATE SET amount = funding_subtotal.amount + excluded.amount, line_items = funding_subtotal.line_items + excluded.line_items; RETURN NULL; END $$ LANGUAGE plpgsql",
    'CREATE OR REPLACE FUNCTION funding_subtotal_empty() RETURNS trigger AS $$\n        BEGIN DELETE FROM funding_subtotal; RETURN NULL; END $$ LANGUAGE plpgsql',
    'DROP TRIGGER IF EXISTS funding_subtotal_insert ON funding_allocation',
    'DROP TRIGGER IF EXISTS funding_subtotal_delete ON funding_allocation',
    'DROP TRIGGER IF EXISTS funding_subtotal_update ON funding_allocation',
    'DROP TRIGGER IF EXISTS funding_subtotal_truncate ON funding_allocation',
    'CREATE TRIGGER funding_subtotal_insert AFTER INSERT ON funding_allocation REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION funding_subtotal_inserted()',
    'CREATE TRIGGER funding_subtotal_delete AFTER DELETE ON funding_allocation REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION funding_subtotal_deleted()',
    'CREATE TRIGGER funding_subtotal_update AFTER UPDATE ON funding_allocation REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION funding_subtotal_updated()',
    'CREATE TRIGGER funding_subtotal_truncate AFTER TRUNCATE ON funding_allocation FOR EACH STATEMENT EXECUTE FUNCTION funding_subtotal_empty()',
]

SQLITE = [
    "CREATE TRIGGER IF NOT EXISTS funding_subtotal_insert AFTER INSERT ON funding_allocation BEGIN INSERT INTO funding_subtotal (key, donor_id, stage, fiscal_year, account_id, country_id, source_id, amount, line_items) VALUES (NEW.donor_id || '|' || NEW.stage || '|' || NEW.fiscal_year || '|' || coalesce(NEW.account_id, '-') || '|' || coalesce(NEW.country_id, '-') || '|' || NEW.source_id, NEW.donor_id, NEW.stage, NEW.fiscal_year, NEW.account_id, NEW.country_id, NEW.source_id, NEW.amount, 1) ON CONFLICT (key) DO UPDATE SET amount = round(funding_subtotal.amount + excluded.amount, 2), line_items = funding_subtotal.line_items + 1; END",
    "CREATE TRIGGER IF NOT EXISTS funding_subtotal_delete AFTER DELETE ON funding_allocation BEGIN UPDATE funding_subtotal SET amount = round(amount - OLD.amount, 2), line_items = line_items - 1 WHERE key = OLD.donor_id || '|' || OLD.stage || '|' || OLD.fiscal_year || '|' || coalesce(OLD.account_id, '-') || '|' || coalesce(OLD.country_id, '-') || '|' || OLD.source_id; DELETE FROM funding_subtotal WHERE key = OLD.donor_id || '|' || OLD.stage || '|' || OLD.fiscal_year || '|' || coalesce(OLD.account_id, '-') || '|' || coalesce(OLD.country_id, '-') || '|' || OLD.source_id AND line_items = 0; END",
    "CREATE TRIGGER IF NOT EXISTS funding_subtotal_update AFTER UPDATE OF amount, donor_id, stage, fiscal_year, account_id, country_id, source_id ON funding_allocation BEGIN UPDATE funding_subtotal SET amount = round(amount - OLD.amount, 2), line_items = line_items - 1 WHERE key = OLD.donor_id || '|' || OLD.stage || '|' || OLD.fiscal_year || '|' || coalesce(OLD.account_id, '-') || '|' || coalesce(OLD.country_id, '-') || '|' || OLD.source_id; DELETE FROM funding_subtotal WHERE key = OLD.donor_id || '|' || OLD.stage || '|' || OLD.fiscal_year || '|' || coalesce(OLD.account_id, '-') || '|' || coalesce(OLD.country_id, '-') || '|' || OLD.source_id AND line_items = 0; INSERT INTO funding_subtotal (key, donor_id, stage, fiscal_year, account_id, country_id, source_id, amount, line_items) VALUES (NEW.donor_id || '|' || NEW.stage || '|' || NEW.fiscal_year || '|' || coalesce(NEW.account_id, '-') || '|' || coalesce(NEW.country_id, '-') || '|' || NEW.source_id, NEW.donor_id, NEW.stage, NEW.fiscal_year, NEW.account_id, NEW.country_id, NEW.source_id, NEW.amount, 1) ON CONFLICT (key) DO UPDATE SET amount = round(funding_subtotal.amount + excluded.amount, 2), line_items = funding_subtotal.line_items + 1; END",
]

REBUILD_POSTGRESQL = [
    'LOCK TABLE funding_allocation IN SHARE MODE',
    'TRUNCATE funding_subtotal',
    "INSERT INTO funding_subtotal (key, donor_id, stage, fiscal_year, account_id, country_id, source_id, amount, line_items) SELECT a.donor_id::text || '|' || a.stage || '|' || a.fiscal_year::text || '|' || coalesce(a.account_id::text, '-') || '|' || coalesce(a.country_id::text, '-') || '|' || a.source_id::text, a.donor_id, a.stage, a.fiscal_year, a.account_id, a.country_id, a.source_id, SUM(a.amount), COUNT(*) FROM funding_allocation a GROUP BY a.donor_id, a.stage, a.fiscal_year, a.account_id, a.country_id, a.source_id",
]

REBUILD_SQLITE = [
    'DELETE FROM funding_subtotal',
    "INSERT INTO funding_subtotal (key, donor_id, stage, fiscal_year, account_id, country_id, source_id, amount, line_items) SELECT a.donor_id || '|' || a.stage || '|' || a.fiscal_year || '|' || coalesce(a.account_id, '-') || '|' || coalesce(a.country_id, '-') || '|' || a.source_id, a.donor_id, a.stage, a.fiscal_year, a.account_id, a.country_id, a.source_id, round(SUM(a.amount), 2), COUNT(*) FROM funding_allocation a GROUP BY a.donor_id, a.stage, a.fiscal_year, a.account_id, a.country_id, a.source_id",
]

# Those of before, as 0006 installed them and 0015 replaced its functions.
_0006 = import_module("funding.migrations.0006_subtotals")
_0015 = import_module("funding.migrations.0015_subtotal_locks_in_buckets")
PREVIOUS_POSTGRESQL = _0015.BUCKETED_FUNCTIONS + _0006.POSTGRESQL[len(_0015.BUCKETED_FUNCTIONS) :]
PREVIOUS_SQLITE = _0006.SQLITE
PREVIOUS_REBUILD_POSTGRESQL = _0006.REBUILD_POSTGRESQL
PREVIOUS_REBUILD_SQLITE = _0006.REBUILD_SQLITE


SQLITE_TRIGGERS = ("funding_subtotal_insert", "funding_subtotal_delete", "funding_subtotal_update")


def run(statements_of):
    def apply(apps, schema_editor):
        connection = schema_editor.connection
        with connection.cursor() as cursor:
            for statement in statements_of(connection.vendor):
                cursor.execute(statement)

    return apply


def emptied(vendor):
    # SQLite makes the subtotal table again to add a column: its triggers, which write to it, go
    # first. PostgreSQL's are replaced with their functions.
    if vendor == "postgresql":
        # The line items first, as subtotals.rebuild() takes them: a writer on a server not yet
        # upgraded holds them before it reaches the subtotals, and waits here rather than deadlocks.
        return ["LOCK TABLE funding_allocation IN SHARE MODE", "TRUNCATE funding_subtotal"]
    return [*(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS), "DELETE FROM funding_subtotal"]


def with_source(vendor):
    return POSTGRESQL + REBUILD_POSTGRESQL if vendor == "postgresql" else SQLITE + REBUILD_SQLITE


def without_source(vendor):
    if vendor == "postgresql":
        return PREVIOUS_POSTGRESQL + PREVIOUS_REBUILD_POSTGRESQL
    return PREVIOUS_SQLITE + PREVIOUS_REBUILD_SQLITE


class Migration(migrations.Migration):

    dependencies = [
        ("funding", "0019_source_stage_index_without_amounts"),
        ("sources", "0003_language_and_verbose_names"),
    ]

    operations = [
        migrations.RunPython(run(emptied), run(without_source)),
        migrations.AddField(
            model_name="subtotal",
            name="source",
            field=models.ForeignKey(
                db_constraint=False,
                default=0,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="sources.source",
                verbose_name="source",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(run(with_source), run(emptied)),
    ]
