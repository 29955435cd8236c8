"""Every analyst page: exact seed figures, links down to line items, and fixed query counts."""

import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funding.models import Allocation, Coverage
from funding.queries.reconciliation import Verdict
from partners.models import Organization
from programs.models import Program
from sources.models import Source

pytestmark = pytest.mark.django_db


def html_of(client, url, expected_status=200, **params):
    response = client.get(url, params)
    assert response.status_code == expected_status, response.content[:500]
    return response.content.decode()


def money(amount, short):
    exact = f"${Decimal(amount):,.0f}"
    return f'<data value="{Decimal(amount):.2f}" title="{exact}">{short}</data>'


def links_to(html, short):
    """The explorer links wrapped around an amount shown as `short`."""
    return [
        parse_qs(urlsplit(href.replace("&amp;", "&")).query)
        for href in re.findall(
            r'<a class="money" href="([^"]+)"><data [^>]*>' + re.escape(short) + "</data>", html
        )
    ]


def add_line_items(count):
    donor = Organization.objects.get(slug="usaid")
    source = Source.objects.get(key="gao-13-771")
    Allocation.objects.bulk_create(
        Allocation(
            fiscal_year=2012,
            amount=Decimal("10.00"),
            stage="obligated",
            donor=donor,
            source=source,
            country_id=index % 7 + 1,
            source_detail=f"r{index}",
        )
        for index in range(count)
    )


# Dashboard


def test_dashboard_headline_totals_per_stage(client):
    html = html_of(client, "/")
    assert money("496508000", "$496.5M") in html
    assert money("21183319", "$21.2M") in html
    assert money("12075000", "$12.1M") in html
    assert html.count("Not in line items") == 3  # requested, committed, obligated


def test_dashboard_amounts_link_to_their_line_items(client):
    html = html_of(client, "/")
    assert {"stage": ["appropriated"], "fiscal_year_min": ["2008"], "fiscal_year_max": ["2012"]} in links_to(
        html, "$496.5M"
    )
    # A chart segment: FY2012 INCLE appropriations.
    assert {"fiscal_year": ["2012"], "stage": ["appropriated"], "account": ["INCLE"]} in [
        parse_qs(urlsplit(href.replace("&amp;", "&")).query)
        for href in re.findall(r"<a href=\"(/allocations/[^\"]+)\"><rect", html)
    ]
    # Regional disbursements link to the regional line items, not to a country.
    regional = links_to(html, "$4.2M")
    assert regional == [
        {
            "country": ["regional"],
            "stage": ["disbursed"],
            "fiscal_year_min": ["2008"],
            "fiscal_year_max": ["2012"],
        }
    ]


def test_dashboard_chart_has_a_text_alternative(client):
    html = html_of(client, "/")
    assert '<svg class="chart"' in html
    assert 'role="img"' in html
    assert '<title id="appropriations-chart-title">' in html
    assert "<caption>Appropriated per fiscal year and account</caption>" in html
    assert "<caption>Disbursed per country</caption>" in html


def test_dashboard_shows_the_fy2012_disagreement(client):
    html = html_of(client, "/")
    row = html[html.index("FY2012 commitment to CARSI") :]
    row = row[: row.index("</tr>")]
    assert money("105000000", "$105.0M") in row
    assert "No line items" in row
    # The $135 million appropriated is not added in: the row leads to the disagreement that sets them apart.
    assert "$135.0M" not in row
    assert 'href="/disagreements/fy2012-105-or-135/">see the disagreement</a>' in row


def test_dashboard_queries_do_not_grow_with_line_items(client, django_assert_num_queries):
    # First the data version (core.responsecache); then
    # 1 totals per stage; 2 appropriations per year and account (their sum is each year's);
    # 3 account codes; 4 disbursements per country; 5-6 what those line items count (the coverage
    # declared, and which sources declare none); 7-17 the reconciliation of CARSI's figures.
    with django_assert_num_queries(19):
        client.get("/")
    add_line_items(500)
    with django_assert_num_queries(19):
        client.get("/")


# Explorer


@pytest.fixture
def json_known():
    """Whether the database reads JSON, asked now: SQLite is asked once, with a query of its own, the
    first time (the explorer reads its filter choices as JSON, core.querysets)."""
    assert connection.features.supports_json_field


def test_explorer_lists_filters_and_totals_the_whole_set(client):
    html = html_of(client, "/allocations/", stage="disbursed", country="GT")
    assert "<strong>5</strong> line items match." in html
    assert money("1675000", "$1.7M") in html
    assert 'href="/api/v1/allocations/?stage=disbursed&amp;country=GT&amp;format=csv"' in html


def test_an_explorer_that_matches_nothing_says_so_once_and_what_the_stage_counts(client):
    # No source itemizes the appropriations by country: no line item is Guatemala's appropriation.
    html = html_of(client, "/allocations/", stage="appropriated", country="GT")
    assert html.count("No line items match these filters.") == 1
    assert "What line items of this stage count, which may be why none match" in html
    assert "nor to which countries" in html
    assert "format=csv" not in html and '<table class="figures line-items">' not in html
    # FMF disbursements are not itemized either: each stage asked for says what it counts.
    html = html_of(client, "/allocations/", stage="appropriated,disbursed", country="GT", account="FMF")
    assert "What line items of these stages count" in html
    assert "Appropriated amounts count" in html and "FMF are not itemized" in html


def test_explorer_totals_row_covers_every_page(client):
    html = html_of(client, "/allocations/", page_size=10)
    assert "page 1 of 6" in html
    # Per-stage totals are for all 54 line items, not the 10 on the page.
    assert money("496508000", "$496.5M") in html
    assert money("12075000", "$12.1M") in html
    assert 'rel="next" href="?page_size=10&amp;page=2"' in html


def test_explorer_form_keeps_its_state_from_the_url(client):
    html = html_of(client, "/allocations/", stage="allocated,disbursed", account="NADR", search="OAS")
    assert '<input type="checkbox" name="stage" value="allocated" checked>' in html
    assert '<input type="checkbox" name="stage" value="disbursed" checked>' in html
    assert '<option value="NADR" selected>' in html
    assert 'value="OAS"' in html
    assert "<strong>3</strong> line items match." in html


def test_explorer_sorts_by_column(client):
    html = html_of(client, "/allocations/", ordering="-amount", page_size=1)
    assert money("85000000", "$85.0M") in html
    assert 'aria-sort="descending"' in html


def test_explorer_pivot_of_country_by_year(client):
    html = html_of(client, "/allocations/", pivot="country", stage="disbursed")
    assert "<caption>Disbursed by country and fiscal year</caption>" in html
    # Costa Rica FY2011: 1,304,000 ESF + 35,000 NADR.
    assert {"country": ["CR"], "fiscal_year": ["2011"], "stage": ["disbursed"]} in links_to(html, "$1.3M")
    # The regional row keeps regional money apart.
    assert "Regional / no country" in html
    assert money("4169000", "$4.2M") in html


def test_explorer_pivot_splits_stages_into_separate_tables(client):
    html = html_of(client, "/allocations/", pivot="account")
    assert "<caption>Appropriated by account and fiscal year</caption>" in html
    assert "<caption>Allocated by account and fiscal year</caption>" in html
    assert "<caption>Disbursed by account and fiscal year</caption>" in html


def test_explorer_bad_filter_is_a_400_naming_the_parameter(client):
    html = html_of(client, "/allocations/", expected_status=400, country="XX", fiscal_year_min="abc")
    assert "<code>country</code>: Unknown country: XX" in html
    assert "<code>fiscal_year_min</code>: Enter a whole number." in html


def test_explorer_queries_do_not_grow_with_page_size(client, django_assert_num_queries, json_known):
    add_line_items(300)
    # 1 the data version (core.responsecache); 2 the filter choices, all seven tables in one query,
    # whose rows are also those the page's line items name; 3 totals per stage (from the subtotals),
    # whose counts are the paginator's; 4-5 what those line items count (coverage declared, sources
    # declaring none); 6 the page; 7 the release the data is of.
    with django_assert_num_queries(7):
        client.get("/allocations/", {"page_size": 10})
    with django_assert_num_queries(7):
        client.get("/allocations/", {"page_size": 354})


def test_explorer_queries_stay_at_eight_whatever_the_filters_and_order(
    client, django_assert_num_queries, json_known
):
    add_line_items(300)
    # As above, and the country filtered by read by its key.
    with django_assert_num_queries(8):
        client.get("/allocations/", {"country": "GT"})
    with django_assert_num_queries(7):
        client.get("/allocations/", {"stage": "disbursed", "ordering": "-amount", "page": 2, "page_size": 2})
    # Ordered by country: on PostgreSQL the countries with line items first, in the order of their
    # names (funding.queries.pages); SQLite sorts the line items by the names itself.
    walked = 1 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(7 + walked):
        client.get("/allocations/", {"ordering": "country", "page_size": 10})
    with django_assert_num_queries(7 + walked):
        client.get("/allocations/", {"ordering": "-country", "page": 3, "page_size": 10})


def test_explorer_pivot_queries_are_fixed(client, django_assert_num_queries, json_known):
    add_line_items(300)
    # 7 as above, plus 4 grouped sums: cells, row totals, column totals, stage totals.
    with django_assert_num_queries(11):
        client.get("/allocations/", {"pivot": "program"})


# Line item


def test_line_item_page_leads_to_its_source(client):
    allocation = Allocation.objects.get(stage="allocated", fiscal_year=2010)
    html = html_of(client, f"/allocations/{allocation.pk}/")
    assert "$2,550,319 allocated, FY2010" in html
    assert 'href="/sources/state-carsi-fy2010-activities/"' in html
    assert "Regional Equipment and Training for Law Enforcement, FY2010 omnibus" in html
    assert client.get("/allocations/999999/").status_code == 404


# Reconciliation


def test_reconciliation_page_marks_every_verdict(client, django_assert_num_queries):
    # 1-3 figures, their citations and disagreements; 4 their donors' subtotals; 5-9 coverage
    # declarations with their accounts and agencies, and the accounts' agencies; 10 which sources
    # have line items of which stage; 11 the CARSI countries (a regional declaration misses them).
    with django_assert_num_queries(13):
        html = html_of(client, "/reconciliation/")
    rows = {verdict: html.count(f'class="verdict-row-{verdict}"') for verdict in Verdict.values}
    assert rows == {
        "agrees": 3,
        "disagrees": 0,
        "partial_coverage": 6,
        "no_line_items": 4,
        "not_comparable": 13,
    }
    partial = html[html.index('id="gao-allocated-fy2008-2011"') :]
    partial = partial[: partial.index("</td></tr>")]
    assert "Line items cover part of it" in partial
    assert "No line items of ESF, FMF and NADR are counted." in partial
    row = html[html.index('id="fy2012-commitment"') :]
    row = row[: row.index('class="explanation')]
    assert money("105000000", "$105.0M") in row
    assert "$135.0M" in row
    assert "insight-crime-2012-03-07" in row
    agrees = html[html.index('id="fy2008-2011-total"') :]
    assert '<data value="508000.00" title="$508,000">+$508K</data>' in agrees[: agrees.index("</tr>")]


# Programs, objectives


def test_program_list_says_not_reported_never_zero(client, django_assert_num_queries):
    # First the data version (core.responsecache); then
    # 1 programs; 2-5 objectives, countries, sources, partners; 6 funding; 7-8 form choices.
    with django_assert_num_queries(10):
        html = html_of(client, "/programs/")
    assert html.count("Amount not reported") == 10
    assert 'value="0.00"' not in html and ">$0<" not in html
    assert money("21183319", "$21.2M") in html


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"objective": "2"}, 6),
        ({"country": "GT"}, 3),
        ({"country": "regional"}, 4),
        ({"status": "not_stated"}, 11),
    ],
)
def test_program_list_filters(client, params, count):
    assert f"{count} program{'s' if count != 1 else ''}</caption>" in html_of(client, "/programs/", **params)


def test_program_list_refuses_unknown_filters(client):
    html = html_of(client, "/programs/", expected_status=400, country="XX")
    assert "<code>country</code>" in html


def test_program_detail(client):
    html = html_of(client, "/programs/operation-martillo/")
    assert "U.S. Southern Command" in html
    assert "Accountable" in html
    assert "Amount not reported" in html
    html = html_of(client, "/programs/regional-equipment-and-training/")
    assert money("21183319", "$21.2M") in html
    assert "3 line items" in html
    assert client.get("/programs/no-such-program/").status_code == 404


def test_program_queries_do_not_grow_with_programs(client, django_assert_num_queries):
    for index in range(15):
        program = Program.objects.create(name=f"Program {index}", slug=f"program-{index}")
        program.countries.set([1, 2, 3])
    with django_assert_num_queries(10):
        client.get("/programs/")


def test_objectives(client):
    html = html_of(client, "/objectives/")
    assert "Safe Streets" in html and "Enhanced Levels of Cooperation" in html
    html = html_of(client, "/objectives/2/")
    assert "Operation Martillo" in html
    assert "No line items are attributed to this objective in the sources." in html
    assert client.get("/objectives/9/").status_code == 404


# Countries


def test_country_list_keeps_regional_money_apart(client, django_assert_num_queries):
    # First the data version (core.responsecache); then
    # 1 CARSI countries with program counts; 2 totals per country; 3 other countries with line items.
    with django_assert_num_queries(5):
        html = html_of(client, "/countries/")
    assert money("1675000", "$1.7M") in html  # Guatemala
    assert money("4169000", "$4.2M") in html  # regional disbursements
    assert money("496508000", "$496.5M") in html  # appropriations are all regional


def test_country_detail(client, django_assert_num_queries):
    # First the data version (core.responsecache); then
    # 1 country; 2 per year and stage (added up per stage); 3-4 what those line items count; 5
    # regional per stage; 6-7 programs; 8 the page of line items; 9 the rows they name.
    with django_assert_num_queries(11):
        html = html_of(client, "/countries/GT/")
    assert money("1499000", "$1.5M") not in html  # only cells and the total appear
    assert money("1675000", "$1.7M") in html
    assert {"fiscal_year": ["2009"], "stage": ["disbursed"], "country": ["GT"]} in links_to(html, "$1.2M")
    assert "Police force improvement (Guatemala)" in html
    assert "Regional money" in html
    # The same page (its links to itself in other languages aside, which keep the address as asked).
    same = re.compile(r'<link rel="alternate"[^>]*>|<nav class="languages".*?</nav>', re.S)
    assert same.sub("", html_of(client, "/countries/gt/")) == same.sub("", html)
    assert client.get("/countries/XX/").status_code == 404


# What the line items count


GUATEMALA_CAVEAT = (
    "Disbursed amounts count State ESF and NADR disbursements FY2008–FY2011, as of 30 September 2011, "
    "by year of the transaction. INCLE disbursements, USAID&#x27;s ESF disbursements and FMF are not "
    "itemized."
)


def test_a_country_page_says_what_its_line_items_count(client):
    html = html_of(client, "/countries/GT/")
    caveats = html[html.index('<div class="caveats"') :]
    caveats = caveats[: caveats.index("</div>")]
    assert caveats == (
        '<div class="caveats" role="note"><p class="caveats-title">What these line items count</p>'
        f"<p>{GUATEMALA_CAVEAT}</p>"
    )


def test_the_caveat_is_written_from_the_coverage_data(client):
    coverage = Coverage.objects.get(key="gao-13-295r-disbursements")
    coverage.not_covered = "Nothing else is itemized."
    coverage.save()
    assert "Nothing else is itemized." in html_of(client, "/countries/GT/")
    assert "Nothing else is itemized." in html_of(client, "/")  # the disbursement chart
    assert "Nothing else is itemized." in html_of(client, "/allocations/", stage="disbursed")


def test_the_dashboard_and_explorer_say_what_their_sums_count(client):
    dashboard = html_of(client, "/")
    assert GUATEMALA_CAVEAT in dashboard
    assert "Appropriated amounts count CARSI appropriations FY2008–FY2012" in dashboard
    explorer = html_of(client, "/allocations/", country="GT")
    assert GUATEMALA_CAVEAT in explorer


def test_line_items_from_a_source_that_declares_nothing_say_so(client):
    Coverage.objects.filter(key="gao-13-295r-disbursements").delete()
    html = html_of(client, "/countries/GT/")
    assert "Some disbursed line items come from sources that do not declare what they count." in html


# Disagreements


def test_disagreement_list_sets_the_sides_beside_each_other(client, django_assert_num_queries):
    with django_assert_num_queries(8):
        html = html_of(client, "/disagreements/")
    assert "4 disagreements</caption>" in html
    row = html[html.index("FY2012: $105 million or $135 million") :]
    row = row[: row.index("</tr>")]
    assert money("105000000", "$105.0M") in row
    assert money("135000000", "$135.0M") in row
    assert '<data value="30000000.00" title="$30,000,000">+$30.0M</data>' in row
    assert "+28.57%" in row
    assert "−3.05%" in html  # $361M against $350M


def test_disagreement_page_shows_each_side_its_citations_and_why(client):
    html = html_of(client, "/disagreements/friends-650-or-2000/")
    assert "<h1>Group of Friends: more than $650 million or up to $2,000 million</h1>" in html
    assert 'class="status status-explained">Explained<' in html
    assert "“en créditos blandos”" in html
    assert 'href="/sources/el-nuevo-diario-2011-06/"' in html
    html = html_of(client, "/disagreements/fy2012-105-or-135/")
    # The line-item side leads to exactly the line items it sums.
    assert {"stage": ["appropriated"], "fiscal_year": ["2012"], "source": ["state-spend-plan-fy2012"]} in (
        links_to(html, "$135.0M")
    )
    assert "no source says why" in html
    assert client.get("/disagreements/nothing-like-it/").status_code == 404


def test_the_reconciliation_links_each_figure_to_its_disagreement(client):
    html = html_of(client, "/reconciliation/")
    row = html[html.index('id="wh-allocated-fy2008-2011"') :]
    row = row[: row.index("</td></tr>")]
    assert (
        'Takes part in a disagreement: <a href="/disagreements/allocated-fy2008-2011-361-or-350/">'
        "FY2008–2011 allocated: $361 million or $350 million</a>."
    ) in row


# Organizations


def test_organization_list_groups_them_by_kind(client, django_assert_num_queries):
    with django_assert_num_queries(3):
        html = html_of(client, "/organizations/")
    for heading in [
        "Coalition",
        "Financial institution",
        "Government",
        "Multilateral organization",
        "U.S. agency",
    ]:
        assert f"<h2>{heading}</h2>" in html
    assert 'href="/organizations/group-of-friends/"' in html
    # and the menu's, and the page's own link to its English version
    assert html.count('href="/organizations/') == 2 + Organization.objects.count()


def test_organization_page_shows_facts_pledges_and_line_items(client, django_assert_num_queries):
    # The organization; its sub-organizations, roles, programs led, figures with their citations,
    # facts; its sums as donor (subtotals) and as managing agency; the accounts it administers.
    with django_assert_num_queries(12):
        html = html_of(client, "/organizations/group-of-friends/")
    assert '<strong>16</strong> <span lang="en">partner nations, besides the United States' in html
    assert "<strong>22</strong>" in html and '<strong>8</strong> <span lang="en">priority programs' in html
    assert money("2000000000", "$2.0B") in html and money("650000000", "$650.0M") in html
    html = html_of(client, "/organizations/state-inl/")
    # INCLE's appropriations and the regional program's allocations are INL's to manage.
    assert {"stage": ["appropriated"], "agency": ["state-inl"]} in links_to(html, "$316.3M")
    assert "Manages money of the account <abbr" in html
    assert client.get("/organizations/nobody/").status_code == 404


# Sources


def test_sources(client, django_assert_num_queries):
    with django_assert_num_queries(5):
        html = html_of(client, "/sources/")
    assert "17 sources" in html
    html = html_of(client, "/sources/gao-13-295r/")
    assert money("12075000", "$12.1M") in html
    assert "Allocated to CARSI, FY2008–2011" in html
    html = html_of(client, "/sources/wh-fact-sheet-2012-03-06/")
    assert "This source gives no line items." in html
    assert "Operation Martillo" in html
    assert "FY2012 commitment to CARSI" in html
    assert client.get("/sources/nope/").status_code == 404


# Health


def test_healthz_says_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_a_missing_page_is_the_site_own_404(client):
    html = html_of(client, "/countries/XX/", expected_status=404)
    assert "<h1>Not found</h1>" in html
    assert "/countries/XX/" in html
    assert 'href="/countries/GT/"' in html


# Detail pages stay bounded however many line items they touch


@pytest.fixture
def many_guatemala_line_items():
    """130 more line items in Guatemala, for objective 2 and one program, citing one source."""
    template = Allocation.objects.filter(country__iso2="GT", stage="disbursed").order_by("id").first()
    program = Program.objects.get(slug="guatemala-aviation-program")
    Allocation.objects.bulk_create(
        Allocation(
            fiscal_year=2010,
            stage="obligated",
            amount=Decimal(1000 + index),
            donor_id=template.donor_id,
            account_id=template.account_id,
            country_id=template.country_id,
            objective_id=2,
            program=program,
            source_id=template.source_id,
            source_detail=f"bulk row {index}",
        )
        for index in range(130)
    )
    return program


# Every page also asks which release its data is of, and whether anything changed since (one query).
@pytest.mark.parametrize(
    "url, queries, count, explorer_filter",
    [
        # country; per year and stage (whose sums per stage are added up), regional per stage
        # (subtotals); what they count (2); programs (2); one page of line items, then the rows they
        # name, every table in one query (2, as on every detail page)
        ("/countries/GT/", 10, 135, {"country": ["GT"]}),
        # program with its relations (5); its sums per stage; one page of line items (2)
        ("/programs/guatemala-aviation-program/", 9, 130, {"program": ["guatemala-aviation-program"]}),
        # objective, its wordings and their sources; its programs (5), their sums; its sums per stage;
        # one page of line items (2)
        ("/objectives/2/", 13, 130, {"objective": ["2"]}),
        # source; its sums per year and stage; the figures citing it, reconciled (11); its coverage
        # declarations with their accounts and agencies (3); its programs; one page of line items (2)
        ("/sources/gao-13-295r/", 20, 167, {"source": ["gao-13-295r"]}),
    ],
)
def test_a_detail_page_shows_one_page_of_its_line_items_and_links_to_the_rest(
    client, django_assert_num_queries, many_guatemala_line_items, url, queries, count, explorer_filter
):
    with django_assert_num_queries(queries + 1):  # and the data version (core.responsecache)
        html = html_of(client, url)
    assert len(re.findall(r'href="/allocations/[0-9]+/"', html)) == 50
    assert f"1–50 of {count}" in html
    assert 'rel="next" href="?page=2"' in html
    explorer = re.search(r'href="(/allocations/\?[^"]+)">open them in the explorer', html).group(1)
    assert parse_qs(urlsplit(explorer.replace("&amp;", "&")).query) == explorer_filter
    last = (count + 49) // 50
    assert f"{(last - 1) * 50 + 1}–{count} of {count}" in html_of(client, url, page=last)


@pytest.mark.parametrize("url", ["/objectives/2/", "/programs/guatemala-aviation-program/"])
def test_the_objective_and_program_pages_sum_from_the_sums_per_objective_and_program(
    client, many_guatemala_line_items, url
):
    with CaptureQueriesContext(connection) as queries:
        html = html_of(client, url)
    sums = [query["sql"] for query in queries if "SUM(" in query["sql"].upper()]
    assert sums and all('FROM "funding_programsubtotal"' in sql for sql in sums)
    # The fixture's 130 obligations of 1,000 to 1,129 dollars: 130,000 + 0 + 1 + ... + 129.
    assert money("138385", "$138K") in html and "130 line items" in html


def test_a_source_page_sums_its_line_items_from_the_subtotals(client):
    with CaptureQueriesContext(connection) as queries:
        html = html_of(client, "/sources/gao-13-295r/")
    sums = [
        query["sql"] for query in queries if "SUM(" in query["sql"].upper() and '"source_id"' in query["sql"]
    ]
    assert sums and all('FROM "funding_subtotal"' in sql for sql in sums)
    # GAO-13-295R's disbursements, FY2009–FY2011 (reference data): 37 line items, $12,075,000.
    assert money("12075000", "$12.1M") in html and "37 line items" in html
    # By fiscal year, which add up to it.
    for amount, short in (("6353000", "$6.4M"), ("2397000", "$2.4M"), ("3325000", "$3.3M")):
        assert money(amount, short) in html
