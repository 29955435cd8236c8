"""The tables of the downloads (CSV and XLSX): one readable column per field, codes beside their names.

Cells keep their types: money is a Decimal, counts are ints. Each format writes them its way
(core.spreadsheets): plain "1675000.00" in a CSV, a number in the dollar format in XLSX.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import translation

from core.csv_copy import cells_select
from core.spreadsheets import Sheet
from funding.choices import STAGE_ORDER, Stage
from funding.dimensions import DIMENSIONS, related_dimensions
from funding.io.columns import header_in
from funding.totals import sort_key

# What a file says of a line item beyond its dimensions: where it stands in its source, how sure we
# are of it, a note, the year of the money's appropriation and the date the figure stands at.
LINE_ITEM_FACTS = ["source_detail", "grade", "note", "appropriation_year", "as_of"]


def line_item_columns() -> list[tuple[str, str]]:
    """(column, path) of a line item in a file: its id, fiscal year and stage, its amount, each other
    dimension's key with its label beside it, and where in the source it stands."""
    plain = [dimension for dimension in DIMENSIONS.values() if dimension.model is None]
    columns = [
        ("id", "id"),
        *((dimension.name, dimension.key_path) for dimension in plain),
        ("amount", "amount"),
    ]
    for dimension in related_dimensions():
        columns += [(dimension.name, dimension.key_path), (dimension.export_label_name, dimension.label_path)]
    return [*columns, *((name, name) for name in LINE_ITEM_FACTS if name not in DIMENSIONS)]


LINE_ITEM_COLUMNS = line_item_columns()
# A reported figure in a file: what it claims, about what, as of when, from where.
REPORTED_FIGURE_COLUMNS = [
    "key",
    "label",
    "amount",
    "qualifier",
    "stage",
    "donor",
    "scope",
    "country",
    "account",
    "agency",
    "fiscal_year_min",
    "fiscal_year_max",
    "fiscal_year_basis",
    "as_of",
    "source",
    "note",
]
# The money columns of the tables below (a currency format in XLSX); difference_pct is a percentage.
MONEY_COLUMNS = {
    "amount",
    "reported_amount",
    "line_item_sum",
    "difference",
    *(f"other_{stage}" for stage in Stage.values),
}
_CHUNK = 2000


def _named_none() -> list[tuple[int, int, str]]:
    """(key column, label column, label) of each relation that is named in a line item's row when it
    is empty, where it is a place of its own (regional money); the label in the default language,
    as every cell of a file is."""
    names = [column for column, _ in LINE_ITEM_COLUMNS]
    with translation.override(settings.LANGUAGE_CODE):
        return [
            (names.index(dimension.name), names.index(dimension.export_label_name), str(dimension.none_label))
            for dimension in related_dimensions()
            if dimension.none_label_in_rows
        ]


def allocation_rows(queryset):
    """Rows of the filtered line items, fetched in chunks so that memory stays flat."""
    named_none = _named_none()
    for row in queryset.values_list(*(path for _, path in LINE_ITEM_COLUMNS)).iterator(chunk_size=_CHUNK):
        row = list(row)
        for key, label, none_label in named_none:
            if row[key] is None:
                row[label] = none_label
        yield row


def allocation_cells_select(queryset) -> tuple[str, list]:
    """The cells of allocation_rows as one SELECT (sql, params), for the database to write the CSV
    itself (core.csv_copy)."""
    paths = [path for _, path in LINE_ITEM_COLUMNS]
    # The query made in the default language, as allocation_rows' is (core.i18n.in_default_language).
    with translation.override(settings.LANGUAGE_CODE):
        when_null = {label: (key, text) for key, label, text in _named_none()}
        return cells_select(queryset, paths, when_null=when_null)


def totals_table(body: dict):
    columns = []
    for name in body["group_by"]:
        columns.append(name)
        if DIMENSIONS[name].label_name:
            columns.append(DIMENSIONS[name].label_name)
    columns += ["amount", "count"]
    rows = ([row[column] for column in columns] for row in body["results"])
    return columns, rows


def figure_cell(figure, column):
    """One column of REPORTED_FIGURE_COLUMNS: a related object as its key."""
    value = getattr(figure, column)
    if isinstance(value, models.Model):
        return value.natural_key()[0]
    return value


def citations_text(figure) -> str:
    """A figure's citations in one cell: "gao-13-295r, page 1 (V); insight-crime-2012-03-07 (P)"."""
    return "; ".join(
        f"{citation.source.key}{', ' + citation.locator if citation.locator else ''} ({citation.grade})"
        for citation in figure.citations.all()
    )


def reconciliation_table(results):
    stages = sorted(Stage.values, key=STAGE_ORDER.__getitem__)
    figure_columns = [
        "reported_amount" if column == "amount" else column for column in REPORTED_FIGURE_COLUMNS
    ]
    header = [
        *figure_columns,
        "citations",
        "line_item_sum",
        "line_item_count",
        "difference",
        "difference_pct",
        "verdict",
        *[f"other_{stage}" for stage in stages],
        "explanation",
        "coverage_notes",
        "line_items_as_of",
        "disagreements",
        "line_items_url",
    ]

    def rows():
        for result in results:
            figure, coverage = result.figure, result.coverage
            yield [
                *(figure_cell(figure, column) for column in REPORTED_FIGURE_COLUMNS),
                citations_text(figure),
                result.line_item_sum,
                result.line_item_count,
                result.difference,
                result.difference_pct,
                result.verdict,
                *[result.other_stages.get(stage) for stage in stages],
                result.explanation,
                " ".join(coverage.notes) if coverage else None,
                coverage.line_items_as_of if coverage else None,
                " ".join(result.disagreements),
                result.line_items_url,
            ]

    return header, rows()


DISAGREEMENT_COLUMNS = [
    "key",
    "title",
    "status",
    "side",
    "label",
    "figure",
    "stage",
    "amount",
    "line_item_count",
    "difference",
    "difference_pct",
    "explanations",
    "note",
]


def disagreement_table(views):
    """One row per side of each disagreement (funding.queries.disagreements): what it says and its
    amount; the disagreement's difference and explanations repeated on each of its rows."""

    def rows():
        for view in views:
            disagreement = view.disagreement
            explanations = " ".join(
                f"{explanation.text} ({explanation.source.key}, {explanation.grade})"
                if explanation.source_id
                else explanation.text
                for explanation in disagreement.explanations.all()
            )
            for number, side in enumerate(view.sides, start=1):
                yield [
                    disagreement.key,
                    disagreement.title,
                    disagreement.status,
                    number,
                    side.label,
                    side.side.figure.key if side.side.figure_id else None,
                    side.stage,
                    side.amount,
                    side.count,
                    view.difference,
                    view.difference_pct,
                    explanations,
                    disagreement.note,
                ]

    return DISAGREEMENT_COLUMNS, rows()


def totals_grids(body: dict, language: str) -> list[Sheet]:
    """The totals as grids, for a spreadsheet: stages are never added, so

    - one dimension: its rows against the stages side by side (no total across them);
    - two dimensions: one sheet per stage, the first dimension's rows against the second's columns,
      with the row and column totals of that stage (sums of the database's group sums, exact).

    More dimensions, or none: no grid (the flat table says it all).
    """
    names = [name for name in body["group_by"] if name != "stage"]
    if len(names) == 1:
        return [_grid(body["results"], names[0], "stage", language, title="by stage", totals=False)]
    if len(names) == 2:
        stages = sorted({row["stage"] for row in body["results"]}, key=STAGE_ORDER.__getitem__)
        return [
            _grid([row for row in body["results"] if row["stage"] == stage], *names, language, title=stage)
            for stage in stages
        ]
    return []


def _grid(results, row_dimension: str, column_dimension: str, language: str, *, title: str, totals=True):
    rows_by_key, columns = {}, {}
    for result in results:
        rows_by_key.setdefault(result[row_dimension], result)
        columns.setdefault(result[column_dimension], result)
    # Columns in the dimension's own order: stages in pipeline order, years ascending, labels A to Z.
    column_keys = sorted(columns, key=lambda key: sort_key(columns[key], DIMENSIONS[column_dimension]))
    cells = {(result[row_dimension], result[column_dimension]): result["amount"] for result in results}
    label_name = DIMENSIONS[row_dimension].label_name
    column_label = DIMENSIONS[column_dimension].label_name
    header = header_in(language, [row_dimension, *([label_name] if label_name else [])])
    header += [str(columns[key][column_label]) if column_label else str(key) for key in column_keys]
    if totals:
        header.append(header_in(language, ["total"])[0])
    rows = []
    for key, first in rows_by_key.items():
        amounts = [cells.get((key, column)) for column in column_keys]
        row = [key, *([first[label_name]] if label_name else []), *amounts]
        if totals:
            row.append(sum((amount for amount in amounts if amount is not None), Decimal("0.00")))
        rows.append(row)
    if totals:
        per_column = [
            sum((cells.get((key, column)) or Decimal("0.00") for key in rows_by_key), Decimal("0.00"))
            for column in column_keys
        ]
        total_label = header_in(language, ["total"])[0]
        rows.append(
            [total_label, *([""] if label_name else []), *per_column, sum(per_column, Decimal("0.00"))]
        )
    leading = 2 if label_name else 1
    return Sheet(title, header, rows, money=set(range(leading, len(header))))
