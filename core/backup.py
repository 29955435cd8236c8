"""The whole data set in one file and back: line items, programs, sources, users, roles, tokens, history.

A backup is gzip-compressed JSON Lines: a first line naming the format and the models it holds,
then one object per line in Django's serialization shape ({"model", "pk", "fields"}), written
model by model as the database streams the rows (memory stays flat however large the data). It
moves between SQLite and PostgreSQL. Primary keys and foreign keys are kept as ids, so the change
history still points at its rows; content types and permissions, which every database numbers
itself, are named by their natural keys. A restore writes each model's rows in batches.

The file holds password hashes and API tokens: it is written readable by its owner only (0600).
"""

import gzip
import json
import os
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers import python as python_serializer
from django.db import connection, models, transaction
from django.dispatch import Signal
from django.test.utils import override_settings

from core.exact_json import ExactEncoder
from core.history import bring_in_step

FORMAT = "carsi-tracker-backup"
VERSION = 2
# Rebuilt by `migrate` (content types, permissions), kept by the database as the line items load
# (subtotals, the data version), or worth nothing after a restore (sessions, the login-lockout counts).
EXCLUDED_APPS = {"contenttypes", "sessions", "axes"}
EXCLUDED_MODELS = {"auth.permission", "funding.subtotal", "funding.programsubtotal", "core.dataversion"}
# The roles that the migrations create; a database holding only these is still empty.
MIGRATION_ROLES = {"Analyst", "Editor"}
BATCH = 2000


# Sent when a restore has loaded its file, inside its transaction: what derives from the data
# (releases' views) is made again.
restored = Signal()


class RestoreRefused(Exception):
    pass


def default_path() -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.BASE_DIR) / "backups" / f"carsi-{stamp}.jsonl.gz"


def backed_up_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in EXCLUDED_APPS
        and model._meta.label_lower not in EXCLUDED_MODELS
        and not model._meta.proxy
        and model._meta.managed
    ]


class _Serializer(python_serializer.Serializer):
    """Django's own serialization, with ids for foreign keys (no query per object), and natural keys
    for content types and permissions only."""

    def __init__(self, content_types, permissions):
        super().__init__()
        self.content_types, self.permissions = content_types, permissions

    def handle_fk_field(self, obj, field):
        if field.related_model is ContentType:
            self._current[field.name] = self.content_types.get(getattr(obj, field.attname))
        else:
            super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        if field.related_model is Permission and field.remote_field.through._meta.auto_created:
            ids = getattr(obj, field.name).values_list("pk", flat=True)
            self._current[field.name] = [self.permissions[pk] for pk in ids]
        else:
            super().handle_m2m_field(obj, field)


def _records() -> Iterator[dict]:
    content_types = {ct.pk: ct.natural_key() for ct in ContentType.objects.all()}
    permissions = {
        permission.pk: permission.natural_key()
        for permission in Permission.objects.select_related("content_type")
    }
    serializer = _Serializer(content_types, permissions)
    for model in backed_up_models():
        rows = model._default_manager.order_by("pk").iterator(chunk_size=BATCH)
        yield from serializer.serialize(rows, use_natural_foreign_keys=False, use_natural_primary_keys=False)


def _private_file(path: Path):
    """A new file readable and writable by its owner only, whatever the umask."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # an existing file keeps its mode on O_CREAT
    return os.fdopen(descriptor, "wb")


def backup(path: Path | None = None) -> Path:
    path = Path(path or default_path())
    models_held = [model._meta.label_lower for model in backed_up_models()]
    # One consistent snapshot, whatever is written meanwhile.
    fresh = not connection.in_atomic_block
    with _private_file(path) as raw, gzip.open(raw, "wt", encoding="utf-8") as out, transaction.atomic():
        if connection.vendor == "postgresql" and fresh:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        header = {"format": FORMAT, "version": VERSION, "written": datetime.now(UTC), "models": models_held}
        out.write(json.dumps(header, cls=ExactEncoder) + "\n")
        for record in _records():
            out.write(json.dumps(record, cls=ExactEncoder, ensure_ascii=False) + "\n")
    return path.resolve()


def holdings(labels=None) -> dict[str, int]:
    """How many rows each model that a restore would load holds already (nonzero counts only).

    The roles the migrations create, while nobody is given them, do not count: a new database
    has them.
    """
    held = {}
    for model in backed_up_models():
        if labels is not None and model._meta.label_lower not in labels:
            continue
        rows = model._default_manager.all()
        if model is Group:
            rows = rows.exclude(name__in=MIGRATION_ROLES, user__isnull=True)
        count = rows.count()
        if count:
            held[str(model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural)] = count
    return held


def summary(loaded) -> dict[str, int]:
    """What a restore brought back, for its closing line: the rows of each model loaded, history aside."""
    counts = {}
    for model in loaded:
        if model.__name__.startswith("Historical"):
            continue
        count = model._default_manager.count()
        if count:
            counts[str(model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural)] = count
    return counts


def _lines(path: Path) -> Iterator[str]:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        yield from stream


def restore(path: Path) -> dict[str, int]:
    """Load a backup into an empty, migrated database, all or nothing."""
    path = Path(path)
    if not path.is_file():
        raise RestoreRefused(f"no backup file at {path}")
    lines = _lines(path)
    first = next(lines, "")
    if first.lstrip().startswith("["):
        return _restore_dumpdata(path)
    try:
        header = json.loads(first)
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise RestoreRefused(f"{path} is not a CARSI Tracker backup")
    if header.get("version") != VERSION:
        raise RestoreRefused(
            f"{path} is a backup of format version {header.get('version')}; this reads {VERSION}"
        )
    with transaction.atomic():
        _refuse_unless_empty(set(header["models"]))
        Group.objects.filter(name__in=MIGRATION_ROLES, user__isnull=True).delete()
        loaded = _load(json.loads(line) for line in lines)
        restored.send(sender=restore)
    return summary(loaded)


def _refuse_unless_empty(labels) -> None:
    held = holdings(labels)
    if held:
        # The rows themselves, not their history (which comes with them), unless history is all there is.
        shown = {name: count for name, count in held.items() if not name.lower().startswith("historical")}
        listed = ", ".join(f"{count} {name}" for name, count in (shown or held).items())
        raise RestoreRefused(
            f"the database is not empty ({listed}); restore into a new database after `manage.py migrate`"
        )


class _Loader:
    """Rows of one model after another, written a batch at a time."""

    def __init__(self):
        self.content_types = {ct.natural_key(): ct.pk for ct in ContentType.objects.all()}
        self.permissions = {
            permission.natural_key(): permission.pk
            for permission in Permission.objects.select_related("content_type")
        }
        self.pending: list[models.Model] = []
        self.links: dict[models.Field, list[tuple]] = defaultdict(list)
        self.loaded: set[type[models.Model]] = set()

    def add(self, record: dict) -> None:
        model = apps.get_model(record["model"])
        if self.pending and type(self.pending[0]) is not model:
            self.flush()
        values = {}
        for name, value in record["fields"].items():
            field = model._meta.get_field(name)
            if field.many_to_many:
                self.links[field].extend((record["pk"], self._related_id(field, key)) for key in value)
            elif field.many_to_one or field.one_to_one:
                values[field.attname] = self._related_id(field, value)
            else:
                values[field.attname] = field.to_python(value)
        instance = model(**values)
        instance.pk = model._meta.pk.to_python(record["pk"])
        self.pending.append(instance)
        self.loaded.add(model)
        if len(self.pending) >= BATCH:
            self.flush()

    def _related_id(self, field, value):
        if value is None:
            return None
        if field.related_model is ContentType:
            return self.content_types[tuple(value)]
        if field.related_model is Permission:
            return self.permissions[tuple(value)]
        return field.target_field.to_python(value) if field.many_to_one else value

    def flush(self) -> None:
        if self.pending:
            model = type(self.pending[0])
            with _keeping_timestamps(model):
                model._default_manager.bulk_create(self.pending, batch_size=BATCH)
            self.pending = []

    def finish(self) -> None:
        self.flush()
        for field, pairs in self.links.items():
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            through.objects.bulk_create(
                (through(**{f"{source}_id": left, f"{target}_id": right}) for left, right in pairs),
                batch_size=BATCH,
            )
        # Every reference must point at a row: checked now rather than at commit, so that a file that
        # does not hold together fails here, whatever transaction the restore runs in.
        connection.check_constraints(table_names=[model._meta.db_table for model in self.loaded])
        # Rows came with their ids: the next id each table hands out must follow them (PostgreSQL).
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.loaded))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


@contextmanager
def _keeping_timestamps(model):
    """bulk_create() sets auto_now and auto_now_add fields to the present, as a save does; a restore
    writes back the times the backup holds (loaddata's raw saves do the same)."""
    stamped = [
        field
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    flags = [(field, field.auto_now, field.auto_now_add) for field in stamped]
    for field in stamped:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in flags:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _load(records) -> list[type[models.Model]]:
    loader = _Loader()
    for record in records:
        loader.add(record)
    loader.finish()
    return [model for model in backed_up_models() if model in loader.loaded]


def _restore_dumpdata(path: Path) -> dict[str, int]:
    """A backup of the first format (Django's dumpdata JSON, gzip-compressed): loaded by loaddata."""
    with transaction.atomic():
        _refuse_unless_empty(None)
        Group.objects.filter(name__in=MIGRATION_ROLES, user__isnull=True).delete()
        # An absolute path: loaddata would otherwise search each app's fixtures/ first.
        # The history comes from the file: loading the rows (and their links) must not write more.
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", str(path.resolve()), verbosity=0)
        # That format predates the history of every table: what it lacks starts now.
        bring_in_step(apps)
        restored.send(sender=restore)
    return summary(backed_up_models())
