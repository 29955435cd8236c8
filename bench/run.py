"""The tracker at scale: each endpoint's time beside the time of the same question asked in raw SQL.

    DATABASE_URL=postgres://root@127.0.0.1:5432/carsi_bench .venv/bin/python -m bench.run --allocations N

Loads the seed data and N synthetic line items (kept between runs when the count already
matches), then for each case times repeated anonymous requests through Django's test client
(median and p95) and, in the same run, the equivalent hand-written SQL on the same database
connection, and prints one table: endpoint / app ms / SQL ms / ratio / queries. The CSV
export is also measured for peak memory: Python allocations (tracemalloc) while the
streamed response is consumed, and the peak resident size of a fresh process exporting
every line item.
"""

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from dataclasses import dataclass, field

# The bench is anonymous traffic with debug off, as in production, without the API's rate limit and
# without the response cache (each repetition is rendered, as the first request after an edit is; the
# data version is still read and the ETag made). `make loadtest` measures the cache.
BENCH_ENVIRONMENT = {
    "DJANGO_DEBUG": "0",
    "DJANGO_API_ANON_RATE": "off",
    "DJANGO_RESPONSE_CACHE": "off",
    "DJANGO_SETTINGS_MODULE": "carsi_tracker.settings",
}
BENCH_SECRET_KEY = "bench-only-secret-key-not-for-any-server"
HOST = "127.0.0.1"

# A filter every list case shares: one country, one stage, three fiscal years.
LIST_FILTER = {"stage": "disbursed", "country": "GT", "fiscal_year_min": "2009", "fiscal_year_max": "2011"}
CSV_FILTER = {"stage": "appropriated"}  # about a tenth of the synthetic line items


@dataclass
class Case:
    name: str
    url: str
    params: dict
    sql: list[str]  # the same question in raw SQL: one statement per query it needs
    # Where the app reads the subtotals, the same sums taken over the line items themselves:
    # what every request would cost without them.
    scan_sql: list[str] | None = None
    repeat: float = 1.0  # share of the repetitions (the CSV export is slow to repeat)
    csv: bool = False


@dataclass
class Result:
    name: str
    app_ms: list[float]
    sql_ms: list[float]
    queries: int
    status: int
    scan_ms: list[float] | None = None
    rows: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def app_median(self):
        return statistics.median(self.app_ms)

    @property
    def sql_median(self):
        return statistics.median(self.sql_ms)

    @property
    def ratio(self):
        return self.app_median / self.sql_median if self.sql_median else float("inf")


def _tables():
    from funding.models import Allocation, Coverage, FundingAccount, ProgramSubtotal, ReportedFigure, Subtotal
    from partners.models import Country, Organization
    from programs.models import Objective, Program
    from sources.models import Source

    return {
        "a": Allocation._meta.db_table,
        "account": FundingAccount._meta.db_table,
        "country": Country._meta.db_table,
        "org": Organization._meta.db_table,
        "objective": Objective._meta.db_table,
        "program": Program._meta.db_table,
        "source": Source._meta.db_table,
        "figure": ReportedFigure._meta.db_table,
        "sub": Subtotal._meta.db_table,
        "psub": ProgramSubtotal._meta.db_table,
        "coverage": Coverage._meta.db_table,
    }


def deep_page() -> int:
    """Page 500 of the filtered list, or its last page if it has fewer."""
    from funding.models import Allocation

    matching = Allocation.objects.filter(
        stage=LIST_FILTER["stage"],
        country__iso2=LIST_FILTER["country"],
        fiscal_year__gte=LIST_FILTER["fiscal_year_min"],
        fiscal_year__lte=LIST_FILTER["fiscal_year_max"],
    ).count()
    return max(1, min(500, -(-matching // 50)))


def cases() -> list[Case]:
    page = deep_page()
    today = _today_cases(page)
    return [*today[:-1], *release_cases(page), today[-1]]


def _today_cases(page) -> list[Case]:
    t = _tables()
    joins = (
        f"JOIN {t['org']} d ON d.id = a.donor_id "
        f"LEFT JOIN {t['account']} ac ON ac.id = a.account_id "
        f"LEFT JOIN {t['country']} c ON c.id = a.country_id "
        f"LEFT JOIN {t['objective']} o ON o.id = a.objective_id "
        f"LEFT JOIN {t['program']} p ON p.id = a.program_id "
        f"JOIN {t['source']} s ON s.id = a.source_id"
    )
    row_columns = (
        "a.id, a.fiscal_year, a.stage, a.amount, d.slug, d.name, ac.code, ac.name, c.iso2, c.name, "
        "o.number, o.short_name, p.slug, p.name, s.key, s.title, a.source_detail, a.grade, a.note, a.version"
    )
    gt = f"(SELECT id FROM {t['country']} WHERE iso2 = 'GT')"
    list_where = (
        f"a.stage = 'disbursed' AND a.country_id = {gt} AND a.fiscal_year >= 2009 AND a.fiscal_year <= 2011"
    )
    order = "ORDER BY a.fiscal_year, a.stage, a.id"
    years = "a.fiscal_year >= 2008 AND a.fiscal_year <= 2012"
    figures_sql = (
        f"SELECT f.*, d.slug, d.name, s.key, s.title FROM {t['figure']} f "
        f"JOIN {t['org']} d ON d.id = f.donor_id JOIN {t['source']} s ON s.id = f.source_id"
    )
    from django.db import connection

    from funding.choices import Stage
    from funding.queries.coverage import SOURCE_STAGE_PAIRS

    # Which sources have line items of which stage (the caveats): on PostgreSQL one index entry per
    # pair; SQLite (the tests of this module) an index probe per source and stage.
    stages_of_sources = (
        SOURCE_STAGE_PAIRS.format(table=t["a"])
        if connection.vendor == "postgresql"
        else "SELECT s.id, "
        + ", ".join(
            f"EXISTS (SELECT 1 FROM {t['a']} a WHERE a.source_id = s.id AND a.stage = '{stage}')"
            for stage in Stage.values
        )
        + f" FROM {t['source']} s"
    )
    reconciliation_sql = [
        figures_sql,
        f"SELECT a.donor_id, a.stage, a.fiscal_year, a.account_id, a.country_id, SUM(a.amount), "
        f"SUM(a.line_items) FROM {t['sub']} a WHERE a.donor_id IN (SELECT donor_id FROM {t['figure']}) "
        "GROUP BY a.donor_id, a.stage, a.fiscal_year, a.account_id, a.country_id",
        f"SELECT * FROM {t['coverage']}",
        stages_of_sources,
    ]
    reconciliation_scan = [
        figures_sql,
        f"SELECT a.donor_id, a.stage, a.fiscal_year, a.account_id, a.country_id, SUM(a.amount), COUNT(*) "
        f"FROM {t['a']} a WHERE a.donor_id IN (SELECT donor_id FROM {t['figure']}) "
        "GROUP BY a.donor_id, a.stage, a.fiscal_year, a.account_id, a.country_id",
        f"SELECT * FROM {t['coverage']}",
        stages_of_sources,
    ]

    def sums(sql):
        """The same statement over the subtotals: SUM of their counts instead of COUNT(*)."""
        return sql.replace(f"FROM {t['a']} a", f"FROM {t['sub']} a").replace("COUNT(*)", "SUM(a.line_items)")

    totals_by_year = (
        f"SELECT a.fiscal_year, a.stage, SUM(a.amount), COUNT(*) FROM {t['a']} a "
        "GROUP BY a.fiscal_year, a.stage"
    )
    totals_by_country = (
        f"SELECT c.iso2, c.name, a.fiscal_year, a.stage, SUM(a.amount), COUNT(*) FROM {t['a']} a "
        f"LEFT JOIN {t['country']} c ON c.id = a.country_id WHERE a.stage = 'disbursed' "
        "GROUP BY c.iso2, c.name, a.fiscal_year, a.stage"
    )
    dashboard_sums = [
        f"SELECT a.stage, SUM(a.amount), COUNT(*) FROM {t['a']} a WHERE {years} GROUP BY a.stage",
        f"SELECT a.fiscal_year, ac.code, SUM(a.amount) FROM {t['a']} a "
        f"LEFT JOIN {t['account']} ac ON ac.id = a.account_id "
        f"WHERE a.stage = 'appropriated' AND {years} GROUP BY a.fiscal_year, ac.code",
        f"SELECT c.iso2, c.name, SUM(a.amount) FROM {t['a']} a "
        f"LEFT JOIN {t['country']} c ON c.id = a.country_id "
        f"WHERE a.stage = 'disbursed' AND {years} GROUP BY c.iso2, c.name",
    ]
    explorer_sums = (
        f"SELECT a.stage, SUM(a.amount), COUNT(*) FROM {t['a']} a "
        f"WHERE a.stage = 'disbursed' AND a.country_id = {gt} GROUP BY a.stage"
    )

    def exists(table, column):
        return f"SELECT x.* FROM {table} x WHERE EXISTS (SELECT 1 FROM {t['a']} a WHERE a.{column} = x.id)"

    def key(table, column, value):
        return f"(SELECT id FROM {t[table]} WHERE {column} = '{value}')"

    def listing(name, params, where="1 = 1", ordered=order, *, counted, offset=0, joined="", count_joins=""):
        """The list at 100 rows a page: its count (over the subtotals where the app reads them,
        `counted`) and its page. `joined`: a table the ordering reads; `count_joins`: those the
        filter reads."""
        count = f"SELECT COUNT(*) FROM {t['a']} a {count_joins} WHERE {where}"
        return Case(
            name,
            "/api/v1/allocations/",
            {**params, "page_size": "100"},
            [
                sums(count) if counted else count,
                f"SELECT {row_columns} FROM {t['a']} a {joins} {joined} WHERE {where} {ordered} "
                f"LIMIT 100 OFFSET {offset}",
            ],
        )

    program = "guatemala-aviation-program"

    # A search as the app asks it (funding.queries.search): the rows whose names hold the word, then
    # the line items citing them (read along the index that leads with the citing key) and those the
    # texts' trigram indexes find, counted and paged in two parts that share none.
    belize = f"(SELECT id FROM {t['country']} WHERE iso2 = 'BZ')"
    in_texts = "(UPPER(a.source_detail) LIKE '%BELIZE%' OR UPPER(a.note) LIKE '%BELIZE%')"
    named = " UNION ALL ".join(
        f"SELECT id FROM {t[table]} WHERE UPPER({column}) LIKE '%BELIZE%'"
        for table, column in [
            ("program", "name_en"),
            ("program", "name_es"),
            ("country", "name"),
            ("org", "name"),
            ("account", "name"),
            ("source", "title"),
            ("source", "key"),
        ]
    )

    def search_case(name, url, params, size, *, counted, before=(), kept=False, scan=None):
        """`counted`: the SELECT of the count, or of the sums, over the line items ("FROM … a"), asked
        of each part; `kept`: that of the line items citing the row, over the subtotals."""
        table = f"FROM {t['a']} a"
        citing = counted.replace(table, f"{table} WHERE a.country_id = {belize}")
        texts = counted.replace(table, f"{table} WHERE {in_texts} AND a.country_id IS DISTINCT FROM {belize}")
        merged = (
            f"(SELECT a.fiscal_year, a.stage, a.id FROM {t['a']} a WHERE a.country_id = {belize} {order} "
            f"LIMIT {size}) UNION (SELECT a.fiscal_year, a.stage, a.id FROM {t['a']} a WHERE {in_texts} "
            f"{order} LIMIT {size}) ORDER BY 1, 2, 3 LIMIT {size}"
        )
        page = (
            f"SELECT {row_columns} FROM {t['a']} a {joins} WHERE a.id IN (SELECT id FROM ({merged}) m) "
            + order
        )
        if (
            connection.vendor == "sqlite"
        ):  # no LIMIT inside a UNION: the page as one query, as the app reads it
            found = f"(a.country_id = {belize} OR {in_texts})"
            page = f"SELECT {row_columns} FROM {t['a']} a {joins} WHERE {found} {order} LIMIT {size}"
        statements = [*before, named, sums(citing) if kept else citing, texts, page]
        return Case(name, url, params, statements, scan_sql=scan)

    search = " OR ".join(
        f"UPPER({column}) LIKE '%BELIZE%'"
        for column in (
            "a.source_detail",
            "a.note",
            "p.name",
            "c.name",
            "d.name",
            "ac.name",
            "s.title",
            "s.key",
        )
    )
    single_filters = [  # (parameters, WHERE, whether the subtotals count the rows)
        ({"stage": "appropriated"}, "a.stage = 'appropriated'", True),
        ({"country": "GT"}, f"a.country_id = {gt}", True),
        ({"fiscal_year_min": "2010", "fiscal_year_max": "2011"}, "a.fiscal_year BETWEEN 2010 AND 2011", True),
        ({"fiscal_year": "2012"}, "a.fiscal_year = 2012", True),
        ({"donor": "usaid"}, f"a.donor_id = {key('org', 'slug', 'usaid')}", True),
        ({"account": "ESF"}, f"a.account_id = {key('account', 'code', 'ESF')}", True),
        ({"agency": "state-inl"}, f"a.agency_id = {key('org', 'slug', 'state-inl')}", False),
        ({"objective": "2"}, f"a.objective_id = {key('objective', 'number', '2')}", False),
        ({"program": program}, f"a.program_id = {key('program', 'slug', program)}", False),
        ({"source": "synthetic"}, f"a.source_id = {key('source', 'key', 'synthetic')}", True),
        ({"fiscal_year_basis": "transaction"}, "a.fiscal_year_basis = 'transaction'", False),
        ({"amount_min": "1000000", "amount_max": "5000000"}, "a.amount BETWEEN 1000000 AND 5000000", False),
    ]
    agency_join = f"LEFT JOIN {t['org']} ag ON ag.id = a.agency_id"
    orderings = [  # (parameter, the column it sorts by, whether it can be null, the table it reads)
        ("-amount", "a.amount", False, ""),
        ("amount", "a.amount", False, ""),
        ("fiscal_year", "a.fiscal_year", False, ""),
        ("-fiscal_year", "a.fiscal_year", False, ""),
        ("stage", "a.stage", False, ""),
        ("fiscal_year_basis", "a.fiscal_year_basis", False, ""),
        ("donor", "d.name", False, ""),
        ("agency", "ag.name", True, agency_join),
        ("account", "ac.code", True, ""),
        ("country", "c.name", True, ""),
        ("objective", "o.number", True, ""),
        ("program", "p.name", True, ""),
        ("source", "s.key", False, ""),
        ("-id", "a.id", False, ""),
    ]

    def ordered_by(parameter, column, nullable):
        """ORDER BY the column, then by the default order, all backwards after a descending one."""
        down = " DESC" if parameter.startswith("-") else ""
        ties = [f"a.{name}{down}" for name in ("fiscal_year", "stage", "id") if f"a.{name}" != column]
        return f"ORDER BY {column}{down}{' NULLS LAST' if nullable else ''}, " + ", ".join(ties)

    from django.db.models import Sum

    from funding.models import Subtotal

    appropriated = Subtotal.objects.filter(stage="appropriated").aggregate(n=Sum("line_items"))["n"] or 0
    deep = max(1, min(500, -(-appropriated // 100)))
    scale_cases = [
        listing("allocation list, page 1, no filter", {}, counted=True),
        *(
            listing(
                "allocation list, " + "&".join(f"{name}={value}" for name, value in params.items()),
                params,
                where,
                counted=counted,
            )
            for params, where, counted in single_filters
        ),
        search_case(
            "allocation list, search=Belize",
            "/api/v1/allocations/",
            {"search": "Belize", "page_size": "100"},
            100,
            counted=f"SELECT COUNT(*) FROM {t['a']} a",
            scan=[f"SELECT COUNT(*) FROM {t['a']} a {joins} WHERE ({search})"],
        ),
        *(
            listing(
                f"allocation list, ordering={parameter}",
                {"ordering": parameter},
                ordered=ordered_by(parameter, column, nullable),
                counted=True,
                joined=joined,
            )
            for parameter, column, nullable, joined in orderings
        ),
        listing(
            f"allocation list, page {deep}, stage=appropriated",
            {"stage": "appropriated", "page": str(deep)},
            "a.stage = 'appropriated'",
            counted=True,
            offset=(deep - 1) * 100,
        ),
        Case(
            "explorer page, no filter",
            "/allocations/",
            {},
            [
                exists(t["country"], "country_id"),
                exists(t["org"], "donor_id"),
                exists(t["program"], "program_id"),
                exists(t["source"], "source_id"),
                f"SELECT a.stage, SUM(a.amount), SUM(a.line_items) FROM {t['sub']} a GROUP BY a.stage",
                f"SELECT {row_columns} FROM {t['a']} a {joins} {order} LIMIT 50",
            ],
        ),
    ]

    def detail(name, url, where, sums_sql, scan_sql=None):
        """A detail page: its sums and its first page of 50 line items in the default order."""
        page_sql = f"SELECT {row_columns} FROM {t['a']} a {joins} WHERE {where} {order} LIMIT 50"
        return Case(name, url, {}, [*sums_sql, f"SELECT * FROM {t['coverage']}", page_sql], scan_sql=scan_sql)

    def per_stage(table, where, by=""):
        count = "SUM(a.line_items)" if table in (t["sub"], t["psub"]) else "COUNT(*)"
        return f"SELECT {by}a.stage, SUM(a.amount), {count} FROM {table} a WHERE {where} GROUP BY {by}a.stage"

    from programs.models import Program

    objectives_of_programs = Program.objectives.through._meta.db_table
    objective, synthetic = key("objective", "number", "2"), key("source", "key", "synthetic")
    usaid, gt_where = key("org", "slug", "usaid"), f"a.country_id = {gt}"
    program_where = f"a.program_id = {key('program', 'slug', program)}"

    def objective_sums(table):
        return [
            per_stage(table, f"a.objective_id = {objective}"),
            # The sums of its programs, of every objective.
            per_stage(
                table,
                f"a.program_id IN (SELECT program_id FROM {objectives_of_programs} "
                f"WHERE objective_id = {objective})",
                "a.program_id, ",
            ),
        ]

    scale_cases += [
        detail(
            "country page GT",
            "/countries/GT/",
            gt_where,
            [per_stage(t["sub"], gt_where, "a.fiscal_year, "), per_stage(t["sub"], "a.country_id IS NULL")],
        ),
        detail(
            f"program page {program}",
            f"/programs/{program}/",
            program_where,
            [per_stage(t["psub"], program_where)],
            scan_sql=[per_stage(t["a"], program_where)],
        ),
        detail(
            "objective page 2",
            "/objectives/2/",
            f"a.objective_id = {objective}",
            objective_sums(t["psub"]),
            scan_sql=objective_sums(t["a"]),
        ),
        detail(
            "source page synthetic",
            "/sources/synthetic/",
            f"a.source_id = {synthetic}",
            [per_stage(t["sub"], f"a.source_id = {synthetic}", "a.fiscal_year, ")],
        ),
        Case(
            "organization page usaid",
            "/organizations/usaid/",
            {},
            [
                per_stage(t["sub"], f"a.donor_id = {usaid}"),
                per_stage(t["a"], f"a.agency_id = {usaid}"),
                f"SELECT * FROM {t['figure']} f WHERE f.donor_id = {usaid}",
            ],
        ),
    ]

    return [
        # The floor: a request that asks the database next to nothing (the five objectives). Its
        # app time is the fixed cost of a request through the middleware, DRF and JSON.
        Case(
            "fixed cost: the five objectives",
            "/api/v1/objectives/",
            {},
            [f"SELECT * FROM {t['objective']} ORDER BY number"],
        ),
        Case(
            "totals by fiscal_year",
            "/api/v1/allocations/totals/",
            {"group_by": "fiscal_year"},
            [sums(totals_by_year)],
            scan_sql=[totals_by_year],
        ),
        Case(
            "totals by country,fiscal_year, stage=disbursed",
            "/api/v1/allocations/totals/",
            {"group_by": "country,fiscal_year", "stage": "disbursed"},
            [sums(totals_by_country)],
            scan_sql=[totals_by_country],
        ),
        Case(
            "allocation list, page 1, filtered",
            "/api/v1/allocations/",
            LIST_FILTER,
            [
                sums(f"SELECT COUNT(*) FROM {t['a']} a WHERE {list_where}"),
                f"SELECT {row_columns} FROM {t['a']} a {joins} WHERE {list_where} {order} LIMIT 50",
            ],
            scan_sql=[f"SELECT COUNT(*) FROM {t['a']} a WHERE {list_where}"],
        ),
        Case(
            f"allocation list, page {page}, filtered",
            "/api/v1/allocations/",
            {**LIST_FILTER, "page": str(page)},
            [
                sums(f"SELECT COUNT(*) FROM {t['a']} a WHERE {list_where}"),
                f"SELECT {row_columns} FROM {t['a']} a {joins} WHERE {list_where} {order} "
                f"LIMIT 50 OFFSET {(page - 1) * 50}",
            ],
            scan_sql=[f"SELECT COUNT(*) FROM {t['a']} a WHERE {list_where}"],
        ),
        Case(
            "reconciliation",
            "/api/v1/reconciliation/",
            {},
            reconciliation_sql,
            scan_sql=reconciliation_scan,
        ),
        Case(
            "dashboard page",
            "/",
            {},
            [*map(sums, dashboard_sums), *reconciliation_sql],
            scan_sql=[*dashboard_sums, *reconciliation_scan],
        ),
        Case(
            "explorer page, filtered",
            "/allocations/",
            {"stage": "disbursed", "country": "GT"},
            [
                exists(t["country"], "country_id"),
                exists(t["org"], "donor_id"),
                exists(t["program"], "program_id"),
                exists(t["source"], "source_id"),
                sums(explorer_sums),
                f"SELECT {row_columns} FROM {t['a']} a {joins} "
                f"WHERE a.stage = 'disbursed' AND a.country_id = {gt} {order} LIMIT 50",
            ],
            scan_sql=[explorer_sums],
        ),
        search_case(
            "explorer page, search=Belize",
            "/allocations/",
            {"search": "Belize"},
            50,
            counted=f"SELECT a.stage, SUM(a.amount), COUNT(*) FROM {t['a']} a GROUP BY a.stage",
            before=[
                exists(t["country"], "country_id"),
                exists(t["org"], "donor_id"),
                exists(t["program"], "program_id"),
                exists(t["source"], "source_id"),
            ],
            kept=True,
            scan=[
                f"SELECT a.stage, SUM(a.amount), COUNT(*) FROM {t['a']} a {joins} WHERE ({search}) "
                "GROUP BY a.stage"
            ],
        ),
        *scale_cases,
        Case(
            "CSV export, stage=appropriated",
            "/api/v1/allocations/",
            {**CSV_FILTER, "format": "csv"},
            [f"SELECT {row_columns} FROM {t['a']} a {joins} WHERE a.stage = 'appropriated' {order}"],
            repeat=0.25,
            csv=True,
        ),
    ]


# Asked again of the latest release (releases.asof: the line items as of it, read from their history;
# its subtotals, summed once when it was published). Each is set beside its case on today's data.
RELEASE_CASES = [
    "totals by fiscal_year",
    "totals by country,fiscal_year, stage=disbursed",
    "allocation list, page 1, filtered",
    "reconciliation",
    "dashboard page",
    "explorer page, filtered",
]
AT_RELEASE = ", at the latest release"


def release_cases(page) -> list[Case]:
    from releases.models import Release

    latest = Release.objects.latest_release()
    if latest is None:
        return []
    today = {case.name: case for case in _today_cases(page)}
    return [
        Case(
            name + AT_RELEASE,
            today[name].url,
            {**today[name].params, "release": latest.name},
            today[name].sql,
        )
        for name in RELEASE_CASES
    ]


def release_ratios(results: list[Result]) -> list[str]:
    """Each release case's median beside the same question on today's data."""
    by_name = {result.name: result for result in results}
    lines = []
    for name in RELEASE_CASES:
        today, then = by_name.get(name), by_name.get(name + AT_RELEASE)
        if today and then:
            lines.append(
                f"{name}: today {today.app_median:.1f} ms, at the latest release {then.app_median:.1f} ms "
                f"({then.app_median / today.app_median:.2f}×)"
            )
    return lines


def _client():
    from django.test import Client

    return Client(HTTP_HOST=HOST)


def _consume(response) -> int:
    """Reads the whole body, as a browser would; returns the number of bytes."""
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def _request(client, case):
    started = time.perf_counter()
    response = client.get(case.url, case.params)
    size = _consume(response)
    return (time.perf_counter() - started) * 1000, response, size


def _run_sql(statements, *, csv):
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in statements:
            if csv and connection.vendor == "postgresql":
                # The database's own CSV writer: the floor for any export.
                cursor.cursor.copy_expert(f"COPY ({statement}) TO STDOUT WITH CSV HEADER", _Sink())
            else:
                cursor.execute(statement)
                while cursor.fetchmany(2000):
                    pass
    return (time.perf_counter() - started) * 1000


class _Sink:
    def write(self, data):
        return len(data)


def measure(case: Case, repetitions: int, warmup: int = 1) -> Result:
    """Times `case` through the app and as raw SQL, alternating, after `warmup` unmeasured rounds."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client()
    repetitions = max(2, round(repetitions * case.repeat))
    # Each request starts by emptying the query log (Django's request_started signal), so the
    # capture must start from an empty log too.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        _, response, size = _request(client, case)
    # Read now: captured_queries is a view of the log, which the next request empties.
    queries = [query["sql"] for query in captured.captured_queries]
    status = response.status_code
    for _ in range(warmup):
        _request(client, case)
        _run_sql(case.sql, csv=case.csv)
    app_ms, sql_ms = [], []
    for _ in range(repetitions):
        app_ms.append(_request(client, case)[0])
        sql_ms.append(_run_sql(case.sql, csv=case.csv))
    scan_ms = None
    if case.scan_sql:
        _run_sql(case.scan_sql, csv=False)
        scan_ms = [_run_sql(case.scan_sql, csv=False) for _ in range(max(2, repetitions // 4))]
    result = Result(case.name, app_ms, sql_ms, len(queries), status, scan_ms=scan_ms)
    result.extra["sql"] = queries
    if case.csv:
        result.rows = _csv_rows(client, case)
        result.extra["bytes"] = size
        result.extra["tracemalloc_mb"] = csv_tracemalloc_peak(client, case)
    return result


def _csv_rows(client, case):
    response = client.get(case.url, case.params)
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
    return lines - 1  # the header


def csv_tracemalloc_peak(client, case) -> float:
    """Peak of Python allocations, in MB, while one streamed CSV response is produced and read."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        response = client.get(case.url, case.params)
        _consume(response)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


# The downloads measured in a fresh process each: (label, address, parameters).
EXPORTS = [
    ("CSV export, stage=appropriated", "/api/v1/allocations/", {**CSV_FILTER, "format": "csv"}),
    ("CSV export, every row", "/api/v1/allocations/", {"format": "csv"}),
    ("XLSX export, stage=appropriated", "/api/v1/allocations/", {**CSV_FILTER, "format": "xlsx"}),
    ("XLSX export, every row", "/api/v1/allocations/", {"format": "xlsx"}),
    ("IATI XML, stage=disbursed", "/api/v1/iati/activities.xml", {"stage": "disbursed"}),
    ("IATI XML, every line item", "/api/v1/iati/activities.xml", {}),
]


def export_memory_child(url: str, params: dict) -> dict:
    """In this (fresh) process: one download of `url` with `params`, read to its end; memory and time.
    Rows are counted as lines for CSV; for XLSX and XML, the bytes are what there is to count."""
    baseline = _rss_mb()
    client = _client()
    client.get("/api/v1/allocations/", {"page_size": 1})  # imports and connections, before measuring
    before = _rss_mb()
    started = time.perf_counter()
    response = client.get(url, params)
    first_byte = None
    rows = -1
    size = 0
    for chunk in response.streaming_content:
        if first_byte is None:
            first_byte = time.perf_counter() - started
        rows += chunk.count(b"\n")
        size += len(chunk)
    seconds = time.perf_counter() - started
    peak = _peak_rss_mb()
    return {
        "status": response.status_code,
        "rows": rows,
        "bytes": size,
        "seconds": round(seconds, 2),
        "first_byte_seconds": round(first_byte or seconds, 2),
        "rss_start_mb": round(baseline, 1),
        "rss_before_mb": round(before, 1),
        "rss_peak_mb": round(peak, 1),
        "rss_growth_mb": round(peak - before, 1),
    }


def _rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def _peak_rss_mb():
    # VmHWM, not getrusage's ru_maxrss: the latter keeps the parent's peak across fork and exec.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export_memory(url: str, params: dict) -> dict:
    """export_memory_child in a new process, so that its peak resident size is the download's alone."""
    output = subprocess.run(
        [sys.executable, "-m", "bench.run", "--export-memory-child", json.dumps([url, params])],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ.copy(),
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


# The download timed beside the database's own COPY of the same statement.
BARE_COPY_EXPORT = "CSV export, every row"


def bare_copy_seconds(url: str, params: dict) -> tuple[float, str]:
    """Seconds for PostgreSQL to write, to a client that reads and drops it, the COPY statement that
    the app runs for the CSV download `url` with `params` (as the app's query log holds it), with
    the settings the app's COPY runs with. Returns them and the statement."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.csv_copy import COPY_SETTINGS

    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        response = _client().get(url, params)
        next(iter(response.streaming_content))
        response.close()  # the COPY is cancelled; its statement is in the log
    [statement] = [query["sql"] for query in captured.captured_queries if query["sql"].startswith("COPY ")]
    with connection.cursor() as cursor:
        for name, value in COPY_SETTINGS.items():
            cursor.execute("SELECT set_config(%s, %s, false)", [name, value])
        started = time.perf_counter()
        cursor.cursor.copy_expert(statement, _Sink())
        seconds = time.perf_counter() - started
        for name in COPY_SETTINGS:
            cursor.execute(f"RESET {name}")
    return seconds, statement


def p95(values):
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def format_table(results: list[Result]) -> str:
    header = [
        "endpoint",
        "app ms (median / p95)",
        "SQL ms (median / p95)",
        "ratio",
        "queries",
        "status",
        "same sums over line items, SQL ms",
    ]
    lines = []
    for result in results:
        lines.append(
            [
                result.name + (f" ({result.rows:,} rows)" if result.rows is not None else ""),
                f"{result.app_median:.1f} / {p95(result.app_ms):.1f}",
                f"{result.sql_median:.1f} / {p95(result.sql_ms):.1f}",
                f"{result.ratio:.2f}",
                str(result.queries),
                str(result.status),
                f"{statistics.median(result.scan_ms):.1f}" if result.scan_ms else "",
            ]
        )
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]

    def line(cells):
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |"

    separator = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(header), separator, *map(line, lines)])


def run(repetitions: int = 20, *, only: list[str] | None = None) -> list[Result]:
    return [
        measure(case, repetitions) for case in cases() if not only or any(word in case.name for word in only)
    ]


def load(allocations: int, *, regenerate: bool) -> str:
    """The seed data plus `allocations` synthetic line items; a matching database is kept as it is."""
    from django.core.management import call_command

    from funding.io.synthetic import SOURCE_KEY
    from funding.models import Allocation

    call_command("migrate", verbosity=0, interactive=False)
    if Allocation.objects.exists() and not Allocation.objects.filter(source__key=SOURCE_KEY).exists():
        raise SystemExit(
            "This database holds line items and no synthetic ones: the bench would add a million "
            "generated line items to it. Point DATABASE_URL at a database of its own (make bench "
            "defaults to carsi_bench)."
        )
    # With debug off, pages name their static files by the manifest that collectstatic writes.
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("load_seed", verbosity=0)
    present = Allocation.objects.filter(source__key=SOURCE_KEY).count()
    if present == allocations and not regenerate:
        return f"{present:,} synthetic line items already loaded"
    started = time.monotonic()
    call_command("generate_synthetic", allocations=allocations, force=True, replace=True, verbosity=1)
    generated = time.monotonic() - started
    from releases.publish import publish

    started = time.monotonic()
    release = publish(f"{allocations:,} synthetic line items (bench)", bounded=False)
    return (
        f"{allocations:,} synthetic line items generated in {generated:.1f} s; "
        f"release {release.name} published in {time.monotonic() - started:.1f} s"
    )


def create_database(url: str) -> None:
    """CREATE DATABASE, unless it exists, through the server's maintenance database."""
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    settings = dj_database_url.parse(url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    )
    # Not `with connection`: since psycopg2 2.9 that opens a transaction even in autocommit mode, and
    # CREATE DATABASE refuses to run inside one.
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings["NAME"]])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(settings["NAME"])))
                print(f"Created the database {settings['NAME']}.", file=sys.stderr)
    finally:
        connection.close()


def machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    with open("/proc/meminfo") as meminfo:
        ram_gb = int(meminfo.readline().split()[1]) / 2**20
    return (
        f"{os.cpu_count()} cores, {ram_gb:.0f} GB RAM, PostgreSQL {server}, "
        f"Python {platform.python_version()}, load {os.getloadavg()[0]:.2f}"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--allocations", type=int, default=1_000_000, metavar="N")
    parser.add_argument("--repetitions", type=int, default=20, metavar="R")
    parser.add_argument("--regenerate", action="store_true", help="Generate the line items even if present.")
    parser.add_argument("--only", nargs="*", help="Only the cases whose name contains one of these words.")
    parser.add_argument("--show-queries", action="store_true", help="Print the SQL of each request.")
    parser.add_argument("--export-memory-child", metavar="URL_AND_PARAMS", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.allocations < 1 or args.repetitions < 1:
        parser.error("--allocations and --repetitions must be 1 or more")

    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        parser.error("set DATABASE_URL to a PostgreSQL database of its own, e.g. postgres://…/carsi_bench")
    os.environ.update(BENCH_ENVIRONMENT)
    os.environ.setdefault("DJANGO_SECRET_KEY", BENCH_SECRET_KEY)
    if not args.export_memory_child:
        create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    if args.export_memory_child:
        print(json.dumps(export_memory_child(*json.loads(args.export_memory_child))))
        return

    print(load(args.allocations, regenerate=args.regenerate), file=sys.stderr)
    print(f"Machine: {machine()}; {time.strftime('%Y-%m-%d')}", file=sys.stderr)
    results = run(args.repetitions, only=args.only)
    print(format_table(results))
    for line in release_ratios(results):
        print(line)
    if args.show_queries:
        for result in results:
            print(f"\n{result.name}:", *result.extra["sql"], sep="\n  ", file=sys.stderr)
    for result in results:
        if result.rows is not None:
            print(
                f"\n{result.name}: {result.rows:,} rows, {result.extra['bytes'] / 2**20:.1f} MB of CSV, "
                f"Python allocations peak {result.extra['tracemalloc_mb']:.1f} MB (tracemalloc)"
            )
    for label, url, params in EXPORTS:
        if args.only and not any(word in label for word in args.only):
            continue
        memory = export_memory(url, params)
        lines = f"{memory['rows']:,} lines, " if label.startswith("CSV") else ""
        print(
            f"{label}, fresh process: {memory['status']}, {lines}{memory['bytes'] / 2**20:.1f} MB in "
            f"{memory['seconds']} s (first byte after {memory['first_byte_seconds']} s), peak RSS "
            f"{memory['rss_peak_mb']} MB (was {memory['rss_before_mb']} MB before the export: "
            f"+{memory['rss_growth_mb']} MB)"
        )
        if label == BARE_COPY_EXPORT and memory["status"] == 200:
            seconds, _ = bare_copy_seconds(url, params)
            print(
                f"{label}: PostgreSQL's COPY of the same SELECT, read and dropped, in {seconds:.2f} s; "
                f"the download {memory['seconds'] / seconds:.2f}× that"
            )


if __name__ == "__main__":
    main()
