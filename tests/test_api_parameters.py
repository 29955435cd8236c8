"""A query parameter the endpoint does not know is a 400 naming it, never a silently unfiltered answer."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_typo_in_a_filter_is_refused_by_name_with_the_accepted_ones(client):
    response = client.get("/api/v1/allocations/", {"contry": "GT"})
    assert response.status_code == 400
    message = response.json()["contry"][0]
    assert message.startswith("Unknown parameter. The accepted ones are: ")
    for accepted in ("country", "fiscal_year_min", "ordering", "page", "page_size", "format", "release"):
        assert accepted in message


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/allocations/totals/?group_by=country&contry=GT",
        "/api/v1/allocations/?format=csv&contry=GT",
        "/api/v1/reconciliation/?verdikt=agrees",
        "/api/v1/reported-figures/?stge=committed",
        "/api/v1/programs/?objectiv=2",
        "/api/v1/countries/?x=1",
        "/api/v1/changes/?sinse=2026-01-01",
    ],
)
def test_every_list_totals_and_export_refuses_an_unknown_parameter(client, url):
    response = client.get(url)
    assert response.status_code == 400, url
    name = url.split("?")[1].split("&")[-1].split("=")[0]
    assert name in response.content.decode()


def test_the_parameters_an_endpoint_documents_are_accepted(client):
    assert (
        client.get("/api/v1/allocations/totals/", {"group_by": "country", "stage": "disbursed"}).status_code
        == 200
    )
    assert (
        client.get("/api/v1/allocations/", {"page": 1, "page_size": 5, "ordering": "-amount"}).status_code
        == 200
    )
    assert (
        client.get("/api/v1/reconciliation/", {"verdict": "agrees", "format": "csv", "bom": "1"}).status_code
        == 200
    )
    # The totals are not paged: a page is not theirs to take.
    assert client.get("/api/v1/allocations/totals/", {"group_by": "country", "page": 2}).status_code == 400


def test_the_refusal_is_in_the_readers_language(client):
    response = client.get("/api/v1/allocations/", {"contry": "GT"}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.json()["contry"][0].startswith("Parámetro desconocido. Los aceptados son: ")
