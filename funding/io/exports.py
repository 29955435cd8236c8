"""CSV tables: one readable column per field, codes beside their names."""

from django.db import models

from core.formats import decimal_text
from funding.choices import STAGE_ORDER, Stage
from funding.dimensions import DIMENSIONS, related_dimensions

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
_CHUNK = 2000


def allocation_rows(queryset):
    """Rows of the filtered line items, fetched in chunks so that memory stays flat."""
    names = [column for column, _ in LINE_ITEM_COLUMNS]
    amount = names.index("amount")
    # An empty relation is named in the row where it is a place of its own (regional money).
    named_none = [
        (names.index(dimension.name), names.index(dimension.export_label_name), dimension.none_label)
        for dimension in related_dimensions()
        if dimension.none_label_in_rows
    ]
    for row in queryset.values_list(*(path for _, path in LINE_ITEM_COLUMNS)).iterator(chunk_size=_CHUNK):
        row = list(row)
        row[amount] = decimal_text(row[amount])
        for key, label, none_label in named_none:
            if row[key] is None:
                row[label] = none_label
        yield row


def totals_table(body: dict):
    columns = []
    for name in body["group_by"]:
        columns.append(name)
        if DIMENSIONS[name].label_name:
            columns.append(DIMENSIONS[name].label_name)
    columns += ["amount", "count"]
    rows = (
        [decimal_text(row["amount"]) if column == "amount" else row[column] for column in columns]
        for row in body["results"]
    )
    return columns, rows


def figure_cell(figure, column):
    """One column of REPORTED_FIGURE_COLUMNS: money as plain text, a related object as its key."""
    value = getattr(figure, column)
    if column == "amount":
        return decimal_text(value)
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
                decimal_text(result.line_item_sum),
                result.line_item_count,
                decimal_text(result.difference),
                decimal_text(result.difference_pct),
                result.verdict,
                *[decimal_text(result.other_stages.get(stage)) for stage in stages],
                result.explanation,
                " ".join(coverage.notes) if coverage else None,
                coverage.line_items_as_of if coverage else None,
                " ".join(result.disagreements),
                result.line_items_url,
            ]

    return header, rows()
