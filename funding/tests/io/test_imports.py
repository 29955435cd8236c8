import io

import pytest

from funding.io.imports import ImportFileError, RowError, import_allocations, read_allocation_csv
from funding.models import Allocation

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
    assert report.errors == [
        RowError(
            2,
            "amount",
            '"12.3a": write it as dollars in the digits 0–9, at most two decimals after a point, no '
            "thousands separators: 2550319.00",
        )
    ]


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


# Malformed files: every defect is named with its line, and nothing is written -----------------


def _refused(text):
    before = Allocation.objects.count()
    report = run(text)
    assert not report.ok
    assert report.created == 0
    assert Allocation.objects.count() == before
    return [str(error) for error in report.errors]


def test_a_row_with_too_many_fields_is_refused_not_cut_short():
    # The note "Funds for police, courts" without quotes: three fields where one was meant.
    row = "2012,disbursed,1000.00,united-states,ESF,HN,3,,gao-13-771,test row,Funds for police, courts\n"
    assert _refused(HEADER + row) == [
        "line 2, row: 12 fields where the header names 11 columns "
        "(a comma inside a value needs quotes around the value)"
    ]


def test_a_row_with_too_few_fields_is_refused_not_filled_with_blanks():
    assert _refused(HEADER + GOOD_ROW + "2012,disbursed,1000.00,united-states\n") == [
        "line 3, row: 4 fields where the header names 11 columns "
        "(a comma inside a value needs quotes around the value)"
    ]


def test_a_quote_never_closed_does_not_swallow_the_rows_after_it():
    text = HEADER + '2012,disbursed,1000.00,united-states,ESF,HN,3,,gao-13-771,row 1,"Funds for\n' + GOOD_ROW
    with pytest.raises(ImportFileError, match=r"^Line 2: a quoted value is never closed"):
        run(text)


def test_a_header_naming_a_column_twice_is_refused():
    with pytest.raises(ImportFileError, match=r"column\(s\) named twice: note"):
        run(HEADER.strip() + ",note\n" + GOOD_ROW.strip() + ",second note\n")


def test_a_nul_character_is_a_row_error_not_a_database_error():
    assert _refused(HEADER + GOOD_ROW.replace("test table row 1", "test\x00row")) == [
        "line 2, source_detail: contains a NUL character (\\0), which no value can hold"
    ]


def test_a_field_over_the_csv_limit_is_a_line_numbered_error():
    long_note = "x" * 131_073
    with pytest.raises(ImportFileError, match=r"^Line 3: a field is longer than 131,072 characters"):
        run(HEADER + GOOD_ROW + GOOD_ROW.replace("row 1,", f"row 2,{long_note}"))


@pytest.mark.parametrize("amount", ["1e9", "1_000", "１００", "1,000", " 12.5.0", "+5", "0x10", "12.345"])
def test_amounts_must_be_plain_digits(amount):
    errors = _refused(HEADER + GOOD_ROW.replace("1000.00", f'"{amount}"'))
    assert errors[0].startswith(f'line 2, amount: "{amount.strip()}": write it as dollars in the digits 0–9')


@pytest.mark.parametrize("year", ["٢٠٠٨", "２００８", "2e3", "20_08", "12"])
def test_fiscal_years_must_be_four_plain_digits(year):
    assert _refused(HEADER + GOOD_ROW.replace("2012", year, 1)) == [
        f'line 2, fiscal_year: "{year}": write it as four digits 0–9, e.g. 2010'
    ]
