"""GET /api/v1/changes/ and /feeds/changes.atom: every change since a release or a moment."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from funding.models import Allocation, ReportedFigure
from programs.models import Program
from releases.models import Release
from releases.publish import publish

pytestmark = pytest.mark.django_db

URL = "/api/v1/changes/"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def first():
    return Release.objects.get(number=1)


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("ed", password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def edit(editor):
    item = Allocation.objects.get(fiscal_year=2012, stage="appropriated", account__code="INCLE")
    response = editor.patch(
        f"/api/v1/allocations/{item.pk}/",
        {"amount": "86000000.00", "change_reason": "Corrected from the spend plan's table"},
        format="json",
        HTTP_IF_MATCH=f'"{item.version}"',
    )
    assert response.status_code == 200
    return item


def test_the_changes_since_a_release_are_exactly_the_edit(editor, first, edit):
    body = editor.get(URL, {"since": first.name}).json()
    assert body["count"] == 1
    [change] = body["results"]
    assert change == {
        "kind": "line-item",
        "key": str(edit.pk),
        "history_id": change["history_id"],
        "type": "changed",
        "date": change["date"],
        "user": "ed",
        "reason": "Corrected from the spend plan's table",
        "release": None,  # not in a release yet
        "changes": [{"field": "amount", "old": "85000000.00", "new": "86000000.00"}],
    }
    second = publish("FY2012 INCLE corrected")
    [change] = editor.get(URL, {"since": first.name}).json()["results"]
    assert change["release"] == second.name
    assert editor.get(URL, {"since": second.name}).json()["count"] == 0


def test_who_made_a_change_is_shown_to_staff_only(first, edit):
    [change] = APIClient().get(URL, {"since": first.name}).json()["results"]
    assert change["user"] is None
    assert change["reason"] == "Corrected from the spend plan's table"


def test_since_a_moment_and_by_kind(first, edit):
    client = APIClient()
    an_hour_ago = (timezone.now() - timedelta(hours=1)).isoformat()
    assert client.get(URL, {"since": an_hour_ago, "kind": "line-item"}).json()["count"] >= 1
    assert client.get(URL, {"since": timezone.now().isoformat()}).json()["count"] == 0
    figure = ReportedFigure.objects.get(key="fy2012-commitment")
    figure.note = "A new note."
    figure.save()
    kinds = {row["kind"] for row in client.get(URL, {"since": first.name}).json()["results"]}
    assert kinds == {"line-item", "reported-figure"}
    only = client.get(URL, {"since": first.name, "kind": "reported-figure"}).json()["results"]
    assert [(row["key"], row["changes"]) for row in only] == [
        (
            "fy2012-commitment",
            [
                {
                    "field": "note",
                    "old": "The State Department's spend plan of June 2012 gives $135 million appropriated "
                    "for FY2012: see the disagreement.",
                    "new": "A new note.",
                }
            ],
        )
    ]


def test_links_are_changes_too(first):
    program = Program.objects.get(slug="vetted-units")
    program.countries.remove(*program.countries.filter(iso2="PA"))
    [change] = APIClient().get(URL, {"since": first.name, "kind": "program"}).json()["results"]
    assert change["changes"] == [
        {"field": "countries", "old": ["CR", "GT", "HN", "PA", "SV"], "new": ["CR", "GT", "HN", "SV"]}
    ]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"since": "last tuesday"}, "since"),
        ({"kind": "line-item,unicorn"}, "kind"),
        ({"page": "0"}, "page"),
        ({"page": "9"}, "page"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(params, parameter):
    response = APIClient().get(URL, {"since": "2001-01-01", **params})
    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_pages_of_changes_and_their_queries(first):
    item = Allocation.objects.get(fiscal_year=2012, stage="appropriated", account__code="INCLE")

    def queries(**params):
        with CaptureQueriesContext(connection) as captured:
            response = APIClient().get(URL, {"since": first.name, **params})
        return response.json(), len(captured)

    item.amount = Decimal("85000001")
    item.save()
    _, few = queries()
    for amount in range(30):
        item.amount = Decimal(85000002 + amount)
        item.save()
    body, many = queries(page_size="10", page="2")
    assert body["count"] == 31
    assert len(body["results"]) == 10
    assert body["next"].endswith("page=3") and body["previous"].endswith("page=1")
    assert many == few  # however long the history


def test_the_atom_feed_names_the_change(client, first, edit):
    response = client.get("/feeds/changes.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == f"Line item {edit.pk} changed: amount"
    summary = entry.find(f"{ATOM}summary").text
    assert "amount: 85000000.00 → 86000000.00" in summary
    assert "Reason: Corrected from the spend plan's table" in summary
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver/api/v1/allocations/{edit.pk}/history/"


def test_the_changes_page(client, first, edit):
    page = client.get("/changes/").content.decode()
    assert f"Line item <code>{edit.pk}</code>, changed" in page
    assert "<code>amount</code>: 85000000.00 → 86000000.00" in page
    assert "Corrected from the spend plan&#x27;s table" in page
    assert f'href="/api/v1/releases/{first.name}.zip"' in page
    since = client.get("/changes/", {"since": first.name}).content.decode()
    assert "1 change</caption>" in since
    response = client.get("/changes/", {"since": "someday"})
    assert response.status_code == 400
    assert "<code>since</code>: Give a release name" in response.content.decode()
