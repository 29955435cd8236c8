"""Editors publish a release from the admin; nobody changes or deletes one."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from funding.models import Allocation
from releases.models import Release

pytestmark = pytest.mark.django_db

PUBLISH = "/admin/releases/release/publish/"


@pytest.fixture
def login(client, django_user_model):
    def as_role(role):
        user = django_user_model.objects.create_user(role.lower(), password="pw-for-tests", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        client.force_login(user)
        return client

    return as_role


def edit_something():
    item = Allocation.objects.get(fiscal_year=2012, stage="appropriated", account__code="INCLE")
    item.amount = Decimal("86000000.00")
    item.save()


def test_an_editor_publishes_a_release_with_a_note(login):
    client = login("Editor")
    listing = client.get("/admin/releases/release/").content.decode()
    assert 'href="/admin/releases/release/publish/"' in listing
    edit_something()
    response = client.post(PUBLISH, {"note": "FY2012 INCLE corrected"})
    assert response.status_code == 302
    release = Release.objects.latest_release()
    assert (release.number, release.note) == (2, "FY2012 INCLE corrected")
    assert release.published_by.username == "editor"


def test_nothing_to_publish_and_no_note_are_said_on_the_form(login):
    client = login("Editor")
    response = client.post(PUBLISH, {"note": "Again"})
    assert response.status_code == 200
    assert "Nothing changed since the last release" in response.content.decode()
    response = client.post(PUBLISH, {"note": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"note": ["This field is required."]}
    assert Release.objects.count() == 1


def test_an_analyst_cannot_publish_and_nobody_edits_a_release(login):
    client = login("Analyst")
    assert client.get("/admin/releases/release/").status_code == 200
    edit_something()
    assert client.post(PUBLISH, {"note": "Not mine to publish"}).status_code == 403
    assert Release.objects.count() == 1
    client = login("Editor")
    first = Release.objects.get(number=1)
    page = client.get(f"/admin/releases/release/{first.pk}/change/")
    assert page.status_code == 200  # viewed, read only
    assert 'name="note"' not in page.content.decode()
    assert client.post(f"/admin/releases/release/{first.pk}/delete/", {"post": "yes"}).status_code == 403
