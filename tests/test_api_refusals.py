"""Requests that once answered 500 answer the 4xx they should, and change nothing."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from funding.models import Allocation, FundingAccount
from partners.models import Country, Organization
from programs.models import Program
from sources.models import Source

pytestmark = pytest.mark.django_db


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("ed", password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return token_client(user)


@pytest.fixture
def superuser(django_user_model):
    return token_client(django_user_model.objects.create_superuser("root", "root@example.org", "pw"))


def test_deleting_a_program_that_line_items_cite_is_a_409_naming_them(editor):
    program = Program.objects.get(slug="regional-equipment-and-training")
    response = editor.delete(f"/api/v1/programs/{program.slug}/", HTTP_IF_MATCH=f'"{program.version}"')
    assert response.status_code == 409
    assert response.json() == {
        "detail": "This program cannot be deleted: 1 coverage statement, 3 line items still refer to it. "
        "Change or delete those first."
    }
    assert Program.objects.filter(pk=program.pk).exists()


def test_deleting_a_source_that_line_items_cite_is_a_409(editor):
    source = Source.objects.get(key="gao-13-295r")
    response = editor.delete(f"/api/v1/sources/{source.key}/", HTTP_IF_MATCH='"1"')
    assert response.status_code == 409
    assert response.json()["detail"].startswith(
        "This source cannot be deleted: 1 coverage statement, 6 reported figures, 7 citations, 37 line items "
        "still refer to it."
    )
    assert Source.objects.filter(pk=source.pk).exists()


@pytest.mark.parametrize(
    "url, model, lookup",
    [
        ("/api/v1/organizations/united-states/", Organization, {"slug": "united-states"}),
        ("/api/v1/countries/GT/", Country, {"iso2": "GT"}),
        ("/api/v1/accounts/ESF/", FundingAccount, {"code": "ESF"}),
    ],
)
def test_deleting_what_line_items_refer_to_is_a_409_even_for_a_superuser(superuser, url, model, lookup):
    response = superuser.delete(url)
    assert response.status_code == 409
    assert "still refer to it" in response.json()["detail"]
    assert model.objects.filter(**lookup).exists()


@pytest.mark.parametrize("tag", ['"²"', '"３"', '"1e3"', "W/", '"-1"'])
def test_an_if_match_that_is_no_version_is_a_400(editor, tag):
    item = Allocation.objects.order_by("id").first()
    response = editor.patch(
        f"/api/v1/allocations/{item.pk}/", {"note": "x"}, format="json", HTTP_IF_MATCH=tag
    )
    assert response.status_code == 400
    assert "If-Match" in response.json()
    item.refresh_from_db()
    assert item.note == ""


def test_json_nested_too_deeply_is_a_400(editor):
    body = "[" * 100_000 + "]" * 100_000
    response = editor.generic("POST", "/api/v1/allocations/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "JSON parse error - the body is nested too deeply."}


def test_a_lone_surrogate_in_a_key_is_a_400(editor):
    before = Allocation.objects.count()
    body = (
        '{"fiscal_year": 2010, "stage": "allocated", "amount": "5.00", "donor": "\\ud800", '
        '"source": "gao-13-295r"}'
    )
    response = editor.generic("POST", "/api/v1/allocations/", body, content_type="application/json")
    assert response.status_code == 400
    assert "lone surrogate" in response.json()["detail"]
    assert Allocation.objects.count() == before


def test_a_body_over_the_upload_limit_is_a_413(editor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = editor.generic(
        "POST", "/api/v1/allocations/", "[" + " " * 2000 + "]", content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "The body is larger than the 1,000 bytes accepted."}


@pytest.mark.parametrize("amount", ["1e9", "1_000", "１００", "+5", " 0x10"])
def test_amounts_in_the_api_are_plain_digits_too(editor, amount):
    item = Allocation.objects.order_by("id").first()
    response = editor.patch(
        f"/api/v1/allocations/{item.pk}/", {"amount": amount, "version": item.version}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["amount"]


@pytest.mark.parametrize("year", ["٢٠٠٨", "２００８", "+2008", "20_08"])
def test_fiscal_years_in_the_api_and_its_filters_are_plain_digits(editor, year):
    item = Allocation.objects.order_by("id").first()
    response = editor.patch(
        f"/api/v1/allocations/{item.pk}/", {"fiscal_year": year, "version": item.version}, format="json"
    )
    assert (response.status_code, list(response.json())) == (400, ["fiscal_year"])
    response = APIClient().get("/api/v1/allocations/", {"fiscal_year": year})
    assert (response.status_code, list(response.json())) == (400, ["fiscal_year"])
