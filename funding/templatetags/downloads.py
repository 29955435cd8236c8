from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.utils import translation

from core.release_context import at_release

register = template.Library()


@register.inclusion_tag("includes/downloads.html")
def download_links(url: str, query: str = "", hint: str = ""):
    """Download CSV, for Excel, Download XLSX: the API's file of what the page shows (`url`, with the
    page's filters in `query`), at the release being read, with the header row in the page's language."""
    language = translation.get_language()
    extra = {"lang": language} if language != settings.LANGUAGE_CODE else {}

    def file(format, **more):
        parts = [query, urlencode({"format": format, **extra, **more})]
        return at_release(f"{url}?{'&'.join(part for part in parts if part)}")

    return {"csv": file("csv"), "csv_for_excel": file("csv", bom="1"), "xlsx": file("xlsx"), "hint": hint}
