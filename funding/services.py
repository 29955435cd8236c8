"""Writing line items in bulk: validate every row first, then write all of them or none."""

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from funding.models import Allocation, FundingAccount, Source
from partners.models import Country, Organization
from programs.models import Objective, Program

IMPORT_COLUMNS = [
    "fiscal_year",
    "stage",
    "amount",
    "donor",
    "account",
    "country",
    "objective",
    "program",
    "source",
    "source_detail",
    "note",
    "grade",
]
REQUIRED_COLUMNS = ["fiscal_year", "stage", "amount", "donor", "source"]

# column → (model, natural-key field, how the error names it)
_NATURAL_KEYS = {
    "donor": (Organization, "slug", "donor"),
    "account": (FundingAccount, "code", "account"),
    "country": (Country, "iso2", "country"),
    "objective": (Objective, "number", "objective"),
    "program": (Program, "slug", "program"),
    "source": (Source, "key", "source"),
}
_BATCH_SIZE = 1000


@dataclass(frozen=True)
class RowError:
    line: int  # line number in the file, the header being line 1
    column: str
    message: str

    def __str__(self):
        return f"line {self.line}, {self.column}: {self.message}"


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
    """The file as a whole cannot be read (no header, wrong columns)."""


def read_allocation_csv(lines: Iterable[str]) -> Iterable[tuple[int, dict]]:
    """(line number, row) pairs from CSV text, after checking the header."""
    reader = csv.DictReader(lines)
    header = [name.strip() for name in reader.fieldnames or []]
    if not header:
        raise ImportFileError("The file is empty: the first line must name the columns.")
    unknown = [name for name in header if name not in IMPORT_COLUMNS]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if unknown or missing:
        problems = []
        if missing:
            problems.append(f"missing column(s): {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column(s): {', '.join(unknown)}")
        raise ImportFileError(
            f"Line 1 (header): {'; '.join(problems)}. The columns are: {', '.join(IMPORT_COLUMNS)}."
        )
    reader.fieldnames = header
    for row in reader:
        yield (
            reader.line_num,
            {name: (value or "").strip() for name, value in row.items() if name is not None},
        )


@dataclass
class _Lookups:
    ids: dict[str, dict[str, int]]

    @classmethod
    def load(cls):
        return cls(
            {
                column: {str(key): pk for key, pk in model.objects.values_list(key_field, "pk")}
                for column, (model, key_field, _) in _NATURAL_KEYS.items()
            }
        )


def import_allocations(
    rows: Iterable[tuple[int, dict]],
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
    """
    report = ImportReport(dry_run=dry_run)
    lookups = _Lookups.load()
    candidates: dict[tuple, tuple[int, Allocation]] = {}
    for line, row in rows:
        report.rows += 1
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

    new = []
    existing = _existing_amounts({allocation.source_id for _, allocation in candidates.values()})
    for identity, (line, allocation) in candidates.items():
        if identity not in existing:
            new.append(allocation)
        elif existing[identity][1] == allocation.amount:
            report.unchanged += 1
        else:
            pk, amount = existing[identity]
            report.errors.append(
                RowError(
                    line,
                    "amount",
                    f"line item #{pk} already holds {amount} for this place in the source; "
                    f"edit it rather than importing {allocation.amount}",
                )
            )
    report.errors.sort(key=lambda error: error.line)
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        bulk_create_with_history(
            new, Allocation, batch_size=_BATCH_SIZE, default_user=user, default_change_reason=reason
        )
    report.created = len(new)
    return report


def _build(line: int, row: dict, lookups: _Lookups) -> tuple[Allocation | None, list[RowError]]:
    errors = []
    resolved = {}
    for column, (_, _, name) in _NATURAL_KEYS.items():
        value = row.get(column, "")
        if not value:
            if column in REQUIRED_COLUMNS:
                errors.append(RowError(line, column, f"missing {name}: every line item needs one"))
            resolved[f"{column}_id"] = None
            continue
        pk = lookups.ids[column].get(value)
        if pk is None:
            errors.append(RowError(line, column, f'unknown {name} "{value}"'))
        resolved[f"{column}_id"] = pk
    allocation = Allocation(
        fiscal_year=row.get("fiscal_year", ""),
        stage=row.get("stage", ""),
        amount=row.get("amount", ""),
        source_detail=row.get("source_detail", ""),
        note=row.get("note", ""),
        grade=row.get("grade", ""),
        **resolved,
    )
    try:
        # The model's own field validators: fiscal year range, positive amount with
        # at most two decimals, known stage and grade. Related rows were resolved above.
        allocation.clean_fields(exclude=list(_NATURAL_KEYS))
    except ValidationError as error:
        for column, messages in error.message_dict.items():
            value = row.get(column, "")
            errors.extend(RowError(line, column, f'"{value}": {message}') for message in messages)
    return (None, errors) if errors else (allocation, [])


def _identity(allocation: Allocation) -> tuple:
    return (
        allocation.source_id,
        allocation.source_detail,
        allocation.fiscal_year,
        allocation.stage,
        allocation.donor_id,
        allocation.account_id or 0,
        allocation.country_id or 0,
        allocation.objective_id or 0,
        allocation.program_id or 0,
    )


def _existing_amounts(source_ids: set[int]) -> dict[tuple, tuple[int, object]]:
    existing = {}
    rows = Allocation.objects.filter(source_id__in=source_ids).values_list(
        "pk",
        "amount",
        "source_id",
        "source_detail",
        "fiscal_year",
        "stage",
        "donor_id",
        "account_id",
        "country_id",
        "objective_id",
        "program_id",
    )
    for pk, amount, *identity in rows:
        identity[5:] = [value or 0 for value in identity[5:]]
        existing[tuple(identity)] = (pk, amount)
    return existing
