"""Edits that lose nothing: a version number per row, and the change history read back.

Two editors who open the same row both start from its version. The first save moves
the row to the next version; the second names a version that is no longer current
and is refused, in the admin and in the API alike, instead of silently overwriting.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import DeletedObject

from core.formats import decimal_text

HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}
# What a reader reads for each (the codes above stay the API's).
HISTORY_TYPE_LABELS = {"created": _("created"), "changed": _("changed"), "deleted": _("deleted")}


class Versioned(models.Model):
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up by one with every saved change; an edit made from an older version is refused.",
    )

    class Meta:
        abstract = True


class StaleEdit(ValidationError):
    """The row changed since the editor read it."""

    def __init__(self, instance, expected_version, current_version):
        self.current_version = current_version
        kind = instance._meta.verbose_name
        if current_version is None:
            message = _("This %(kind)s has been deleted since you opened it.") % {"kind": kind}
        elif expected_version is None:
            message = _(
                "This %(kind)s has been brought back (it is now version %(current)s) since you opened its "
                "deleted version. Nothing was saved."
            ) % {"kind": kind, "current": current_version}
        else:
            last = instance.history.only("history_user__username").select_related("history_user").first()
            values = {"kind": kind, "expected": expected_version, "current": current_version}
            if last and last.history_user:
                values |= {"user": last.history_user.username, "when": f"{last.history_date:%Y-%m-%d %H:%M}"}
                changed = (
                    _("This %(kind)s was changed by %(user)s on %(when)s UTC since you opened it") % values
                )
            elif last:
                values["when"] = f"{last.history_date:%Y-%m-%d %H:%M}"
                changed = _("This %(kind)s was changed on %(when)s UTC since you opened it") % values
            else:
                changed = _("This %(kind)s was changed since you opened it") % values
            message = (
                changed
                + " "
                + _(
                    "(you edited version %(expected)s; it is now version %(current)s). Nothing was saved: "
                    "reload it, look at that change, and make yours again."
                )
                % values
            )
        super().__init__({"version": [message]})


def stored_version(instance: Versioned, *, lock: bool = False) -> int | None:
    """The version of the row as stored now; None once it has been deleted."""
    rows = type(instance)._default_manager.filter(pk=instance.pk)
    if lock:
        rows = rows.select_for_update()
    return rows.values_list("version", flat=True).first()


def claim_version(instance: Versioned, expected_version) -> None:
    """Refuse the edit unless the stored row is still at `expected_version`; else take the next version.

    Call inside a transaction, before saving: the row stays locked (on PostgreSQL) until
    the transaction ends, so no other edit can slip in between the check and the save.
    """
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise ValidationError(
            {"version": [f"The version must be a whole number, the one you read; got {expected_version!r}."]}
        ) from None
    current = stored_version(instance, lock=True)
    if current != expected:
        raise StaleEdit(instance, expected, current)
    instance.version = expected + 1


def claim_revert(instance: Versioned, expected_version) -> None:
    """As claim_version, for writing an old version back: the row must still be as the editor saw it.

    `expected_version` is the version stored when the old one was opened, or None if the row
    had been deleted then (the revert brings it back). A restored row continues its own count
    of versions, so no version number is ever used twice.
    """
    if expected_version is not None:
        claim_version(instance, expected_version)
        return
    current = stored_version(instance, lock=True)
    if current is not None:
        raise StaleEdit(instance, None, current)
    last = instance.history.order_by("-history_date", "-history_id").values_list("version", flat=True).first()
    instance.version = (last or 0) + 1


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    history_id: int
    version: int | None
    date: object
    user: str | None
    type: str
    reason: str
    changes: list[FieldChange]

    @property
    def type_label(self) -> str:
        return HISTORY_TYPE_LABELS[self.type]


def history_entries(instance, *, with_users: bool) -> list[HistoryEntry]:
    """The instance's change history, newest first, each entry with the fields it changed.

    Who made each change is told only `with_users` (to the tracker's own staff): the public sees
    what changed, when and why, not which editor's login did it.
    """
    foreign_keys = [
        field.name for field in instance._meta.concrete_fields if field.many_to_one and field.editable
    ]
    records = list(
        instance.history.select_related("history_user", *foreign_keys).order_by("history_date", "history_id")
    )
    entries = []
    previous = None
    for record in records:
        if previous is None:
            changes = []
        else:
            delta = record.diff_against(previous, foreign_keys_are_objs=True)
            changes = [
                FieldChange(change.field, _readable(change.old), _readable(change.new))
                for change in delta.changes
            ]
        entries.append(
            HistoryEntry(
                history_id=record.history_id,
                version=getattr(record, "version", None),
                date=record.history_date,
                user=record.history_user.username if with_users and record.history_user else None,
                type=HISTORY_TYPES[record.history_type],
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
        previous = record
    return entries[::-1]


def _readable(value) -> str:
    """A history value as a reader would name it: natural keys for related rows, plain numbers."""
    if value is None or (isinstance(value, DeletedObject) and value.pk is None):
        return ""
    if isinstance(value, Decimal):
        return decimal_text(value)
    natural_key = getattr(value, "natural_key", None)
    if callable(natural_key):
        return str(natural_key()[0])
    return str(value)
