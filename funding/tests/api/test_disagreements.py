"""GET /api/v1/disagreements/: the four of the reference data, side by side, with why."""

import pytest
from rest_framework.test import APIClient

from funding.models import Disagreement, DisagreementSide, ReportedFigure

pytestmark = pytest.mark.django_db

URL = "/api/v1/disagreements/"


@pytest.fixture
def api():
    return APIClient()


def by_key(body):
    return {row["key"]: row for row in body["results"]}


def test_lists_the_four_disagreements_with_their_differences(api):
    body = api.get(URL).json()
    assert body["count"] == 4
    rows = by_key(body)
    assert {key: (row["status"], row["difference"], row["difference_pct"]) for key, row in rows.items()} == {
        "fy2012-105-or-135": ("open", "30000000.00", "28.57"),
        "allocated-fy2008-2011-361-or-350": ("explained", "-11000000.00", "-3.05"),
        "friends-650-or-2000": ("explained", "1350000000.00", "207.69"),
        "world-bank-1000-or-1500": ("open", "500000000.00", "50.00"),
    }


def test_a_side_is_a_reported_figure_or_a_named_sum_of_line_items(api):
    body = api.get(f"{URL}fy2012-105-or-135/").json()
    assert body["title"] == "FY2012: $105 million or $135 million"
    assert body["sides"] == [
        {
            "figure": "fy2012-commitment",
            "label": "FY2012 commitment to CARSI",
            "filters": {},
            "stage": "committed",
            "amount": "105000000.00",
            "line_item_count": None,
        },
        {
            "figure": None,
            "label": "Appropriated for FY2012 (State Department spend plan, 19 June 2012)",
            "filters": {"stage": "appropriated", "fiscal_year": "2012", "source": "state-spend-plan-fy2012"},
            "stage": "appropriated",
            "amount": "135000000.00",
            "line_item_count": 2,
        },
    ]
    # Neither source says why: the explanation is the tracker's own, graded D, and cites nothing.
    assert [(row["source"], row["grade"]) for row in body["explanations"]] == [(None, "D")]


def test_an_explained_disagreement_cites_its_explanation(api):
    body = api.get(f"{URL}friends-650-or-2000/").json()
    assert body["explanations"] == [
        {
            "text": "The press figure counts soft loans, 80% of it; the White House counts “commitments, "
            "including technical assistance”.",
            "source": "el-nuevo-diario-2011-06",
            "locator": "",
            "quote": "en créditos blandos",
            "grade": "P",
        }
    ]


def test_every_figure_that_takes_part_links_to_its_disagreement(api):
    rows = {row["key"]: row for row in api.get("/api/v1/reconciliation/").json()["results"]}
    sides = DisagreementSide.objects.filter(figure__isnull=False).select_related("figure", "disagreement")
    assert len(sides) == 7
    for side in sides:
        assert side.disagreement.key in rows[side.figure.key]["disagreements"]
    assert rows["fy2012-commitment"]["disagreements"] == ["fy2012-105-or-135"]


def test_an_unknown_disagreement_is_a_404(api):
    assert api.get(f"{URL}no-such-thing/").status_code == 404


def test_disagreements_are_read_only_here(api):
    assert api.post(URL, {"key": "x"}, format="json").status_code in (401, 403, 405)


def test_queries_do_not_grow_with_disagreements(api, django_assert_num_queries):
    # The count and a page of disagreements, their sides with their figures, the figures'
    # citations, the explanations (5); and for each side that names line items (one in the
    # reference data), the source its filters name and the sum.
    with django_assert_num_queries(8):
        api.get(URL)
    figures = list(ReportedFigure.objects.order_by("pk")[:6])
    for index in range(5):
        disagreement = Disagreement.objects.create(key=f"extra-{index}", title=f"Extra {index}")
        for position, figure in enumerate(figures[index : index + 2]):
            DisagreementSide.objects.create(disagreement=disagreement, position=position, figure=figure)
    with django_assert_num_queries(8):
        assert api.get(URL).json()["count"] == 9
