"""The admin's history pages: who may write an old version back, and that a revert is a versioned edit."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from funding.models import Allocation, ReportedFigure
from sources.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client, django_user_model):
    def login_as(username, role):
        user = django_user_model.objects.create_user(username, password="pw-for-tests-only", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        client.force_login(user)
        return client

    return login_as


@pytest.fixture
def esf_2008():
    return Allocation.objects.get(
        source__key="state-spend-plan-fy2012", fiscal_year=2008, account__code="ESF", stage="appropriated"
    )


def _edit(item, amount, version, reason="Typo"):
    item.amount = Decimal(amount)
    item.version = version
    item._change_reason = reason
    item.save()


def _revert_page(client, item, record):
    """The history page of an old version, and its form's data posted back exactly as shown."""
    url = f"/admin/{item._meta.app_label}/{item._meta.model_name}/{item.pk}/history/{record.history_id}/"
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        data[name] = "" if value is None else value
        if field.__class__.__name__ == "ModelMultipleChoiceField":
            data[name] = [str(pk) for pk in value or []]
    return url, data


def _state(item):
    row = type(item).objects.filter(pk=item.pk).values().first()
    return row, type(item).history.filter(id=item.pk).count()


def test_an_analyst_posting_an_old_version_back_unchanged_changes_nothing(client, login, esf_2008):
    _edit(esf_2008, "111.00", 2)
    analyst = login("ana", "Analyst")
    url, data = _revert_page(analyst, esf_2008, esf_2008.history.earliest("history_date"))
    before = _state(esf_2008)

    assert analyst.post(url, data).status_code == 403
    assert _state(esf_2008) == before
    assert Allocation.objects.get(pk=esf_2008.pk).amount == Decimal("111.00")


def test_an_analyst_cannot_bring_back_a_deleted_line_item(client, login, esf_2008):
    record = esf_2008.history.earliest("history_date")
    pk = esf_2008.pk
    esf_2008._change_reason = "Duplicate"
    esf_2008.delete()
    esf_2008.pk = pk
    analyst = login("ana", "Analyst")
    url, data = _revert_page(analyst, esf_2008, record)

    assert analyst.post(url, data).status_code == 403
    assert not Allocation.objects.filter(pk=esf_2008.pk).exists()


@pytest.mark.parametrize(
    "model, lookup",
    [(Source, {"key": "gao-13-295r"}), (ReportedFigure, {"key": "fy2012-commitment"})],
)
def test_analysts_cannot_revert_sources_or_reported_figures_either(client, login, model, lookup):
    item = model.objects.get(**lookup)
    item.note, item.version, item._change_reason = "Checked again.", 2, "Check"
    item.save()
    analyst = login("ana", "Analyst")
    url, data = _revert_page(analyst, item, item.history.earliest("history_date"))
    before = _state(item)

    assert analyst.post(url, data).status_code == 403
    assert _state(item) == before


def test_an_analyst_sees_old_versions_without_a_revert_button(client, login, esf_2008):
    _edit(esf_2008, "111.00", 2)
    analyst = login("ana", "Analyst")
    url, _ = _revert_page(analyst, esf_2008, esf_2008.history.earliest("history_date"))
    html = analyst.get(url).content.decode()
    assert 'value="Revert"' not in html


def test_an_editor_reverts_as_a_new_version_with_a_reason(client, login, esf_2008):
    _edit(esf_2008, "111.00", 2)
    editor = login("ed", "Editor")
    url, data = _revert_page(editor, esf_2008, esf_2008.history.earliest("history_date"))

    response = editor.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    esf_2008.refresh_from_db()
    # The old amount is back, and the version moves on rather than back to 1.
    assert (esf_2008.amount, esf_2008.version) == (Decimal("25000000.00"), 3)
    latest = esf_2008.history.latest("history_date")
    assert (latest.version, latest.history_change_reason, latest.history_user.username) == (
        3,
        "Reverted to version 1",
        "ed",
    )


def test_a_revert_from_a_stale_page_is_refused(client, login, esf_2008):
    _edit(esf_2008, "111.00", 2)
    editor = login("ed", "Editor")
    url, data = _revert_page(editor, esf_2008, esf_2008.history.earliest("history_date"))
    _edit(esf_2008, "222.00", 3, reason="Someone else")  # after the page was opened

    response = editor.post(url, data)
    assert response.status_code == 200
    assert (
        "you edited version 2; it is now version 3"
        in response.context["adminform"].form.non_field_errors()[0]
    )
    esf_2008.refresh_from_db()
    assert (esf_2008.amount, esf_2008.version) == (Decimal("222.00"), 3)


def test_an_editor_brings_back_a_deleted_line_item_with_its_next_version(client, login, esf_2008):
    _edit(esf_2008, "111.00", 2)
    record = esf_2008.history.latest("history_date")
    pk = esf_2008.pk
    esf_2008._change_reason = "Duplicate"
    esf_2008.delete()
    esf_2008.pk = pk
    editor = login("ed", "Editor")
    url, data = _revert_page(editor, esf_2008, record)

    response = editor.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    restored = Allocation.objects.get(pk=esf_2008.pk)
    assert (restored.amount, restored.version) == (Decimal("111.00"), 3)
