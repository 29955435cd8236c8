"""The change history of every stored row, and which releases each version of a row belongs to.

Every model whose rows people read keeps its history with `tracked_history()`: a historical row per
save or delete (django-simple-history), with its many-to-many links, and two marks that publishing a
release sets (core.releases): the first release a version is in, and the release that first holds a
newer version of the same row instead. A row as it stood at release R is then its version with

    history_release_from <= R and (history_release_until is null or history_release_until > R)

that is not a deletion: a plain range test on each historical row, which is what lets any question
be asked of any release (core.releases) without copying the data at each one.
"""

import simple_history
from django.apps import apps
from django.db import models
from simple_history.models import HistoricalRecords


class ReleaseMarks(models.Model):
    history_release_from = models.PositiveIntegerField(
        null=True, blank=True, db_index=True, help_text="The first release this version is in."
    )
    history_release_until = models.PositiveIntegerField(
        null=True, blank=True, help_text="The first release that holds a newer version instead."
    )

    class Meta:
        abstract = True


def tracked_history(**options) -> HistoricalRecords:
    """A model's change history, marked by release."""
    return HistoricalRecords(bases=[ReleaseMarks], **options)


def register_tracked_history(model, **options) -> None:
    """The history of a model whose columns django-modeltranslation adds when the apps are ready
    (after the class is made, when `tracked_history()` would make its history): registered after
    them, so that every version holds every language's text (the library's documented way)."""
    simple_history.register(model, bases=[ReleaseMarks], **options)
    for field in model.history.model._meta.concrete_fields:
        if getattr(field, "translated_field", None) is not None:
            # A translated column describes itself by its original (unique, say) whatever simple-history
            # made of it: its versions repeat, so in the history it is indexed, never unique.
            field._field_options_kwargs = {"unique": False, "db_index": True}


def historical_models() -> list:
    """Every historical model that carries release marks, in a fixed order."""
    return sorted(
        (model for model in apps.get_models() if issubclass(model, ReleaseMarks)),
        key=lambda model: model._meta.label,
    )


def tracked_models() -> list:
    """The models whose history is tracked by release, in a fixed order."""
    return [model.instance_type for model in historical_models()]


def m2m_fields(model) -> list:
    """The many-to-many fields of `model` whose links its history keeps."""
    return list(getattr(model.history.model, "_history_m2m_fields", []))


def bulk_history(model, objects, **options) -> list:
    """simple-history's bulk_history_create, with the links of each new version recorded too (the
    bulk path leaves them out): a version of a program without its countries would read, at a
    release, as a program of no country. Returns the new historical rows."""
    objects = list(objects)
    created = model.history.bulk_history_create(objects, **options)
    fields = m2m_fields(model)
    if not fields or not created:
        return created
    by_pk = {historical.id: historical for historical in created}
    for field in fields:
        links = getattr(model.history.model, field.name).model
        through = field.remote_field.through
        source = field.m2m_field_name()
        columns = [column.attname for column in through._meta.concrete_fields]
        rows = through.objects.filter(**{f"{source}_id__in": list(by_pk)}).values(*columns)
        links.objects.bulk_create(links(history=by_pk[row[f"{source}_id"]], **row) for row in rows)
    return created


IN_STEP_REASON = "History brought in step with the stored data"


def _historical_pairs(registry):
    """(historical model, its live model, [(m2m field name, links model, through model)]) of every
    history marked by release, in an app registry (the project's, or a migration's)."""
    pairs = []
    for model in registry.get_models():
        names = {field.name for field in model._meta.get_fields()}
        if not model.__name__.startswith("Historical") or "history_release_from" not in names:
            continue
        live = registry.get_model(model._meta.app_label, model.__name__[len("Historical") :])
        links = []
        for candidate in registry.get_models():
            prefix = f"{model.__name__}_"
            if candidate.__name__.startswith(prefix) and candidate._meta.app_label == model._meta.app_label:
                field = live._meta.get_field(candidate.__name__[len(prefix) :])
                links.append((field.name, candidate, field.remote_field.through))
        pairs.append((model, live, links))
    return pairs


def bring_in_step(registry, reason: str = IN_STEP_REASON) -> int:
    """Give every stored row whose history lacks it, or whose newest version differs from it (its
    links included), a version of it now; and every row gone without a deletion in its history, that
    deletion. After this, a release published now holds exactly the stored data. Returns how many
    versions it wrote. Written for any app registry, so that a migration can run it too."""
    from django.db.models import Max
    from django.utils import timezone

    now = timezone.now()
    written = 0
    for historical, live, links in _historical_pairs(registry):
        fields = [field.attname for field in live._meta.concrete_fields]
        newest = historical.objects.values("id").annotate(newest=Max("history_id")).values("newest")
        latest = {
            row["id"]: row
            for row in historical.objects.filter(history_id__in=newest).values(
                "history_id", "history_type", *fields
            )
        }
        stored_links, version_links = {}, {}
        for name, model, through in links:
            source = live._meta.get_field(name).m2m_field_name()
            target = live._meta.get_field(name).m2m_reverse_field_name()
            for left, right in through.objects.values_list(f"{source}_id", f"{target}_id"):
                stored_links.setdefault((name, left), set()).add(right)
            for history_id, right in model.objects.filter(
                history_id__in=[row["history_id"] for row in latest.values()]
            ).values_list("history_id", f"{target}_id"):
                version_links.setdefault((name, history_id), set()).add(right)
        new_versions = []
        stored_ids = set()
        for row in live.objects.values(*fields).iterator(chunk_size=2000):
            stored_ids.add(row["id"])
            last = latest.get(row["id"])
            differs = (
                last is None
                or last["history_type"] == "-"
                or any(last[name] != row[name] for name in fields)
                or any(
                    stored_links.get((name, row["id"]), set())
                    != version_links.get((name, last["history_id"]), set())
                    for name, _, _ in links
                )
            )
            if differs:
                new_versions.append(
                    historical(
                        **row,
                        history_date=now,
                        history_type="+" if last is None or last["history_type"] == "-" else "~",
                        history_change_reason=reason,
                    )
                )
        for object_id, last in latest.items():
            if object_id not in stored_ids and last["history_type"] != "-":
                values = {name: last[name] for name in fields}
                new_versions.append(
                    historical(**values, history_date=now, history_type="-", history_change_reason=reason)
                )
        created = historical.objects.bulk_create(new_versions, batch_size=2000)
        written += len(created)
        for name, model, through in links:
            source = live._meta.get_field(name).m2m_field_name()
            columns = [column.attname for column in through._meta.concrete_fields]
            by_object = {version.id: version for version in created if version.history_type != "-"}
            rows = through.objects.filter(**{f"{source}_id__in": list(by_object)}).values(*columns)
            model.objects.bulk_create(
                (model(history_id=by_object[row[f"{source}_id"]].history_id, **row) for row in rows),
                batch_size=2000,
            )
    return written
