"""Pages ordered by a dimension of few values hold the ORDER BY's rows, read one value after another
on PostgreSQL (funding.queries.pages); SQLite runs the ORDER BY itself, and must agree."""

import pytest
from django.http import QueryDict
from rest_framework.test import APIClient

from funding.dimensions import DIMENSIONS
from funding.models import Allocation
from funding.queries.filters import AllocationFilter
from funding.queries.pages import page_keys

pytestmark = pytest.mark.django_db

URL = "/api/v1/allocations/"


def ordered_ids(query: str) -> list[int]:
    """The ids in the order the filter asks for, as the database sorts them."""
    filterset = AllocationFilter(QueryDict(query), queryset=Allocation.objects.all())
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs.values_list("pk", flat=True))


def paged_ids(query: str, page_size: int) -> list[int]:
    api, ids, page = APIClient(), [], 1
    while True:
        response = api.get(f"{URL}?{query}&page_size={page_size}&page={page}")
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [row["id"] for row in body["results"]]
        if body["next"] is None:
            return ids
        page += 1


@pytest.mark.parametrize(
    "name", [name for name, dimension in DIMENSIONS.items() if dimension.model or dimension.choices]
)
@pytest.mark.parametrize("sign", ["", "-"])
def test_pages_by_a_dimension_hold_every_line_item_once_in_the_order_by_order(name, sign):
    # 7 a page: pages that begin and end inside a value's line items, and run from one value to the next.
    for query in (f"ordering={sign}{name}", f"ordering={sign}{name}&stage=disbursed,appropriated"):
        expected = ordered_ids(query)
        assert len(expected) > 7
        assert paged_ids(query, 7) == expected, query


def test_a_page_after_the_last_line_item_of_a_value_starts_at_the_next_value():
    expected = ordered_ids("ordering=country")
    regional = Allocation.objects.filter(country__isnull=True).count()
    # The page that ends with the last country's last line item, and the one of regional money after it.
    filterset = AllocationFilter(QueryDict("ordering=country"), queryset=Allocation.objects.all())
    assert filterset.is_valid()
    last_country = len(expected) - regional
    page = filterset.qs[last_country - 5 : last_country + 5]
    rows = Allocation.objects.filter(pk__in=page_keys(page)).order_by(*filterset.qs.query.order_by)
    assert list(rows.values_list("pk", flat=True)) == expected[last_country - 5 : last_country + 5]
    assert [row.country_id is None for row in rows] == [False] * 5 + [True] * 5


def test_an_order_no_dimension_leads_is_left_to_the_database():
    filterset = AllocationFilter(QueryDict("ordering=-amount"), queryset=Allocation.objects.all())
    assert filterset.is_valid()
    page = filterset.qs[10:20]
    assert str(page_keys(page).query) == str(page.values("pk").query)
