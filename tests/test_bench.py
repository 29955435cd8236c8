"""The benchmark's code paths on a small data set: every case measured, no timing asserted."""

import os

import pytest
from django.db import connection

from bench import run
from funding.io.synthetic import generate
from funding.models import Allocation

pytestmark = pytest.mark.django_db

CASES = [
    "fixed cost: the five objectives",
    "totals by fiscal_year",
    "totals by country,fiscal_year, stage=disbursed",
    "allocation list, page 1, filtered",
    "allocation list, page {page}, filtered",
    "reconciliation",
    "dashboard page",
    "explorer page, filtered",
    "explorer page, search=Belize",
    # At 100 rows a page: unfiltered, each filter alone, each ordering, a deep page.
    "allocation list, page 1, no filter",
    "allocation list, stage=appropriated",
    "allocation list, country=GT",
    "allocation list, fiscal_year_min=2010&fiscal_year_max=2011",
    "allocation list, fiscal_year=2012",
    "allocation list, donor=usaid",
    "allocation list, account=ESF",
    "allocation list, agency=state-inl",
    "allocation list, objective=2",
    "allocation list, program=guatemala-aviation-program",
    "allocation list, source=synthetic",
    "allocation list, fiscal_year_basis=transaction",
    "allocation list, amount_min=1000000&amount_max=5000000",
    "allocation list, search=Belize",
    *(
        f"allocation list, ordering={ordering}"
        for ordering in (
            "-amount",
            "amount",
            "fiscal_year",
            "-fiscal_year",
            "stage",
            "fiscal_year_basis",
            "donor",
            "agency",
            "account",
            "country",
            "objective",
            "program",
            "source",
            "-id",
        )
    ),
    "allocation list, page {deep}, stage=appropriated",
    "explorer page, no filter",
    "country page GT",
    "program page guatemala-aviation-program",
    "objective page 2",
    "source page synthetic",
    "organization page usaid",
    *(f"{name}, at the latest release" for name in run.RELEASE_CASES),
    "CSV export, stage=appropriated",
]


@pytest.fixture
def line_items():
    generate(400, seed=5, force=True)


def test_every_case_is_measured_and_tabled(line_items):
    page = run.deep_page()
    deep = max(1, min(500, -(-Allocation.objects.filter(stage="appropriated").count() // 100)))
    results = run.run(repetitions=2)
    assert [result.name for result in results] == [name.format(page=page, deep=deep) for name in CASES]
    for result in results:
        assert result.status == 200, result.name
        assert len(result.app_ms) == len(result.sql_ms) >= 2
        assert all(ms > 0 for ms in result.app_ms + result.sql_ms)
        assert result.ratio > 0
        # Reading a release: the release looked up, and on PostgreSQL search_path set and reset (and
        # once per connection its schema found); on SQLite a temporary view per table made and dropped.
        switching = (60 if connection.vendor == "sqlite" else 4) if run.AT_RELEASE in result.name else 0
        assert 1 <= result.queries <= 20 + switching, result.name
        assert len(result.extra["sql"]) == result.queries
    csv = results[-1]
    assert csv.rows == Allocation.objects.filter(stage="appropriated").count()
    assert csv.extra["tracemalloc_mb"] > 0
    table = [
        [cell.strip() for cell in line.split("|")[1:-1]] for line in run.format_table(results).splitlines()
    ]
    assert table[0] == [
        "endpoint",
        "app ms (median / p95)",
        "SQL ms (median / p95)",
        "ratio",
        "queries",
        "status",
        "same sums over line items, SQL ms",
    ]
    for cells, result in zip(table[2:], results, strict=True):
        assert cells[0].startswith(result.name)
        assert cells[4] == str(result.queries)
        # The cases the subtotals answer show what the same sums cost over the line items.
        assert bool(cells[6]) == (result.scan_ms is not None)
    assert {result.name for result in results if result.scan_ms} == {
        "allocation list, page 1, filtered",
        f"allocation list, page {page}, filtered",
        "totals by fiscal_year",
        "totals by country,fiscal_year, stage=disbursed",
        "reconciliation",
        "dashboard page",
        "explorer page, filtered",
        "explorer page, search=Belize",
        "allocation list, search=Belize",
        "program page guatemala-aviation-program",
        "objective page 2",
    }
    assert len(table) == 2 + len(CASES)


def test_the_deep_page_exists_whatever_the_size(line_items):
    page = run.deep_page()
    matching = Allocation.objects.filter(
        stage="disbursed", country__iso2="GT", fiscal_year__gte=2009, fiscal_year__lte=2011
    ).count()
    assert page == max(1, min(500, -(-matching // 50)))


def test_csv_memory_is_measured_while_the_export_streams(line_items):
    memory = run.export_memory_child("/api/v1/allocations/", {"stage": "appropriated", "format": "csv"})
    assert memory["rows"] == Allocation.objects.filter(stage="appropriated").count()
    assert memory["rss_peak_mb"] >= memory["rss_before_mb"] > 0


@pytest.mark.parametrize("label, url, params", [export for export in run.EXPORTS if "every" not in export[0]])
def test_every_download_the_bench_measures_answers(line_items, label, url, params):
    memory = run.export_memory_child(url, params)
    assert memory["status"] == 200, label
    assert memory["bytes"] > 0 and memory["seconds"] >= memory["first_byte_seconds"]


def test_the_bench_refuses_sqlite_before_touching_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///bench.sqlite3")
    debug = os.environ.get("DJANGO_DEBUG")
    with pytest.raises(SystemExit) as exit_info:
        run.main(["--allocations", "100"])
    assert exit_info.value.code == 2
    assert "set DATABASE_URL to a PostgreSQL database" in capsys.readouterr().err
    assert os.environ.get("DJANGO_DEBUG") == debug


def test_the_bench_refuses_a_bad_size(capsys):
    with pytest.raises(SystemExit):
        run.main(["--allocations", "0"])
    assert "--allocations and --repetitions must be 1 or more" in capsys.readouterr().err
