"""Any site reads the API from a browser; no site writes through one; the pages are not shared."""

import pytest

pytestmark = pytest.mark.django_db

ORIGIN = "https://notebook.example"


def test_a_read_of_the_api_may_come_from_any_origin(client):
    response = client.get("/api/v1/allocations/totals/", {"group_by": "country"}, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "origin" in response["Vary"].lower()
    csv = client.get("/api/v1/allocations/", {"format": "csv"}, HTTP_ORIGIN=ORIGIN)
    assert csv["Access-Control-Allow-Origin"] == "*"
    assert "Content-Disposition" in csv["Access-Control-Expose-Headers"]


def test_a_preflight_is_answered_for_reads_only(client):
    read = client.options(
        "/api/v1/allocations/", HTTP_ORIGIN=ORIGIN, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert read.status_code == 200 and read["Access-Control-Allow-Origin"] == "*"
    assert set(read["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    write = client.options(
        "/api/v1/allocations/1/", HTTP_ORIGIN=ORIGIN, HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH"
    )
    assert "Access-Control-Allow-Origin" not in write


def test_a_write_from_another_origin_gets_no_cors_headers(client):
    response = client.post("/api/v1/allocations/", {}, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 401
    assert "Access-Control-Allow-Origin" not in response


def test_pages_are_not_shared_across_origins(client):
    response = client.get("/countries/GT/", HTTP_ORIGIN=ORIGIN)
    assert "Access-Control-Allow-Origin" not in response
