"""ETags, 304s and the response cache: every anonymous read is named by the data version, and every kind
of write (admin, API, import, restore, a release) moves it; nothing else does."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core import dataversion, responsecache
from core.backup import restore
from funding.models import Allocation
from releases.publish import publish

pytestmark = pytest.mark.django_db

ANONYMOUS_READS = [
    "/",
    "/es/",
    "/allocations/?country=GT&stage=disbursed",
    "/countries/GT/",
    "/reconciliation/",
    "/changes/",
    "/feeds/changes.atom",
    "/api/v1/allocations/?country=GT",
    "/api/v1/allocations/?format=csv",
    "/api/v1/allocations/?format=xlsx&stage=disbursed",
    "/api/v1/allocations/totals/?group_by=fiscal_year",
    "/api/v1/iati/activities.xml?country=GT",
    "/api/v1/schema/",
]
GT_DISBURSED = "/api/v1/allocations/totals/?country=GT&stage=disbursed"


@pytest.fixture(autouse=True)
def empty_cache():
    caches["responses"].clear()
    yield
    caches["responses"].clear()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def etag(path="/", **headers) -> str:
    response = Client().get(path, **headers)
    assert response.status_code == 200, path
    return response["ETag"]


@pytest.mark.parametrize("path", ANONYMOUS_READS)
def test_every_anonymous_read_carries_an_etag_and_may_be_kept_a_minute(path):
    response = Client().get(path)
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')
    assert response["Cache-Control"] == "public, max-age=60, must-revalidate"
    body(response)


@pytest.mark.parametrize("path", ANONYMOUS_READS)
def test_a_matching_if_none_match_is_a_304_with_no_body_after_one_query(path, django_assert_num_queries):
    tag = etag(path)
    with django_assert_num_queries(1):
        response = Client().get(path, HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == tag
    assert response["Cache-Control"] == "public, max-age=60, must-revalidate"
    # As RFC 9110 asks: weak comparison, and any of a list.
    assert Client().get(path, HTTP_IF_NONE_MATCH=f'"other", W/{tag}').status_code == 304
    assert Client().get(path, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_second_reader_gets_the_same_answer_from_the_cache_after_one_query(django_assert_num_queries):
    first = Client().get("/reconciliation/")
    with django_assert_num_queries(1):
        second = Client().get("/reconciliation/")
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Language"] == "en"
    assert second["ETag"] == first["ETag"]


def test_the_etag_names_the_address_the_language_and_the_format():
    tags = {
        etag("/"),
        etag("/es/"),
        etag("/countries/GT/"),
        etag("/countries/HN/"),
        etag("/api/v1/allocations/"),
        etag("/api/v1/allocations/", HTTP_ACCEPT="text/csv"),
        etag("/api/v1/allocations/", HTTP_ACCEPT_LANGUAGE="es"),
        etag("/api/v1/allocations/?page=2"),
    }
    assert len(tags) == 8
    # Nothing else changes it: reading again, or the same address from another client.
    assert etag("/") == etag("/") == etag("/", HTTP_USER_AGENT="curl/8")
    assert etag("/api/v1/allocations/") == etag("/api/v1/allocations/", HTTP_ACCEPT="*/*")


def test_answers_in_each_language_are_kept_apart():
    english = Client().get(GT_DISBURSED).json()["results"][0]["stage_name"]
    spanish = Client().get(GT_DISBURSED, HTTP_ACCEPT_LANGUAGE="es").json()["results"][0]["stage_name"]
    assert (english, spanish) == ("Disbursed", "Desembolsado")
    assert Client().get("/es/").content != Client().get("/").content
    assert "Accept" in Client().get("/api/v1/allocations/")["Vary"]


def test_authenticated_and_token_requests_are_never_cached(
    admin_client_logged_in, django_user_model, monkeypatch
):
    Client().get("/")  # an anonymous answer is in the cache
    token = Token.objects.create(user=django_user_model.objects.get(username="admin")).key

    def refuse(*args, **kwargs):
        raise AssertionError("the response cache was consulted")

    monkeypatch.setattr(caches["responses"], "get", refuse)
    monkeypatch.setattr(caches["responses"], "set", refuse)
    page = admin_client_logged_in.get("/")
    assert page.status_code == 200
    assert "ETag" not in page
    assert page["Cache-Control"] == "private, no-store"
    api = Client().get("/api/v1/allocations/", HTTP_AUTHORIZATION=f"Token {token}")
    assert api.status_code == 200 and "ETag" not in api
    assert api["Cache-Control"] == "private, no-store"
    assert "private" in admin_client_logged_in.get("/admin/")["Cache-Control"]


def test_writes_are_never_cached_by_anyone_on_the_way(django_user_model):
    editor = django_user_model.objects.create_user("editor", password="pw-for-tests-only")
    editor.groups.add(Group.objects.get(name="Editor"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    item = Allocation.objects.get(pk=1)
    response = client.patch(f"/api/v1/allocations/{item.pk}/", {"note": "x", "version": item.version})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response or response["ETag"] == f'"{item.version + 1}"'


def test_errors_and_refusals_carry_no_etag():
    for path in ("/no-such-page/", "/api/v1/allocations/?contry=GT", "/api/v1/allocations/?release=nope"):
        response = Client().get(path)
        assert response.status_code in (400, 404), path
        assert "ETag" not in response, path
        assert "public" not in response.get("Cache-Control", ""), path


# What moves the data version, and what does not


def gt_disbursed() -> tuple[str, Decimal]:
    response = Client().get(GT_DISBURSED)
    return response["ETag"], Decimal(response.json()["total"]["amount"])


def test_reads_logins_and_sessions_leave_the_version_where_it_was(client, django_user_model):
    before = dataversion.current()
    for path in ANONYMOUS_READS:
        body(Client().get(path))
    django_user_model.objects.create_user("reader", password="pw-for-tests-only", is_staff=True)
    assert client.login(username="reader", password="pw-for-tests-only")
    client.get("/admin/")
    assert dataversion.current() == before


def test_an_admin_edit_moves_the_etag_and_the_next_read_has_it(admin_client_logged_in):
    tag, amount = gt_disbursed()
    item = Allocation.objects.filter(country__iso2="GT", stage="disbursed").first()
    url = reverse("admin:funding_allocation_change", args=[item.pk])
    form = admin_client_logged_in.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data |= {"amount": str(item.amount + 1), "version": item.version, "_change_reason": "test"}
    response = admin_client_logged_in.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    new_tag, new_amount = gt_disbursed()
    assert new_tag != tag
    assert new_amount == amount + 1
    assert Client().get(GT_DISBURSED, HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_an_api_edit_moves_the_etag(django_user_model):
    tag, amount = gt_disbursed()
    editor = django_user_model.objects.create_user("editor", password="pw-for-tests-only")
    editor.groups.add(Group.objects.get(name="Editor"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    item = Allocation.objects.filter(country__iso2="GT", stage="disbursed").first()
    change = {"amount": str(item.amount - 5), "version": item.version}
    assert client.patch(f"/api/v1/allocations/{item.pk}/", change, format="json").status_code == 200
    assert gt_disbursed() == (gt_disbursed()[0], amount - 5)
    assert gt_disbursed()[0] != tag


def test_an_import_moves_the_etag_and_a_dry_run_does_not():
    example = Path(settings.BASE_DIR) / "docs" / "example-import.csv"
    tag = etag("/api/v1/allocations/")
    call_command("import_allocations", str(example), "--dry-run", verbosity=0)
    assert etag("/api/v1/allocations/") == tag
    call_command("import_allocations", str(example), verbosity=0)
    assert etag("/api/v1/allocations/") != tag


def test_a_failed_import_leaves_the_etag_as_it_was(tmp_path):
    broken = tmp_path / "broken.csv"
    good = (Path(settings.BASE_DIR) / "docs" / "example-import.csv").read_text()
    broken.write_text(good + good.splitlines()[1].replace("2010", "1999") + "\n")
    tag = etag("/api/v1/allocations/")
    with pytest.raises(Exception):  # noqa: B017 (the command's own error; what matters is what it left)
        call_command("import_allocations", str(broken), verbosity=0)
    assert etag("/api/v1/allocations/") == tag


def test_publishing_a_release_moves_the_etag():
    tag = etag("/api/v1/releases/")
    publish("A release", allow_empty=True)
    assert etag("/api/v1/releases/") != tag


def test_a_restore_moves_the_etag(tmp_path):
    from tests.test_backup import empty_the_database

    path = tmp_path / "carsi.jsonl.gz"
    call_command("backup", output=path, stdout=open("/dev/null", "w"))  # noqa: SIM115
    seeded = etag("/api/v1/allocations/")
    empty_the_database()
    emptied = etag("/api/v1/allocations/")
    restore(path)
    restored = etag("/api/v1/allocations/")
    assert len({seeded, emptied, restored}) == 3
    assert Client().get("/api/v1/allocations/").json()["count"] == Allocation.objects.count() > 0


def test_a_cache_that_is_down_makes_answers_slower_never_an_error(monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("Redis is restarting")

    monkeypatch.setattr(caches["responses"], "get", down)
    monkeypatch.setattr(caches["responses"], "set", down)
    response = Client().get("/reconciliation/")
    assert response.status_code == 200
    assert b"reconciliation" in response.content.lower()


def test_a_worker_keeps_its_own_copies_only_in_front_of_a_cache_elsewhere(settings):
    redis_cache = RedisCache("redis://127.0.0.1:6379/7", {})
    assert isinstance(responsecache._local_copies(redis_cache), responsecache._LocalCopies)
    # A cache in this process's memory (as in these tests) or none at all: no second copy.
    assert responsecache._local_copies(caches["responses"]) is None
    assert responsecache._local_copies(DummyCache("", {})) is None
    settings.RESPONSE_CACHE_LOCAL_BYTES = 0
    assert responsecache._local_copies(redis_cache) is None


def test_a_workers_copies_stay_within_their_bytes_the_least_recently_served_dropped_first():
    copies = responsecache._LocalCopies(max_bytes=100)
    headers = (("Content-Type", "text/html"),)  # 21 bytes
    for tag in ('"1-a"', '"1-b"'):
        copies.set(tag, (b"x" * 20, headers))  # 41 bytes each
    assert copies.get('"1-a"') is not None  # now the more recently served
    copies.set('"1-c"', (b"x" * 20, headers))  # three would be 123 bytes: "b" goes
    assert [copies.get(tag) is not None for tag in ('"1-a"', '"1-b"', '"1-c"')] == [True, False, True]
    copies.set('"1-d"', (b"d" * 200, headers))  # larger than all the copies together: not kept
    assert copies.get('"1-d"') is None


def test_a_line_items_own_etag_is_kept_for_an_edit_to_send_back():
    item = Allocation.objects.order_by("pk").first()
    response = Client().get(f"/api/v1/allocations/{item.pk}/")
    assert response.status_code == 200
    assert response["ETag"] == f'"{item.version}"'  # the version If-Match names, not the cache's
    assert response["Cache-Control"] == "public, max-age=60, must-revalidate"
    assert "Accept" in response["Vary"]


def test_if_none_match_any_is_not_taken_for_an_answer_the_middleware_has_not_seen():
    assert Client().get("/countries/XX/", HTTP_IF_NONE_MATCH="*").status_code == 404
    assert Client().get("/reconciliation/", HTTP_IF_NONE_MATCH="*").status_code == 200


def test_an_answer_from_the_cache_has_the_headers_of_the_rendered_one():
    rendered = Client().get("/api/v1/allocations/totals/?group_by=fiscal_year")
    cached = Client().get("/api/v1/allocations/totals/?group_by=fiscal_year")
    skipped = {"Date", "Content-Length"}
    assert {name: value for name, value in rendered.items() if name not in skipped} == {
        name: value for name, value in cached.items() if name not in skipped
    }
    assert "Allow" in cached
