"""Admin and API editing: the two roles, the change history, and refusal of stale edits."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from funding.io.exports import LINE_ITEM_COLUMNS
from funding.models import Allocation, ReportedFigure
from sources.models import Source

pytestmark = pytest.mark.django_db

API = "/api/v1/allocations/"


@pytest.fixture
def make_user(django_user_model):
    def make(username, role=None):
        user = django_user_model.objects.create_user(username, password="pw-for-tests-only", is_staff=True)
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def admin_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def esf_2008():
    return Allocation.objects.get(
        source__key="state-spend-plan-fy2012", fiscal_year=2008, account__code="ESF", stage="appropriated"
    )


# Roles ----------------------------------------------------------------------------


def test_roles_are_created_with_their_permissions():
    analyst = set(Group.objects.get(name="Analyst").permissions.values_list("codename", flat=True))
    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
    assert {
        "view_allocation",
        "view_country",
        "view_program",
        "view_historicalallocation",
        "view_release",
    } <= analyst
    assert "add_release" in editor
    assert all(codename.startswith("view_") for codename in analyst)
    assert analyst < editor
    # An Editor also publishes releases (never changes nor deletes one).
    assert editor - analyst - {"add_release"} == {
        f"{action}_{model}"
        for model in [
            *("program", "programpartner", "objectivewording", "allocation", "reportedfigure", "source"),
            *("citation", "coverage", "disagreement", "disagreementside", "explanation", "organizationfact"),
        ]
        for action in ["add", "change", "delete"]
    }


def test_analyst_views_everything_in_the_admin_and_changes_nothing(client, make_user, esf_2008):
    client = admin_client(client, make_user("ana", "Analyst"))
    assert client.get("/admin/funding/allocation/").status_code == 200
    assert client.get(f"/admin/funding/allocation/{esf_2008.pk}/change/").status_code == 200
    assert client.get("/admin/partners/country/").status_code == 200
    assert client.get("/admin/funding/allocation/add/").status_code == 403
    response = client.post(f"/admin/funding/allocation/{esf_2008.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert client.get("/admin/funding/allocation/import/").status_code == 403
    assert client.get("/admin/auth/user/").status_code == 403
    assert Allocation.objects.filter(pk=esf_2008.pk).exists()


def test_editor_edits_line_items_but_not_countries_or_users(client, make_user):
    client = admin_client(client, make_user("ed", "Editor"))
    assert client.get("/admin/funding/allocation/add/").status_code == 200
    assert client.get("/admin/programs/program/add/").status_code == 200
    assert client.get("/admin/partners/country/add/").status_code == 403
    assert client.get("/admin/auth/user/").status_code == 403


def test_the_same_roles_apply_to_the_api(make_user, esf_2008):
    change = {"amount": "1.00", "version": 1}
    assert APIClient().patch(f"{API}{esf_2008.pk}/", change, format="json").status_code == 401
    analyst = token_client(make_user("ana", "Analyst"))
    assert analyst.patch(f"{API}{esf_2008.pk}/", change, format="json").status_code == 403
    editor = token_client(make_user("ed", "Editor"))
    assert editor.patch(f"{API}{esf_2008.pk}/", change, format="json").status_code == 200
    assert editor.patch("/api/v1/countries/GT/", {"name": "X"}, format="json").status_code == 403


# History --------------------------------------------------------------------------


def test_an_api_edit_is_in_the_history_with_user_values_and_reason(make_user, esf_2008):
    editor = token_client(make_user("ed", "Editor"))
    response = editor.patch(
        f"{API}{esf_2008.pk}/",
        {"amount": "25500000", "country": "GT", "version": 1, "change_reason": "Corrected from GAO-13-771"},
        format="json",
    )
    assert response.status_code == 200, response.json()

    history = editor.get(f"{API}{esf_2008.pk}/history/").json()
    assert [(entry["type"], entry["version"], entry["user"]) for entry in history] == [
        ("changed", 2, "ed"),
        ("created", 1, None),
    ]
    # The public reads the same history without the editors' logins.
    public = APIClient().get(f"{API}{esf_2008.pk}/history/").json()
    assert public == [entry | {"user": None} for entry in history]
    assert history[0]["reason"] == "Corrected from GAO-13-771"
    assert history[0]["changes"] == [
        {"field": "amount", "old": "25000000.00", "new": "25500000.00"},
        {"field": "country", "old": "", "new": "GT"},
    ]
    assert history[1]["reason"] == "Seed data (fixtures/)"


def test_history_of_every_edited_resource_is_readable_by_anyone():
    for url in [
        "/api/v1/reported-figures/fy2012-commitment/history/",
        "/api/v1/sources/gao-13-295r/history/",
        "/api/v1/programs/operation-martillo/history/",
    ]:
        response = APIClient().get(url)
        assert response.status_code == 200, url
        assert [entry["type"] for entry in response.json()] == ["created"]


def test_history_query_count_does_not_grow_with_changes(make_user, esf_2008, django_assert_num_queries):
    editor = token_client(make_user("ed", "Editor"))
    for version in range(1, 6):
        editor.patch(
            f"{API}{esf_2008.pk}/", {"amount": str(1000 + version), "version": version}, format="json"
        )
    # the line item; its history with users and related rows in one join
    with django_assert_num_queries(3):
        assert len(APIClient().get(f"{API}{esf_2008.pk}/history/").json()) == 6


def test_the_allocation_page_shows_its_history(client, make_user, esf_2008):
    admin = admin_client(client, make_user("ed", "Editor"))
    admin.post(
        f"/admin/funding/allocation/{esf_2008.pk}/change/",
        _admin_form(esf_2008, amount="24000000", change_reason="Spend plan, second printing"),
    )
    html = client.get(f"/allocations/{esf_2008.pk}/").content.decode()
    assert "Spend plan, second printing" in html
    assert "<strong>amount</strong>: 25000000.00 → 24000000.00" in html
    assert "2 records, newest first" in html


# Lost updates ---------------------------------------------------------------------


def _admin_form(allocation, **changes):
    data = {
        "fiscal_year": allocation.fiscal_year,
        "stage": allocation.stage,
        "amount": allocation.amount,
        "donor": allocation.donor_id,
        "account": allocation.account_id or "",
        "country": allocation.country_id or "",
        "objective": allocation.objective_id or "",
        "program": allocation.program_id or "",
        "source": allocation.source_id,
        "source_detail": allocation.source_detail,
        "note": allocation.note,
        "grade": allocation.grade,
        "agency": allocation.agency_id or "",
        "fiscal_year_basis": allocation.fiscal_year_basis,
        "appropriation_year": allocation.appropriation_year or "",
        "as_of": allocation.as_of,
        "expected_version": allocation.version,
        "change_reason": "",
    }
    return data | changes


def test_admin_refuses_the_second_of_two_saves_from_the_same_version(client, make_user, esf_2008):
    first, second = make_user("first", "Editor"), make_user("second", "Editor")
    url = f"/admin/funding/allocation/{esf_2008.pk}/change/"
    form_of_second = _admin_form(esf_2008, amount="26000000")  # opened before the first one saves

    response = admin_client(client, first).post(url, _admin_form(esf_2008, amount="24000000"))
    assert response.status_code == 302
    response = admin_client(client, second).post(url, form_of_second)

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert "was changed by first" in errors[0]
    assert "you edited version 1; it is now version 2" in errors[0]
    esf_2008.refresh_from_db()
    assert (esf_2008.amount, esf_2008.version) == (Decimal("24000000.00"), 2)


def test_api_refuses_a_stale_version_in_the_body_or_if_match(make_user, esf_2008):
    editor = token_client(make_user("ed", "Editor"))
    url = f"{API}{esf_2008.pk}/"
    assert editor.get(url)["ETag"] == '"1"'
    assert editor.patch(url, {"amount": "1.00", "version": 1}, format="json").status_code == 200

    stale = editor.patch(url, {"amount": "2.00", "version": 1}, format="json")
    assert stale.status_code == 409
    assert "it is now version 2" in stale.json()["version"][0]
    stale = editor.patch(url, {"amount": "3.00"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    missing = editor.patch(url, {"amount": "4.00"}, format="json")
    assert missing.status_code == 428
    assert "version" in missing.json()
    assert editor.delete(url, HTTP_IF_MATCH='"1"').status_code == 412

    esf_2008.refresh_from_db()
    assert (esf_2008.amount, esf_2008.version) == (Decimal("1.00"), 2)
    current = editor.patch(url, {"amount": "5.00"}, format="json", HTTP_IF_MATCH='"2"')
    assert (current.status_code, current["ETag"]) == (200, '"3"')


def test_versions_guard_reported_figures_sources_and_programs_too(make_user):
    editor = token_client(make_user("ed", "Editor"))
    for url, change in [
        ("/api/v1/reported-figures/fy2012-commitment/", {"label": "FY2012 commitment"}),
        ("/api/v1/sources/gao-13-295r/", {"note": "Checked."}),
        ("/api/v1/programs/operation-martillo/", {"summary": "Littoral interdiction."}),
    ]:
        assert editor.patch(url, change | {"version": 1}, format="json").status_code == 200, url
        assert editor.patch(url, change | {"version": 1}, format="json").status_code == 409, url
    assert ReportedFigure.objects.get(key="fy2012-commitment").version == 2
    assert Source.objects.get(key="gao-13-295r").version == 2


# Admin pages made for this data ---------------------------------------------------


def test_program_admin_shows_line_item_totals_and_edits_them_inline(admin_client_logged_in):
    from programs.models import Program

    program = Program.objects.get(slug="regional-equipment-and-training")
    html = admin_client_logged_in.get(f"/admin/programs/program/{program.pk}/change/").content.decode()
    assert "Allocated: <strong>$21,183,319</strong> (3 line items)" in html
    assert 'name="allocations-0-amount"' in html


def test_reported_figure_list_shows_each_verdict(admin_client_logged_in, django_assert_num_queries):
    # session, user, the source filter's choices, two counts, the page of figures (6); then the
    # reconciliation of every figure at once (11, see funding.queries.reconciliation.reconcile).
    with django_assert_num_queries(17):
        html = admin_client_logged_in.get("/admin/funding/reportedfigure/").content.decode()
    assert html.count(">disagrees</strong>") == 0
    assert html.count(">agrees</strong>") == 3
    assert html.count(">partial coverage</strong>") == 6
    assert "$361,508,000" in html


def test_admin_exports_the_filtered_line_items_as_csv_and_xlsx(admin_client_logged_in):
    url = "/admin/funding/allocation/export/?stage__exact=disbursed&country__id__exact="
    gt = admin_client_logged_in.get("/api/v1/countries/GT/")
    assert gt.status_code == 200
    from partners.models import Country

    url += str(Country.objects.get(iso2="GT").pk)
    response = admin_client_logged_in.post(url, {"format": "0", "resource": "0"} | _all_export_fields())
    assert response.status_code == 200, response.content[:300]
    lines = response.content.decode().splitlines()
    # The API's CSV columns, and the version.
    assert lines[0] == ",".join([*(column for column, _ in LINE_ITEM_COLUMNS), "version"])
    assert len(lines) == 1 + 5
    amount = lines[0].split(",").index("amount")
    assert sum(Decimal(line.split(",")[amount]) for line in lines[1:]) == Decimal("1675000.00")
    assert all(",GT,Guatemala," in line for line in lines[1:])
    response = admin_client_logged_in.post(url, {"format": "1", "resource": "0"} | _all_export_fields())
    assert response.status_code == 200
    assert response.content[:2] == b"PK"  # an XLSX file is a zip archive


def _all_export_fields():
    from funding.admin import AllocationResource

    return {f"allocationresource_{name}": "on" for name in AllocationResource.Meta.fields}
