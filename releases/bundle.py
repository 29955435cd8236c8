"""A release as one zip file: a CSV per table and a Data Package (datapackage.json) describing them.

The zip is built once, when the release is published, from the release's own data, and stored: every
download is the same bytes, whose SHA-256 the release lists. Its files come in a fixed order with a
fixed date (the release's), so that building it again from the same data gives the same bytes too.

The datapackage.json is a Frictionless Tabular Data Package: each CSV's columns with their types,
its primary key and the foreign keys that tie it to the others (a line item's donor to
organizations.csv, its source to sources.csv...). Text cells that a spreadsheet would run as a
formula carry the same leading ' as every export of the tracker (core.spreadsheets).
"""

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field

from core.formats import decimal_text
from core.spreadsheets import csv_cell
from funding.choices import Stage
from funding.io.exports import reconciliation_table
from funding.models import (
    Allocation,
    Citation,
    Coverage,
    Disagreement,
    DisagreementSide,
    Explanation,
    FundingAccount,
    ReportedFigure,
)
from funding.queries.reconciliation import reconcile
from partners.models import Country, Organization
from programs.models import Objective, Program, ProgramPartner
from sources.models import Source

CHUNK = 2000
PARTIAL_DATE = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"


@dataclass
class Column:
    name: str
    path: str | None = None  # ORM path, when it is not the name
    type: str = "string"
    constraints: dict = field(default_factory=dict)
    references: tuple[str, str] | None = None  # (resource, field)
    description: str = ""

    @property
    def lookup(self):
        return self.path or self.name


def key(name, resource, field_name, path=None, type="string", description=""):
    return Column(name, path, type, references=(resource, field_name), description=description)


def choice(name, values, path=None):
    return Column(name, path, constraints={"enum": list(values)})


@dataclass
class Table:
    name: str  # the resource's name; its file is <name>.csv
    title: str
    queryset: object
    columns: list[Column]
    primary_key: list[str]
    many: dict = field(default_factory=dict)  # column → (m2m field, key of its rows): space-separated keys

    def rows(self):
        plain = [column for column in self.columns if column.name not in self.many]
        links = {
            name: _links(self.queryset.model, relation, related_key)
            for name, (relation, related_key) in self.many.items()
        }
        values = self.queryset.order_by(*self.order).values_list("pk", *(column.lookup for column in plain))
        for row in values.iterator(chunk_size=CHUNK):
            cells = dict(zip((column.name for column in plain), row[1:], strict=True))
            for name, by_pk in links.items():
                cells[name] = " ".join(by_pk.get(row[0], []))
            yield [_cell(cells[column.name], column) for column in self.columns]

    @property
    def order(self):
        return [column.lookup for column in self.columns if column.name in self.primary_key]


def _links(model, relation, related_key):
    through = model._meta.get_field(relation).remote_field.through
    source = model._meta.get_field(relation).m2m_field_name()
    target = model._meta.get_field(relation).m2m_reverse_field_name()
    by_pk = {}
    for pk, value in through.objects.order_by(f"{target}__{related_key}").values_list(
        f"{source}_id", f"{target}__{related_key}"
    ):
        by_pk.setdefault(pk, []).append(str(value))
    return by_pk


def _cell(value, column):
    if value is None:
        return ""
    if column.type == "number":
        return value if isinstance(value, str) else decimal_text(value)
    if column.type == "boolean":
        return "true" if value else "false"
    if column.type == "integer":
        return str(value)
    return csv_cell(str(value))


STAGES = list(Stage.values)


def tables() -> list[Table]:
    """The bundle's tables, in their order in the zip (the ones others refer to first)."""
    return [
        Table(
            "countries",
            "Countries",
            Country.objects.all(),
            [
                Column("iso2", constraints={"pattern": "^[A-Z]{2}$"}),
                Column("iso3", constraints={"pattern": "^[A-Z]{3}$"}),
                Column("name"),
                Column("sica_member", type="boolean"),
                Column("carsi_country", type="boolean"),
            ],
            ["iso2"],
        ),
        Table(
            "organizations",
            "Donors, agencies and partners",
            Organization.objects.all(),
            [
                Column("slug"),
                Column("name"),
                Column("acronym"),
                Column("kind"),
                key("parent", "organizations", "slug", "parent__slug"),
                key("home_country", "countries", "iso2", "home_country__iso2"),
            ],
            ["slug"],
        ),
        Table(
            "sources",
            "Sources",
            Source.objects.all(),
            [
                Column("key"),
                Column("title"),
                Column("publisher"),
                Column("published", constraints={"pattern": PARTIAL_DATE}),
                Column("url"),
                Column("seed_reference"),
                Column("note"),
            ],
            ["key"],
        ),
        Table(
            "accounts",
            "Funding accounts",
            FundingAccount.objects.all(),
            [
                Column("code"),
                Column("name"),
                Column("agencies", description="Organization slugs, space-separated."),
            ],
            ["code"],
            many={"agencies": ("agencies", "slug")},
        ),
        Table(
            "objectives",
            "The five CARSI objectives",
            Objective.objects.all(),
            [
                Column("number", type="integer"),
                Column("short_name"),
                Column("description"),
                key("source", "sources", "key", "source__key"),
            ],
            ["number"],
        ),
        Table(
            "programs",
            "Programs",
            Program.objects.all(),
            [
                Column("slug"),
                Column("name"),
                Column("summary"),
                Column("status"),
                Column("start_date", constraints={"pattern": PARTIAL_DATE}),
                Column("end_date", constraints={"pattern": PARTIAL_DATE}),
                key("lead_organization", "organizations", "slug", "lead_organization__slug"),
                Column("objectives", description="Objective numbers, space-separated."),
                Column("countries", description="ISO alpha-2 codes, space-separated; empty: regional."),
                Column("sources", description="Source keys, space-separated."),
            ],
            ["slug"],
            many={
                "objectives": ("objectives", "number"),
                "countries": ("countries", "iso2"),
                "sources": ("sources", "key"),
            },
        ),
        Table(
            "program-partners",
            "Organizations' roles in programs",
            ProgramPartner.objects.all(),
            [
                key("program", "programs", "slug", "program__slug"),
                key("organization", "organizations", "slug", "organization__slug"),
                choice("role", ["funding", "implementing", "accountable", "extending"]),
            ],
            ["program", "organization", "role"],
        ),
        Table(
            "line-items",
            "Line items",
            Allocation.objects.all(),
            [
                Column("id", type="integer"),
                Column("fiscal_year", type="integer", constraints={"minimum": 1990, "maximum": 2099}),
                choice("stage", STAGES),
                Column("fiscal_year_basis"),
                Column("amount", type="number", description="U.S. dollars."),
                key("donor", "organizations", "slug", "donor__slug"),
                key("agency", "organizations", "slug", "agency__slug"),
                key("account", "accounts", "code", "account__code"),
                key("country", "countries", "iso2", "country__iso2"),
                key("objective", "objectives", "number", "objective__number", type="integer"),
                key("program", "programs", "slug", "program__slug"),
                key("source", "sources", "key", "source__key"),
                Column("source_detail"),
                Column("grade"),
                Column("note"),
                Column("appropriation_year", type="integer"),
                Column("as_of", constraints={"pattern": f"({PARTIAL_DATE})|^$"}),
            ],
            ["id"],
        ),
        Table(
            "reported-figures",
            "Totals the sources report",
            ReportedFigure.objects.all(),
            [
                Column("key"),
                Column("label"),
                Column("amount", type="number"),
                Column("qualifier"),
                choice("stage", STAGES),
                key("donor", "organizations", "slug", "donor__slug"),
                Column("scope"),
                key("country", "countries", "iso2", "country__iso2"),
                key("account", "accounts", "code", "account__code"),
                key("agency", "organizations", "slug", "agency__slug"),
                Column("fiscal_year_min", type="integer"),
                Column("fiscal_year_max", type="integer"),
                Column("fiscal_year_basis"),
                Column("as_of"),
                key("source", "sources", "key", "source__key"),
                Column("not_comparable_reason"),
                Column("note"),
            ],
            ["key"],
        ),
        Table(
            "citations",
            "Where each reported figure is stated",
            Citation.objects.all(),
            [
                key("figure", "reported-figures", "key", "figure__key"),
                Column("position", type="integer"),
                key("source", "sources", "key", "source__key"),
                Column("locator"),
                Column("quote"),
                Column("grade"),
            ],
            ["figure", "position"],
        ),
        Table(
            "coverage",
            "What each source's line items count",
            Coverage.objects.all(),
            [
                Column("key"),
                key("source", "sources", "key", "source__key"),
                Column("table"),
                choice("stage", STAGES),
                Column("accounts", description="Account codes, space-separated."),
                Column("agencies", description="Organization slugs, space-separated."),
                Column("geography"),
                Column("fiscal_year_basis"),
                Column("fiscal_year_min", type="integer"),
                Column("fiscal_year_max", type="integer"),
                Column("as_of"),
                key("program", "programs", "slug", "program__slug"),
                Column("complete_for"),
                Column("not_covered"),
            ],
            ["key"],
            many={"accounts": ("accounts", "code"), "agencies": ("agencies", "slug")},
        ),
        Table(
            "disagreements",
            "Public figures that disagree",
            Disagreement.objects.all(),
            [Column("key"), Column("title"), choice("status", ["open", "explained"]), Column("note")],
            ["key"],
        ),
        Table(
            "disagreement-sides",
            "The sides of each disagreement",
            DisagreementSide.objects.all(),
            [
                key("disagreement", "disagreements", "key", "disagreement__key"),
                Column("position", type="integer"),
                key("figure", "reported-figures", "key", "figure__key"),
                Column("label"),
                Column("filters", description="For a sum of line items: the list API's filters, as JSON."),
            ],
            ["disagreement", "position"],
        ),
        Table(
            "explanations",
            "What the sources say about why figures disagree",
            Explanation.objects.all(),
            [
                key("disagreement", "disagreements", "key", "disagreement__key"),
                Column("position", type="integer"),
                Column("text"),
                key("source", "sources", "key", "source__key"),
                Column("locator"),
                Column("quote"),
                Column("grade"),
            ],
            ["disagreement", "position"],
        ),
    ]


RECONCILIATION_TYPES = {
    "reported_amount": "number",
    "fiscal_year_min": "integer",
    "fiscal_year_max": "integer",
    "line_item_sum": "number",
    "line_item_count": "integer",
    "difference": "number",
    "difference_pct": "number",
    **{f"other_{stage}": "number" for stage in STAGES},
}


def _reconciliation():
    header, rows = reconciliation_table(reconcile())
    columns = [Column(name, type=RECONCILIATION_TYPES.get(name, "string")) for name in header]
    by_name = {column.name: column for column in columns}
    for name, resource, field_name in [
        ("key", "reported-figures", "key"),
        ("source", "sources", "key"),
        ("donor", "organizations", "slug"),
    ]:
        by_name[name].references = (resource, field_name)

    def cells():
        for row in rows:
            yield [_cell(value, column) for value, column in zip(row, columns, strict=True)]

    return columns, cells()


def _schema(columns, primary_key):
    schema = {
        "fields": [
            {
                "name": column.name,
                "type": column.type,
                **({"description": column.description} if column.description else {}),
                **({"constraints": column.constraints} if column.constraints else {}),
            }
            for column in columns
        ],
        "missingValues": [""],
    }
    if primary_key:
        schema["primaryKey"] = primary_key
    foreign = [
        {"fields": column.name, "reference": {"resource": resource, "fields": target}}
        for column in columns
        if column.references
        for resource, target in [column.references]
    ]
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


def _csv_lines(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        yield buffer.getvalue()


def _member(name, moment):
    info = zipfile.ZipInfo(name, date_time=(moment.year, moment.month, moment.day, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # the same bytes whatever system builds it
    info.external_attr = 0o644 << 16
    return info


def build_bundle(release_name: str, moment) -> bytes:
    """The zip of the data as the connection reads it now (releases.asof: as of the release)."""
    resources = []
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:

        def write(name, title, columns, rows, primary_key):
            path = f"{name}.csv"
            with archive.open(_member(path, moment), "w", force_zip64=True) as member:
                for line in _csv_lines([column.name for column in columns], rows):
                    member.write(line.encode("utf-8"))
            resources.append(
                {
                    "name": name,
                    "title": title,
                    "path": path,
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": _schema(columns, primary_key),
                }
            )

        for table in tables():
            write(table.name, table.title, table.columns, table.rows(), table.primary_key)
        columns, rows = _reconciliation()
        write("reconciliation", "Each reported figure beside the line items", columns, rows, ["key"])
        package = {
            "profile": "tabular-data-package",
            "name": "carsi-tracker",
            "title": f"CARSI Tracker, release {release_name}",
            "version": release_name,
            "created": moment.replace(microsecond=0).isoformat(),
            "description": (
                "The Central America Regional Security Initiative's money and programs as the tracker "
                "held them at this release: every figure with its source and grade. Amounts are U.S. "
                "dollars; amounts of different stages are never to be added together."
            ),
            "resources": resources,
        }
        text = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
        archive.writestr(_member("datapackage.json", moment), text.encode("utf-8"))
    return output.getvalue()
