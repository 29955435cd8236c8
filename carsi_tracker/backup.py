"""The whole data set in one file and back: line items, programs, sources, users, roles, tokens, history.

A backup is Django's own JSON serialization (dumpdata), gzip-compressed, so it moves between
SQLite and PostgreSQL. Primary keys are kept, so the change history still points at its rows;
content types and permissions are referred to by name, since every database numbers them itself.
"""

from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction

from funding.models import Allocation, ReportedFigure, Source
from programs.models import Program

# Rebuilt by `migrate` (content types, permissions), kept by the database as the line items load
# (subtotals), or worth nothing after a restore (sessions, the login-lockout counts).
EXCLUDED = ["contenttypes", "auth.permission", "funding.subtotal", "sessions", "axes"]


class RestoreRefused(Exception):
    pass


def default_path() -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.BASE_DIR) / "backups" / f"carsi-{stamp}.json.gz"


def backup(path: Path | None = None) -> Path:
    path = Path(path or default_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    # One consistent snapshot, whatever is written meanwhile.
    fresh = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and fresh:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        call_command("dumpdata", natural_foreign=True, exclude=EXCLUDED, output=str(path), verbosity=0)
    return path.resolve()


def holdings() -> dict[str, int]:
    """What the database holds that a restore would collide with."""
    return {
        "users": get_user_model().objects.count(),
        "programs": Program.objects.count(),
        "sources": Source.objects.count(),
        "line items": Allocation.objects.count(),
        "reported figures": ReportedFigure.objects.count(),
    }


def restore(path: Path) -> dict[str, int]:
    """Load a backup into an empty, migrated database, all or nothing."""
    path = Path(path)
    if not path.is_file():
        raise RestoreRefused(f"no backup file at {path}")
    with transaction.atomic():
        held = {name: count for name, count in holdings().items() if count}
        if held:
            listed = ", ".join(f"{count} {name}" for name, count in held.items())
            raise RestoreRefused(
                f"the database is not empty ({listed}); restore into a new database after `manage.py migrate`"
            )
        # The roles that `migrate` created are replaced by the backup's own, with their ids.
        Group.objects.filter(user__isnull=True).delete()
        # An absolute path: loaddata would otherwise search each app's fixtures/ first.
        call_command("loaddata", str(path.resolve()), verbosity=0)
    return holdings()
