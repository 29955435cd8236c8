from django.core.management.base import BaseCommand, CommandError

from releases.publish import NothingToPublish, publish


class Command(BaseCommand):
    help = (
        "Publish a release: the data as it stands now, named by date (2026-12-01.1), with a note and "
        "the SHA-256 of its bundle. Prints the release's name. Refused when nothing changed since the "
        "last release."
    )

    def add_arguments(self, parser):
        parser.add_argument("--note", required=True, help="What this release brings.")

    def handle(self, *args, note, **options):
        try:
            # No statement timeout: at a million line items, publishing takes minutes.
            release = publish(note, bounded=False)
        except (NothingToPublish, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(release.name)
