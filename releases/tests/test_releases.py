"""Releases: any question asked as of a release gets the answer of that release."""

import hashlib
import io
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.history import historical_models, m2m_fields, tracked_models
from funding.models import Allocation, ProgramSubtotal, Subtotal
from programs.models import Program, ProgramPartner
from releases.models import Release
from releases.publish import NothingToPublish, publish

pytestmark = pytest.mark.django_db

TOTALS = "/api/v1/allocations/totals/"
FY2012_APPROPRIATED = {"fiscal_year": "2012", "stage": "appropriated"}


@pytest.fixture
def first():
    """The release that loading the seed data published."""
    return Release.objects.get(number=1)


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("ed", password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def incle_2012():
    return Allocation.objects.get(fiscal_year=2012, stage="appropriated", account__code="INCLE")


@pytest.fixture
def edited(editor):
    """The FY2012 INCLE appropriation edited from 85,000,000 to 86,000,000 through the API, with a
    reason, and published."""
    item = incle_2012()
    assert item.amount == Decimal("85000000.00")
    response = editor.patch(
        f"/api/v1/allocations/{item.pk}/",
        {"amount": "86000000.00", "change_reason": "Corrected from the spend plan's table"},
        format="json",
        HTTP_IF_MATCH=f'"{item.version}"',
    )
    assert response.status_code == 200, response.content
    return publish("FY2012 INCLE corrected")


def total(client, **params):
    body = client.get(TOTALS, {**FY2012_APPROPRIATED, **params}).json()
    return body["total"]["amount"]


def test_the_seed_data_is_the_first_release(first):
    assert first.name.endswith(".1") and first.note.startswith("Seed data")
    assert Release.objects.count() == 1
    # Loading the seed again adds nothing and publishes nothing.
    call_command("load_seed", verbosity=0)
    assert Release.objects.count() == 1


def test_a_question_asked_of_a_release_gets_that_release_s_answer(first, edited):
    client = APIClient()
    assert total(client) == "136000000.00"
    assert total(client, release=first.name) == "135000000.00"
    assert total(client, release=edited.name) == "136000000.00"
    # The line items themselves, and their CSV, as they stood.
    at_first = client.get(
        "/api/v1/allocations/", {**FY2012_APPROPRIATED, "account": "INCLE", "release": first.name}
    )
    assert [row["amount"] for row in at_first.json()["results"]] == ["85000000.00"]
    csv = client.get("/api/v1/allocations/", {**FY2012_APPROPRIATED, "format": "csv", "release": first.name})
    assert b"85000000.00" in b"".join(csv.streaming_content)
    # The reconciliation of FY2008-2012 (496,508,000 appropriated) moved by the million.
    rows = {
        row["key"]: row["line_item_sum"]
        for row in client.get("/api/v1/reconciliation/", {"release": first.name}).json()["results"]
    }
    assert rows["fy2008-2012-total"] == "496508000.00"
    current = {
        row["key"]: row["line_item_sum"] for row in client.get("/api/v1/reconciliation/").json()["results"]
    }
    assert current["fy2008-2012-total"] == "497508000.00"


def test_the_subtotals_of_a_release_are_its_line_items_sums(first, edited):
    from releases.asof import reading

    with reading(first):
        assert Subtotal.objects.get(
            stage="appropriated", fiscal_year=2012, account__code="INCLE"
        ).amount == Decimal("85000000.00")
        assert Allocation.objects.count() == 54
    assert Subtotal.objects.get(
        stage="appropriated", fiscal_year=2012, account__code="INCLE"
    ).amount == Decimal("86000000.00")


def test_the_sums_per_objective_and_program_of_a_release_are_its_line_items_sums(first, edited):
    from releases.asof import reading

    # The seed's line items name no objective or program: one sum per stage, of every line item.
    with reading(first):
        assert ProgramSubtotal.objects.get(stage="appropriated").amount == Decimal("496508000.00")
    assert ProgramSubtotal.objects.get(stage="appropriated").amount == Decimal("497508000.00")


def test_links_and_deletions_stand_as_they_were(first):
    program = Program.objects.get(slug="vetted-units")
    countries = sorted(program.countries.values_list("iso2", flat=True))
    program.countries.remove(*program.countries.filter(iso2="PA"))
    ProgramPartner.objects.filter(program__slug="operation-martillo").delete()
    client = APIClient()
    now = client.get("/api/v1/programs/vetted-units/").json()
    assert "PA" not in now["countries"]
    then = client.get("/api/v1/programs/vetted-units/", {"release": first.name}).json()
    assert sorted(then["countries"]) == countries
    martillo = client.get("/api/v1/programs/operation-martillo/", {"release": first.name}).json()
    assert martillo["partners"] != []
    assert client.get("/api/v1/programs/operation-martillo/").json()["partners"] == []


def test_pages_say_which_data_they_show(client, first, edited):
    page = client.get("/reconciliation/").content.decode()
    assert f'Data as of release <a href="/changes/">{edited.name}</a>.' in page
    assert (
        f'Cite: CARSI Tracker, release {edited.name}, <a href="http://testserver/reconciliation/?release='
        f'{edited.name}#fy2012-commitment" translate="no">'
    ) in page
    old = client.get("/reconciliation/", {"release": first.name}).content.decode()
    assert f"<strong>Release {first.name}</strong>" in old
    assert 'Newer data is available: <a href="/reconciliation/">see today' in old
    # Links on a page of a release lead to the same release.
    assert f'href="/allocations/?release={first.name}"' in old


def test_unreleased_changes_are_said_and_not_cited_as_released(client, first):
    item = incle_2012()
    item.amount = Decimal("86000000.00")
    item.save()
    page = client.get("/countries/GT/").content.decode()
    assert "with changes since that are not in a release yet" in page
    assert "Changed since the latest release: cite" in page


@pytest.mark.parametrize(
    "url", [TOTALS, "/api/v1/reconciliation/", "/api/v1/disagreements/", "/api/v1/sources/"]
)
def test_an_unknown_release_is_a_400_naming_the_parameter(url):
    response = APIClient().get(url, {"release": "2001-01-01.1"})
    assert response.status_code == 400
    assert list(response.json()) == ["release"]
    assert "Unknown release: '2001-01-01.1'" in response.json()["release"][0]


def test_an_unknown_release_on_a_page_is_a_400_page(client):
    response = client.get("/countries/GT/", {"release": "nope"})
    assert response.status_code == 400
    assert "<code>release</code>: Unknown release: &#x27;nope&#x27;" in response.content.decode()


def test_a_release_is_read_only(editor, first):
    item = incle_2012()
    response = editor.patch(
        f"/api/v1/allocations/{item.pk}/?release={first.name}",
        {"amount": "1.00"},
        format="json",
        HTTP_IF_MATCH=f'"{item.version}"',
    )
    assert response.status_code == 400
    assert "read only" in response.json()["release"][0]
    assert incle_2012().amount == Decimal("85000000.00")
    from releases.asof import ReleaseIsReadOnly, reading

    with reading(first), pytest.raises(ReleaseIsReadOnly), transaction.atomic():
        Allocation.objects.filter(pk=item.pk).update(amount=1)


def test_queries_of_a_release_do_not_grow_with_history(first):
    client = APIClient()

    def count_queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(TOTALS, {**FY2012_APPROPRIATED, "release": first.name})
        return len(captured)

    before = count_queries()
    item = incle_2012()
    for amount in range(50):
        item.amount = Decimal(85000001 + amount)
        item.save()
    publish("Fifty edits")
    assert count_queries() == before
    assert total(client, release=first.name) == "135000000.00"


def test_publishing_needs_a_change_and_a_note(first):
    with pytest.raises(NothingToPublish):
        publish("Nothing new")
    with pytest.raises(CommandError, match="Nothing changed since the last release"):
        call_command("publish_release", note="Nothing new")
    with pytest.raises(ValueError, match=r"^note: "):
        publish("   ")


def test_publish_release_prints_the_name(capsys):
    item = incle_2012()
    item.amount = Decimal("86000000.00")
    item.save()
    call_command("publish_release", note="FY2012 INCLE corrected")
    name = capsys.readouterr().out.strip()
    assert Release.objects.latest_release().name == name
    assert name.endswith(".2")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the statement timeout is PostgreSQL's")
def test_the_command_line_publishes_however_long_it_takes_the_admin_within_the_timeout(monkeypatch):
    from django.db.utils import OperationalError

    from releases import publish as publishing

    marked = publishing.mark_versions

    def slow(number):  # as a million line items' history is to mark
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.3)")
        return marked(number)

    monkeypatch.setattr(publishing, "mark_versions", slow)
    incle = incle_2012()
    incle.amount = Decimal("86000000.00")
    incle.save()
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 100")
    try:
        with pytest.raises(OperationalError, match="statement timeout"):
            publish("Within the timeout")
        call_command("publish_release", note="However long it takes", stdout=io.StringIO())
        assert Release.objects.latest_release().note == "However long it takes"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")


def test_a_release_is_never_changed_nor_deleted(first):
    from django.core.exceptions import ValidationError

    first.note = "rewritten"
    with pytest.raises(ValidationError):
        first.save()
    with pytest.raises(ValidationError):
        first.delete()
    assert Release.objects.get(number=1).note.startswith("Seed data")


def test_every_table_people_read_keeps_its_history_by_release():
    domain = {"partners", "sources", "programs", "funding"}
    models = {
        model
        for model in connection.introspection.installed_models(connection.introspection.table_names())
        if model._meta.app_label in domain and not model.__name__.startswith("Historical")
    }
    tracked = set(tracked_models())
    links = {field.remote_field.through for model in tracked for field in m2m_fields(model)}
    # The kept sums are summed from the release's line items; everything else has a history.
    assert models - tracked - links == {Subtotal, ProgramSubtotal}
    for model in tracked:
        assert {
            field.name for field in model._meta.many_to_many if field.remote_field.through._meta.auto_created
        } == {field.name for field in m2m_fields(model)}, model
    assert len(historical_models()) == len(tracked)


def test_the_bundle_is_the_same_bytes_before_and_after_an_edit(first, edited):
    client = APIClient()
    url = f"/api/v1/releases/{first.name}.zip"
    before = client.get(url)
    assert before.status_code == 200
    assert before["Content-Type"] == "application/zip"
    assert hashlib.sha256(before.content).hexdigest() == first.sha256
    assert client.get(url).content == before.content
    archive = zipfile.ZipFile(io.BytesIO(before.content))
    names = archive.namelist()
    assert names[-1] == "datapackage.json"
    assert {"line-items.csv", "reported-figures.csv", "citations.csv", "sources.csv", "coverage.csv"} <= set(
        names
    )
    line_items = archive.read("line-items.csv").decode()
    assert ",85000000.00," in line_items and ",86000000.00," not in line_items
    assert (
        ",86000000.00,"
        in zipfile.ZipFile(io.BytesIO(client.get(f"/api/v1/releases/{edited.name}.zip").content))
        .read("line-items.csv")
        .decode()
    )


def test_the_bundle_is_a_valid_data_package(first, tmp_path):
    from frictionless import Package

    zipfile.ZipFile(io.BytesIO(bytes(first.bundle))).extractall(tmp_path)
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    assert sum(task.stats["rows"] for task in report.tasks) > 54


def test_the_releases_list(first):
    body = APIClient().get("/api/v1/releases/").json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row == {
        "name": first.name,
        "number": 1,
        "published_at": row["published_at"],
        "note": first.note,
        "sha256": first.sha256,
        "download_url": f"http://testserver/api/v1/releases/{first.name}.zip",
    }
    assert APIClient().get("/api/v1/releases/2001-01-01.9.zip").status_code == 404
