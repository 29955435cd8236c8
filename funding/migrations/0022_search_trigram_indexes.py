# Trigram indexes on the two texts a search reads (PostgreSQL only: pg_trgm, a trusted extension
# that the database's owner may create). A search is read as the union of what each field finds
# (funding.queries.search); these serve the two that are not a key to another row. The expression is
# the one Django writes for icontains, UPPER(column::text), so that the index serves its LIKE.

from importlib import import_module

from django.db import migrations

INDEXES = {"allocation_source_detail_trigram": "source_detail", "allocation_note_trigram": "note"}

CREATED = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    *(
        f"CREATE INDEX IF NOT EXISTS {name} ON funding_allocation USING gin (UPPER({column}::text) gin_trgm_ops)"
        for name, column in INDEXES.items()
    ),
]
# The extension stays: something else in the database may use it.
DROPPED = [f"DROP INDEX IF EXISTS {name}" for name in INDEXES]

run = import_module("funding.migrations.0020_subtotals_by_source").run


def created(vendor):
    return CREATED if vendor == "postgresql" else []


def dropped(vendor):
    return DROPPED if vendor == "postgresql" else []


class Migration(migrations.Migration):

    dependencies = [
        ("funding", "0021_program_subtotals"),
    ]

    operations = [migrations.RunPython(run(created), run(dropped))]
