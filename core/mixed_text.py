"""Sentences the code writes around words people typed: "Disbursed amounts count <State's ESF…>".

The frame is translated; the typed words (a source's title, what a coverage counts) are in the language
they were written in. A MixedText is the plain sentence for JSON and CSV (it is a str), and in a page
marks each typed part written in another language than the page's with its `lang`, as HTML asks.
"""

import re

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from core.i18n import active_language

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


class Typed:
    """Words as someone typed them, in `language`."""

    def __init__(self, text, language: str = "en"):
        self.text, self.language = str(text), language


class MixedText(str):
    def __new__(cls, parts: list[tuple[str, str | None]]):
        text = super().__new__(cls, "".join(part for part, _ in parts))
        text.parts = parts
        return text

    def __html__(self):
        page = active_language()
        return mark_safe(
            "".join(
                format_html('<span lang="{}">{}</span>', language, part)
                if language and language != page
                else conditional_escape(part)
                for part, language in self.parts
            )
        )

    def __add__(self, other):
        other_parts = other.parts if isinstance(other, MixedText) else [(str(other), None)]
        return MixedText([*self.parts, *other_parts])

    def __radd__(self, other):
        return MixedText([(str(other), None), *self.parts])


def mixed(template: str, **values) -> MixedText:
    """`template` (translated, with %(name)s placeholders) filled in; Typed values keep their language."""
    parts, position = [], 0
    for match in PLACEHOLDER.finditer(template):
        parts.append((template[position : match.start()], None))
        value = values[match.group(1)]
        if isinstance(value, MixedText):
            parts.extend(value.parts)
        elif isinstance(value, Typed):
            parts.append((value.text, value.language))
        else:
            parts.append((str(value), None))
        position = match.end()
    parts.append((template[position:], None))
    return MixedText([part for part in parts if part[0]])


def joined(separator: str, texts) -> MixedText:
    parts = []
    for index, text in enumerate(texts):
        if index:
            parts.append((separator, None))
        parts.extend(text.parts if isinstance(text, MixedText) else [(str(text), None)])
    return MixedText(parts)
