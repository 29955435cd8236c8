"""Editors keep the disagreements in the admin: "explained" only with a cited explanation, two sides
or more, and every change in the history."""

import json

import pytest
from django.contrib.auth.models import Group

from funding.models import Disagreement, Explanation
from sources.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_user("ed", password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    client.force_login(user)
    return client


def url_of(disagreement):
    return f"/admin/funding/disagreement/{disagreement.pk}/change/"


def form_data(response):
    """What the change page would post back unchanged: the form and each inline formset."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()  # as the widget shows it: JSON as text, a choice as its key
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


def refused(editor, key, changes):
    """Post the disagreement's change page with these changes; the save is refused (the page comes
    back): its inline formsets, by prefix."""
    disagreement = Disagreement.objects.get(key=key)
    data = form_data(editor.get(url_of(disagreement))) | changes
    response = editor.post(url_of(disagreement), data)
    assert response.status_code == 200
    return {inline.formset.prefix: inline.formset for inline in response.context["inline_admin_formsets"]}


EXPLAINED_NEEDS_A_SOURCE = (
    "status: a disagreement is “explained” only with an explanation that cites its source; add one "
    "(with its source, and the quote where there is one), or leave the status open."
)


def test_explained_without_a_cited_explanation_is_refused_naming_the_field(editor):
    # Open, and its one explanation cites nothing: neither source says why.
    formsets = refused(editor, "fy2012-105-or-135", {"status": "explained"})
    assert formsets["explanations"].non_form_errors() == [EXPLAINED_NEEDS_A_SOURCE]
    disagreement = Disagreement.objects.get(key="fy2012-105-or-135")
    assert (disagreement.status, disagreement.version) == ("open", 1)


def test_deleting_the_only_cited_explanation_of_an_explained_disagreement_is_refused(editor):
    formsets = refused(editor, "friends-650-or-2000", {"explanations-0-DELETE": "on"})
    assert formsets["explanations"].non_form_errors() == [EXPLAINED_NEEDS_A_SOURCE]
    assert Explanation.objects.filter(disagreement__key="friends-650-or-2000").count() == 1


def test_a_cited_explanation_explains_it_and_is_in_the_history(editor):
    disagreement = Disagreement.objects.get(key="fy2012-105-or-135")
    data = form_data(editor.get(url_of(disagreement)))
    spend_plan = Source.objects.get(key="state-spend-plan-fy2012")
    data |= {
        "status": "explained",
        "explanations-TOTAL_FORMS": "2",
        "explanations-1-position": "1",
        "explanations-1-text_en": "The spend plan adds the FY2012 appropriations the commitment preceded.",
        "explanations-1-source": spend_plan.pk,
        "explanations-1-locator": "Table: CARSI funding by fiscal year and account",
        "explanations-1-quote": "",
        "explanations-1-grade": "D",
    }

    response = editor.post(url_of(disagreement), data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    disagreement.refresh_from_db()
    assert (disagreement.status, disagreement.version) == ("explained", 2)
    added = Explanation.objects.get(disagreement=disagreement, position=1)
    assert added.history.get().history_user.username == "ed"
    assert disagreement.history.count() == 2


def test_a_disagreement_needs_two_sides(editor):
    formsets = refused(editor, "world-bank-1000-or-1500", {"sides-1-DELETE": "on"})
    assert formsets["sides"].non_form_errors() == [
        "sides: a disagreement sets 2 figures or more side by side; keep two sides at least."
    ]
    assert Disagreement.objects.get(key="world-bank-1000-or-1500").sides.count() == 2


def test_a_side_with_filters_the_api_does_not_take_is_refused_naming_them(editor):
    filters = json.dumps({"stage": "spent", "source": "state-spend-plan-fy2012"})
    formsets = refused(editor, "fy2012-105-or-135", {"sides-1-filters": filters})
    [message] = formsets["sides"].forms[1].errors["filters"]
    assert message.startswith("These are not line-item filters the API takes: stage:")


@pytest.mark.parametrize("filters", ['"stage"', "[1, 2]", "7"])
def test_filters_that_are_not_an_object_are_refused(editor, filters):
    formsets = refused(editor, "fy2012-105-or-135", {"sides-1-filters": filters})
    assert formsets["sides"].forms[1].errors["filters"] == [
        'Filters are a JSON object of the list API\'s filters, such as {"stage": "appropriated"}.'
    ]
