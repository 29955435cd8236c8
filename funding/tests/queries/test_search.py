"""A search is counted and paged by what finds its first word (funding.queries.search): the same line
items, in the same order, as the filter's own query selects."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from funding.models import Allocation
from funding.queries.filters import AllocationFilter
from funding.queries.search import MOST_PARTS
from funding.tests.queries.test_pages import ordered_ids, paged_ids
from partners.models import Country

pytestmark = pytest.mark.django_db

URL = "/api/v1/allocations/"


def filterset(query):
    found = AllocationFilter(QueryDict(query), queryset=Allocation.objects.all())
    assert found.is_valid(), found.errors
    return found


@pytest.mark.parametrize(
    "query",
    [
        "search=guatemala",  # a country, and texts that name it
        "search=Belize&stage=disbursed",
        "search=counterterrorism+Guatemala",  # the second word a condition on every part
        "search=EXBS",  # texts only
        "search=gao",  # a source, by its key and its title
        "search=guatemala&ordering=-fiscal_year",  # the default order backwards
        "search=guatemala&ordering=-amount",  # another order: the filter's own query
        "search=a",  # more rows named than a page is merged from
        "search=no-such-word",
    ],
)
def test_a_search_lists_and_counts_what_the_filter_selects(query):
    expected = ordered_ids(query)
    assert APIClient().get(f"{URL}?{query}").json()["count"] == len(expected)
    assert paged_ids(query, 7) == expected
    assert filterset(query).searched.count() == filterset(query).qs.count()


def test_a_line_item_found_by_its_text_and_by_its_country_counts_once():
    belize = Country.objects.get(iso2="BZ")
    line_item = Allocation.objects.filter(country=belize).first()
    Allocation.objects.filter(pk=line_item.pk).update(note="Belize coast guard")
    expected = ordered_ids("search=belize")
    assert expected.count(line_item.pk) == 1
    assert paged_ids("search=belize", 3) == expected
    assert APIClient().get(URL, {"search": "belize"}).json()["count"] == len(expected)


def test_a_word_naming_many_rows_is_left_to_the_filter():
    searched = filterset("search=a").searched
    assert sum(len(ids) for ids in searched.cited.values()) + 1 > MOST_PARTS
    assert searched.page_keys(filterset("search=a").qs[0:10]) is None


def test_the_search_list_makes_a_fixed_number_of_queries():
    api = APIClient()
    for query in ("search=guatemala", "search=counterterrorism+Guatemala&stage=disbursed"):
        with CaptureQueriesContext(connection) as queries:
            assert api.get(f"{URL}?{query}").status_code == 200
        # The data version, the rows the word names, the count, the page, the rows it names.
        assert len(queries) == 5, [query["sql"] for query in queries]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_the_texts_trigram_indexes_serve_the_search_as_django_writes_it():
    searched = filterset("search=EXBS").searched
    found = Allocation.objects.filter(*searched.texts[:1]).order_by().values("pk")
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        # A few dozen line items are read faster whole; the plan that a million make is asked for.
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "allocation_source_detail_trigram" in plan


@pytest.mark.parametrize(
    "query",
    [
        "search=Belize",
        "group_by=country&search=guatemala",  # a country, and texts that name it
        "group_by=fiscal_year&search=equipment",  # a program: not among the subtotals' columns
        "group_by=account&search=counterterrorism+Guatemala&stage=disbursed",
        "group_by=source&search=gao&fiscal_year_min=2010",
    ],
)
def test_a_search_totals_what_the_filter_selects(query):
    from funding.dimensions import parse_group_by
    from funding.totals import as_json, totals_response

    params = QueryDict(query)
    from_api = APIClient().get(f"/api/v1/allocations/totals/?{query}").json()
    plain = filterset(query.replace(f"group_by={params.get('group_by')}", "")).qs
    assert from_api == as_json(totals_response(plain, parse_group_by(params.get("group_by", ""))))
    assert from_api["total"]["count"] == plain.count() > 0


def test_a_search_sums_the_line_items_citing_a_row_it_names_from_the_subtotals():
    with CaptureQueriesContext(connection) as queries:
        body = APIClient().get("/api/v1/allocations/totals/?group_by=country&search=Belize").json()
    sums = [query["sql"] for query in queries if "SUM(" in query["sql"].upper()]
    # The line items citing Belize from the subtotals; those whose texts name it, from the line items.
    assert [sql.split(" FROM ")[1].split()[0] for sql in sums] == [
        '"funding_subtotal"',
        '"funding_allocation"',
    ]
    assert body["total"]["count"] == Allocation.objects.filter(country__iso2="BZ").count()


def test_a_country_is_found_by_its_name_in_spanish_and_a_program_by_its_name_in_either_language():
    api = APIClient()
    belize = sorted(Allocation.objects.filter(country__iso2="BZ").values_list("pk", flat=True))
    assert len(belize) == 5
    assert sorted(paged_ids("search=Belice", 50)) == belize
    # A program's English name, read on the Spanish pages: its line items are found all the same.
    program = Allocation.objects.filter(program__isnull=False).first().program
    word = program.name_en.split()[-1]
    own = set(Allocation.objects.filter(program=program).values_list("pk", flat=True))
    for language in ("en", "es"):
        body = api.get(URL, {"search": word, "page_size": 1000}, HTTP_ACCEPT_LANGUAGE=language).json()
        found = {row["id"] for row in body["results"]}
        assert found == set(ordered_ids(f"search={word}")) and own <= found, language
