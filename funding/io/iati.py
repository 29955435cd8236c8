"""The line items as IATI 2.03 activities: one per program, one for the CARSI money no source attributes
to a program. Written element by element (lxml's incremental writer), so a million line items stream
out in constant memory.

Which stage becomes what (the methodology page says the same):

- appropriated: a `budget` of type 1 (Original), status 2 (Committed), per U.S. fiscal year;
- allocated: a `budget` of type 2 (Revised), status 2 (Committed), per U.S. fiscal year;
- obligated: a `transaction` of type 2 (Outgoing Commitment);
- disbursed: a `transaction` of type 3 (Disbursement);
- committed (a donor's pledge): a `transaction` of type 12 (Outgoing Pledge);
- requested (a budget request) has no IATI equivalent and is left out.

An amount a source does not report is no element, never a 0. Every amount carries the line items it
comes from, with their grade and source, in the tracker's own namespace (NAMESPACE).
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from lxml import etree

from core.partial_dates import first_day, precision_of
from funding.choices import Stage
from funding.fiscal import fiscal_year_bounds
from partners.models import Organization
from programs.models import PartnerRole, Program, ProgramStatus
from sources.models import Source

VERSION = "2.03"
NAMESPACE = "tag:carsi-tracker,2026:iati"
NSMAP = {"carsi": NAMESPACE}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGUAGES = ("en", "es")

# The stages IATI has a place for; "requested" is not among them.
BUDGET_TYPES = {Stage.APPROPRIATED: "1", Stage.ALLOCATED: "2"}  # BudgetType: Original, Revised
BUDGET_STATUS_COMMITTED = "2"  # BudgetStatus
TRANSACTION_TYPES = {Stage.OBLIGATED: "2", Stage.DISBURSED: "3", Stage.COMMITTED: "12"}  # TransactionType
LEFT_OUT = {Stage.REQUESTED}

# OrganisationRole
ROLES = {
    PartnerRole.FUNDING: "1",
    PartnerRole.ACCOUNTABLE: "2",
    PartnerRole.EXTENDING: "3",
    PartnerRole.IMPLEMENTING: "4",
}
# OrganisationType, where one fits the tracker's kind (a coalition or an NGO of unknown reach: none)
ORGANISATION_TYPES = {
    Organization.Kind.GOVERNMENT: "10",
    Organization.Kind.US_AGENCY: "10",
    Organization.Kind.MULTILATERAL: "40",
    Organization.Kind.FINANCIAL_INSTITUTION: "40",
}
# ActivityStatus: 1 Pipeline/identification, 2 Implementation, 4 Closed. IATI requires one; a status
# the sources do not state is written as 2, marked carsi:status="not_stated".
ACTIVITY_STATUS = {
    ProgramStatus.PLANNED: "1",
    ProgramStatus.ACTIVE: "2",
    ProgramStatus.COMPLETED: "4",
    ProgramStatus.NOT_STATED: "2",
}
# Region vocabulary 1 (OECD DAC): "North & Central America, regional"
REGION_CODE, REGION_VOCABULARY = "389", "1"
# CARSI's first fiscal year starts on 1 October 2007: the start IATI requires where the sources give none.
INITIATIVE_START = datetime.date(2007, 10, 1)
UNATTRIBUTED = "unattributed"


def carsi(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


@dataclass(frozen=True)
class Publisher:
    """Who the file says reports it: the tracker, as a secondary reporter of what others published."""

    ref: str
    type: str
    name: str


def transaction_date(as_of: str, fiscal_year: int) -> tuple[datetime.date, str]:
    """The date a transaction stands at, and what it is: the figure's own date where the source gives a
    full one, else the last day of its fiscal year."""
    if as_of and precision_of(as_of) == "day":
        return datetime.date.fromisoformat(as_of), "as_of"
    return fiscal_year_bounds(fiscal_year)[1], "fiscal_year_end"


def _element(tag: str, attributes=None, **more):
    """An element that writes the tracker's namespace with its own prefix (carsi:)."""
    return etree.Element(tag, attributes or {}, nsmap=NSMAP, **more)


def _narratives(parent, texts: dict[str, str]) -> None:
    """One narrative per language with a text, each saying its language."""
    for language in LANGUAGES:
        text = texts.get(language)
        # A text not translated is written once, in its own language.
        if text and (language == LANGUAGES[0] or text != texts.get(LANGUAGES[0])):
            narrative = etree.SubElement(parent, "narrative")
            narrative.set(XML_LANG, language)
            narrative.text = text


def _in_languages(make) -> dict[str, str]:
    texts = {}
    for language in LANGUAGES:
        with translation.override(language):
            texts[language] = str(make())
    return texts


def _field_texts(obj, field: str) -> dict[str, str]:
    """A translated field's text in each language (django-modeltranslation's columns), if written."""
    texts = {language: getattr(obj, f"{field}_{language}", "") or "" for language in LANGUAGES}
    if not texts[LANGUAGES[0]]:
        texts[LANGUAGES[0]] = getattr(obj, field) or ""
    return {language: text for language, text in texts.items() if text}


def _text_element(tag: str, texts: dict[str, str], **attributes):
    element = _element(tag, **attributes)
    _narratives(element, texts)
    return element


class Activity:
    """One iati-activity: a program, or the money not attributed to one."""

    def __init__(self, program: Program | None, line_items):
        self.program = program
        self.line_items = line_items.filter(program=program) if program else line_items.filter(program=None)

    @property
    def slug(self) -> str:
        return self.program.slug if self.program else UNATTRIBUTED

    def title(self) -> dict[str, str]:
        if self.program:
            return _field_texts(self.program, "name")
        return _in_languages(lambda: _("CARSI money not attributed to a program"))

    def description(self) -> dict[str, str]:
        if self.program:
            texts = _field_texts(self.program, "summary")
            return texts or _in_languages(lambda: _("A CARSI program; its sources give no summary."))
        return _in_languages(
            lambda: _(
                "Central America Regional Security Initiative money that the sources give for the whole "
                "initiative or by country, without naming a program."
            )
        )

    def stage_counts(self) -> dict[str, int]:
        return {
            row["stage"]: row["count"]
            for row in self.line_items.order_by().values("stage").annotate(count=Count("id"))
        }


def _participating_orgs(activity: Activity) -> list:
    """(organization, role) pairs: the donors of its money (funding), the agencies that manage it
    (extending), the program's lead (accountable) and partners (their own roles)."""
    pairs = {}
    for donor in Organization.objects.filter(allocations__in=activity.line_items).distinct():
        pairs[(donor.pk, PartnerRole.FUNDING)] = donor
    for agency in Organization.objects.filter(managed_allocations__in=activity.line_items).distinct():
        pairs[(agency.pk, PartnerRole.EXTENDING)] = agency
    program = activity.program
    if program:
        if program.lead_organization_id:
            pairs[(program.lead_organization_id, PartnerRole.ACCOUNTABLE)] = program.lead_organization
        for participation in program.participations.select_related("organization"):
            pairs[(participation.organization_id, participation.role)] = participation.organization
    return [(organization, role) for (_, role), organization in pairs.items()]


def _organization_element(tag: str, organization: Organization, **attributes):
    kind = ORGANISATION_TYPES.get(organization.kind)
    if kind:
        attributes["type"] = kind
    element = _element(tag, **attributes)
    element.set(carsi("organization"), organization.slug)
    _narratives(element, {LANGUAGES[0]: organization.name})
    return element


def _activity_dates(program: Program | None) -> list:
    dates = []
    start = program.start_date if program else ""
    end = program.end_date if program else ""
    if start:
        # ActivityDateType 1: planned start (a planned program), 2: actual start.
        kind = "1" if program.status == ProgramStatus.PLANNED else "2"
        element = _element("activity-date", type=kind, **{"iso-date": first_day(start).isoformat()})
        element.set(carsi("precision"), precision_of(start))
        dates.append(element)
    else:
        element = _element("activity-date", type="1", **{"iso-date": INITIATIVE_START.isoformat()})
        element.set(carsi("basis"), "initiative")
        _narratives(
            element, _in_languages(lambda: _("The sources give no start: CARSI's first fiscal year."))
        )
        dates.append(element)
    if end:
        completed = program.status == ProgramStatus.COMPLETED
        element = _element(
            "activity-date", type="4" if completed else "3", **{"iso-date": first_day(end).isoformat()}
        )
        element.set(carsi("precision"), precision_of(end))
        dates.append(element)
    return dates


def _recipients(activity: Activity) -> list:
    """The activity's own recipient countries or region, for an activity without transactions (with
    them, each transaction names its own). No percentages: the sources give none."""
    if activity.program is None:
        codes = sorted(set(activity.line_items.exclude(country=None).values_list("country__iso2", flat=True)))
        regional = activity.line_items.filter(country=None).exists()
    else:
        codes = sorted(activity.program.countries.values_list("iso2", flat=True))
        regional = not codes
    elements = [_element("recipient-country", code=code) for code in codes]
    if regional:
        elements.append(_region())
    return elements


def _region():
    """Money the sources give for no country: regional, or not attributed to one. CARSI's seven countries
    all lie in the region, and the tracker's namespace says which of the two it may be."""
    region = _element("recipient-region", code=REGION_CODE, vocabulary=REGION_VOCABULARY)
    region.set(carsi("country"), "regional-or-not-attributed")
    return region


def _value(amount, date: datetime.date):
    element = _element("value", currency="USD", **{"value-date": date.isoformat()})
    element.text = f"{amount:.2f}"
    return element


def _line_item(item: dict):
    element = _element(carsi("line-item"), id=str(item["id"]), amount=f"{item['amount']:.2f}")
    element.set("grade", item["grade"])
    element.set("source", item["source__key"])
    if item["source_detail"]:
        element.set("source-detail", item["source_detail"])
    return element


LINE_ITEM_FIELDS = ["id", "amount", "grade", "source__key", "source_detail", "fiscal_year", "as_of", "stage"]


def _budgets(activity: Activity) -> Iterator:
    """One budget per budget stage and fiscal year, its value summed in the database, with the line
    items it sums."""
    stages = list(BUDGET_TYPES)
    sums = (
        activity.line_items.filter(stage__in=stages)
        .order_by()
        .values("stage", "fiscal_year")
        .annotate(amount=Sum("amount"))
        .order_by("fiscal_year", "stage")
    )
    for row in sums:
        start, end = fiscal_year_bounds(row["fiscal_year"])
        budget = _element("budget", type=BUDGET_TYPES[row["stage"]], status=BUDGET_STATUS_COMMITTED)
        budget.set(carsi("stage"), row["stage"])
        budget.set(carsi("fiscal-year"), str(row["fiscal_year"]))
        etree.SubElement(budget, "period-start", **{"iso-date": start.isoformat()})
        etree.SubElement(budget, "period-end", **{"iso-date": end.isoformat()})
        budget.append(_value(row["amount"], start))
        items = activity.line_items.filter(stage=row["stage"], fiscal_year=row["fiscal_year"]).order_by("id")
        for item in items.values(*LINE_ITEM_FIELDS):
            budget.append(_line_item(item))
        yield budget


def _transactions(activity: Activity, donors: dict[int, Organization]) -> Iterator:
    items = (
        activity.line_items.filter(stage__in=list(TRANSACTION_TYPES))
        .order_by("fiscal_year", "stage", "id")
        .values(*LINE_ITEM_FIELDS, "donor_id", "country__iso2", "account__code")
    )
    for item in items.iterator(chunk_size=2000):
        date, basis = transaction_date(item["as_of"], item["fiscal_year"])
        transaction = _element("transaction")
        for name, value in [
            ("line-item", str(item["id"])),
            ("stage", item["stage"]),
            ("fiscal-year", str(item["fiscal_year"])),
            ("grade", item["grade"]),
            ("source", item["source__key"]),
            ("date-basis", basis),
        ]:
            transaction.set(carsi(name), value)
        if item["source_detail"]:
            transaction.set(carsi("source-detail"), item["source_detail"])
        if item["account__code"]:
            transaction.set(carsi("account"), item["account__code"])
        etree.SubElement(transaction, "transaction-type", code=TRANSACTION_TYPES[item["stage"]])
        etree.SubElement(transaction, "transaction-date", **{"iso-date": date.isoformat()})
        transaction.append(_value(item["amount"], date))
        transaction.append(_organization_element("provider-org", donors[item["donor_id"]]))
        if item["country__iso2"]:
            etree.SubElement(transaction, "recipient-country", code=item["country__iso2"])
        else:
            transaction.append(_region())
        yield transaction


def _document_links(activity: Activity, source_url) -> list:
    """A document-link for every source its amounts cite, and the program's own sources: the document
    itself where it is online, else the tracker's page about it."""
    cited = Source.objects.filter(allocations__in=activity.line_items).distinct()
    budget_sources = set(
        Source.objects.filter(allocations__in=activity.line_items.filter(stage__in=list(BUDGET_TYPES)))
        .distinct()
        .values_list("pk", flat=True)
    )
    sources = {source.pk: source for source in cited}
    if activity.program:
        sources |= {source.pk: source for source in activity.program.sources.all()}
    links = []
    for source in sorted(sources.values(), key=lambda source: source.key):
        url = source.url or source_url(source)
        link = _element("document-link", url=url, format=_format_of(url))
        link.set(carsi("source"), source.key)
        _narratives(etree.SubElement(link, "title"), {LANGUAGES[0]: source.title})
        # DocumentCategory: A05 Budget for the sources of budgets, else A12 (a web page on the activity).
        etree.SubElement(link, "category", code="A05" if source.pk in budget_sources else "A12")
        if source.language:
            etree.SubElement(link, "language", code=source.language)
        if source.published and precision_of(source.published) == "day":
            etree.SubElement(link, "document-date", **{"iso-date": source.published})
        links.append(link)
    return links


def _format_of(url: str) -> str:
    return "application/pdf" if url.lower().split("?")[0].endswith(".pdf") else "text/html"


def activities(programs, line_items, *, unattributed: bool) -> list[Activity]:
    chosen = [Activity(program, line_items) for program in programs]
    if unattributed:
        chosen.append(Activity(None, line_items))
    return chosen


def write(activities: list[Activity], publisher: Publisher, source_url) -> Iterator[bytes]:
    """The IATI activities file, in pieces as they are written: the open tags by hand, each element
    within them serialized whole by lxml, so that a download stopped midway (a client gone, a HEAD
    request) leaves nothing half-closed behind."""
    donors = {
        organization.pk: organization
        for organization in Organization.objects.filter(allocations__isnull=False).distinct()
    }
    generated = timezone.now().replace(microsecond=0).isoformat()
    yield (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        f'<iati-activities xmlns:carsi="{NAMESPACE}" version="{VERSION}" generated-datetime="{generated}">'
    ).encode()
    for activity in activities:
        yield from _write_activity(activity, publisher, donors, source_url)
    yield b"</iati-activities>\n"


def _write_activity(activity: Activity, publisher: Publisher, donors, source_url) -> Iterator[bytes]:
    counts = activity.stage_counts()
    has_transactions = any(stage in counts for stage in TRANSACTION_TYPES)
    # No xml:lang on the activity: every narrative says its own language, as the standard allows.
    head = [_element("iati-identifier")]
    head[0].text = f"{publisher.ref}-{activity.slug}"
    reporting = _element(
        "reporting-org", ref=publisher.ref, type=publisher.type, **{"secondary-reporter": "1"}
    )
    _narratives(reporting, {LANGUAGES[0]: publisher.name})
    head += [
        reporting,
        _text_element("title", activity.title()),
        _text_element("description", activity.description()),
    ]
    # IATI requires one. A program the sources name no organization for is of CARSI: its funders are
    # the donors of CARSI's line items.
    organizations = _participating_orgs(activity) or [
        (donor, PartnerRole.FUNDING) for donor in sorted(donors.values(), key=lambda donor: donor.slug)
    ]
    head += [
        _organization_element("participating-org", organization, role=ROLES[role])
        for organization, role in organizations
    ]
    status = activity.program.status if activity.program else ProgramStatus.NOT_STATED
    status_element = _element("activity-status", code=ACTIVITY_STATUS[status])
    if status == ProgramStatus.NOT_STATED:
        status_element.set(carsi("status"), "not_stated")
    head += [status_element, *_activity_dates(activity.program)]
    if not has_transactions:
        head += _recipients(activity)
    yield b'<iati-activity default-currency="USD">' + _serialized(head)
    yield _serialized(_budgets(activity))
    pieces = []
    for transaction in _transactions(activity, donors):
        pieces.append(transaction)
        if len(pieces) == 500:
            yield _serialized(pieces)
            pieces = []
    yield _serialized(pieces) + _serialized(_document_links(activity, source_url)) + b"</iati-activity>"


def _serialized(elements) -> bytes:
    pieces = []
    for element in elements:
        etree.cleanup_namespaces(element)  # xmlns:carsi only on the elements that use it
        pieces.append(etree.tostring(element, encoding="utf-8"))
    return b"".join(pieces)
