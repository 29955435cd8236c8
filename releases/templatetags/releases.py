from django import template
from django.utils.html import format_html

from core.release_context import at_release as _at_release

register = template.Library()


@register.filter
def at_release(url):
    """A link that stays at the release being read."""
    return _at_release(url)


@register.inclusion_tag("releases/cite.html", takes_context=True)
def cite_this(context, anchor="", url=None):
    """ "CARSI Tracker, release 2026-12-01.1, <permalink>": the page (at `url`, its canonical address,
    where it has one) with its query, at that release, so that the figure is found later as quoted."""
    request = context["request"]
    viewing = context.get("viewing_release")
    state = context.get("data_release")
    release = viewing or (state.latest if state else None)
    permalink = None
    if release is not None:
        query = request.GET.urlencode()
        path = _at_release((url or request.path) + (f"?{query}" if query else ""), release.name)
        permalink = request.build_absolute_uri(path) + (f"#{anchor}" if anchor else "")
    return {
        "release": release,
        "permalink": permalink,
        "moved_on": viewing is None and state is not None and state.unreleased,
    }


@register.simple_tag(takes_context=True)
def release_hidden_input(context):
    viewing = context.get("viewing_release")
    if not viewing:
        return ""
    return format_html('<input type="hidden" name="release" value="{}">', viewing.name)
