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
    # 1: the figures with donor and source; 2: line-item subtotals per donor, stage and year.
    with django_assert_num_queries(2):
        body = api.get(URL).json()
    assert body["count"] == 11
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
        "fiscal_year_min": 2008,
        "fiscal_year_max": 2011,
        "as_of": "2012-03-06",
        "line_item_sum": "361508000.00",
        "line_item_count": 12,
        "difference": "508000.00",
        "difference_pct": "0.14",
        "other_stages": {"allocated": "21183319.00", "disbursed": "12075000.00"},
        "verdict": "agrees",
        "explanation": "Appropriated line items add up to $361,508,000, which agrees with the reported "
        "$361,000,000 within 0.5%.",
    }


def test_fy2012_commitment_sits_next_to_the_appropriation(api):
    row = by_key(api.get(URL).json())["fy2012-commitment"]
    assert row["reported_amount"] == "105000000.00"
    assert row["verdict"] == "no_line_items"
    assert row["line_item_sum"] is None
    assert row["other_stages"] == {"appropriated": "135000000.00"}


@pytest.mark.parametrize(
    ("params", "keys"),
    [
        ({"verdict": "agrees"}, {"fy2008-2011-total", "fy2008-2012-total"}),
        ({"verdict": "not_comparable"}, {"under-review-2011", "demand-reduction"}),
        (
            {"verdict": "disagrees"},
            {"gao-allocated-fy2008-2011", "gao-allocated-fy2008-2012", "gao-disbursed-2013"},
        ),
        (
            {"verdict": "no_line_items"},
            {"committed-to-date-2010", "fy2012-commitment", "gao-obligated-2013", "friends-commitments"},
        ),
        ({"stage": "committed"}, {"committed-to-date-2010", "fy2012-commitment", "friends-commitments"}),
        (
            {"stage": "committed", "verdict": "no_line_items,agrees"},
            {"committed-to-date-2010", "fy2012-commitment", "friends-commitments"},
        ),
        (
            {"stage": "allocated,obligated"},
            {"gao-allocated-fy2008-2011", "gao-allocated-fy2008-2012", "gao-obligated-2013"},
        ),
        ({"source": "gao-13-771"}, {"gao-allocated-fy2008-2012", "gao-obligated-2013", "gao-disbursed-2013"}),
        ({"scope": "context"}, {"demand-reduction"}),
        ({"donor": "group-of-friends"}, {"friends-commitments"}),
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
    assert len(rows) == 7
    commitment = next(row for row in rows if row["key"] == "fy2012-commitment")
    assert commitment["reported_amount"] == "105000000.00"
    assert commitment["other_appropriated"] == "135000000.00"
    assert commitment["verdict"] == "no_line_items"
    assert commitment["line_item_sum"] == ""


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
    # 12,075,000 of seed disbursements plus the new one: 16 significant digits, which PostgreSQL
    # keeps; SQLite stores decimals as floating point and keeps 15.
    expected = "10000012074999.99" if connection.vendor == "postgresql" else "10000012075000.00"
    response = api.get(URL)
    assert response.status_code == 200
    row = by_key(response.json())["gao-disbursed-2013"]
    assert row["line_item_sum"] == expected
    assert row["difference"] == str(Decimal(expected) - 189_000_000)
    totals = api.get("/api/v1/allocations/totals/?stage=disbursed").json()
    assert totals["total"]["amount"] == expected
    csv_rows = list(
        csv.DictReader(io.StringIO(b"".join(api.get(URL + "?format=csv").streaming_content).decode()))
    )
    assert {row["key"]: row["line_item_sum"] for row in csv_rows}["gao-disbursed-2013"] == expected
