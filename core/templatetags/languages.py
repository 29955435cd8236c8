"""The same page in another language: for the switcher and the pages' hreflang links."""

from django import template
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html

from core.i18n import DEFAULT, path_language, translated_fields

register = template.Library()


@register.simple_tag(takes_context=True)
def in_language(context, language):
    """This page's address (query string included) in `language`."""
    request = context["request"]
    with translation.override(path_language(request.path_info)):
        return translate_url(request.get_full_path(), language)


@register.simple_tag
def text(obj, field):
    """A text people typed (a program's name, a figure's label), in the reader's language where it has
    a version in it; otherwise the original, marked with its own language (`lang="en"`) so that the
    page says which words are not in the page's language."""
    value = getattr(obj, field)
    if value in (None, ""):
        return ""
    language = translation.get_language()
    if language == DEFAULT or getattr(obj, f"{field}_{language}", None):
        return value
    return format_html('<span lang="{}">{}</span>', DEFAULT, value)


@register.inclusion_tag("includes/translation_note.html")
def translation_note(obj):
    """Under a translated text: where its version in the reader's language comes from, an official
    text in that language (its source cited) or the tracker's own unofficial translation."""
    language = translation.get_language()
    if language == DEFAULT:
        return {"shown": False}
    translated = any(getattr(obj, f"{field}_{language}", None) for field in translated_fields(type(obj)))
    return {"shown": translated, "source": getattr(obj, "translation_source", None)}
