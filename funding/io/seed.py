"""Loading the seed data in fixtures/: adds what is missing, never overwrites."""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import transaction
from django.dispatch import Signal

from core.history import bulk_history
from funding.io.imports import ImportReport, import_allocations, read_allocation_csv

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
REFERENCE_FIXTURES = [
    "01_partners.json",
    "02_sources.json",
    "03_programs.json",
    "04_reported_figures.json",
    "05_coverage_and_disagreements.json",
]
ALLOCATIONS_FILE = "allocations.csv"
SEED_REASON = "Seed data (fixtures/)"
# fixtures/translations/<language>.json: the seed's texts in another language, by model and key.
TRANSLATIONS_DIR = "translations"
TRANSLATION_REASON = "Seed data: texts in another language (fixtures/translations/), unofficial translations"


# Sent when load_seed has loaded the seed data, inside its transaction (releases publishes the
# first release then); receivers may answer with a line for the command to print.
seed_loaded = Signal()


class SeedError(Exception):
    pass


@dataclass
class SeedReport:
    added: int
    present: int
    allocations: ImportReport
    translated: int = 0
    notes: list[str] = field(default_factory=list)


@transaction.atomic
def load_fixtures(
    names: list[str], fixtures_dir: Path = FIXTURES_DIR, texts: dict | None = None
) -> tuple[int, int]:
    """Add every object of these fixtures that is not in the database yet, matched by its natural
    key, with its texts in other languages (`texts`, from read_translations); leave the others as
    they are. Returns (added, already present)."""
    texts = texts or {}
    added = present = 0
    new_with_history = defaultdict(list)
    for name in names:
        with open(fixtures_dir / name, encoding="utf-8") as stream:
            for deserialized in serializers.deserialize("json", stream):
                # The deserializer sets the primary key when an object with the same
                # natural key exists already.
                if deserialized.object.pk is not None:
                    present += 1
                    continue
                natural_key = getattr(deserialized.object, "natural_key", None)
                if natural_key is not None:
                    key = (_label(deserialized.object), str(natural_key()[0]))
                    for column, text in texts.get(key, {}).items():
                        setattr(deserialized.object, column, text)
                # Its history starts below, in one version with its links, not one per link set.
                deserialized.object.skip_history_when_saving = True
                deserialized.save()
                del deserialized.object.skip_history_when_saving
                added += 1
                if hasattr(type(deserialized.object), "history"):
                    new_with_history[type(deserialized.object)].append(deserialized.object)
    # Fixtures save "raw", which writes no history: start each new object's history here,
    # so that its first edit shows what it was before.
    for model, objects in new_with_history.items():
        bulk_history(model, objects, default_change_reason=SEED_REASON)
    return added, present


def read_translations(fixtures_dir: Path = FIXTURES_DIR) -> dict[tuple[str, str], dict[str, str]]:
    """fixtures/translations/<language>.json as {(model label, natural key): {column: text}}, the
    columns those of the language (name_es)."""
    texts: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for path in sorted((fixtures_dir / TRANSLATIONS_DIR).glob("*.json")):
        language = path.stem
        for label, objects in json.loads(path.read_text(encoding="utf-8")).items():
            if label == "about":
                continue
            for key, fields in objects.items():
                texts[(label, str(key))] |= {f"{name}_{language}": text for name, text in fields.items()}
    return texts


def _label(obj) -> str:
    return obj._meta.label_lower


def add_missing_translations(texts: dict) -> int:
    """The texts put in their columns where those are empty, on objects stored before (a database
    seeded before there were translations): each a versioned change with its reason. Returns how many
    objects got texts. A key that names no object is a SeedError: the files must agree."""
    changed = 0
    for (label, key), columns in texts.items():
        model = apps.get_model(label)
        try:
            obj = model.objects.get_by_natural_key(key)
        except model.DoesNotExist:
            raise SeedError(f"{TRANSLATIONS_DIR}/: no {label} {key!r} in the seed data") from None
        missing = {column: text for column, text in columns.items() if not getattr(obj, column)}
        if not missing:
            continue
        for column, text in missing.items():
            setattr(obj, column, text)
        if hasattr(obj, "version"):
            obj.version += 1
        obj._change_reason = TRANSLATION_REASON
        obj.save()
        changed += 1
    return changed


@transaction.atomic
def load_seed(fixtures_dir: Path = FIXTURES_DIR) -> SeedReport:
    """Add every seed object that is not in the database yet, matched by its natural key.

    Objects already present are left as they are, so a second load changes nothing and
    an admin's edits to seed figures survive it.
    """
    texts = read_translations(fixtures_dir)
    added, present = load_fixtures(REFERENCE_FIXTURES, fixtures_dir, texts)
    with open(fixtures_dir / ALLOCATIONS_FILE, encoding="utf-8", newline="") as stream:
        allocations = import_allocations(read_allocation_csv(stream), reason=SEED_REASON)
    if not allocations.ok:
        raise SeedError("The seed line items do not load:\n" + "\n".join(map(str, allocations.errors)))
    report = SeedReport(added=added, present=present, allocations=allocations)
    report.translated = add_missing_translations(texts)
    report.notes = [note for _, note in seed_loaded.send(sender=SeedReport, report=report) if note]
    return report
