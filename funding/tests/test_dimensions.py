"""The registry of dimensions is the one place a dimension is declared: every surface knows each of them,
and a dimension added as one entry reaches all of them."""

import csv
import io

import django_filters
import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from core.filters import ChoicesFilter, IntegerFilter, NaturalKeyFilter
from funding.admin import AllocationAdmin, AllocationResource
from funding.api.serializers import AllocationSerializer, TotalsRowSerializer, _totals_row_fields
from funding.dimensions import DIMENSIONS, PIVOT_DIMENSIONS, SUBTOTAL_DIMENSIONS, Dimension, parse_group_by
from funding.io.exports import LINE_ITEM_COLUMNS, line_item_columns, totals_table
from funding.io.imports import IMPORT_COLUMNS, _import_columns
from funding.links import row_filters
from funding.models import Allocation, Subtotal
from funding.queries.filters import AllocationFilter, dimension_filters, ordering_fields
from funding.totals import totals_response
from funding.web.explorer import explore, filter_choices

pytestmark = pytest.mark.django_db

NAMES = list(DIMENSIONS)


def test_the_registry_names_each_dimension_of_a_line_item_once():
    assert NAMES == [
        "fiscal_year",
        "stage",
        "fiscal_year_basis",
        "donor",
        "agency",
        "account",
        "country",
        "objective",
        "program",
        "source",
    ]
    assert all(Allocation._meta.get_field(name) for name in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_every_surface_knows_every_dimension(name, client):
    dimension = DIMENSIONS[name]
    # A filter of the API, the totals, the CSV and the explorer, of the kind the field calls for.
    kind = NaturalKeyFilter if dimension.model else ChoicesFilter if dimension.choices else IntegerFilter
    assert isinstance(AllocationFilter.base_filters[name], kind)
    # Sorted by, grouped by, and summed in the totals, whose rows carry its key (and label).
    assert name in AllocationFilter.base_filters["ordering"].param_map
    assert parse_group_by(name) == [name]
    body = totals_response(Allocation.objects.all(), [name])
    assert all(name in row for row in body["results"])
    if dimension.label_name:
        assert all(dimension.label_name in row for row in body["results"])
    assert name in TotalsRowSerializer().fields
    # A totals row links to exactly its line items.
    row = body["results"][0]
    assert name in row_filters(row)
    # Written in the CSV, the admin export and the import, with its label where it has one.
    columns = [column for column, _ in LINE_ITEM_COLUMNS]
    assert name in columns and name in IMPORT_COLUMNS
    assert name in AllocationResource().get_export_headers()
    if dimension.model:
        assert dimension.export_label_name in columns
        assert dimension.export_label_name in AllocationSerializer().fields
    assert name in AllocationSerializer().fields
    # Offered by the explorer's form (a fiscal year has its own from/to inputs), and its pivot.
    context = explore(RequestFactory().get("/allocations/").GET)
    offered = {field["name"] for field in context["filter_fields"]}
    assert (name in offered) == (name != "fiscal_year")
    assert (name in dict(context["pivot_choices"])) == dimension.pivot
    # Filtered in the admin; kept by the subtotals if the registry says so.
    assert name in AllocationAdmin.list_filter
    assert (name in Subtotal.KEY) == dimension.in_subtotals
    # And the API answers a filter and a grouping by it.
    response = APIClient().get("/api/v1/allocations/totals/", {"group_by": name})
    assert response.status_code == 200


def test_the_subtotals_key_holds_exactly_the_dimensions_the_registry_keeps_there():
    assert set(Subtotal.KEY) == {dimension.name for dimension in SUBTOTAL_DIMENSIONS}
    assert PIVOT_DIMENSIONS == ["donor", "agency", "account", "country", "objective", "program", "source"]


@pytest.fixture
def grade_as_a_dimension():
    """A throwaway dimension: the line item's grade, added as one registry entry and nothing else."""
    DIMENSIONS["grade"] = Dimension("grade", "Grade", filter_help="Grades, comma-separated.", checkboxes=True)
    yield DIMENSIONS["grade"]
    del DIMENSIONS["grade"]


def test_one_registry_entry_makes_a_new_dimension_of_every_surface(grade_as_a_dimension):
    # Filtered: the generated filters take it, and a filter set built from them selects by it.
    filters = dimension_filters(DIMENSIONS.values())
    assert isinstance(filters["grade"], ChoicesFilter)
    assert ("grade", "grade") in ordering_fields(DIMENSIONS.values())
    filterset_class = type(
        "WithGrade", (django_filters.FilterSet,), {**filters, "Meta": AllocationFilter.Meta}
    )
    selected = filterset_class({"grade": "S"}, queryset=Allocation.objects.all()).qs
    assert selected.count() == 14  # the spend plan's 14 appropriations, graded S
    # Grouped, with its label, and sorted in the order of its choices.
    body = totals_response(Allocation.objects.all(), ["grade"])
    assert [(row["grade"], row["grade_name"], row["stage"]) for row in body["results"]][:2] == [
        ("V", "V — read in the source's own text", "allocated"),
        ("V", "V — read in the source's own text", "disbursed"),
    ]
    assert sum(row["count"] for row in body["results"]) == 54
    header, _ = totals_table(body)
    assert header == ["grade", "grade_name", "stage", "stage_name", "amount", "count"]
    # Linked, offered by the explorer as checkboxes, a pivot row, written and read in files, typed in JSON.
    assert row_filters({"grade": "V", "stage": "allocated"}) == {"stage": "allocated", "grade": "V"}
    assert filter_choices()["grade"][0] == ("V", "V — read in the source's own text")
    columns = [column for column, _ in line_item_columns()]
    assert columns.count("grade") == 1 and columns.index("grade") < columns.index("amount")
    assert _import_columns().index("grade") < _import_columns().index("amount")
    assert "grade" in _totals_row_fields() and "grade_name" in _totals_row_fields()
    assert grade_as_a_dimension.pivot


def test_the_csv_of_line_items_follows_the_registry():
    response = APIClient().get("/api/v1/allocations/?format=csv&country=regional&stage=allocated")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert list(rows[0]) == [column for column, _ in LINE_ITEM_COLUMNS]
    assert {row["country_name"] for row in rows} == {"Regional / no country"}
