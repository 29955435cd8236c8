import csv
import io
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

URL = "/api/v1/reconciliation/"


@pytest.fixture
def api():
    return APIClient()


def by_key(body):
    return {row["key"]: row for row in body["results"]}


def test_reconciliation_lists_every_reported_figure(api, django_assert_num_queries):
    # The data version, then the reconciliation's queries (11: funding.queries.reconciliation.reconcile),
    # however many figures and line items.
    with django_assert_num_queries(12):
        body = api.get(URL).json()
    assert body["count"] == 26
    row = by_key(body)["fy2008-2011-total"]
    assert row == {
        "key": "fy2008-2011-total",
        "label": "Funding for CARSI, FY2008–2011",
        "source": "wh-fact-sheet-2012-03-06",
        "source_title": "Fact Sheet: The Central American Citizen Security Partnership",
        "reported_amount": "361000000.00",
        "qualifier": "exact",
        "stage": "appropriated",
        "donor": "united-states",
        "scope": "carsi",
        "country": None,
        "account": None,
        "agency": None,
        "fiscal_year_min": 2008,
        "fiscal_year_max": 2011,
        "as_of": "2012-03-06",
        "citations": [
            {
                "source": "wh-fact-sheet-2012-03-06",
                "source_title": "Fact Sheet: The Central American Citizen Security Partnership",
                "locator": "Additional background: Direct support for partners through a sustained CARSI "
                "commitment",
                "quote": "From FY 2008 – 2011, funding for CARSI totaled $361 million.",
                "grade": "V",
            }
        ],
        "note": "The same fact sheet also says CARSI has “allocated” $361 million: see "
        "wh-allocated-fy2008-2011.",
        "line_item_sum": "361508000.00",
        "line_item_count": 12,
        "line_items_url": "/api/v1/allocations/?stage=appropriated&donor=united-states&fiscal_year_min=2008"
        "&fiscal_year_max=2011",
        "difference": "508000.00",
        "difference_pct": "0.14",
        "other_stages": {"allocated": "21183319.00", "disbursed": "12075000.00"},
        "verdict": "agrees",
        "explanation": "Appropriated line items add up to $361,508,000, which agrees with the reported "
        "$361,000,000 within 0.5%.",
        "coverage": {
            "missing": [],
            "line_items_as_of": None,
            "figure_as_of": "2012-03-06",
            "fiscal_year_basis": {"line_items": ["appropriation"], "figure": "appropriation"},
            "notes": [
                "FY2012 Congressional Spending Plan, Central America Regional Security Initiative: CARSI "
                "appropriations FY2008–FY2012 (State and USAID; ESF, FMF, INCLE and NADR; not by country; "
                "fiscal years are years of appropriation; as of 19 June 2012). It does not say how the "
                "appropriations were allocated, obligated or disbursed, nor to which countries."
            ],
            "sources": ["state-spend-plan-fy2012-appropriations"],
            "undeclared": False,
        },
        "disagreements": [],
    }


def test_the_line_items_url_lists_exactly_the_line_items_summed(api):
    for row in api.get(URL, {"verdict": "agrees,partial_coverage"}).json()["results"]:
        listed = api.get(row["line_items_url"] + "&page_size=1000").json()
        assert listed["count"] == row["line_item_count"], row["key"]
        assert sum(Decimal(item["amount"]) for item in listed["results"]) == Decimal(row["line_item_sum"])


def test_a_partial_coverage_says_exactly_what_is_missing(api):
    row = by_key(api.get(URL).json())["gao-295r-esf-disbursed"]
    assert row["verdict"] == "partial_coverage"
    assert row["coverage"]["missing"] == [{"dimension": "agency", "values": ["usaid"]}]
    assert [citation["quote"] for citation in row["citations"]] == ["$25.9 million in ESF funds"]


def test_fy2012_commitment_sits_next_to_the_appropriation(api):
    row = by_key(api.get(URL).json())["fy2012-commitment"]
    assert row["reported_amount"] == "105000000.00"
    assert row["verdict"] == "no_line_items"
    assert row["line_item_sum"] is None
    assert row["other_stages"] == {"appropriated": "135000000.00"}


@pytest.mark.parametrize(
    ("params", "keys"),
    [
        ({"verdict": "agrees"}, {"fy2008-2011-total", "fy2008-2012-total", "gao-295r-nadr-disbursed"}),
        (
            {"verdict": "partial_coverage"},
            {
                "gao-295r-esf-disbursed",
                "gao-295r-disbursed-total",
                "gao-disbursed-2013",
                "gao-allocated-fy2008-2011",
                "gao-allocated-fy2008-2012",
                "wh-allocated-fy2008-2011",
            },
        ),
        ({"verdict": "disagrees"}, set()),
        (
            {"verdict": "no_line_items"},
            {"committed-to-date-2010", "fy2012-commitment", "gao-obligated-2013", "gao-295r-incle-disbursed"},
        ),
        (
            {"stage": "committed", "verdict": "no_line_items,agrees"},
            {"committed-to-date-2010", "fy2012-commitment"},
        ),
        (
            {"stage": "allocated,obligated"},
            {
                "gao-allocated-fy2008-2011",
                "gao-allocated-fy2008-2012",
                "gao-obligated-2013",
                "wh-allocated-fy2008-2011",
                "gao-771-non-carsi",
                "gao-771-all-allocated",
            },
        ),
        (
            {"source": "gao-13-771"},
            {
                "gao-allocated-fy2008-2012",
                "gao-obligated-2013",
                "gao-disbursed-2013",
                "gao-771-non-carsi",
                "gao-771-all-allocated",
            },
        ),
        ({"scope": "context"}, {"demand-reduction", "gao-771-all-allocated", "clinton-pledge-2011-06"}),
        (
            {"scope": "not_carsi", "donor": "world-bank"},
            {"world-bank-pledge-2011-06", "world-bank-pledge-press-2011-06"},
        ),
        ({"donor": "group-of-friends"}, {"friends-commitments", "friends-conference-2011-06"}),
    ],
)
def test_reconciliation_filters(api, params, keys):
    body = api.get(URL, params).json()
    assert set(by_key(body)) == keys
    assert body["count"] == len(keys)


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"verdict": "maybe"}, "verdict"),
        ({"stage": "promised"}, "stage"),
        ({"scope": "x"}, "scope"),
        ({"source": "x"}, "source"),
    ],
)
def test_reconciliation_refuses_unknown_values(api, params, parameter):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_reconciliation_csv(api):
    response = api.get(URL, {"format": "csv", "stage": "committed,appropriated"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 14
    commitment = next(row for row in rows if row["key"] == "fy2012-commitment")
    assert commitment["reported_amount"] == "105000000.00"
    assert commitment["other_appropriated"] == "135000000.00"
    assert commitment["verdict"] == "no_line_items"
    assert commitment["line_item_sum"] == ""
    assert commitment["disagreements"] == "fy2012-105-or-135"
    assert commitment["citations"] == (
        "wh-fact-sheet-2012-03-06, Additional background: Direct support for partners through a sustained "
        "CARSI commitment (V); insight-crime-2012-03-07 (P)"
    )
    assert (commitment["source"], commitment["fiscal_year_basis"], commitment["as_of"]) == (
        "wh-fact-sheet-2012-03-06",
        "appropriation",
        "2012-03-06",
    )
    partial = next(
        row
        for row in csv.DictReader(
            io.StringIO(b"".join(api.get(URL, {"format": "csv"}).streaming_content).decode())
        )
        if row["key"] == "gao-295r-esf-disbursed"
    )
    assert partial["verdict"] == "partial_coverage"
    assert partial["coverage_notes"].startswith("Not counted: USAID's ESF.")
    assert partial["line_items_url"].endswith("&account=ESF")


def test_sums_beyond_fifteen_digits_are_served_whole(api):
    """The largest amount a line item may hold, summed with the others, is answered, not a 500."""
    from django.db import connection

    from funding.models import Allocation
    from partners.models import Organization
    from sources.models import Source

    Allocation.objects.create(
        fiscal_year=2010,
        stage="disbursed",
        amount=Decimal("9999999999999.99"),
        donor=Organization.objects.get(slug="united-states"),
        source=Source.objects.get(key="gao-13-295r"),
        source_detail="largest amount",
    )
    # 12,075,000 of seed disbursements plus the new one: 16 significant digits. The reconciliation
    # adds its subtotals as Decimals, exactly; a sum that SQLite itself takes is floating point and
    # keeps 15 of them (PostgreSQL keeps all).
    expected = "10000012074999.99"
    response = api.get(URL)
    assert response.status_code == 200
    row = by_key(response.json())["gao-disbursed-2013"]
    assert row["line_item_sum"] == expected
    assert row["difference"] == str(Decimal(expected) - 189_000_000)
    totals = api.get("/api/v1/allocations/totals/?stage=disbursed").json()
    assert totals["total"]["amount"] == (
        expected if connection.vendor == "postgresql" else "10000012075000.00"
    )
    csv_rows = list(
        csv.DictReader(io.StringIO(b"".join(api.get(URL + "?format=csv").streaming_content).decode()))
    )
    assert {row["key"]: row["line_item_sum"] for row in csv_rows}["gao-disbursed-2013"] == expected
