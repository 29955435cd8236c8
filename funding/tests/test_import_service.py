import io

import pytest

from funding.models import Allocation
from funding.services import ImportFileError, RowError, import_allocations, read_allocation_csv

pytestmark = pytest.mark.django_db

HEADER = "fiscal_year,stage,amount,donor,account,country,objective,program,source,source_detail,note\n"
GOOD_ROW = "2012,disbursed,1000.00,united-states,ESF,HN,3,,gao-13-771,test table row 1,\n"


def run(text, **options):
    return import_allocations(read_allocation_csv(io.StringIO(text)), **options)


def test_good_file_creates_its_line_items_and_reimporting_creates_nothing():
    text = HEADER + GOOD_ROW + "2012,disbursed,2000.00,united-states,ESF,GT,,,gao-13-771,test table row 2,\n"
    before = Allocation.objects.count()
    first = run(text)
    assert (first.ok, first.created, first.unchanged) == (True, 2, 0)
    second = run(text)
    assert (second.ok, second.created, second.unchanged) == (True, 0, 2)
    assert Allocation.objects.count() == before + 2


def test_one_bad_row_means_nothing_is_written_and_every_bad_row_is_reported():
    text = (
        HEADER
        + GOOD_ROW
        + "2012,disbursed,500,united-states,ESF,XX,,,gao-13-771,row 3,\n"
        + "2012,disbursed,12,3a,united-states,ESF,GT,,,gao-13-771,row 4,\n"
        + "12,promised,-5,united-states,ESF,GT,,,,row 5,\n"
    )
    before = Allocation.objects.count()
    report = run(text)
    assert report.created == 0
    assert Allocation.objects.count() == before
    by_place = {(error.line, error.column) for error in report.errors}
    assert (3, "country") in by_place
    assert {(5, "fiscal_year"), (5, "stage"), (5, "amount"), (5, "source")} <= by_place
    assert RowError(3, "country", 'unknown country "XX"') in report.errors
    assert RowError(5, "source", "missing source: every line item needs one") in report.errors


def test_unparseable_amount_names_the_amount():
    report = run(HEADER + "2012,disbursed,12.3a,united-states,ESF,GT,,,gao-13-771,row,\n")
    assert report.errors == [RowError(2, "amount", '"12.3a": “12.3a” value must be a decimal number.')]


def test_the_same_line_item_twice_in_a_file_is_an_error():
    report = run(HEADER + GOOD_ROW + GOOD_ROW)
    assert report.errors == [RowError(3, "row", "duplicates line 2: same line item twice")]


def test_another_amount_for_an_existing_line_item_is_an_error():
    existing = Allocation.objects.get(stage="appropriated", fiscal_year=2008, account__code="ESF")
    text = HEADER + (
        "2008,appropriated,26000000,united-states,ESF,,,,state-spend-plan-fy2012,"
        "Table: CARSI funding by fiscal year and account,\n"
    )
    report = run(text)
    assert [(error.line, error.column) for error in report.errors] == [(2, "amount")]
    assert f"line item #{existing.pk} already holds 25000000.00" in report.errors[0].message


def test_dry_run_writes_nothing():
    before = Allocation.objects.count()
    report = run(HEADER + GOOD_ROW, dry_run=True)
    assert (report.ok, report.created) == (True, 0)
    assert Allocation.objects.count() == before


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("", "The file is empty"),
        ("fiscal_year,stage,amount,donor\n", "missing column(s): source"),
        (HEADER.strip() + ",colour\n", "unknown column(s): colour"),
    ],
)
def test_bad_header_is_refused(header, message):
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(header)
