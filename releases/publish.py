"""Publishing a release: the versions it holds marked, its views made, its bundle built and stored."""

import hashlib

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone, translation

from core.history import historical_models
from releases import asof
from releases.bundle import build_bundle
from releases.models import Release

# The first key of the advisory lock that makes publishers take turns (PostgreSQL).
LOCK_CLASS = 0x5CA752


class NothingToPublish(Exception):
    pass


# A table's statistics are brought up to date after this many of its versions are marked.
ANALYZE_AFTER = 1000


def mark_versions(number: int) -> int:
    """Every version not yet in a release goes into release `number`; the versions it replaces (and
    those written and replaced again since the last release) end where it begins. Returns how many
    versions the release adds."""
    added = 0
    for history in historical_models():
        rows = history.objects
        marked = rows.filter(history_release_from__isnull=True).update(history_release_from=number)
        added += marked
        touched = rows.filter(history_release_from=number).values("id")
        rows.filter(
            history_release_until__isnull=True, history_release_from__lt=number, id__in=touched
        ).update(history_release_until=number)
        newest = rows.filter(history_release_from=number).values("id").annotate(newest=Max("history_id"))
        rows.filter(history_release_from=number, history_release_until__isnull=True).exclude(
            history_id__in=newest.values("newest")
        ).update(history_release_until=number)
        if marked >= ANALYZE_AFTER and connection.vendor == "postgresql":
            # The planner's statistics still say these versions are unreleased: "is anything
            # unreleased?" (every page asks) would read the whole history instead of its index.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(history._meta.db_table)}")
    return added


def next_name(now) -> str:
    day = f"{now:%Y-%m-%d}"
    return f"{day}.{Release.objects.filter(name__startswith=f'{day}.').count() + 1}"


def publish(note: str, user=None, *, allow_empty: bool = False, bounded: bool = True) -> Release:
    """Publish the data as it stands now. Refused (NothingToPublish) when nothing changed since the
    last release, unless `allow_empty`.

    `bounded=False` lifts the statement timeout (DJANGO_DB_STATEMENT_TIMEOUT) for the publishing
    transaction: for the command line, where marking a million line items' history takes minutes; a
    request from the admin keeps it."""
    note = (note or "").strip()
    if not note:
        raise ValueError("note: say what this release brings (the reports it adds, the corrections).")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                if not bounded:
                    cursor.execute("SET LOCAL statement_timeout = 0")
                cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [LOCK_CLASS])
        number = (Release.objects.aggregate(last=Max("number"))["last"] or 0) + 1
        added = mark_versions(number)
        if not added and number > 1 and not allow_empty:
            raise NothingToPublish("Nothing changed since the last release: there is nothing to publish.")
        asof.create_release_views(number)
        now = timezone.now()
        name = next_name(now)
        # The same bytes whatever the language of the editor who publishes (the admin in Spanish).
        with asof.reading(number), translation.override(settings.LANGUAGE_CODE):
            bundle = build_bundle(name, now)
        return Release.objects.create(
            number=number,
            name=name,
            published_at=now,
            published_by=user if getattr(user, "pk", None) else None,
            note=note,
            sha256=hashlib.sha256(bundle).hexdigest(),
            bundle=bundle,
        )
