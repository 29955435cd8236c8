"""What releases does when the rest of the tracker acts: publish the first release with the seed data,
and make the release views again after a migrate or a restore."""

from django.db import connections

SEED_NOTE = "Seed data (fixtures/): the reference data file's figures, each with its source and grade."


def first_release_with_the_seed(sender, report, **kwargs):
    from releases.models import Release
    from releases.publish import publish

    if Release.objects.exists():
        return None
    release = publish(SEED_NOTE)
    return f"Published the first release: {release.name}."


def release_views_after_migrate(sender, using, **kwargs):
    from releases.asof import rebuild_release_views

    if "releases_release" in connections[using].introspection.table_names():
        rebuild_release_views(using)


def release_views_after_restore(sender, **kwargs):
    from releases.asof import rebuild_release_views

    rebuild_release_views()
