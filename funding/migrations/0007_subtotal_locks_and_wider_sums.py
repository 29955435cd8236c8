# The subtotal triggers' functions (funding.queries.subtotals) take advisory locks on every subtotal a
# statement changes, in one sorted order, before changing any: concurrent writers moving money
# between the same subtotals wait for each other instead of deadlocking. The statements are frozen
# here as this migration installs them; the triggers themselves (0006) are unchanged. SQLite's
# triggers need no lock (one transaction writes at a time). Subtotal amounts also widen to the 28
# digits of Python's decimal arithmetic, so no sum of valid line items can overflow them.

from django.db import migrations, models

LOCKING_FUNCTIONS = [
    "CREATE OR REPLACE FUNCTION funding_subtotal_inserted() RETURNS trigger AS $$\n        BEGIN PERFORM pg_advisory_xact_lock(6072145, lock_id) FROM (SELECT DISTINCT hashtext(k.key) AS lock_id FROM (SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') AS key FROM new_rows r) k) ids ORDER BY lock_id;INSERT INTO funding_subtotal (key, donor_id, stage, fiscal_year, account_id, country_id, amount, line_items) SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') AS key, r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, SUM(r.amount) AS amount, COUNT(*) AS line_items FROM new_rows r GROUP BY r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id ON CONFLICT (key) DO UPDATE SET amount = funding_subtotal.amount + excluded.amount, line_items = funding_subtotal.line_items + excluded.line_items; RETURN NULL; END $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION funding_subtotal_deleted() RETURNS trigger AS $$\n        BEGIN PERFORM pg_advisory_xact_lock(6072145, lock_id) FROM (SELECT DISTINCT hashtext(k.key) AS lock_id FROM (SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') AS key FROM old_rows r) k) ids ORDER BY lock_id;WITH gone AS (SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') AS key, r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, SUM(r.amount) AS amount, COUNT(*) AS line_items FROM old_rows r GROUP BY r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id) UPDATE funding_subtotal s SET amount = s.amount - gone.amount, line_items = s.line_items - gone.line_items FROM gone WHERE s.key = gone.key; DELETE FROM funding_subtotal s USING (SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') AS key, r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, SUM(r.amount) AS amount, COUNT(*) AS line_items FROM old_rows r GROUP BY r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id) gone WHERE s.key = gone.key AND s.line_items = 0; RETURN NULL; END $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION funding_subtotal_updated() RETURNS trigger AS $$\n        BEGIN PERFORM pg_advisory_xact_lock(6072145, lock_id) FROM (SELECT DISTINCT hashtext(k.key) AS lock_id FROM (SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') AS key FROM (SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE (o.amount, o.donor_id, o.stage, o.fiscal_year, o.account_id, o.country_id) IS DISTINCT FROM (n.amount, n.donor_id, n.stage, n.fiscal_year, n.account_id, n.country_id)) r UNION SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') AS key FROM (SELECT n.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE (o.amount, o.donor_id, o.stage, o.fiscal_year, o.account_id, o.country_id) IS DISTINCT FROM (n.amount, n.donor_id, n.stage, n.fiscal_year, n.account_id, n.country_id)) r) k) ids ORDER BY lock_id;WITH gone AS (SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') AS key, r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, SUM(r.amount) AS amount, COUNT(*) AS line_items FROM (SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE (o.amount, o.donor_id, o.stage, o.fiscal_year, o.account_id, o.country_id) IS DISTINCT FROM (n.amount, n.donor_id, n.stage, n.fiscal_year, n.account_id, n.country_id)) r GROUP BY r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id) UPDATE funding_subtotal s SET amount = s.amount - gone.amount, line_items = s.line_items - gone.line_items FROM gone WHERE s.key = gone.key; DELETE FROM funding_subtotal s USING (SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') AS key, r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, SUM(r.amount) AS amount, COUNT(*) AS line_items FROM (SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE (o.amount, o.donor_id, o.stage, o.fiscal_year, o.account_id, o.country_id) IS DISTINCT FROM (n.amount, n.donor_id, n.stage, n.fiscal_year, n.account_id, n.country_id)) r GROUP BY r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id) gone WHERE s.key = gone.key AND s.line_items = 0; INSERT INTO funding_subtotal (key, donor_id, stage, fiscal_year, account_id, country_id, amount, line_items) SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') AS key, r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, SUM(r.amount) AS amount, COUNT(*) AS line_items FROM (SELECT n.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE (o.amount, o.donor_id, o.stage, o.fiscal_year, o.account_id, o.country_id) IS DISTINCT FROM (n.amount, n.donor_id, n.stage, n.fiscal_year, n.account_id, n.country_id)) r GROUP BY r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id ON CONFLICT (key) DO UPDATE SET amount = funding_subtotal.amount + excluded.amount, line_items = funding_subtotal.line_items + excluded.line_items; RETURN NULL; END $$ LANGUAGE plpgsql",
]

PREVIOUS_FUNCTIONS = [
    "CREATE OR REPLACE FUNCTION funding_subtotal_inserted() RETURNS trigger AS $$\n        BEGIN INSERT INTO funding_subtotal (key, donor_id, stage, fiscal_year, account_id, country_id, amount, line_items) SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') AS key, r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, SUM(r.amount) AS amount, COUNT(*) AS line_items FROM new_rows r GROUP BY r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id ON CONFLICT (key) DO UPDATE SET amount = funding_subtotal.amount + excluded.amount, line_items = funding_subtotal.line_items + excluded.line_items; RETURN NULL; END $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION funding_subtotal_deleted() RETURNS trigger AS $$\n        BEGIN WITH gone AS (SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') AS key, r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, SUM(r.amount) AS amount, COUNT(*) AS line_items FROM old_rows r GROUP BY r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id) UPDATE funding_subtotal s SET amount = s.amount - gone.amount, line_items = s.line_items - gone.line_items FROM gone WHERE s.key = gone.key; DELETE FROM funding_subtotal s USING (SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') AS key, r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, SUM(r.amount) AS amount, COUNT(*) AS line_items FROM old_rows r GROUP BY r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id) gone WHERE s.key = gone.key AND s.line_items = 0; RETURN NULL; END $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION funding_subtotal_updated() RETURNS trigger AS $$\n        BEGIN WITH gone AS (SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') AS key, r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, SUM(r.amount) AS amount, COUNT(*) AS line_items FROM (SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE (o.amount, o.donor_id, o.stage, o.fiscal_year, o.account_id, o.country_id) IS DISTINCT FROM (n.amount, n.donor_id, n.stage, n.fiscal_year, n.account_id, n.country_id)) r GROUP BY r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id) UPDATE funding_subtotal s SET amount = s.amount - gone.amount, line_items = s.line_items - gone.line_items FROM gone WHERE s.key = gone.key; DELETE FROM funding_subtotal s USING (SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') AS key, r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, SUM(r.amount) AS amount, COUNT(*) AS line_items FROM (SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE (o.amount, o.donor_id, o.stage, o.fiscal_year, o.account_id, o.country_id) IS DISTINCT FROM (n.amount, n.donor_id, n.stage, n.fiscal_year, n.account_id, n.country_id)) r GROUP BY r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id) gone WHERE s.key = gone.key AND s.line_items = 0; INSERT INTO funding_subtotal (key, donor_id, stage, fiscal_year, account_id, country_id, amount, line_items) SELECT r.donor_id::text || '|' || r.stage || '|' || r.fiscal_year::text || '|' || coalesce(r.account_id::text, '-') || '|' || coalesce(r.country_id::text, '-') AS key, r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id, SUM(r.amount) AS amount, COUNT(*) AS line_items FROM (SELECT n.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE (o.amount, o.donor_id, o.stage, o.fiscal_year, o.account_id, o.country_id) IS DISTINCT FROM (n.amount, n.donor_id, n.stage, n.fiscal_year, n.account_id, n.country_id)) r GROUP BY r.donor_id, r.stage, r.fiscal_year, r.account_id, r.country_id ON CONFLICT (key) DO UPDATE SET amount = funding_subtotal.amount + excluded.amount, line_items = funding_subtotal.line_items + excluded.line_items; RETURN NULL; END $$ LANGUAGE plpgsql",
]


def replace_functions(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return run


def widen_amount(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE funding_subtotal ALTER COLUMN amount TYPE numeric(28, 2)")


def narrow_amount(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE funding_subtotal ALTER COLUMN amount TYPE numeric(20, 2)")


class Migration(migrations.Migration):

    dependencies = [
        ("funding", "0006_subtotals"),
    ]

    operations = [
        # SQLite keeps no digit limit and would rebuild the table (losing the triggers that point
        # at it) for nothing: the column's type changes on PostgreSQL only.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="subtotal",
                    name="amount",
                    field=models.DecimalField(decimal_places=2, max_digits=28),
                ),
            ],
            database_operations=[migrations.RunPython(widen_amount, narrow_amount)],
        ),
        migrations.RunPython(replace_functions(LOCKING_FUNCTIONS), replace_functions(PREVIOUS_FUNCTIONS)),
    ]
