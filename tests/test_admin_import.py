from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from funding.admin.imports import SESSION_KEY
from funding.io.imports import IMPORT_COLUMNS
from funding.models import Allocation, FundingAccount
from partners.models import Country, Organization
from sources.models import Source

pytestmark = pytest.mark.django_db

SEEDED_ALLOCATIONS = 54
EXAMPLE = (Path(settings.BASE_DIR) / "docs" / "example-import.csv").read_bytes()
HEADER = ",".join(IMPORT_COLUMNS) + "\n"


@pytest.fixture
def import_url():
    return reverse("admin:funding_allocation_import")


def upload(client, url, data, name="line-items.csv"):
    return client.post(url, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def test_upload_form_answers(admin_client_logged_in, import_url):
    response = admin_client_logged_in.get(import_url)
    assert response.status_code == 200
    assert response.templates[0].name == "admin/funding/allocation/import_form.html"
    assert b'enctype="multipart/form-data"' in response.content


def test_upload_shows_a_preview_and_writes_nothing(admin_client_logged_in, import_url):
    response = upload(admin_client_logged_in, import_url, EXAMPLE)
    assert response.status_code == 200
    assert response.templates[0].name == "admin/funding/allocation/import_preview.html"
    report = response.context["report"]
    assert (report.ok, report.rows, report.created, report.unchanged) == (True, 4, 0, 0)
    assert response.context["new"] == 4
    assert [line for line, _ in response.context["preview_rows"]] == [2, 3, 4, 5]
    first = dict(zip(response.context["columns"], response.context["preview_rows"][0][1], strict=True))
    assert [first[name] for name in ("fiscal_year", "stage", "amount", "donor")] == [
        "2012",
        "allocated",
        "5000000.00",
        "united-states",
    ]
    content = response.content.decode()
    assert "<li>New line items: 4</li>" in content
    assert "<li>Already stored, will be skipped: 0</li>" in content
    assert "Example row 4 (invented figure)" in content
    assert 'value="Confirm import"' in content
    assert Allocation.objects.count() == SEEDED_ALLOCATIONS


def test_confirm_imports_the_previewed_file_and_redirects_to_the_list(admin_client_logged_in, import_url):
    token = upload(admin_client_logged_in, import_url, EXAMPLE).context["token"]
    response = admin_client_logged_in.post(import_url, {"token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:funding_allocation_changelist")
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Imported 4 line items; 0 were already present."
    ]
    assert Allocation.objects.count() == SEEDED_ALLOCATIONS + 4
    imported = Allocation.objects.filter(source_detail__startswith="Example row").order_by("source_detail")
    assert [(item.fiscal_year, item.account.code, item.country.iso2, item.amount) for item in imported] == [
        (2012, "INCLE", "GT", Decimal("5000000.00")),
        (2012, "ESF", "HN", Decimal("3500000.00")),
        (2011, "INCLE", "SV", Decimal("2000000.00")),
        (2011, "FMF", "PA", Decimal("750000.00")),
    ]
    assert SESSION_KEY not in admin_client_logged_in.session


def test_a_preview_is_confirmed_once(admin_client_logged_in, import_url):
    token = upload(admin_client_logged_in, import_url, EXAMPLE).context["token"]
    admin_client_logged_in.post(import_url, {"token": token})
    response = admin_client_logged_in.post(import_url, {"token": token}, follow=True)
    assert response.redirect_chain == [(import_url, 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "Imported 4 line items; 0 were already present.",
        "This preview has expired or was replaced by another upload: upload the file again.",
    ]
    assert Allocation.objects.count() == SEEDED_ALLOCATIONS + 4


def test_a_new_upload_replaces_the_pending_preview(admin_client_logged_in, import_url):
    first = upload(admin_client_logged_in, import_url, EXAMPLE).context["token"]
    second = upload(admin_client_logged_in, import_url, EXAMPLE.replace(b"5000000.00", b"5100000.00"))
    assert admin_client_logged_in.post(import_url, {"token": first})["Location"] == import_url
    assert Allocation.objects.count() == SEEDED_ALLOCATIONS
    response = admin_client_logged_in.post(import_url, {"token": second.context["token"]})
    assert response["Location"] == reverse("admin:funding_allocation_changelist")
    assert Allocation.objects.get(source_detail="Example row 1 (invented figure)").amount == Decimal(
        "5100000.00"
    )
    assert Allocation.objects.count() == SEEDED_ALLOCATIONS + 4


def test_file_already_stored_has_nothing_to_confirm(admin_client_logged_in, import_url):
    seed = (Path(settings.BASE_DIR) / "fixtures" / "allocations.csv").read_bytes()
    response = upload(admin_client_logged_in, import_url, seed)
    report = response.context["report"]
    assert (report.ok, report.rows, report.unchanged) == (True, 54, 54)
    assert len(response.context["preview_rows"]) == 50
    assert "The first 50 of 54 rows" in response.content.decode()
    assert "Nothing to import" in response.content.decode()
    assert b"Confirm import" not in response.content
    assert SESSION_KEY not in admin_client_logged_in.session


def test_a_bad_row_is_listed_and_nothing_can_be_confirmed(admin_client_logged_in, import_url):
    data = EXAMPLE + b"2012,allocated,12.3a,united-states,ESF,XX,,,gao-13-771,bad row,,\n"
    response = upload(admin_client_logged_in, import_url, data)
    assert response.status_code == 200
    assert [str(error) for error in response.context["report"].errors] == [
        'line 6, country: unknown country "XX"',
        'line 6, amount: "12.3a": write it as dollars in the digits 0–9, at most two decimals after a '
        "point, no thousands separators: 2550319.00",
    ]
    content = response.content.decode()
    assert "2 errors in 5 rows: nothing was written." in content
    assert "<tr><td>6</td><td>country</td><td>unknown country &quot;XX&quot;</td></tr>" in content
    assert "Confirm import" not in content
    assert SESSION_KEY not in admin_client_logged_in.session
    assert Allocation.objects.count() == SEEDED_ALLOCATIONS


@pytest.mark.parametrize(
    "row, error",
    [
        (
            b"2012,allocated,5.00,united-states,ESF,GT,,,gao-13-771,a\0b,,\n",
            "line 6, source_detail: contains a NUL",
        ),
        (b"2012,allocated,5.00,united-states,ESF,GT,,,gao-13-771,x,y,z,extra\n", "line 6, row: 13 fields"),
    ],
)
def test_a_row_the_database_could_not_store_is_an_error_at_preview(
    admin_client_logged_in, import_url, row, error
):
    response = upload(admin_client_logged_in, import_url, EXAMPLE + row)
    assert response.status_code == 200
    assert str(response.context["report"].errors[0]).startswith(error)
    assert "Confirm import" not in response.content.decode()
    assert SESSION_KEY not in admin_client_logged_in.session


def test_stored_line_items_changed_after_the_preview_means_nothing_is_written(
    admin_client_logged_in, import_url
):
    token = upload(admin_client_logged_in, import_url, EXAMPLE).context["token"]
    # Someone else stores the first example row's place with another amount meanwhile.
    Allocation.objects.create(
        fiscal_year=2012,
        stage="allocated",
        amount=Decimal("4000000.00"),
        donor=Organization.objects.get(slug="united-states"),
        account=FundingAccount.objects.get(code="INCLE"),
        country=Country.objects.get(iso2="GT"),
        source=Source.objects.get(key="gao-13-771"),
        source_detail="Example row 1 (invented figure)",
    )
    response = admin_client_logged_in.post(import_url, {"token": token})
    assert response.status_code == 200
    errors = response.context["report"].errors
    assert [(error.line, error.column) for error in errors] == [(2, "amount")]
    assert "already holds 4000000.00" in errors[0].message
    assert "The stored line items changed since the preview" in response.content.decode()
    assert b"Confirm import" not in response.content
    assert Allocation.objects.count() == SEEDED_ALLOCATIONS + 1


LATIN_1_ROW = "2012,allocated,1000,united-states,ESF,GT,,,gao-13-771,Petén,,"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            HEADER.encode() + (LATIN_1_ROW + "\n").encode("latin-1"),
            # The é of Petén, counted from 1.
            f"The file is not UTF-8 text (byte {len(HEADER) + LATIN_1_ROW.index('é') + 1} cannot be read).",
        ),
        (b"fiscal_year,stage,amount\n", "Line 1 (header): missing column(s): donor, source."),
        (b"", "The submitted file is empty."),
    ],
    ids=["not-utf8", "bad-header", "empty"],
)
def test_unreadable_file_is_refused_on_the_form(admin_client_logged_in, import_url, data, message):
    response = upload(admin_client_logged_in, import_url, data)
    assert response.status_code == 200
    assert response.templates[0].name == "admin/funding/allocation/import_form.html"
    [error] = response.context["form"].errors["file"]
    assert error.startswith(message)
    assert Allocation.objects.count() == SEEDED_ALLOCATIONS


def test_file_with_byte_order_mark_is_read(admin_client_logged_in, import_url):
    response = upload(admin_client_logged_in, import_url, b"\xef\xbb\xbf" + EXAMPLE)
    assert response.context["report"].rows == 4


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user("staff", password="pw-for-tests-only", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_allocation"))
    client.force_login(user)
    return client, user


def test_staff_without_add_permission_is_refused(staff_client, import_url):
    client, _ = staff_client
    assert client.get(import_url).status_code == 403
    assert upload(client, import_url, EXAMPLE).status_code == 403
    assert Allocation.objects.count() == SEEDED_ALLOCATIONS


def test_staff_with_add_permission_imports(staff_client, import_url):
    client, user = staff_client
    user.user_permissions.add(Permission.objects.get(codename="add_allocation"))
    token = upload(client, import_url, EXAMPLE).context["token"]
    assert client.post(import_url, {"token": token}).status_code == 302
    assert Allocation.objects.count() == SEEDED_ALLOCATIONS + 4


def test_anonymous_user_is_sent_to_the_login_page(client, import_url):
    response = client.get(import_url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_preview_query_count(admin_client_logged_in, import_url, django_assert_num_queries):
    # session, user; the coverage the sources declare; one natural-key lookup per column (donor,
    # agency, account, country, objective, program, source); stored line items of the file's
    # sources; saving the session in a savepoint (savepoint, update, release).
    with django_assert_num_queries(14):
        response = upload(admin_client_logged_in, import_url, EXAMPLE)
    assert response.context["report"].rows == 4
