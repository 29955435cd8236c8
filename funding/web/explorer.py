"""The allocation explorer: the API's filters as a page, with sorting, paging and a pivot."""

from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from core.api.pagination import IdPagePaginator
from core.filters import split_values
from core.i18n import translated_fields
from core.querysets import read_together
from funding.choices import STAGE_ORDER
from funding.dimensions import DIMENSIONS, PIVOT_DIMENSIONS, related_dimensions
from funding.fiscal import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from funding.links import explorer_url, filter_query, row_url
from funding.models import ORDER, Allocation
from funding.queries import search
from funding.queries.coverage import caveats
from funding.queries.filters import AllocationFilter
from funding.queries.pages import with_named_rows
from funding.queries.subtotals import totals_queryset
from partners.models import territory_name

PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
SCALAR_FILTERS = ["fiscal_year", "fiscal_year_min", "fiscal_year_max", "amount_min", "amount_max", "search"]
# (ordering parameter, column heading)
SORTABLE_COLUMNS = [
    ("fiscal_year", _("Fiscal year")),
    ("stage", _("Stage")),
    ("amount", _("Amount")),
    ("country", _("Country")),
    ("account", _("Account")),
    ("program", _("Program")),
    ("donor", _("Donor")),
    ("source", _("Source")),
]
NUMERIC_COLUMNS = {"amount"}


def _with_line_items(queryset, field):
    """Only the objects some line item refers to (EXISTS: cheap on an indexed foreign key)."""
    return queryset.filter(Exists(Allocation.objects.filter(**{field: OuterRef("pk")})))


def _choice_label(dimension, row) -> str:
    if dimension.choice_label == "str":
        return str(row)
    if dimension.choice_label == "key":
        return str(getattr(row, dimension.model.NATURAL_KEY))
    # A country by its name in the reader's language (CLDR), other rows by their label.
    return getattr(row, "local_name", None) or getattr(row, dimension.model.LABEL_FIELD)


def choice_rows() -> dict[str, list]:
    """The rows the filter form offers for each related dimension (donors, countries…), read in one
    query: those some line item refers to, where the registry says so, else all."""
    dimensions = related_dimensions()
    querysets = [
        _with_line_items(dimension.model.objects.all(), dimension.name)
        if dimension.choices_in_use_only
        else dimension.model.objects.all()
        for dimension in dimensions
    ]
    return {
        dimension.name: rows for dimension, rows in zip(dimensions, read_together(*querysets), strict=True)
    }


def filter_choices(rows: dict[str, list] | None = None) -> dict:
    """What the filter form offers for each dimension (fiscal years aside), in the parameters' own
    values; of the related dimensions, `rows` (choice_rows())."""
    rows = choice_rows() if rows is None else rows
    choices = {dimension.name: dimension.choices for dimension in DIMENSIONS.values() if dimension.choices}
    for dimension in related_dimensions():
        options = [
            (str(getattr(row, dimension.model.NATURAL_KEY)), _choice_label(dimension, row))
            for row in rows[dimension.name]
        ]
        if dimension.none_value:
            # "Regional" heads a list of checkboxes; "none" ends a menu.
            none = [(dimension.none_value, dimension.none_label)]
            options = none + options if dimension.checkboxes else options + none
        choices[dimension.name] = options
    return choices


def _choice_language(dimension) -> str | None:
    """The language of a menu's labels when they are names people typed in English (organizations,
    accounts, source keys); None when the reader's language has them (countries, stages, programs)."""
    if dimension.model is None or hasattr(dimension.model, "local_name"):  # countries: CLDR's names
        return None
    if dimension.model.LABEL_FIELD in translated_fields(dimension.model):
        return None
    return settings.LANGUAGE_CODE


def filter_fields(choices: dict, selected: dict) -> list[dict]:
    """The filter form's fields, in the registry's order: the template renders what it is given."""
    return [
        {
            "name": name,
            "title": DIMENSIONS[name].title,
            "any": DIMENSIONS[name].any_label,
            "language": _choice_language(DIMENSIONS[name]),
            "none_value": DIMENSIONS[name].none_value,
            "choices": options,
            "selected": selected[name],
            "checkboxes": DIMENSIONS[name].checkboxes,
        }
        for name, options in choices.items()
    ]


@dataclass
class SortLink:
    heading: str
    url: str
    direction: str  # "ascending", "descending" or "" (for aria-sort)
    numeric: bool = False


def sort_links(querydict) -> list[SortLink]:
    current = split_values(querydict.getlist("ordering"))
    primary = current[0] if current else ""
    links = []
    for name, heading in SORTABLE_COLUMNS:
        if primary == name:
            direction, target = "ascending", f"-{name}"
        elif primary == f"-{name}":
            direction, target = "descending", name
        else:
            direction, target = "", f"-{name}" if name == "amount" else name
        query = querydict.copy()
        query.setlist("ordering", [target])
        query.pop("page", None)
        links.append(SortLink(heading, "?" + query.urlencode(), direction, name in NUMERIC_COLUMNS))
    return links


def page_size(querydict) -> int:
    try:
        asked = int(querydict.get("page_size", PAGE_SIZE))
    except ValueError:
        return PAGE_SIZE
    return min(max(asked, 1), MAX_PAGE_SIZE)


@dataclass
class Pivot:
    dimension: str
    stage: str
    years: list[int]
    rows: list[dict]  # {"key", "label", "cells": [(amount, url) per year], "total": (amount, url)}
    column_totals: list[tuple]
    total: tuple


def pivots(queryset, dimension: str, base_filters: dict) -> list[Pivot]:
    """Rows of one dimension against fiscal years, one table per stage (stages are never summed)."""
    grouped = queryset.totals([dimension, "fiscal_year"])
    per_row = queryset.totals([dimension])
    per_year = queryset.totals(["fiscal_year"])
    per_stage = queryset.totals()
    label_name = DIMENSIONS[dimension].label_name
    tables = []
    for stage in sorted({row["stage"] for row in grouped}, key=STAGE_ORDER.__getitem__):
        years = sorted({row["fiscal_year"] for row in grouped if row["stage"] == stage})
        cells = {(row[dimension], row["fiscal_year"]): row for row in grouped if row["stage"] == stage}
        rows = []
        for row in (row for row in per_row if row["stage"] == stage):
            key = row[dimension]
            rows.append(
                {
                    "key": key,
                    "label": territory_name(key, row[label_name])
                    if dimension == "country"
                    else (row[label_name] if label_name else key),
                    "cells": [_cell(cells.get((key, year)), base_filters) for year in years],
                    "total": _cell(row, base_filters),
                }
            )
        column_totals = [
            _cell(
                next((r for r in per_year if r["stage"] == stage and r["fiscal_year"] == year), None),
                base_filters,
            )
            for year in years
        ]
        stage_total = next(r for r in per_stage if r["stage"] == stage)
        tables.append(Pivot(dimension, stage, years, rows, column_totals, _cell(stage_total, base_filters)))
    return tables


def _cell(row, base_filters):
    if row is None:
        return (None, None)
    return (row["amount"], row_url(row, **base_filters))


DETAIL_PAGE_SIZE = 50


def detail_line_items(queryset, querydict, stage_totals, **filters) -> dict:
    """One page of a detail page's line items (country, program, objective, source), never all of them.

    `stage_totals` are the page's own sums per stage of the same line items: their counts give the
    number of rows without a COUNT(*). The rest are a link away, in the explorer.
    """
    paginator = IdPagePaginator(queryset.order_by(*ORDER), DETAIL_PAGE_SIZE, with_related=with_named_rows)
    paginator.count = sum(row["count"] for row in stage_totals)
    return {
        "line_items": paginator.get_page(querydict.get("page")),
        "line_items_explorer_url": explorer_url(**filters),
    }


def explore(querydict):
    """Everything the explorer page shows for a query string."""
    filterset = AllocationFilter(querydict, queryset=Allocation.objects.all())
    rows = choice_rows()
    context = {"filterset": filterset, "choices": filter_choices(rows), "sort_links": sort_links(querydict)}
    context["selected"] = {name: split_values(querydict.getlist(name)) for name in context["choices"]}
    context["filter_fields"] = filter_fields(context["choices"], context["selected"])
    context["fiscal_years"] = (MIN_FISCAL_YEAR, MAX_FISCAL_YEAR)
    if not filterset.is_valid():
        context["errors"] = filterset.errors
        return context
    queryset = filterset.qs
    context["stage_totals"] = totals_queryset(filterset).totals()
    # What the line items of each stage count; when none match, of the stages asked for, which says
    # why (appropriations, for one, are not itemized by country).
    context["none_match"] = not context["stage_totals"]
    context["caveats"] = caveats(
        context["selected"].get("stage", [])
        if context["none_match"]
        else [row["stage"] for row in context["stage_totals"]]
    )
    # The rows the page names are among those of the filter choices: no query for them.
    paginator = IdPagePaginator(
        queryset,
        page_size(querydict),
        page_keys=search.page_keys_of(filterset),
        with_related=partial(with_named_rows, rows=rows),
    )
    # The per-stage totals have counted the filtered set already: no second COUNT(*) over it.
    paginator.count = sum(row["count"] for row in context["stage_totals"])
    context["page"] = paginator.get_page(querydict.get("page"))
    # Links from pivot cells keep every filter; the cell itself fixes stage, year and dimension.
    base_filters = {
        name: ",".join(values) for name, values in context["selected"].items() if values and name != "stage"
    } | {name: querydict.get(name) for name in SCALAR_FILTERS if querydict.get(name)}
    context["base_filters"] = base_filters
    pivot = querydict.get("pivot")
    if pivot in PIVOT_DIMENSIONS:
        context["pivot"] = pivot
        context["pivot_title"] = DIMENSIONS[pivot].title
        context["pivot_language"] = _choice_language(DIMENSIONS[pivot])
        context["pivots"] = pivots(totals_queryset(filterset, [pivot, "fiscal_year"]), pivot, base_filters)
    context["pivot_choices"] = [(name, DIMENSIONS[name].title) for name in PIVOT_DIMENSIONS]
    query = querydict.copy()
    query.pop("page", None)
    context["query_without_page"] = query.urlencode()
    # The downloads of what the page shows: the line items, and the pivot (funding.templatetags.downloads).
    context["download_query"] = filter_query(querydict)
    if pivot in PIVOT_DIMENSIONS:
        context["pivot_download_query"] = "&".join(
            part for part in [context["download_query"], f"group_by={pivot},fiscal_year"] if part
        )
    return context
