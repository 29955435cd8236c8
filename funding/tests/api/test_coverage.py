"""GET /api/v1/coverage/: what each source's line items count, as the reference data's section 7 says."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_each_source_declares_what_its_line_items_count(django_assert_num_queries):
    # The data version; the declarations with their source and program; their accounts; their agencies.
    with django_assert_num_queries(4):
        body = APIClient().get("/api/v1/coverage/").json()
    rows = {row["key"]: row for row in body}
    assert {
        key: (row["source"], row["stage"], row["accounts"], row["agencies"], row["geography"])
        for key, row in rows.items()
    } == {
        "state-spend-plan-fy2012-appropriations": (
            "state-spend-plan-fy2012",
            "appropriated",
            ["ESF", "FMF", "INCLE", "NADR"],
            ["usaid", "state-department"],  # by name: U.S. Agency…, U.S. Department…
            "not_by_country",
        ),
        "gao-13-295r-disbursements": (
            "gao-13-295r",
            "disbursed",
            ["ESF", "NADR"],
            ["state-department"],
            "by_country",
        ),
        "state-carsi-fy2010-activities-allocations": (
            "state-carsi-fy2010-activities",
            "allocated",
            ["INCLE"],
            ["state-inl"],
            "regional",
        ),
    }
    gao = rows["gao-13-295r-disbursements"]
    assert (gao["fiscal_year_basis"], gao["as_of"], gao["table"]) == (
        "transaction",
        "2011-09-30",
        "tables 3, 4",
    )
    assert gao["not_covered"] == "INCLE disbursements, USAID's ESF disbursements and FMF are not itemized."
    assert rows["state-carsi-fy2010-activities-allocations"]["program"] == "regional-equipment-and-training"


def test_one_declaration_by_key():
    client = APIClient()
    assert client.get("/api/v1/coverage/gao-13-295r-disbursements/").json()["stage"] == "disbursed"
    assert client.get("/api/v1/coverage/nothing/").status_code == 404
