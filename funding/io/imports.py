"""Writing line items in bulk: validate every row first, then write all of them or none."""

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from simple_history.utils import bulk_create_with_history

from core.db import run_in_transaction
from funding.choices import FiscalYearBasis
from funding.dimensions import DIMENSIONS, related_dimensions
from funding.io.exports import LINE_ITEM_FACTS
from funding.models import Allocation, Coverage, identity_attnames, identity_of
from funding.queries.subtotals import lock_subtotals, subtotal_key


def _import_columns() -> list[str]:
    """The file's columns: each plain dimension (fiscal year, stage…), the amount, each other dimension's
    key, and what else a file says of a line item (where in its source, grade, note, dates)."""
    plain = [dimension.name for dimension in DIMENSIONS.values() if dimension.model is None]
    related = [dimension.name for dimension in related_dimensions()]
    return [*plain, "amount", *related, *(name for name in LINE_ITEM_FACTS if name not in plain)]


IMPORT_COLUMNS = _import_columns()
# A related dimension is required where the line item must have one (a donor, a source).
REQUIRED_COLUMNS = [
    name
    for name in IMPORT_COLUMNS
    if name == "amount"
    or (name in DIMENSIONS and not DIMENSIONS[name].field.null and not DIMENSIONS[name].field.has_default())
]
_BATCH_SIZE = 1000


@dataclass(frozen=True)
class RowError:
    line: int | None  # line number in the file, the header being line 1; None: the file as a whole
    column: str
    message: str

    def __str__(self):
        where = f"line {self.line}, {self.column}" if self.line is not None else self.column
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


class ImportFileError(Exception):
    """The file as a whole cannot be read (no header, wrong columns, broken quoting)."""


# What the README promises and nothing looser: Python would also take "1e9", "1_000", "１００" or "٢٠٠٨".
PLAIN_YEAR = re.compile(r"[0-9]{4}")
PLAIN_AMOUNT = re.compile(r"[0-9]+(\.[0-9]{1,2})?")
MAX_FIELD_CHARACTERS = 131_072  # the csv module's own limit, named in the message


def read_allocation_csv(lines: Iterable[str]) -> Iterable[tuple[int, dict | RowError]]:
    """(line number, row) pairs from CSV text, after checking the header.

    A row that cannot be read as the header's columns (too many fields, too few) comes as a
    RowError instead of a row, so that every such row is reported; broken quoting (a quote never
    closed swallows the rows after it) makes the rest of the file unreadable: ImportFileError.
    """
    reader = csv.reader(lines, strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
    except csv.Error as error:
        raise ImportFileError(f"Line 1 (header): {_csv_problem(error)}") from None
    if not any(header):
        raise ImportFileError("The file is empty: the first line must name the columns.")
    repeated = sorted({name for name in header if header.count(name) > 1})
    unknown = [name for name in header if name not in IMPORT_COLUMNS]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if unknown or missing or repeated:
        problems = []
        if missing:
            problems.append(f"missing column(s): {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column(s): {', '.join(unknown)}")
        if repeated:
            problems.append(f"column(s) named twice: {', '.join(repeated)}")
        raise ImportFileError(
            f"Line 1 (header): {'; '.join(problems)}. The columns are: {', '.join(IMPORT_COLUMNS)}."
        )
    end_of_last = reader.line_num
    while True:
        line = end_of_last + 1  # where this row starts; a quoted field may run over several lines
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportFileError(
                f"Line {line}: {_csv_problem(error)}; nothing after it can be read, so nothing was written."
            ) from None
        end_of_last = reader.line_num
        if not values:
            continue  # a blank line
        if len(values) != len(header):
            yield (
                line,
                RowError(
                    line,
                    "row",
                    f"{len(values)} fields where the header names {len(header)} columns "
                    "(a comma inside a value needs quotes around the value)",
                ),
            )
            continue
        yield line, {name: value.strip() for name, value in zip(header, values, strict=True)}


def _csv_problem(error: csv.Error) -> str:
    message = str(error)
    if "field larger than field limit" in message:
        return f"a field is longer than {MAX_FIELD_CHARACTERS:,} characters"
    if "unexpected end of data" in message:
        return 'a quoted value is never closed (a " with no closing ")'
    return f"the CSV cannot be read ({message})"


@dataclass
class _Lookups:
    ids: dict[str, dict[str, int]]
    coverage: dict[tuple[int, str], tuple[str, str]]  # (source id, stage) → (fiscal-year basis, as of)

    @classmethod
    def load(cls):
        return cls(
            coverage={
                (source_id, stage): (basis, as_of)
                for source_id, stage, basis, as_of in Coverage.objects.values_list(
                    "source_id", "stage", "fiscal_year_basis", "as_of"
                )
            },
            ids={
                dimension.name: {
                    str(key): pk
                    for key, pk in dimension.model.objects.values_list(dimension.model.NATURAL_KEY, "pk")
                }
                for dimension in related_dimensions()
            },
        )


def import_allocations(
    rows: Iterable[tuple[int, dict | RowError]],
    *,
    dry_run: bool = False,
    on_progress: Callable[[int], None] | None = None,
    reason: str = "Imported from a file",
    user=None,
) -> ImportReport:
    """Validate every (line, row) pair and, if none is bad and this is no dry run, create the new line items.

    A row identical to a line item already stored (same place in the same source, same
    amount) is counted as unchanged, so importing a file twice creates nothing the
    second time. A row that would give an existing line item another amount is an error.
    Each new line item starts its change history with `reason` and `user`.

    Two imports of the same sources at once take turns: the second one compares its rows with
    what the first stored, so it reports them as already stored rather than failing.
    """
    report = ImportReport(dry_run=dry_run)
    lookups = _Lookups.load()
    candidates: dict[tuple, tuple[int, Allocation]] = {}
    for line, row in rows:
        report.rows += 1
        if isinstance(row, RowError):
            report.errors.append(row)
            continue
        allocation, errors = _build(line, row, lookups)
        if errors:
            report.errors.extend(errors)
        else:
            identity = _identity(allocation)
            if identity in candidates:
                report.errors.append(
                    RowError(line, "row", f"duplicates line {candidates[identity][0]}: same line item twice")
                )
            else:
                candidates[identity] = (line, allocation)
        if on_progress is not None:
            on_progress(report.rows)
    if report.errors:
        report.errors.sort(key=_error_order)
        return report
    if dry_run:
        _, report.unchanged, report.errors = _compare_with_stored(candidates)
        return report

    def write():
        _lock_sources({allocation.source_id for _, allocation in candidates.values()})
        new, unchanged, errors = _compare_with_stored(candidates)
        if errors:
            return 0, unchanged, errors
        lock_subtotals([subtotal_key(allocation) for allocation in new])
        for allocation in new:  # a run again after a conflict starts from unsaved rows
            allocation.pk, allocation._state.adding = None, True
        bulk_create_with_history(
            new, Allocation, batch_size=_BATCH_SIZE, default_user=user, default_change_reason=reason
        )
        return len(new), unchanged, []

    try:
        report.created, report.unchanged, report.errors = run_in_transaction(write)
    except IntegrityError:
        # Someone stored one of these line items another way (the admin, the API) meanwhile.
        report.errors = [
            RowError(
                None,
                "file",
                "a line item of this file was stored by someone else while it was being imported; "
                "nothing was written: import it again to see which rows are already stored",
            )
        ]
    return report


def _compare_with_stored(candidates) -> tuple[list[Allocation], int, list[RowError]]:
    """The rows not stored yet, how many are stored already, and rows that would change a stored amount."""
    new, unchanged, errors = [], 0, []
    existing = _existing_amounts({allocation.source_id for _, allocation in candidates.values()})
    for identity, (line, allocation) in candidates.items():
        if identity not in existing:
            new.append(allocation)
        elif existing[identity][1] == allocation.amount:
            unchanged += 1
        else:
            pk, amount = existing[identity]
            errors.append(
                RowError(
                    line,
                    "amount",
                    f"line item #{pk} already holds {amount} for this place in the source; "
                    f"edit it rather than importing {allocation.amount}",
                )
            )
    return new, unchanged, sorted(errors, key=_error_order)


def _error_order(error: RowError):
    return (error.line is not None, error.line or 0)


# The first key of the advisory lock an import holds on each source it writes (see _lock_sources).
IMPORT_LOCK_CLASS = 0x5CA752


def _lock_sources(source_ids) -> None:
    """Hold, until the import commits, a lock per source it writes line items of (PostgreSQL; SQLite
    lets one transaction write at a time anyway)."""
    if connection.vendor != "postgresql" or not source_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT pg_advisory_xact_lock({IMPORT_LOCK_CLASS}, id) FROM unnest(%s::int[]) id ORDER BY id",
            [sorted(source_ids)],
        )


def _build(line: int, row: dict, lookups: _Lookups) -> tuple[Allocation | None, list[RowError]]:
    errors = [
        RowError(line, column, "contains a NUL character (\\0), which no value can hold")
        for column, value in row.items()
        if "\x00" in value
    ]
    if errors:
        return None, errors
    resolved = {}
    for dimension in related_dimensions():
        column, attname = dimension.name, dimension.field.attname
        value = row.get(column, "")
        if not value:
            if column in REQUIRED_COLUMNS:
                errors.append(RowError(line, column, f"missing {column}: every line item needs one"))
            resolved[attname] = None
            continue
        pk = lookups.ids[column].get(value)
        if pk is None:
            errors.append(RowError(line, column, f'unknown {column} "{value}"'))
        resolved[attname] = pk
    for column, pattern, form in [
        ("fiscal_year", PLAIN_YEAR, "four digits 0–9, e.g. 2010"),
        ("appropriation_year", PLAIN_YEAR, "four digits 0–9, e.g. 2008"),
        (
            "amount",
            PLAIN_AMOUNT,
            "dollars in the digits 0–9, at most two decimals after a point, no thousands separators: "
            "2550319.00",
        ),
    ]:
        value = row.get(column, "")
        if value and not pattern.fullmatch(value):
            errors.append(RowError(line, column, f'"{value}": write it as {form}'))
    related = {dimension.name for dimension in related_dimensions()}
    values = {name: row.get(name, "") for name in IMPORT_COLUMNS if name not in related}
    values["appropriation_year"] = values["appropriation_year"] or None
    # What the row leaves empty of the fiscal year's meaning and the date, the coverage its source
    # declares for the stage says (GAO's disbursement tables: year of disbursement, 30 September 2011).
    declared = lookups.coverage.get((resolved["source_id"], values["stage"]))
    if not values["fiscal_year_basis"]:
        values["fiscal_year_basis"] = declared[0] if declared else FiscalYearBasis.APPROPRIATION
    if not values["as_of"] and declared:
        values["as_of"] = declared[1]
    allocation = Allocation(**values, **resolved)
    try:
        # The model's own field validators: fiscal year range, positive amount with
        # at most two decimals, known stage and grade, lengths. Related rows were resolved above.
        allocation.clean_fields(exclude=[*related, *(error.column for error in errors)])
    except ValidationError as error:
        for column, messages in error.message_dict.items():
            value = row.get(column, "")
            errors.extend(RowError(line, column, f'"{value}": {message}') for message in messages)
    return (None, errors) if errors else (allocation, [])


def _identity(allocation: Allocation) -> tuple:
    return identity_of(vars(allocation))


def _existing_amounts(source_ids: set[int]) -> dict[tuple, tuple[int, object]]:
    rows = Allocation.objects.filter(source_id__in=source_ids).values("pk", "amount", *identity_attnames())
    return {identity_of(row): (row["pk"], row["amount"]) for row in rows}
