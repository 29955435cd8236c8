"""What the tracker holds now beside what it has published: the latest release, and any change since."""

from dataclasses import dataclass

from django.db import connection
from django.db.models.expressions import RawSQL

from core.history import historical_models
from releases.models import Release


@dataclass(frozen=True)
class DataRelease:
    latest: Release | None
    unreleased: bool  # a change saved since the latest release (or no release yet)


def _unreleased_sql() -> str:
    qn = connection.ops.quote_name
    return " OR ".join(
        f"EXISTS (SELECT 1 FROM {qn(model._meta.db_table)} WHERE history_release_from IS NULL)"
        for model in historical_models()
    )


def data_release() -> DataRelease:
    """One query: the latest release, and whether any version is not in a release yet (each table's
    history searched by its index on the release mark)."""
    latest = (
        Release.objects.defer("bundle")
        .annotate(unreleased=RawSQL(f"CASE WHEN {_unreleased_sql()} THEN 1 ELSE 0 END", []))
        .order_by("-number")
        .first()
    )
    if latest is None:
        return DataRelease(latest=None, unreleased=True)
    return DataRelease(latest=latest, unreleased=bool(latest.unreleased))
