"""Quotes and dates checked against the text of their sources.

Every quote the tracker holds (a figure's citations, an explanation of a disagreement, a fact about an
organization, a wording of an objective) must be found in its source's text, word for word once
whitespace, typographic quotes and Markdown escapes are set aside; a quote with an ellipsis is found
part by part, in order. A date must not be more precise than its sources: a program the source says
began "this past January" began in January 2012, not on a day of it.

A source's text is a file in the directory given: `<key>.txt` (or `.md`), or, for a source with a
seed reference such as "seed 002", the file whose name begins `002_`. Sources without one are left
unchecked, and counted as such.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from core.partial_dates import format_partial_date
from funding.models import Citation, Explanation, OrganizationFact, ReportedFigure
from programs.models import ObjectiveWording, Program
from sources.models import Source

TYPOGRAPHIC = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'})
MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$|>~])")
MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__)")
ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*")
SEED_REFERENCE = re.compile(r"^seed (\d+)$")

MONTHS = {
    1: ("January", "enero"),
    2: ("February", "febrero"),
    3: ("March", "marzo"),
    4: ("April", "abril"),
    5: ("May", "mayo"),
    6: ("June", "junio"),
    7: ("July", "julio"),
    8: ("August", "agosto"),
    9: ("September", "septiembre"),
    10: ("October", "octubre"),
    11: ("November", "noviembre"),
    12: ("December", "diciembre"),
}


def normalize(text: str) -> str:
    """The text as compared: compatibility forms folded (no-break spaces, ligatures), typographic
    quotes made plain, Markdown's escapes and emphasis marks removed, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(TYPOGRAPHIC)
    text = MARKDOWN_EMPHASIS.sub("", MARKDOWN_ESCAPE.sub(r"\1", text))
    return " ".join(text.split())


def quote_found(quote: str, text: str) -> bool:
    """Each part of the quote (split at its ellipses) in the normalized text, in order."""
    position = 0
    for part in ELLIPSIS.split(normalize(quote)):
        if not part:
            continue
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def date_precision_in(value: str, text: str, published: str) -> int:
    """How precisely the text (or, for the year, the source's own date) states the date `value`:
    3 day, 2 month, 1 year, 0 not at all."""
    year, month, day = (int(part) for part in [*value.split("-"), 0, 0][:3])
    year_stated = re.search(rf"\b{year}\b", text) is not None or published.startswith(str(year))
    if not year_stated:
        return 0
    if not month:
        return 1
    names = "|".join(MONTHS[month])
    if not re.search(rf"\b(?:{names})\b", text, re.IGNORECASE) and not published.startswith(value[:7]):
        return 1
    if not day:
        return 2
    day_forms = [
        rf"\b(?:{names})\s+{day}(?:st|nd|rd|th)?\b",  # March 6, 2012
        rf"\b{day}(?:st|nd|rd|th)?\s+(?:de\s+)?(?:{names})\b",  # 6 March 2012, 6 de marzo
        rf"\b{year}-{month:02d}-{day:02d}\b",
    ]
    if any(re.search(form, text, re.IGNORECASE) for form in day_forms) or published == value:
        return 3
    return 2


@dataclass
class Problem:
    what: str  # "figure fy2012-commitment", "program operation-martillo"…
    message: str

    def __str__(self):
        return f"{self.what}: {self.message}"


@dataclass
class CitationReport:
    quotes: int = 0
    dates: int = 0
    texts: int = 0
    unchecked_sources: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def source_texts(directory: Path) -> dict[int, tuple[Source, str]]:
    """Source id → (source, normalized text), for the sources whose text is in the directory."""
    files = {path.name: path for path in directory.iterdir() if path.is_file()}
    texts = {}
    for source in Source.objects.all():
        path = files.get(f"{source.key}.txt") or files.get(f"{source.key}.md")
        seed = SEED_REFERENCE.match(source.seed_reference or "")
        if path is None and seed:
            path = next((files[name] for name in sorted(files) if name.startswith(f"{seed.group(1)}_")), None)
        if path is not None:
            texts[source.pk] = (source, normalize(path.read_text(encoding="utf-8")))
    return texts


def check_citations(directory: Path) -> CitationReport:
    texts = source_texts(directory)
    report = CitationReport(texts=len(texts))
    report.unchecked_sources = sorted(Source.objects.exclude(pk__in=texts).values_list("key", flat=True))

    def check_quote(what: str, source_id: int | None, quote: str):
        if not quote or source_id not in texts:
            return
        report.quotes += 1
        source, text = texts[source_id]
        if not quote_found(quote, text):
            report.problems.append(Problem(what, f"quote not found in the text of {source.key}: “{quote}”"))

    for citation in Citation.objects.select_related("figure"):
        check_quote(f"figure {citation.figure.key}", citation.source_id, citation.quote)
    for explanation in Explanation.objects.select_related("disagreement"):
        check_quote(f"disagreement {explanation.disagreement.key}", explanation.source_id, explanation.quote)
    for fact in OrganizationFact.objects.select_related("organization"):
        check_quote(f"organization {fact.organization.slug} ({fact.key})", fact.source_id, fact.quote)
    for wording in ObjectiveWording.objects.select_related("objective"):
        check_quote(f"objective {wording.objective.number}", wording.source_id, wording.text)

    def check_date(what: str, label: str, value: str, sources: list[int]):
        checked = [texts[source_id] for source_id in sources if source_id in texts]
        if not value or not checked:
            return
        report.dates += 1
        stored = value.count("-") + 1
        stated = max(date_precision_in(value, text, source.published) for source, text in checked)
        keys = ", ".join(source.key for source, _ in checked)
        if stated == 0:
            report.problems.append(
                Problem(what, f"{label} {format_partial_date(value)} ({value}) is not in the text of {keys}")
            )
        elif stated < stored:
            precise = ["", "year", "month", "day"]
            states = "states" if len(checked) == 1 else "state"
            report.problems.append(
                Problem(
                    what,
                    f"{label} {value} is more precise than {keys}, which {states} its {precise[stated]} "
                    f"only: store {value[: [0, 4, 7, 10][stated]]}",
                )
            )

    for program in Program.objects.prefetch_related("sources"):
        sources = [source.pk for source in program.sources.all()]
        check_date(f"program {program.slug}", "start date", program.start_date, sources)
        check_date(f"program {program.slug}", "end date", program.end_date, sources)
    for figure in ReportedFigure.objects.prefetch_related("citations"):
        sources = [figure.source_id, *(citation.source_id for citation in figure.citations.all())]
        check_date(f"figure {figure.key}", "as-of date", figure.as_of, list(dict.fromkeys(sources)))
    return report
