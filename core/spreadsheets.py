"""Cells and files for spreadsheets: the one formula guard of every export, CSV streamed row by row, and
XLSX written row by row (openpyxl's write-only mode) with numbers as numbers.

The guard and the CSV cell are also written in PostgreSQL's SQL (neutralize_formula_sql, csv_cell_sql),
for the CSV that the database writes itself (core.csv_copy): the same cells, byte for byte.
"""

import csv
import datetime
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, islice

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.formats import decimal_text

# What a spreadsheet reads as the start of a formula (OWASP's list, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def neutralize_formula(value):
    """A cell for a CSV or spreadsheet file: a text cell that would run as a formula is made inert
    with a leading ', as OWASP advises; numbers, and text that is just a number, are left alone.

    The one guard of every export: the API's CSV, the admin's CSV and XLSX.
    """
    if isinstance(value, str) and value[:1] in FORMULA_STARTS and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_cell(value):
    """A CSV cell: money with its two decimals, never quoted or prefixed; text through the guard."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return decimal_text(value)
    return neutralize_formula(value)


def neutralize_formula_sql(text: str, params: list) -> tuple[str, list]:
    """neutralize_formula of a text expression (its sql and params), in PostgreSQL's SQL."""
    # ascii() is the code of the first character (0 for '', NULL for NULL).
    starts = ", ".join(str(ord(character)) for character in FORMULA_STARTS)
    return (
        f"CASE WHEN ascii({text}) IN ({starts}) AND {text} !~ %s THEN %s || {text} ELSE {text} END",
        [*params, *params, f"^(?:{PLAIN_NUMBER.pattern})$", "'", *params, *params],
    )


_INTEGER_FIELDS = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}
_TEXT_FIELDS = {"CharField", "SlugField", "TextField"}


def csv_cell_sql(column: str, params: list, field) -> tuple[str, list]:
    """csv_cell of an expression (its sql and params) that holds `field`'s values, in PostgreSQL's SQL:
    the text that COPY … WITH (FORMAT csv) then writes as csv.writer writes csv_cell's cell.

    Raises TypeError for a type whose text in PostgreSQL is not the one csv_cell writes.
    """
    kind = field.get_internal_type()
    if kind in _INTEGER_FIELDS:
        return column, params
    if kind == "DecimalField" and field.decimal_places == 2:
        return column, params  # numeric(p, 2) is written with its two decimals, as decimal_text writes it
    if kind in _TEXT_FIELDS:
        guarded, params = neutralize_formula_sql(column, params)
        # COPY quotes an empty text ("") to tell it from NULL; csv_cell writes both as nothing.
        return f"NULLIF({guarded}, '')", params
    raise TypeError(f"No CSV cell in SQL for a {kind} ({field})")


class _Echo:
    def write(self, value):
        return value


# A UTF-8 byte-order mark: what Excel needs to read a CSV as UTF-8 ("FY2008–2011", not "FY2008â€“2011").
BOM = "\ufeff"


def csv_header(header: list[str], *, bom: bool = False) -> str:
    """The first line of a CSV download: the header row, after a byte-order mark if asked for."""
    return (BOM if bom else "") + csv.writer(_Echo()).writerow(header)


def csv_response(filename: str, content: Iterable) -> StreamingHttpResponse:
    """A CSV download of `filename`, its content streamed as it is made."""
    response = StreamingHttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def stream_csv(
    filename: str, header: list[str], rows: Iterable[Iterable], *, bom: bool = False
) -> StreamingHttpResponse:
    """A CSV download written row by row as the rows arrive, never held whole in memory.

    The first row is read before the answer starts: a database that fails is then a 503 (see
    core.middleware), not a "200 OK" file with a header and nothing under it. A failure
    later on breaks the HTTP/1.1 chunked stream, which every client reports as incomplete.
    """
    rows = iter(rows)
    first = list(islice(rows, 1))
    writer = csv.writer(_Echo())

    def lines():
        yield csv_header(header, bom=bom)
        for row in chain(first, rows):
            yield writer.writerow([csv_cell(value) for value in row])

    return csv_response(filename, lines())


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's limit: 1,048,576 rows a sheet, the header row among them.
XLSX_MAX_ROWS = 1_048_576
MONEY_FORMAT = '"$"#,##0.00'  # U.S. dollars, cents shown
DECIMAL_FORMAT = "0.00"
_WIDTH = {"min": 8, "max": 60}


class TooManyRows(ValueError):
    """More rows than a sheet holds: the caller answers with a message that points to CSV."""


@dataclass
class Sheet:
    """One sheet of a workbook: a header row, then rows of cells.

    Decimals are written as numbers, in the currency format in the `money` columns (by position) and
    with two decimals elsewhere; ints as numbers; text through the formula guard; None as an empty cell.
    """

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]
    money: set[int] = field(default_factory=set)


def _xlsx_value(value):
    """A value as a sheet stores it: numbers, dates and booleans as they are; anything else (a lazy
    translation, a key) as text, through the formula guard, without the control characters a sheet
    cannot hold."""
    if value is None or isinstance(value, bool | int | float | Decimal | datetime.date):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", neutralize_formula(str(value)))


def _xlsx_cell(sheet, value, number_format):
    value = _xlsx_value(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, Decimal):
        cell.number_format = number_format
    return cell


def _write_sheet(book, sheet: Sheet) -> int | None:
    """Writes the sheet; returns the row number that went beyond a sheet's rows, if one did."""
    worksheet = book.create_sheet(title=sheet.title[:31])  # Excel's limit on a sheet's name
    worksheet.freeze_panes = "A2"
    for number, name in enumerate(sheet.header, start=1):
        width = max(_WIDTH["min"], min(_WIDTH["max"], len(str(name)) + 4))
        worksheet.column_dimensions[get_column_letter(number)].width = width
    bold = Font(bold=True)
    header = []
    for name in sheet.header:
        cell = WriteOnlyCell(worksheet, value=_xlsx_value(str(name)))
        cell.font = bold
        header.append(cell)
    worksheet.append(header)
    formats = [
        MONEY_FORMAT if number in sheet.money else DECIMAL_FORMAT for number in range(len(sheet.header))
    ]
    for written, row in enumerate(sheet.rows, start=2):
        if written > XLSX_MAX_ROWS:
            return written  # the caller finishes the file, so openpyxl closes its writers, then refuses it
        worksheet.append(
            [
                _xlsx_cell(worksheet, value, number_format)
                for value, number_format in zip(row, formats, strict=True)
            ]
        )


def xlsx_response(filename: str, sheets: Iterable[Sheet]) -> FileResponse:
    """An XLSX download. openpyxl's write-only mode writes each row to disk as it comes, so memory stays
    flat however many rows there are; the finished file is then sent from disk in chunks.

    A sheet of more rows than Excel opens raises TooManyRows before anything is sent.
    """
    book = Workbook(write_only=True)
    beyond = None
    for sheet in sheets:
        beyond = _write_sheet(book, sheet)
        if beyond:
            break
    file = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it once sent
    try:
        book.save(file)
    except BaseException:
        file.close()
        raise
    if beyond:
        file.close()
        raise TooManyRows(beyond)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
