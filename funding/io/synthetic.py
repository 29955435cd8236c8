"""Synthetic line items for measuring the tracker at scale: generated, never real figures.

Every synthetic line item cites the one source keyed ``synthetic``, whose title says it
is generated test data, so no total, page or export can pass it off as a CARSI figure.
The rows are spread over fiscal years, stages, countries, donors, accounts, objectives
and programs with fixed weights, and a seed makes a run reproducible.
"""

import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from funding.choices import Stage
from funding.io.seed import load_fixtures
from funding.models import Allocation, FundingAccount, ReportedFigure
from funding.queries import subtotals
from partners.models import Country, Organization
from programs.models import Objective, Program
from sources.models import Source

SOURCE_KEY = "synthetic"
SOURCE_DEFAULTS = {
    "title": "Synthetic line items: generated test data, not CARSI figures",
    "publisher": "CARSI Tracker (manage.py generate_synthetic)",
    "note": (
        "Made up by manage.py generate_synthetic to measure the tracker with many line items. "
        "No figure citing this source is real."
    ),
}
# Reference data the line items point to; the reported figures are real claims and stay out.
# What line items point to; not the reported figures, nor the coverage and disagreements about them.
REFERENCE_ONLY = ["01_partners.json", "02_sources.json", "03_programs.json"]

# (value, weight). Most money falls in the CARSI years, with obligations and
# disbursements trailing into the years after; regional money is its own share.
FISCAL_YEARS = [(2008, 8), (2009, 12), (2010, 14), (2011, 16), (2012, 16), (2013, 12), (2014, 9), (2015, 7)]
STAGES = [
    (Stage.REQUESTED, 3),
    (Stage.COMMITTED, 2),
    (Stage.APPROPRIATED, 10),
    (Stage.ALLOCATED, 20),
    (Stage.OBLIGATED, 30),
    (Stage.DISBURSED, 35),
]
COUNTRIES = [("GT", 22), ("HN", 20), ("SV", 18), ("PA", 10), ("CR", 8), ("NI", 6), ("BZ", 4), (None, 12)]
DONORS = [
    ("united-states", 40),
    ("state-inl", 25),
    ("usaid", 20),
    ("defense-department", 5),
    ("justice-department", 3),
    ("dea", 2),
    ("idb", 2),
    ("european-union", 2),
    ("world-bank", 1),
]
ACCOUNTS = [("INCLE", 55), ("ESF", 25), ("NADR", 8), ("FMF", 7), (None, 5)]
OBJECTIVES = [(1, 20), (2, 15), (3, 15), (4, 10), (5, 10), (None, 30)]
PROGRAM_SHARE = 0.3  # of line items name a program; the rest are not tied to one
CHUNK = 50_000


class SyntheticError(Exception):
    pass


@dataclass
class GenerateReport:
    created: int
    replaced: int
    used_copy: bool


def synthetic_source() -> Source:
    source, _ = Source.objects.get_or_create(
        key=SOURCE_KEY, defaults={**SOURCE_DEFAULTS, "published": f"{timezone.now():%Y-%m-%d}"}
    )
    return source


def real_data_counts() -> tuple[int, int]:
    """(real line items, reported figures): what a synthetic run would be mixed into."""
    return (
        Allocation.objects.exclude(source__key=SOURCE_KEY).count(),
        ReportedFigure.objects.count(),
    )


def load_reference_data() -> int:
    """Countries, organizations, accounts, sources, objectives and programs from fixtures/,
    where missing: what synthetic line items point to. Returns how many objects were added."""
    return load_fixtures(REFERENCE_ONLY)[0]


def _ids(model, key_field, weighted):
    ids = dict(model.objects.values_list(key_field, "pk"))
    missing = [key for key, _ in weighted if key is not None and key not in ids]
    if missing:
        raise SyntheticError(
            f"The reference data lacks {model._meta.verbose_name_plural}: {', '.join(map(str, missing))}."
        )
    return [ids[key] if key is not None else None for key, _ in weighted], [weight for _, weight in weighted]


def rows(count: int, seed: int, *, start: int = 1):
    """(fiscal_year, stage, cents, donor, account, country, objective, program, detail) tuples."""
    rng = random.Random(seed)
    columns = {
        "fiscal_year": ([year for year, _ in FISCAL_YEARS], [weight for _, weight in FISCAL_YEARS]),
        "stage": ([str(stage) for stage, _ in STAGES], [weight for _, weight in STAGES]),
        "donor": _ids(Organization, "slug", DONORS),
        "account": _ids(FundingAccount, "code", ACCOUNTS),
        "country": _ids(Country, "iso2", COUNTRIES),
        "objective": _ids(Objective, "number", OBJECTIVES),
    }
    program_ids = list(Program.objects.order_by("pk").values_list("pk", flat=True))
    done = 0
    while done < count:
        size = min(CHUNK, count - done)
        picked = {name: rng.choices(values, weights, k=size) for name, (values, weights) in columns.items()}
        for index in range(size):
            # Log-normal amounts: most line items are tens of thousands to a few million dollars.
            cents = max(10_000, min(int(rng.lognormvariate(16.0, 1.6)), 5_000_000_000))
            program = rng.choice(program_ids) if program_ids and rng.random() < PROGRAM_SHARE else None
            yield (
                picked["fiscal_year"][index],
                picked["stage"][index],
                cents,
                picked["donor"][index],
                picked["account"][index],
                picked["country"][index],
                picked["objective"][index],
                program,
                f"synthetic row {start + done + index}",
            )
        done += size


def generate(
    count: int,
    *,
    seed: int = 0,
    force: bool = False,
    replace: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> GenerateReport:
    """Add `count` synthetic line items, all citing the synthetic source.

    Refused when the database holds real line items or reported figures (unless `force`),
    or synthetic line items already (unless `replace`, which deletes them, with their history,
    first). Each row starts its change history, written in one INSERT … SELECT, so that a release
    holds it like any line item. On PostgreSQL they are written with COPY, elsewhere in batches.
    """
    if count < 1:
        raise SyntheticError("--allocations must be 1 or more.")
    real, figures = real_data_counts()
    if (real or figures) and not force:
        raise SyntheticError(
            f"This database holds real data ({real:,} line items, {figures:,} reported figures, "
            "as load_seed loads them); synthetic line items would be summed beside them. Use a "
            "database of its own (DATABASE_URL=…), or --force to add them anyway."
        )
    load_reference_data()
    source = synthetic_source()
    existing = Allocation.objects.filter(source=source)
    replaced = existing.count()
    if replaced and not replace:
        raise SyntheticError(
            f"This database holds {replaced:,} synthetic line items already. Use --replace to delete "
            "them and generate anew (same --seed, same rows)."
        )
    use_copy = connection.vendor == "postgresql" and hasattr(connection.connection, "cursor")
    with transaction.atomic():
        if replaced:
            # A plain DELETE: QuerySet.delete() would write a history row per deleted line item.
            # Synthetic rows are not data: their history goes with them.
            with connection.cursor() as cursor:
                for table in (Allocation._meta.db_table, Allocation.history.model._meta.db_table):
                    cursor.execute(f"DELETE FROM {table} WHERE source_id = %s", [source.pk])
        writer = _copy if use_copy else _bulk_create
        created = writer(rows(count, seed), source.pk, on_progress)
        _start_history(source.pk)
        if use_copy:
            # The triggers kept the subtotals exact batch by batch, each batch leaving a dead
            # version of every subtotal it touched; written afresh, the table is compact again.
            subtotals.rebuild()
    if use_copy:
        _analyze()
    return GenerateReport(created=created, replaced=replaced, used_copy=use_copy)


def _start_history(source_id) -> None:
    """The first version of every synthetic line item without one, as a seed load writes it."""
    history = Allocation.history.model._meta.db_table
    columns = ", ".join(field.column for field in Allocation._meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {history} ({columns}, history_date, history_type, history_change_reason) "
            f"SELECT {columns}, %s, '+', %s FROM {Allocation._meta.db_table} a WHERE a.source_id = %s "
            f"AND NOT EXISTS (SELECT 1 FROM {history} h WHERE h.id = a.id)",
            [timezone.now(), "Synthetic line items (generate_synthetic)", source_id],
        )


COPY_COLUMNS = [
    "fiscal_year",
    "stage",
    "amount",
    "donor_id",
    "account_id",
    "country_id",
    "objective_id",
    "program_id",
    "source_detail",
    "source_id",
    "note",
    "grade",
    "version",
    "created_at",
    "updated_at",
    # COPY writes no column default: each column without a database default is written here.
    "fiscal_year_basis",
    "as_of",
]


def _copy(generated, source_id, on_progress) -> int:
    now = timezone.now().isoformat()
    basis = Allocation._meta.get_field("fiscal_year_basis").default
    tail = f"\t{source_id}\t\t\t1\t{now}\t{now}\t{basis}\t\n"
    sql = f"COPY {Allocation._meta.db_table} ({', '.join(COPY_COLUMNS)}) FROM STDIN"
    written = 0
    buffer = io.StringIO()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the driver's own cursor, for COPY
        for index, (year, stage, cents, donor, account, country, objective, program, detail) in enumerate(
            generated, 1
        ):
            buffer.write(
                f"{year}\t{stage}\t{cents // 100}.{cents % 100:02d}\t{donor}\t{_null(account)}\t"
                f"{_null(country)}\t{_null(objective)}\t{_null(program)}\t{detail}{tail}"
            )
            if index % CHUNK == 0:
                written = _flush(raw, sql, buffer, index, on_progress)
                buffer = io.StringIO()
        if buffer.tell():
            written = _flush(raw, sql, buffer, index, on_progress)
    return written


def _flush(raw, sql, buffer, written, on_progress):
    buffer.seek(0)
    raw.copy_expert(sql, buffer)
    if on_progress:
        on_progress(written)
    return written


def _null(value):
    return r"\N" if value is None else value


def _bulk_create(generated, source_id, on_progress) -> int:
    written = 0
    batch = []
    for year, stage, cents, donor, account, country, objective, program, detail in generated:
        batch.append(
            Allocation(
                fiscal_year=year,
                stage=stage,
                amount=Decimal(cents) / 100,
                donor_id=donor,
                account_id=account,
                country_id=country,
                objective_id=objective,
                program_id=program,
                source_id=source_id,
                source_detail=detail,
            )
        )
        if len(batch) == 5000:
            Allocation.objects.bulk_create(batch, batch_size=1000)
            written += len(batch)
            batch = []
            if on_progress:
                on_progress(written)
    if batch:
        Allocation.objects.bulk_create(batch, batch_size=1000)
        written += len(batch)
        if on_progress:
            on_progress(written)
    return written


def _analyze():
    # Fresh statistics (and, outside a transaction, the visibility map that index-only
    # scans need) now rather than whenever autovacuum gets round to a million new rows.
    # The whole database: autovacuum never analyzes tables as small as the countries or
    # the sources, and without statistics the planner's guesses about them are costly.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
