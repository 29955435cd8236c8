import io
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from funding.io.imports import IMPORT_COLUMNS, ImportFileError, import_allocations, read_allocation_csv

PROGRESS_EVERY = 5000


class Command(BaseCommand):
    help = (
        f"Import line items from a UTF-8 CSV file with the columns {', '.join(IMPORT_COLUMNS)}. "
        "Related objects are named by their keys: donor slug, account code, country ISO code, "
        "objective number, program slug, source key. Rows identical to a stored line item are "
        "skipped, so importing a file twice creates nothing the second time. "
        "All rows or none: one bad row and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file, or - to read standard input.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and report, but write nothing."
        )

    def handle(self, *args, file, dry_run, **options):
        text = self.read_text(file)
        # An estimate: a quoted field may span lines.
        expected = text.rstrip("\r\n").count("\n")
        show_progress = options["verbosity"] >= 1 and expected > PROGRESS_EVERY

        def on_progress(count):
            if show_progress and count % PROGRESS_EVERY == 0:
                self.stderr.write(f"validated {count:,} of ~{expected:,} rows")

        rows = read_allocation_csv(io.StringIO(text, newline=""))
        try:
            report = import_allocations(
                rows, dry_run=dry_run, on_progress=on_progress, reason=f"Imported from {file}"[:100]
            )
        except ImportFileError as error:
            raise CommandError(f"{file}: {error}") from error
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            bad_rows = len({error.line for error in report.errors})
            raise CommandError(
                f"{file}: nothing was written: {bad_rows:,} of {report.rows:,} "
                f"row{pluralize(report.rows)} could not be imported (errors above)."
            )
        if options["verbosity"] < 1:
            return
        read = f"{report.rows:,} row{pluralize(report.rows)} read"
        if dry_run:
            new = report.rows - report.unchanged
            self.stdout.write(
                f"{read}: {new:,} line item{pluralize(new)} would be created, "
                f"{report.unchanged:,} already stored (dry run: nothing written)."
            )
        else:
            self.stdout.write(
                f"{read}: {report.created:,} line item{pluralize(report.created)} created, "
                f"{report.unchanged:,} already stored."
            )

    def read_text(self, file):
        try:
            data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from error
        try:
            # utf-8-sig drops the byte-order mark that spreadsheet programs write.
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{file} is not UTF-8 text (byte {error.start + 1} cannot be read): "
                "save it as CSV UTF-8 and try again."
            ) from error
