from django.core.management.base import BaseCommand, CommandError

from funding.io.seed import SeedError, load_seed


class Command(BaseCommand):
    help = (
        "Load the CARSI seed data from fixtures/ (countries, organizations, objectives, programs, "
        "sources, reported figures, line items). Adds what is missing and never overwrites: "
        "running it twice changes nothing."
    )

    def handle(self, *args, **options):
        try:
            report = load_seed()
        except SeedError as error:
            raise CommandError(str(error)) from error
        allocations = report.allocations
        if options["verbosity"] < 1:
            return
        self.stdout.write(
            f"Seed data: {report.added} reference objects added, {report.present} already present; "
            f"{allocations.created} line items added, {allocations.unchanged} already present."
        )
        if report.translated:
            self.stdout.write(
                f"{report.translated} stored objects given their texts in another language "
                "(fixtures/translations/)."
            )
        for note in report.notes:
            self.stdout.write(note)
