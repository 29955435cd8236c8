import csv
import io
import itertools
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from funding.io.imports import IMPORT_COLUMNS
from funding.models import Allocation

pytestmark = pytest.mark.django_db

ROWS = 10_000
BAD_ROW = 7_000  # on line 7,001: the header is line 1
SEEDED_ALLOCATIONS = 54


def generated_rows():
    """10,000 distinct line items over keys in the seed data, none of them in it."""
    places = itertools.cycle(
        itertools.product(range(2008, 2013), ["allocated", "obligated"], ["INCLE", "ESF", "NADR", "FMF"])
    )
    countries = itertools.cycle(["GT", "HN", "SV", "NI", "CR", "PA", "BZ", ""])
    for number, (year, stage, account), country in zip(range(1, ROWS + 1), places, countries, strict=False):
        yield {
            "fiscal_year": year,
            "stage": stage,
            "amount": f"{1000 + number}.50",
            "donor": "united-states",
            "account": account,
            "country": country,
            "source": "gao-13-771",
            "source_detail": f"generated row {number}",
        }


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=IMPORT_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def good_file(tmp_path_factory):
    return write_csv(tmp_path_factory.mktemp("import") / "good.csv", generated_rows())


@pytest.fixture(scope="module")
def bad_file(tmp_path_factory):
    rows = list(generated_rows())
    rows[BAD_ROW - 1]["country"] = "XX"
    return write_csv(tmp_path_factory.mktemp("import") / "bad.csv", rows)


def run(*args):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_allocations", *map(str, args), stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_large_file_is_imported_and_importing_it_again_creates_nothing(good_file):
    stdout, stderr = run(good_file)
    assert stdout == "10,000 rows read: 10,000 line items created, 0 already stored.\n"
    assert stderr == "validated 5,000 of ~10,000 rows\nvalidated 10,000 of ~10,000 rows\n"
    assert Allocation.objects.count() == SEEDED_ALLOCATIONS + ROWS
    assert Allocation.objects.filter(source__key="gao-13-771", country__iso2="XX").count() == 0

    stdout, _ = run(good_file)
    assert stdout == "10,000 rows read: 0 line items created, 10,000 already stored.\n"
    assert Allocation.objects.count() == SEEDED_ALLOCATIONS + ROWS


def test_one_bad_row_in_a_large_file_means_nothing_is_written(bad_file):
    stderr = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_allocations", str(bad_file), stdout=io.StringIO(), stderr=stderr)
    assert str(raised.value) == (
        f"{bad_file}: nothing was written: 1 of 10,000 rows could not be imported (errors above)."
    )
    assert stderr.getvalue().splitlines()[-1] == 'line 7001, country: unknown country "XX"'
    assert Allocation.objects.count() == SEEDED_ALLOCATIONS


def test_dry_run_reports_what_it_would_create_and_writes_nothing(good_file):
    stdout, _ = run(good_file, "--dry-run")
    assert stdout == (
        "10,000 rows read: 10,000 line items would be created, 0 already stored (dry run: nothing written).\n"
    )
    assert Allocation.objects.count() == SEEDED_ALLOCATIONS


def test_file_with_byte_order_mark_imports(tmp_path):
    row = {"fiscal_year": "2012", "stage": "allocated", "amount": "1000.00", "donor": "united-states"}
    row |= {"account": "ESF", "country": "HN", "source": "gao-13-771", "source_detail": "bom row"}
    text = ",".join(IMPORT_COLUMNS) + "\n" + ",".join(row.get(column, "") for column in IMPORT_COLUMNS) + "\n"
    path = tmp_path / "bom.csv"
    path.write_bytes(text.encode("utf-8-sig"))
    stdout, stderr = run(path)
    assert (stdout, stderr) == ("1 row read: 1 line item created, 0 already stored.\n", "")
    assert Allocation.objects.count() == SEEDED_ALLOCATIONS + 1


def test_seed_file_is_already_stored():
    stdout, _ = run(Path(settings.BASE_DIR) / "fixtures" / "allocations.csv")
    assert stdout == "54 rows read: 0 line items created, 54 already stored.\n"


def test_missing_file_is_refused(tmp_path):
    missing = tmp_path / "missing.csv"
    with pytest.raises(CommandError, match=f"^Cannot read {missing}: No such file or directory.$"):
        run(missing)


def test_bad_header_is_refused(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("fiscal_year,stage,amount,donor,colour\n2012,allocated,1,united-states,red\n")
    with pytest.raises(CommandError) as raised:
        run(path)
    assert str(raised.value) == (
        f"{path}: Line 1 (header): missing column(s): source; unknown column(s): colour. "
        f"The columns are: {', '.join(IMPORT_COLUMNS)}."
    )
    assert Allocation.objects.count() == SEEDED_ALLOCATIONS


def test_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        "fiscal_year,stage,amount,donor,source,note\n2012,allocated,1,x,y,Petén\n".encode("latin-1")
    )
    with pytest.raises(CommandError, match=r"is not UTF-8 text \(byte 68 cannot be read\)"):
        run(path)


def test_a_file_the_csv_module_cannot_read_is_a_message_not_a_traceback(tmp_path):
    path = tmp_path / "oversize.csv"
    path.write_text(
        "fiscal_year,stage,amount,donor,source,note\n"
        + "2012,allocated,5.00,united-states,gao-13-771,fine\n"
        + f"2012,allocated,6.00,united-states,gao-13-771,{'x' * 200_000}\n"
    )
    with pytest.raises(CommandError) as raised:
        run(path)
    assert str(raised.value) == (
        f"{path}: Line 3: a field is longer than 131,072 characters; nothing after it can be read, "
        "so nothing was written."
    )
    assert Allocation.objects.count() == SEEDED_ALLOCATIONS


def test_a_nul_character_is_reported_by_line(tmp_path):
    path = tmp_path / "nul.csv"
    path.write_text(
        "fiscal_year,stage,amount,donor,source,note\n2012,allocated,5.00,united-states,gao-13-771,a\0b\n"
    )
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written: 1 of 1 row could not be imported"):
        call_command("import_allocations", str(path), stderr=stderr)
    assert "line 2, note: contains a NUL character" in stderr.getvalue()
    assert Allocation.objects.count() == SEEDED_ALLOCATIONS
