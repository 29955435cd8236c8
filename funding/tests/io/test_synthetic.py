from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from rest_framework.test import APIClient

from funding.choices import Stage
from funding.io.synthetic import SOURCE_KEY, generate
from funding.models import Allocation, Disagreement, ReportedFigure
from sources.models import Source

pytestmark = pytest.mark.django_db

SEED_LINE_ITEMS = 54
URL = "/api/v1/allocations/"
TOTALS = "/api/v1/allocations/totals/"


def synthetic():
    return Allocation.objects.filter(source__key=SOURCE_KEY)


def test_refuses_a_database_with_the_seed_data():
    with pytest.raises(CommandError, match=r"holds real data \(54 line items, 26 reported figures.*--force"):
        call_command("generate_synthetic", allocations=200, verbosity=0)
    assert not synthetic().exists()
    assert not Source.objects.filter(key=SOURCE_KEY).exists()


def test_force_adds_synthetic_line_items_beside_the_seed():
    report = generate(200, seed=1, force=True)
    assert report.created == 200
    assert report.used_copy == (connection.vendor == "postgresql")
    assert synthetic().count() == 200
    assert Allocation.objects.exclude(source__key=SOURCE_KEY).count() == SEED_LINE_ITEMS
    source = Source.objects.get(key=SOURCE_KEY)
    assert source.title == "Synthetic line items: generated test data, not CARSI figures"
    # Each generated row starts its history, once, so that a release holds it.
    assert Allocation.history.filter(source_id=source.pk, history_type="+").count() == 200
    rows = list(synthetic().values("fiscal_year", "stage", "amount", "source_detail", "version"))
    assert {row["stage"] for row in rows} <= set(Stage.values)
    assert all(2008 <= row["fiscal_year"] <= 2015 for row in rows)
    assert all(row["amount"] >= Decimal("100.00") for row in rows)
    assert all(row["amount"] == row["amount"].quantize(Decimal("0.01")) for row in rows)
    assert all(row["version"] == 1 for row in rows)
    assert len({row["source_detail"] for row in rows}) == 200
    # Spread over the dimensions, regional money included.
    assert synthetic().filter(country__isnull=True).exists()
    assert synthetic().values("country").distinct().count() > 4
    assert synthetic().values("donor").distinct().count() > 3


def test_a_second_run_needs_replace_and_the_same_seed_gives_the_same_rows():
    call_command("generate_synthetic", allocations=200, seed=7, force=True, verbosity=0)
    first = sorted(synthetic().values_list("source_detail", "amount", "stage", "fiscal_year", "country_id"))
    with pytest.raises(CommandError, match=r"holds 200 synthetic line items already\. Use --replace"):
        call_command("generate_synthetic", allocations=200, seed=7, force=True, verbosity=0)
    assert synthetic().count() == 200
    call_command("generate_synthetic", allocations=200, seed=7, force=True, replace=True, verbosity=0)
    second = sorted(synthetic().values_list("source_detail", "amount", "stage", "fiscal_year", "country_id"))
    assert second == first
    assert Allocation.objects.count() == SEED_LINE_ITEMS + 200


def test_a_database_without_real_data_needs_no_force():
    Allocation.objects.all().delete()
    Disagreement.objects.all().delete()  # its sides hold on to the figures they compare
    ReportedFigure.objects.all().delete()
    call_command("generate_synthetic", allocations=200, verbosity=0)
    assert Allocation.objects.count() == synthetic().count() == 200


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--allocations", "0"], "argument --allocations: must be a whole number of 1 or more; got '0'"),
        (["--allocations", "lots"], "argument --allocations: must be a whole number of 1 or more"),
        (["--allocations", "10", "--seed", "-1"], "argument --seed: must be a whole number of 0 or more"),
        ([], "the following arguments are required: --allocations"),
    ],
)
def test_bad_options_are_named(argv, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_synthetic", *argv)
    assert not synthetic().exists()


@pytest.fixture
def thousand_line_items():
    generate(1000, seed=3, force=True)


@pytest.mark.parametrize("page_size", [10, 500])
def test_list_and_totals_queries_do_not_grow_with_page_size(
    thousand_line_items, django_assert_num_queries, page_size
):
    api = APIClient()
    # First the data version (core.responsecache); then
    # 1 the source key looked up; 2 COUNT(*) of the filtered set (a source filter is not one the
    # subtotals keep); 3 the page; 4 the six tables its rows name, in one query.
    with django_assert_num_queries(5):
        response = api.get(URL, {"source": "synthetic", "stage": "disbursed", "page_size": page_size})
    assert response.status_code == 200
    # First the data version (core.responsecache); then
    # 1 the source key looked up; 2 the grouped sums.
    with django_assert_num_queries(3):
        response = api.get(TOTALS, {"source": "synthetic", "group_by": "country,fiscal_year"})
    assert response.json()["total"]["count"] == 1000


def test_a_deep_page_holds_the_same_rows_as_an_offset_would(thousand_line_items):
    api = APIClient()
    response = api.get(URL, {"source": "synthetic", "ordering": "-amount", "page_size": 50, "page": 7})
    assert response.status_code == 200
    body = response.json()
    # Ties in the amount go by the default order, backwards like the amount.
    expected = list(
        synthetic().order_by("-amount", "-fiscal_year", "-stage", "-id").values_list("id", flat=True)[300:350]
    )
    assert [row["id"] for row in body["results"]] == expected
    assert body["count"] == 1000
