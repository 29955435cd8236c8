import argparse
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from funding.io.synthetic import SOURCE_KEY, SyntheticError, generate


def whole_number(minimum):
    # argparse names the option in front of the message: "argument --allocations: …".
    def parse(value):
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None or number < minimum:
            raise argparse.ArgumentTypeError(f"must be a whole number of {minimum} or more; got {value!r}.")
        return number

    return parse


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic line items for measuring the tracker at scale: spread over "
        "fiscal years, stages, countries, donors, accounts, objectives and programs, all citing the "
        f'source "{SOURCE_KEY}" (generated test data, never real figures). Refuses a database that '
        "holds the real seed data unless --force, and one that holds synthetic line items already "
        "unless --replace. The rows get no change history. Written with COPY on PostgreSQL. "
        "Adds N generated line items."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allocations",
            type=whole_number(1),
            required=True,
            metavar="N",
            help="How many line items to generate, e.g. 1000000.",
        )
        parser.add_argument(
            "--seed",
            type=whole_number(0),
            default=0,
            metavar="S",
            help="Random seed (a whole number, default 0): the same seed gives the same rows.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add the line items even though the database holds the real seed data.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the synthetic line items already in the database first.",
        )

    def handle(self, *args, allocations, seed, force, replace, **options):
        show = options["verbosity"] >= 1
        started = time.monotonic()

        def on_progress(written):
            if not show:
                return
            share = written / allocations
            bar = "#" * int(share * 30)
            rate = written / max(time.monotonic() - started, 1e-6)
            sys.stderr.write(
                f"\r[{bar:<30}] {written:,}/{allocations:,} line items ({rate:,.0f}/s)"
                + ("\n" if written >= allocations else "")
            )
            sys.stderr.flush()

        try:
            report = generate(allocations, seed=seed, force=force, replace=replace, on_progress=on_progress)
        except SyntheticError as error:
            raise CommandError(str(error)) from error
        if show:
            replaced = f" (replacing {report.replaced:,})" if report.replaced else ""
            how = "COPY" if report.used_copy else "bulk inserts"
            self.stdout.write(
                f"{report.created:,} synthetic line items created{replaced} with {how} "
                f"in {time.monotonic() - started:.1f} s."
            )
