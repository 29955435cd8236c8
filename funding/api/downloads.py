"""The API's downloads: a table as CSV (streamed) or XLSX (numbers as numbers), with the header row in the
language asked for (?lang=), and the parameters that describe them in the schema."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.exceptions import ValidationError

from core.api.renderers import spreadsheet_format
from core.csv_copy import copy_csv
from core.i18n import DOWNLOAD_PARAMETER, download_language, in_default_language
from core.spreadsheets import XLSX_CONTENT_TYPE, XLSX_MAX_ROWS, Sheet, TooManyRows, stream_csv, xlsx_response
from funding.io.columns import header_in
from funding.io.exports import MONEY_COLUMNS

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv", "xlsx"],
    description="csv: the whole filtered set (not one page) as a streamed CSV download; xlsx: the same as an "
    "Excel workbook, numbers as numbers (at most 1,048,575 rows: beyond that, use csv).",
)
BOM_PARAMETER = OpenApiParameter(
    "bom",
    OpenApiTypes.STR,
    enum=["1", "0"],
    description="With format=csv: 1 starts the file with a UTF-8 byte-order mark, so that Excel reads it "
    "as UTF-8.",
)
LANGUAGE_PARAMETER = OpenApiParameter(
    DOWNLOAD_PARAMETER,
    OpenApiTypes.STR,
    enum=["en", "es"],
    description="With format=csv or xlsx: the language of the header row (en unless given); the cells are "
    "the same in either.",
)
DOWNLOAD_PARAMETERS = [FORMAT_PARAMETER, LANGUAGE_PARAMETER, BOM_PARAMETER]


def download_responses(json_response) -> dict:
    """A 200 that is JSON, or with ?format= a CSV or XLSX file (described as what it is)."""
    return {
        (200, "application/json"): json_response,
        (200, "text/csv"): OpenApiResponse(
            OpenApiTypes.STR, description="With format=csv: a CSV file, a header row, then one row per item."
        ),
        (200, XLSX_CONTENT_TYPE): OpenApiResponse(
            OpenApiTypes.BINARY, description="With format=xlsx: an Excel workbook (Office Open XML)."
        ),
    }


def csv_bom(request) -> bool:
    """?bom=1: the CSV starts with a byte-order mark (for Excel); anything but 1 or 0 is a 400."""
    value = request.query_params.get("bom", "0")
    if value not in ("0", "1"):
        raise ValidationError(
            {
                "bom": [
                    _("Give 1 for a byte-order mark (for Excel) or 0 for none; got %(value)r.")
                    % {"value": value}
                ]
            }
        )
    return value == "1"


def header_language(request) -> str:
    """The header language of a download (?lang=), or a 400 naming the parameter."""
    try:
        return download_language(request)
    except ValueError as error:
        raise ValidationError({DOWNLOAD_PARAMETER: [str(error)]}) from None


def too_many_rows(count: int) -> ValidationError:
    return ValidationError(
        {
            "format": [
                _(
                    "%(count)s rows are more than an XLSX sheet holds (%(limit)s under its header row). "
                    "Ask for format=csv, or filter the rows down."
                )
                % {"count": f"{count:,}", "limit": f"{XLSX_MAX_ROWS - 1:,}"}
            ]
        }
    )


def refuse_beyond_excel(request, count) -> None:
    """An XLSX download of more rows than a sheet holds is a 400 before anything is written. `count`
    counts the rows; it is called for XLSX only (a CSV has no limit and costs no count)."""
    if spreadsheet_format(request) == "xlsx" and (rows := count()) > XLSX_MAX_ROWS - 1:
        raise too_many_rows(rows)


def table_download(request, name: str, header: list[str], rows, *, sheets=()):
    """The table as the download the request asks for: `name`.csv, or `name`.xlsx with `sheets` after it.

    `header` holds the column names in English; the cells are made in the default language.
    """
    language = header_language(request)
    if spreadsheet_format(request) == "csv":
        return stream_csv(
            f"{name}.csv", header_in(language, header), in_default_language(rows), bom=csv_bom(request)
        )
    first = Sheet(name, header_in(language, header), in_default_language(rows), money_columns(header))
    try:
        return xlsx_response(f"{name}.xlsx", [first, *sheets])
    except TooManyRows as error:
        raise too_many_rows(error.args[0] - 1) from None


def copied_csv_download(request, name: str, header: list[str], select: tuple[str, list], *, using: str):
    """table_download's CSV of the rows of `select` (core.csv_copy.cells_select), written by PostgreSQL."""
    return copy_csv(
        f"{name}.csv", header_in(header_language(request), header), select, bom=csv_bom(request), using=using
    )


def money_columns(header: list[str]) -> set[int]:
    return {number for number, column in enumerate(header) if column in MONEY_COLUMNS}
