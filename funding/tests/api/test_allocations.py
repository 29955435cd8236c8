import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from funding.models import Allocation
from partners.models import Organization
from sources.models import Source

pytestmark = pytest.mark.django_db

URL = "/api/v1/allocations/"
TOTALS = "/api/v1/allocations/totals/"


@pytest.fixture
def api():
    return APIClient()


def get(api, url, **params):
    response = api.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def csv_rows(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_list_gives_natural_keys_labels_and_money_as_strings(api):
    body = get(api, URL, fiscal_year=2008, stage="appropriated", ordering="-amount")
    assert body["count"] == 4
    first = body["results"][0]
    assert {key: first[key] for key in ["fiscal_year", "stage", "amount", "donor", "account", "country"]} == {
        "fiscal_year": 2008,
        "stage": "appropriated",
        "amount": "25000000.00",
        "donor": "united-states",
        "account": "ESF",
        "country": None,
    }
    assert first["account_name"] == "Economic Support Fund"
    assert first["source"] == "state-spend-plan-fy2012"
    assert isinstance(first["id"], int)


def test_list_is_paginated_with_links(api):
    body = get(api, URL)
    assert body["count"] == 54
    assert len(body["results"]) == 50
    assert body["previous"] is None
    assert body["next"].endswith("?page=2")
    assert len(get(api, URL, page=2)["results"]) == 4


def test_page_size_is_capped_at_1000(api):
    _bulk_line_items(1100)
    assert len(get(api, URL, page_size=5000)["results"]) == 1000


@pytest.mark.parametrize(
    ("params", "count", "amount"),
    [
        ({"fiscal_year": 2008}, 5, None),
        ({"fiscal_year": 2008, "stage": "appropriated"}, 4, "60000000.00"),
        ({"fiscal_year_min": 2008, "fiscal_year_max": 2011, "stage": "appropriated"}, 12, "361508000.00"),
        ({"fiscal_year_min": 2012, "stage": "appropriated"}, 2, "135000000.00"),
        ({"stage": "allocated,disbursed"}, 40, None),
        ({"stage": ["allocated", "disbursed"]}, 40, None),
        ({"stage": "disbursed", "account": "ESF"}, 13, "7240000.00"),
        ({"stage": "disbursed", "account": "nadr"}, 24, "4835000.00"),
        ({"country": "GT"}, 5, "1675000.00"),
        ({"country": "gt,hn"}, 8, "2234000.00"),
        ({"country": "regional", "stage": "disbursed"}, 6, "4169000.00"),
        ({"country": "regional"}, 23, None),
        ({"donor": "united-states", "stage": "allocated"}, 3, "21183319.00"),
        ({"donor": "group-of-friends"}, 0, None),
        ({"account": "INCLE"}, 8, None),
        ({"account": "none"}, 0, None),
        ({"objective": "none"}, 54, None),
        ({"objective": "2"}, 0, None),
        ({"program": "regional-equipment-and-training"}, 3, "21183319.00"),
        ({"program": "none"}, 51, None),
        ({"source": "gao-13-295r"}, 37, "12075000.00"),
        ({"amount_min": "1000000"}, 20, None),
        ({"amount_max": "5000", "stage": "disbursed"}, 8, "28000.00"),
        ({"search": "EXBS"}, 3, "3970000.00"),
        ({"search": "guatemala"}, 5, "1675000.00"),
        ({"search": "counterterrorism Guatemala"}, 3, "176000.00"),
    ],
)
def test_filters_match_the_seed_data_and_totals_sum_the_list(api, params, count, amount):
    body = get(api, URL, page_size=1000, **params)
    assert body["count"] == count
    totals = get(api, TOTALS, **params)
    assert totals["total"]["count"] == count
    # The totals are the sum of the filtered list, stage by stage.
    listed = {}
    for row in body["results"]:
        listed[row["stage"]] = listed.get(row["stage"], Decimal(0)) + Decimal(row["amount"])
    assert {stage: Decimal(value["amount"]) for stage, value in totals["total"]["by_stage"].items()} == listed
    if amount is not None:
        assert totals["total"]["amount"] == amount


def test_ordering_by_several_fields(api):
    body = get(api, URL, ordering="-amount,fiscal_year", page_size=3)
    assert [(row["fiscal_year"], row["amount"]) for row in body["results"]] == [
        (2012, "85000000.00"),
        (2011, "71508000.00"),
        (2009, "70000000.00"),
    ]
    body = get(api, URL, ordering="country,-fiscal_year", stage="disbursed", page_size=2)
    assert [(row["country"], row["fiscal_year"]) for row in body["results"]] == [("BZ", 2011), ("BZ", 2011)]


@pytest.mark.parametrize("field", ["fiscal_year", "stage", "amount", "fiscal_year_basis", "donor", "source"])
def test_ties_go_in_the_default_order_and_a_descending_order_is_the_ascending_one_backwards(api, field):
    ascending = [row["id"] for row in get(api, URL, ordering=field, page_size=1000)["results"]]
    descending = [row["id"] for row in get(api, URL, ordering=f"-{field}", page_size=1000)["results"]]
    assert descending == ascending[::-1]
    if field in ("fiscal_year", "stage"):
        by_default = Allocation.objects.order_by(
            field, *(name for name in ("fiscal_year", "stage", "id") if name != field)
        )
        assert ascending == list(by_default.values_list("id", flat=True))


def test_line_items_without_the_value_come_last_either_way(api):
    for ordering in ("country", "-country"):
        rows = get(api, URL, ordering=ordering, page_size=1000)["results"]
        names = [row["country_name"] for row in rows if row["country"]]
        assert [row["country"] for row in rows[len(names) :]] == [None] * (len(rows) - len(names))
        assert names == sorted(names, reverse=ordering.startswith("-"))


def test_totals_per_fiscal_year(api):
    body = get(api, TOTALS, group_by="fiscal_year", stage="appropriated")
    assert body["group_by"] == ["fiscal_year", "stage"]
    assert [(row["fiscal_year"], row["amount"], row["count"]) for row in body["results"]] == [
        (2008, "60000000.00", 4),
        (2009, "105000000.00", 3),
        (2010, "95000000.00", 3),
        (2011, "101508000.00", 2),
        (2012, "135000000.00", 2),
    ]
    assert body["total"] == {
        "amount": "496508000.00",
        "count": 14,
        "by_stage": {"appropriated": {"amount": "496508000.00", "count": 14}},
    }


def test_totals_rows_carry_only_the_grouped_dimensions(api):
    body = get(api, TOTALS, group_by="account", stage="appropriated", fiscal_year=2012)
    assert body["results"] == [
        {
            "account": "ESF",
            "account_name": "Economic Support Fund",
            "stage": "appropriated",
            "stage_name": "Appropriated",
            "amount": "50000000.00",
            "count": 1,
        },
        {
            "account": "INCLE",
            "account_name": "International Narcotics Control and Law Enforcement",
            "stage": "appropriated",
            "stage_name": "Appropriated",
            "amount": "85000000.00",
            "count": 1,
        },
    ]


def test_totals_pivot_country_by_year(api):
    body = get(api, TOTALS, group_by="country,fiscal_year", stage="disbursed", account="ESF")
    cells = {(row["country"], row["fiscal_year"]): row["amount"] for row in body["results"]}
    assert cells[("CR", 2011)] == "1304000.00"
    assert cells[("BZ", 2010)] == "11000.00"
    assert len(cells) == 13
    assert body["total"]["amount"] == "7240000.00"


def test_totals_of_several_stages_have_no_grand_sum(api):
    body = get(api, TOTALS, group_by="fiscal_year")
    assert body["total"] == {
        "amount": None,
        "count": 54,
        "by_stage": {
            "appropriated": {"amount": "496508000.00", "count": 14},
            "allocated": {"amount": "21183319.00", "count": 3},
            "disbursed": {"amount": "12075000.00", "count": 37},
        },
    }


def test_totals_of_nothing(api):
    body = get(api, TOTALS, group_by="country", donor="group-of-friends")
    assert body == {
        "group_by": ["country", "stage"],
        "results": [],
        "total": {"amount": None, "count": 0, "by_stage": {}},
    }


def test_csv_is_the_whole_filtered_set_with_readable_columns(api):
    response = api.get(URL, {"format": "csv", "stage": "disbursed"})
    rows = csv_rows(response)
    assert len(rows) == 37  # every row, not one page
    assert sum(Decimal(row["amount"]) for row in rows) == Decimal("12075000.00")
    guatemala = next(row for row in rows if row["country"] == "GT")
    assert guatemala["country_name"] == "Guatemala"
    assert guatemala["source"] == "gao-13-295r"
    regional = next(row for row in rows if row["country"] == "")
    assert regional["country_name"] == "Regional / no country"
    assert 'filename="allocations.csv"' in response["Content-Disposition"]


def test_csv_row_count_equals_the_list_count(api):
    params = {"country": "regional", "fiscal_year_max": 2010}
    assert len(csv_rows(api.get(URL, {"format": "csv", **params}))) == get(api, URL, **params)["count"] == 17


def test_totals_csv(api):
    rows = csv_rows(api.get(TOTALS, {"format": "csv", "group_by": "fiscal_year", "stage": "appropriated"}))
    assert rows[0] == {
        "fiscal_year": "2008",
        "stage": "appropriated",
        "stage_name": "Appropriated",
        "amount": "60000000.00",
        "count": "4",
    }
    assert len(rows) == 5


def test_csv_quotes_text_a_spreadsheet_would_run(api, django_user_model):
    allocation = Allocation.objects.get(fiscal_year=2012, account__code="ESF")
    allocation.note = "=HYPERLINK(1)"
    allocation.save()
    rows = csv_rows(api.get(URL, {"format": "csv", "fiscal_year": 2012, "account": "ESF"}))
    assert rows[0]["note"] == "'=HYPERLINK(1)"


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"stage": "promised"}, "stage"),
        ({"stage": "disbursed,promised"}, "stage"),
        ({"country": "XX"}, "country"),
        ({"country": "GTM"}, "country"),
        ({"fiscal_year": "abc"}, "fiscal_year"),
        ({"fiscal_year": "12"}, "fiscal_year"),
        ({"fiscal_year_min": "2008.5"}, "fiscal_year_min"),
        ({"fiscal_year_max": "99999999999999999999"}, "fiscal_year_max"),
        ({"donor": "nobody"}, "donor"),
        ({"account": "IMET"}, "account"),
        ({"objective": "6"}, "objective"),
        ({"objective": "abc"}, "objective"),
        ({"program": "no-such-program"}, "program"),
        ({"source": "no-such-source"}, "source"),
        ({"amount_min": "abc"}, "amount_min"),
        ({"amount_max": "-1"}, "amount_max"),
        ({"amount_min": "NaN"}, "amount_min"),
        ({"amount_min": "1e400"}, "amount_min"),
        ({"ordering": "colour"}, "ordering"),
        ({"page_size": "-1"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"page": "abc"}, "page"),
        ({"search": "x" * 201}, "search"),
    ],
)
def test_bad_filter_values_are_a_400_naming_the_parameter(api, params, parameter):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert list(response.json()) == [parameter]
    totals = api.get(TOTALS, params)
    if parameter not in ("page", "page_size"):
        assert totals.status_code == 400
        assert list(totals.json()) == [parameter]


def test_unknown_group_by_is_a_400_listing_the_choices(api):
    response = api.get(TOTALS, {"group_by": "fiscal_year,nonsense"})
    assert response.status_code == 400
    assert response.json() == {
        "group_by": [
            "Unknown group_by dimension(s): nonsense. Choose from: fiscal_year, stage, fiscal_year_basis, "
            "donor, agency, account, country, objective, program, source."
        ]
    }


def test_page_past_the_end_is_a_404_naming_the_page(api):
    response = api.get(URL, {"page": 99})
    assert response.status_code == 404
    assert response.json() == {"page": ["Invalid page."]}


def test_bad_filter_with_csv_format_answers_a_readable_400(api):
    response = api.get(URL, {"format": "csv", "country": "XX"})
    assert response.status_code == 400
    assert response.content.decode().splitlines()[0] == "field,message"
    assert "country" in response.content.decode()


def _bulk_line_items(count):
    donor = Organization.objects.get(slug="usaid")
    source = Source.objects.get(key="gao-13-771")
    Allocation.objects.bulk_create(
        Allocation(
            fiscal_year=2013,
            amount=Decimal("10.00"),
            stage="obligated",
            donor=donor,
            source=source,
            source_detail=f"r{i}",
        )
        for i in range(count)
    )


@pytest.mark.parametrize("rows", [10, 1000])
def test_listing_costs_the_same_queries_for_10_or_1000_rows(api, django_assert_num_queries, rows):
    _bulk_line_items(rows)
    # First the data version (core.responsecache); then
    # 1: the count, from the subtotals; 2: the page; 3: the donors and sources it names, every table
    # the rows name read in one query (funding.queries.pages.with_named_rows).
    with django_assert_num_queries(4):
        body = get(api, URL, stage="obligated", page_size=1000)
    assert len(body["results"]) == rows


@pytest.mark.parametrize("rows", [10, 1000])
def test_csv_and_totals_cost_the_same_queries_whatever_the_size(api, django_assert_num_queries, rows):
    _bulk_line_items(rows)
    with django_assert_num_queries(2):
        assert len(csv_rows(api.get(URL, {"format": "csv", "stage": "obligated"}))) == rows
    # First the data version (core.responsecache); then
    # 1: the grouped sums (the sums per stage are added up from them).
    with django_assert_num_queries(2):
        body = get(api, TOTALS, group_by="fiscal_year,country,program", stage="obligated")
    assert body["total"]["amount"] == f"{10 * rows}.00"


def test_detail_by_id(api):
    allocation = Allocation.objects.get(stage="allocated", fiscal_year=2010)
    body = get(api, f"{URL}{allocation.pk}/")
    assert body["amount"] == "2550319.00"
    assert body["program"] == "regional-equipment-and-training"
    assert api.get(f"{URL}999999/").status_code == 404


# Writes


NEW_LINE_ITEM = {
    "fiscal_year": 2012,
    "stage": "disbursed",
    "amount": "1000.50",
    "donor": "united-states",
    "account": "ESF",
    "country": "HN",
    "source": "gao-13-771",
    "source_detail": "test",
}


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor")
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["add_allocation", "change_allocation", "delete_allocation"])
    )
    return user


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_anonymous_write_is_401_and_changes_nothing(api):
    before = Allocation.objects.count()
    response = api.post(URL, NEW_LINE_ITEM, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert Allocation.objects.count() == before


def test_write_without_permission_is_403_and_changes_nothing(django_user_model):
    before = Allocation.objects.count()
    client = token_client(django_user_model.objects.create_user("reader"))
    assert client.get(URL).status_code == 200
    assert client.post(URL, NEW_LINE_ITEM, format="json").status_code == 403
    allocation = Allocation.objects.first()
    assert client.patch(f"{URL}{allocation.pk}/", {"amount": "1"}, format="json").status_code == 403
    assert client.delete(f"{URL}{allocation.pk}/").status_code == 403
    assert Allocation.objects.count() == before
    allocation.refresh_from_db()
    assert allocation.amount != Decimal("1")


def test_editor_creates_updates_and_deletes_with_natural_keys(editor):
    client = token_client(editor)
    response = client.post(URL, NEW_LINE_ITEM, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["country"], created["country_name"], created["amount"]) == ("HN", "Honduras", "1000.50")
    allocation = Allocation.objects.get(pk=created["id"])
    assert allocation.amount == Decimal("1000.50")

    assert created["version"] == 1
    response = client.patch(
        f"{URL}{allocation.pk}/", {"amount": "2000", "country": None, "version": 1}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    allocation.refresh_from_db()
    assert (allocation.amount, allocation.country, allocation.version) == (Decimal("2000.00"), None, 2)

    # A delete names the version it removes, as an update does.
    assert client.delete(f"{URL}{allocation.pk}/").status_code == 428
    assert client.delete(f"{URL}{allocation.pk}/", HTTP_IF_MATCH='"1"').status_code == 412
    assert Allocation.objects.filter(pk=allocation.pk).exists()
    assert client.delete(f"{URL}{allocation.pk}/", HTTP_IF_MATCH='"2"').status_code == 204
    assert not Allocation.objects.filter(pk=allocation.pk).exists()


def test_session_login_works_for_the_browsable_api(client, editor):
    client.force_login(editor)
    response = client.post(URL, NEW_LINE_ITEM, content_type="application/json")
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        (
            {"amount": "-5"},
            {
                "amount": [
                    "The amount must be greater than zero: a line item is a sum of money that was there."
                ]
            },
        ),
        ({"amount": "12,3a"}, {"amount": ["A valid number is required."]}),
        (
            {"fiscal_year": 12},
            {
                "fiscal_year": [
                    "Enter a four-digit fiscal year from 1990 to 2099 (FY N runs 1 October N-1 "
                    "to 30 September N); 12 is not one."
                ]
            },
        ),
        ({"stage": "promised"}, {"stage": ['"promised" is not a valid choice.']}),
        ({"country": "XX"}, {"country": ["Unknown country: XX."]}),
        ({"donor": ["united-states"]}, {"donor": ["Expected a key such as a code or slug, got list."]}),
        ({"source": None}, {"source": ["Every line item must cite a source."]}),
    ],
)
def test_invalid_line_item_is_a_400_naming_the_field_and_writes_nothing(editor, change, errors):
    before = Allocation.objects.count()
    response = token_client(editor).post(URL, NEW_LINE_ITEM | change, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert Allocation.objects.count() == before


def test_line_item_without_source_is_refused(editor):
    body = {key: value for key, value in NEW_LINE_ITEM.items() if key != "source"}
    response = token_client(editor).post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json() == {"source": ["Every line item must cite a source."]}


def test_duplicate_line_item_is_refused(editor):
    client = token_client(editor)
    assert client.post(URL, NEW_LINE_ITEM, format="json").status_code == 201
    response = client.post(URL, NEW_LINE_ITEM | {"amount": "5"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "A line item with the same source, source detail, fiscal year, stage, donor, account, country, "
            "objective and program already exists."
        ]
    }


def test_malformed_json_is_a_400(editor):
    response = token_client(editor).post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_totals_by_agency_are_one_group_by_in_the_database(api):
    with CaptureQueriesContext(connection) as queries:
        body = api.get(TOTALS, {"group_by": "agency", "stage": "disbursed"}).json()
    # The data version (core.responsecache), then the one GROUP BY.
    assert len(queries) == 2
    assert "GROUP BY" in queries[1]["sql"] and "SUM(" in queries[1]["sql"]
    # GAO-13-295R's table 3: State's ESF and NADR disbursements.
    assert body["results"] == [
        {
            "agency": "state-department",
            "agency_name": "U.S. Department of State",
            "stage": "disbursed",
            "stage_name": "Disbursed",
            "amount": "12075000.00",
            "count": 37,
        }
    ]


def test_line_items_filter_by_agency_and_fiscal_year_basis(api):
    body = api.get(URL, {"agency": "state-inl", "fiscal_year_basis": "appropriation"}).json()
    assert body["count"] == 8  # INCLE's appropriations (5) and the regional program's allocations (3)
    assert {row["agency"] for row in body["results"]} == {"state-inl"}
    assert api.get(URL, {"fiscal_year_basis": "transaction"}).json()["count"] == 37
    response = api.get(URL, {"agency": "nobody", "fiscal_year_basis": "calendar"})
    assert response.status_code == 400
    assert set(response.json()) == {"agency", "fiscal_year_basis"}
