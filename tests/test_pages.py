import pytest
from django.db import DatabaseError, connection

pytestmark = pytest.mark.django_db


def test_home_shows_totals_per_fiscal_year_and_stage(client, django_assert_num_queries):
    # 1: totals per fiscal year and stage; 2: totals per stage.
    with django_assert_num_queries(2):
        response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<data value="60000000.00" title="$60,000,000">$60.0M</data>' in html
    assert '<data value="135000000.00" title="$135,000,000">$135.0M</data>' in html
    assert '<data value="496508000.00" title="$496,508,000">$496.5M</data>' in html
    assert '<data value="12075000.00" title="$12,075,000">$12.1M</data>' in html


def test_healthz_says_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_says_when_the_database_does_not_answer(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
