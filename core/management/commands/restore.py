from pathlib import Path

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError

from core.backup import RestoreRefused, restore


class Command(BaseCommand):
    help = (
        "Load a file written by `backup` into an empty database (run `migrate` first). "
        "All or nothing: a file that does not load leaves the database as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        try:
            held = restore(file)
        except RestoreRefused as error:
            raise CommandError(f"Restore refused: {error}.") from error
        except (
            DatabaseError,
            DeserializationError,
            ValidationError,
            FieldDoesNotExist,
            LookupError,
            ValueError,
            EOFError,
            OSError,
        ) as error:
            raise CommandError(f"Restore failed; nothing was written. {error}") from error
        self.stdout.write("Restored " + ", ".join(f"{count} {name}" for name, count in held.items()) + ".")
