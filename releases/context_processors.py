from django.utils.functional import SimpleLazyObject

from releases.queries import data_release


def release(request):
    """Which data the page shows: `viewing_release`, the release asked for (None: today's data), and
    `data_release` (the latest release, and whether anything changed since: asked only if shown)."""
    viewing = getattr(request, "release", None)
    return {
        "viewing_release": viewing,
        "data_release": SimpleLazyObject(data_release),
        "release_query": f"release={viewing.name}" if viewing else "",
    }
