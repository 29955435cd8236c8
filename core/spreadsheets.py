"""Cells and files for spreadsheets: the one formula guard of every export, and CSV streamed row by row."""

import csv
import re
from collections.abc import Iterable
from itertools import chain, islice

from django.http import StreamingHttpResponse

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
    return "" if value is None else neutralize_formula(value)


class _Echo:
    def write(self, value):
        return value


# A UTF-8 byte-order mark: what Excel needs to read a CSV as UTF-8 ("FY2008–2011", not "FY2008â€“2011").
BOM = "\ufeff"


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
        yield (BOM if bom else "") + writer.writerow(header)
        for row in chain(first, rows):
            yield writer.writerow([csv_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
