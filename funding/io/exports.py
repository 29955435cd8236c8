"""CSV tables: one readable column per field, codes beside their names."""

from funding.choices import STAGE_ORDER, Stage
from funding.dimensions import DIMENSIONS

# (column, path for values_list)
ALLOCATION_COLUMNS = [
    ("id", "id"),
    ("fiscal_year", "fiscal_year"),
    ("stage", "stage"),
    ("amount", "amount"),
    ("donor", "donor__slug"),
    ("donor_name", "donor__name"),
    ("account", "account__code"),
    ("account_name", "account__name"),
    ("country", "country__iso2"),
    ("country_name", "country__name"),
    ("objective", "objective__number"),
    ("objective_name", "objective__short_name"),
    ("program", "program__slug"),
    ("program_name", "program__name"),
    ("source", "source__key"),
    ("source_title", "source__title"),
    ("source_detail", "source_detail"),
    ("grade", "grade"),
    ("note", "note"),
]
_AMOUNT = [column for column, _ in ALLOCATION_COLUMNS].index("amount")
_COUNTRY_NAME = [column for column, _ in ALLOCATION_COLUMNS].index("country_name")
_COUNTRY = [column for column, _ in ALLOCATION_COLUMNS].index("country")
_CHUNK = 2000


def allocation_rows(queryset):
    """Rows of the filtered line items, fetched in chunks so that memory stays flat."""
    paths = [path for _, path in ALLOCATION_COLUMNS]
    for row in queryset.values_list(*paths).iterator(chunk_size=_CHUNK):
        row = list(row)
        row[_AMOUNT] = f"{row[_AMOUNT]:.2f}"
        if row[_COUNTRY] is None:
            row[_COUNTRY_NAME] = DIMENSIONS["country"].none_label
        yield row


def totals_table(body: dict):
    columns = []
    for name in body["group_by"]:
        columns.append(name)
        if name == "stage":
            columns.append("stage_name")
        elif DIMENSIONS[name].label_name:
            columns.append(DIMENSIONS[name].label_name)
    columns += ["amount", "count"]
    rows = (
        [f"{row['amount']:.2f}" if column == "amount" else row[column] for column in columns]
        for row in body["results"]
    )
    return columns, rows


def reconciliation_table(results):
    stages = sorted(Stage.values, key=STAGE_ORDER.__getitem__)
    header = [
        "key",
        "label",
        "source",
        "reported_amount",
        "qualifier",
        "stage",
        "donor",
        "fiscal_year_min",
        "fiscal_year_max",
        "as_of",
        "line_item_sum",
        "line_item_count",
        "difference",
        "difference_pct",
        "verdict",
        *[f"other_{stage}" for stage in stages],
        "explanation",
    ]

    def money(value):
        return "" if value is None else f"{value:.2f}"

    def rows():
        for result in results:
            figure = result.figure
            yield [
                figure.key,
                figure.label,
                figure.source.key,
                money(figure.amount),
                figure.qualifier,
                figure.stage,
                figure.donor.slug,
                figure.fiscal_year_min,
                figure.fiscal_year_max,
                figure.as_of,
                money(result.line_item_sum),
                result.line_item_count,
                money(result.difference),
                money(result.difference_pct),
                result.verdict,
                *[money(result.other_stages.get(stage)) for stage in stages],
                result.explanation,
            ]

    return header, rows()
