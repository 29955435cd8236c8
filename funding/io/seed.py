"""Loading the seed data in fixtures/: adds what is missing, never overwrites."""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

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
    notes: list[str] = field(default_factory=list)


@transaction.atomic
def load_fixtures(names: list[str], fixtures_dir: Path = FIXTURES_DIR) -> tuple[int, int]:
    """Add every object of these fixtures that is not in the database yet, matched by its natural
    key; leave the others as they are. Returns (added, already present)."""
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


@transaction.atomic
def load_seed(fixtures_dir: Path = FIXTURES_DIR) -> SeedReport:
    """Add every seed object that is not in the database yet, matched by its natural key.

    Objects already present are left as they are, so a second load changes nothing and
    an admin's edits to seed figures survive it.
    """
    added, present = load_fixtures(REFERENCE_FIXTURES, fixtures_dir)
    with open(fixtures_dir / ALLOCATIONS_FILE, encoding="utf-8", newline="") as stream:
        allocations = import_allocations(read_allocation_csv(stream), reason=SEED_REASON)
    if not allocations.ok:
        raise SeedError("The seed line items do not load:\n" + "\n".join(map(str, allocations.errors)))
    report = SeedReport(added=added, present=present, allocations=allocations)
    report.notes = [note for _, note in seed_loaded.send(sender=SeedReport, report=report) if note]
    return report
