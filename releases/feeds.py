"""/feeds/changes.atom: the latest changes as an Atom 1.0 feed, each entry leading to the row's history."""

from django.contrib.syndication.views import Feed
from django.urls import NoReverseMatch, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from releases import changes

LATEST = 50
# The API resource whose /history/ shows a kind's rows, and the field that names a row there.
HISTORY_ROUTES = {
    "line-item": "api-allocation-history",
    "reported-figure": "api-reported-figure-history",
    "source": "api-source-history",
    "program": "api-program-history",
}


def _describe(entry: changes.FieldChange) -> str:
    return f"{entry.field}: {_text(entry.old)} → {_text(entry.new)}"


def _text(value) -> str:
    if value is None or value == []:
        return _("(none)")
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


class ChangesFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("CARSI Tracker: what changed")
    subtitle = gettext_lazy(
        "Every change to the tracker's figures, programs, sources and disagreements, newest first."
    )

    def link(self):
        return reverse("api-changes")

    def items(self):
        selected = list(changes.kinds().values())
        return changes.page(selected, changes.Since(), 0, LATEST, newest_first=True)

    def item_title(self, item):
        fields = ", ".join(entry.field for entry in item.changes) or _("no field")
        return _("%(kind)s %(key)s %(type)s: %(fields)s") % {
            "kind": item.kind.title.capitalize(),
            "key": item.key,
            "type": item.type_label,
            "fields": fields,
        }

    def item_description(self, item):
        lines = [_describe(entry) for entry in item.changes]
        if item.reason:
            lines.append(_("Reason: %(reason)s") % {"reason": item.reason})
        lines.append(
            _("Release: %(name)s") % {"name": item.release} if item.release else _("Not in a release yet.")
        )
        return "\n".join(lines)

    def item_link(self, item):
        route = HISTORY_ROUTES.get(item.kind.slug)
        if route:
            try:
                return reverse(route, args=[item.key])
            except NoReverseMatch:
                pass
        return reverse("api-changes") + f"?kind={item.kind.slug}"

    def item_guid(self, item):
        return f"tag:carsi-tracker,2026:change/{item.kind.slug}/{item.history_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.date

    def item_updateddate(self, item):
        return item.date
