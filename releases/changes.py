"""Every change across the tracker since a release or a moment: what changed, from what to what, by whom,
when, why, and the release that first holds it.

Each change is one version in the history of one row (core.history), set beside the version before it:
the fields that differ, with their old and new values as the API writes them (a related row by its
key). The changes of every kind of row come in one order, by time, whatever their table.
"""

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import IntegerField, Value
from django.utils import translation
from django.utils.text import slugify

from core.formats import decimal_text
from core.history import historical_models
from core.versioning import HISTORY_TYPE_LABELS, HISTORY_TYPES
from releases.models import Release

# Bookkeeping, not content: left out of what a change shows.
IGNORED_FIELDS = {"version", "created_at", "updated_at"}


@dataclass(frozen=True)
class Kind:
    slug: str  # "line-item"
    model: type
    history: type

    @property
    def title(self) -> str:
        return str(self.model._meta.verbose_name)


def kinds() -> dict[str, Kind]:
    # The slugs are the API's (kind=line-item): made from the English names whatever the reader's language.
    with translation.override(settings.LANGUAGE_CODE):
        slugs = [(slugify(str(h.instance_type._meta.verbose_name)), h) for h in historical_models()]
    return {slug: Kind(slug, history.instance_type, history) for slug, history in slugs}


@dataclass
class FieldChange:
    field: str
    old: object
    new: object


@dataclass
class Change:
    kind: Kind
    history_id: int
    object_id: int
    key: str
    type: str  # created, changed, deleted
    date: datetime
    user: str | None
    reason: str
    release: str | None
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def type_label(self) -> str:
        return HISTORY_TYPE_LABELS[self.type]


class Since:
    """Changes after a release (those it does not hold), or after a moment."""

    def __init__(self, release: Release | None = None, moment: datetime | None = None):
        self.release, self.moment = release, moment

    def filter(self, rows):
        if self.release is not None:
            return rows.exclude(history_release_from__lte=self.release.number)
        if self.moment is not None:
            return rows.filter(history_date__gt=self.moment)
        return rows


def _index(selected_kinds, since: Since):
    """One query over every kind's history: (kind number, history id, date), by date."""
    parts = [
        since.filter(kind.history.objects.all())
        .annotate(kind_number=Value(number, output_field=IntegerField()))
        .values_list("kind_number", "history_id", "history_date")
        .order_by()
        for number, kind in enumerate(selected_kinds)
    ]
    first, *rest = parts
    return first.union(*rest, all=True) if rest else first


def count(selected_kinds, since: Since) -> int:
    return _index(selected_kinds, since).count()


def page(selected_kinds, since: Since, offset: int, limit: int, *, newest_first=False, show_users=False):
    """The changes from `offset`, `limit` of them, oldest first (or newest first)."""
    order = (
        ("-history_date", "-kind_number", "-history_id")
        if newest_first
        else (
            "history_date",
            "kind_number",
            "history_id",
        )
    )
    index = list(_index(selected_kinds, since).order_by(*order)[offset : offset + limit])
    by_kind: dict[int, list[int]] = {}
    for number, history_id, _ in index:
        by_kind.setdefault(number, []).append(history_id)
    releases = dict(Release.objects.values_list("number", "name"))
    built = {}
    for number, history_ids in by_kind.items():
        kind = selected_kinds[number]
        for change in _changes_of(kind, history_ids, releases, show_users):
            built[(number, change.history_id)] = change
    return [built[(number, history_id)] for number, history_id, _ in index]


def _changes_of(kind: Kind, history_ids: list[int], releases: dict, show_users: bool) -> list[Change]:
    history = kind.history
    rows = list(history.objects.filter(history_id__in=history_ids).select_related("history_user"))
    object_ids = {row.id for row in rows}
    # Every version of those rows up to the newest asked for: each change's version before it.
    versions: dict[int, list] = {}
    for row in history.objects.filter(id__in=object_ids, history_id__lte=max(history_ids)).order_by(
        "id", "history_id"
    ):
        versions.setdefault(row.id, []).append(row)
    previous = {}
    for row in rows:
        chain = versions[row.id]
        position = bisect_left([version.history_id for version in chain], row.history_id)
        previous[row.history_id] = chain[position - 1] if position else None
    fields = [
        field
        for field in kind.model._meta.concrete_fields
        if field.name not in IGNORED_FIELDS and not field.primary_key
    ]
    links = _m2m_sets(kind, [*history_ids, *(p.history_id for p in previous.values() if p)])
    labels = _related_keys(fields, [*rows, *(p for p in previous.values() if p)])
    key_field = getattr(kind.model, "NATURAL_KEY", "") or "id"
    changes = []
    for row in rows:
        before = previous[row.history_id]
        entries = []
        for model_field in fields:
            if row.history_type == "-":
                old, new = _value(model_field, row, labels), None
            elif row.history_type == "+" or before is None:
                old, new = None, _value(model_field, row, labels)
            else:
                old, new = _value(model_field, before, labels), _value(model_field, row, labels)
            if old != new:
                entries.append(FieldChange(model_field.name, old, new))
        for name, by_version in links.items():
            old = sorted(by_version.get(before.history_id, ())) if before is not None else []
            new = sorted(by_version.get(row.history_id, ())) if row.history_type != "-" else []
            if old != new:
                entries.append(FieldChange(name, old, new))
        changes.append(
            Change(
                kind=kind,
                history_id=row.history_id,
                object_id=row.id,
                key=str(getattr(row, key_field)),
                type=HISTORY_TYPES[row.history_type],
                date=row.history_date,
                user=row.history_user.get_username() if show_users and row.history_user else None,
                reason=row.history_change_reason or "",
                release=releases.get(row.history_release_from),
                changes=entries,
            )
        )
    return changes


def _value(model_field, row, labels):
    value = getattr(row, model_field.attname)
    if value is None:
        return None
    if model_field.is_relation:
        return labels.get((model_field.related_model, value), str(value))
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, bool | int | str):
        return value
    return str(value)


def _natural(model):
    return getattr(model, "NATURAL_KEY", "") or "pk"


def _related_keys(fields, rows) -> dict:
    """(related model, id) → its key, for every related row the versions name: a query per model."""
    wanted: dict[type, set] = {}
    for model_field in fields:
        if model_field.is_relation:
            for row in rows:
                value = getattr(row, model_field.attname)
                if value is not None:
                    wanted.setdefault(model_field.related_model, set()).add(value)
    keys = {}
    for model, ids in wanted.items():
        for pk, key in model._base_manager.filter(pk__in=ids).values_list("pk", _natural(model)):
            keys[(model, pk)] = key if isinstance(key, int | str) else str(key)
    return keys


def _m2m_sets(kind: Kind, history_ids) -> dict[str, dict[int, set]]:
    """field name → history id → the keys it linked to, for the kind's many-to-many links."""
    sets = {}
    for model_field in getattr(kind.history, "_history_m2m_fields", []):
        links = getattr(kind.history, model_field.name).model
        target = model_field.m2m_reverse_field_name()
        rows = links.objects.filter(history_id__in=history_ids).values_list(
            "history_id", f"{target}__{_natural(model_field.related_model)}"
        )
        by_version: dict[int, set] = {}
        for history_id, key in rows:
            by_version.setdefault(history_id, set()).add(key)
        sets[model_field.name] = by_version
    return sets
