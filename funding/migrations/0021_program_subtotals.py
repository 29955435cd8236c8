# Sums per objective, program and stage, kept by triggers on the line items as the subtotals are
# (funding.queries.subtotals.PROGRAM_SUBTOTALS): the objective and program pages read a few hundred
# rows instead of summing an objective's 150,000 line items at a million. The triggers are frozen here
# as this migration installs them; the table is filled from the line items once they are in place.

import django.db.models.deletion
from importlib import import_module

from django.db import migrations, models


POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION funding_programsubtotal_inserted() RETURNS trigger AS $$\n"
    "        BEGIN INSERT INTO funding_programsubtotal (key, objective_id, program_id, stage, amount, line_items) SELECT coalesce(r.objective_id::text, '-') || '|' || coalesce(r.program_id::text, '-') "
    "|| '|' || r.stage AS key, r.objective_id, r.program_id, r.stage, SUM(r.amount) AS amount, COUNT(*) AS line_items FROM new_rows r GROUP BY r.objective_id, r.program_id, r.stage ON CONFLICT (key) DO "
    "UPDATE SET amount = funding_programsubtotal.amount + excluded.amount, line_items = funding_programsubtotal.line_items + excluded.line_items; RETURN NULL; END $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION funding_programsubtotal_deleted() RETURNS trigger AS $$\n"
    "        BEGIN WITH gone AS (SELECT coalesce(r.objective_id::text, '-') || '|' || coalesce(r.program_id::text, '-') || '|' || r.stage AS key, r.objective_id, r.program_id, r.stage, SUM(r.amount) AS "
    "amount, COUNT(*) AS line_items FROM old_rows r GROUP BY r.objective_id, r.program_id, r.stage) UPDATE funding_programsubtotal s SET amount = s.amount - gone.amount, line_items = s.line_items - "
    "gone.line_items FROM gone WHERE s.key = gone.key; DELETE FROM funding_programsubtotal s USING (SELECT coalesce(r.objective_id::text, '-') || '|' || coalesce(r.program_id::text, '-') || '|' || "
    "r.stage AS key, r.objective_id, r.program_id, r.stage, SUM(r.amount) AS amount, COUNT(*) AS line_items FROM old_rows r GROUP BY r.objective_id, r.program_id, r.stage) gone WHERE s.key = gone.key "
    "AND s.line_items = 0; RETURN NULL; END $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION funding_programsubtotal_updated() RETURNS trigger AS $$\n"
    "        BEGIN WITH gone AS (SELECT coalesce(r.objective_id::text, '-') || '|' || coalesce(r.program_id::text, '-') || '|' || r.stage AS key, r.objective_id, r.program_id, r.stage, SUM(r.amount) AS "
    "amount, COUNT(*) AS line_items FROM (SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE (o.amount, o.objective_id, o.program_id, o.stage) IS DISTINCT FROM (n.amount, n.objective_id, "
    "n.program_id, n.stage)) r GROUP BY r.objective_id, r.program_id, r.stage) UPDATE funding_programsubtotal s SET amount = s.amount - gone.amount, line_items = s.line_items - gone.line_items FROM "
    "gone WHERE s.key = gone.key; DELETE FROM funding_programsubtotal s USING (SELECT coalesce(r.objective_id::text, '-') || '|' || coalesce(r.program_id::text, '-') || '|' || r.stage AS key, "
    "r.objective_id, r.program_id, r.stage, SUM(r.amount) AS amount, COUNT(*) AS line_items FROM (SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE (o.amount, o.objective_id, "
    "o.program_id, o.stage) IS DISTINCT FROM (n.amount, n.objective_id, n.program_id, n.stage)) r GROUP BY r.objective_id, r.program_id, r.stage) gone WHERE s.key = gone.key AND s.line_items = 0; "
    "INSERT INTO funding_programsubtotal (key, objective_id, program_id, stage, amount, line_items) SELECT coalesce(r.objective_id::text, '-') || '|' || coalesce(r.program_id::text, '-') || '|' || "
    "r.stage AS key, r.objective_id, r.program_id, r.stage, SUM(r.amount) AS amount, COUNT(*) AS line_items FROM (SELECT n.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE (o.amount, "
    "o.objective_id, o.program_id, o.stage) IS DISTINCT FROM (n.amount, n.objective_id, n.program_id, n.stage)) r GROUP BY r.objective_id, r.program_id, r.stage ON CONFLICT (key) DO UPDATE SET amount = "
    "funding_programsubtotal.amount + excluded.amount, line_items = funding_programsubtotal.line_items + excluded.line_items; RETURN NULL; END $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION funding_programsubtotal_empty() RETURNS trigger AS $$\n        BEGIN DELETE FROM funding_programsubtotal; RETURN NULL; END $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS funding_programsubtotal_insert ON funding_allocation",
    "DROP TRIGGER IF EXISTS funding_programsubtotal_delete ON funding_allocation",
    "DROP TRIGGER IF EXISTS funding_programsubtotal_update ON funding_allocation",
    "DROP TRIGGER IF EXISTS funding_programsubtotal_truncate ON funding_allocation",
    "CREATE TRIGGER funding_programsubtotal_insert AFTER INSERT ON funding_allocation REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION funding_programsubtotal_inserted()",
    "CREATE TRIGGER funding_programsubtotal_delete AFTER DELETE ON funding_allocation REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION funding_programsubtotal_deleted()",
    "CREATE TRIGGER funding_programsubtotal_update AFTER UPDATE ON funding_allocation REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "
    "funding_programsubtotal_updated()",
    "CREATE TRIGGER funding_programsubtotal_truncate AFTER TRUNCATE ON funding_allocation FOR EACH STATEMENT EXECUTE FUNCTION funding_programsubtotal_empty()",
    "LOCK TABLE funding_allocation IN SHARE MODE",
    "TRUNCATE funding_programsubtotal",
    "INSERT INTO funding_programsubtotal (key, objective_id, program_id, stage, amount, line_items) SELECT coalesce(a.objective_id::text, '-') || '|' || coalesce(a.program_id::text, '-') || '|' || "
    "a.stage, a.objective_id, a.program_id, a.stage, SUM(a.amount), COUNT(*) FROM funding_allocation a GROUP BY a.objective_id, a.program_id, a.stage",
]

SQLITE = [
    "CREATE TRIGGER IF NOT EXISTS funding_programsubtotal_insert AFTER INSERT ON funding_allocation BEGIN INSERT INTO funding_programsubtotal (key, objective_id, program_id, stage, amount, line_items) "
    "VALUES (coalesce(NEW.objective_id, '-') || '|' || coalesce(NEW.program_id, '-') || '|' || NEW.stage, NEW.objective_id, NEW.program_id, NEW.stage, NEW.amount, 1) ON CONFLICT (key) DO UPDATE SET "
    "amount = round(funding_programsubtotal.amount + excluded.amount, 2), line_items = funding_programsubtotal.line_items + 1; END",
    "CREATE TRIGGER IF NOT EXISTS funding_programsubtotal_delete AFTER DELETE ON funding_allocation BEGIN UPDATE funding_programsubtotal SET amount = round(amount - OLD.amount, 2), line_items = "
    "line_items - 1 WHERE key = coalesce(OLD.objective_id, '-') || '|' || coalesce(OLD.program_id, '-') || '|' || OLD.stage; DELETE FROM funding_programsubtotal WHERE key = coalesce(OLD.objective_id, "
    "'-') || '|' || coalesce(OLD.program_id, '-') || '|' || OLD.stage AND line_items = 0; END",
    "CREATE TRIGGER IF NOT EXISTS funding_programsubtotal_update AFTER UPDATE OF amount, objective_id, program_id, stage ON funding_allocation BEGIN UPDATE funding_programsubtotal SET amount = "
    "round(amount - OLD.amount, 2), line_items = line_items - 1 WHERE key = coalesce(OLD.objective_id, '-') || '|' || coalesce(OLD.program_id, '-') || '|' || OLD.stage; DELETE FROM "
    "funding_programsubtotal WHERE key = coalesce(OLD.objective_id, '-') || '|' || coalesce(OLD.program_id, '-') || '|' || OLD.stage AND line_items = 0; INSERT INTO funding_programsubtotal (key, "
    "objective_id, program_id, stage, amount, line_items) VALUES (coalesce(NEW.objective_id, '-') || '|' || coalesce(NEW.program_id, '-') || '|' || NEW.stage, NEW.objective_id, NEW.program_id, "
    "NEW.stage, NEW.amount, 1) ON CONFLICT (key) DO UPDATE SET amount = round(funding_programsubtotal.amount + excluded.amount, 2), line_items = funding_programsubtotal.line_items + 1; END",
    "DELETE FROM funding_programsubtotal",
    "INSERT INTO funding_programsubtotal (key, objective_id, program_id, stage, amount, line_items) SELECT coalesce(a.objective_id, '-') || '|' || coalesce(a.program_id, '-') || '|' || a.stage, "
    "a.objective_id, a.program_id, a.stage, round(SUM(a.amount), 2), COUNT(*) FROM funding_allocation a GROUP BY a.objective_id, a.program_id, a.stage",
]

DROP_POSTGRESQL = [
    *(
        f"DROP TRIGGER IF EXISTS funding_programsubtotal_{event} ON funding_allocation"
        for event in ("insert", "delete", "update", "truncate")
    ),
    *(
        f"DROP FUNCTION IF EXISTS funding_programsubtotal_{name}()"
        for name in ("inserted", "deleted", "updated", "empty")
    ),
]
DROP_SQLITE = [
    f"DROP TRIGGER IF EXISTS funding_programsubtotal_{event}" for event in ("insert", "delete", "update")
]

# Runs each statement of a list chosen by the database vendor, as 0020 does.
run = import_module("funding.migrations.0020_subtotals_by_source").run


def installed(vendor):
    return POSTGRESQL if vendor == "postgresql" else SQLITE


def dropped(vendor):
    return DROP_POSTGRESQL if vendor == "postgresql" else DROP_SQLITE


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0020_subtotals_by_source"),
        ("programs", "0007_texts_in_every_language"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProgramSubtotal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=60, unique=True, verbose_name="key")),
                (
                    "stage",
                    models.CharField(
                        choices=[
                            ("requested", "Requested"),
                            ("committed", "Committed"),
                            ("appropriated", "Appropriated"),
                            ("allocated", "Allocated"),
                            ("obligated", "Obligated"),
                            ("disbursed", "Disbursed"),
                        ],
                        max_length=20,
                        verbose_name="stage",
                    ),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=28, verbose_name="amount")),
                ("line_items", models.PositiveIntegerField(verbose_name="line items")),
                (
                    "objective",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="programs.objective",
                        verbose_name="objective",
                    ),
                ),
                (
                    "program",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="programs.program",
                        verbose_name="program",
                    ),
                ),
            ],
            options={
                "verbose_name": "subtotal per objective and program",
                "verbose_name_plural": "subtotals per objective and program",
            },
        ),
        migrations.RunPython(run(installed), run(dropped)),
    ]
