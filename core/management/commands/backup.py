from pathlib import Path

from django.core.management.base import BaseCommand

from core.backup import backup


class Command(BaseCommand):
    help = (
        "Write the whole data set (programs, sources, line items, reported figures, users, roles, "
        "API tokens, change history) to one gzip-compressed JSON Lines file, readable by its owner "
        "only, and print its path."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="file to write (default: backups/carsi-<UTC time>.jsonl.gz)"
        )

    def handle(self, *args, output=None, **options):
        self.stdout.write(str(backup(output)))
