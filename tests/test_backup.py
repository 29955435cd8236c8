"""`make backup` then `make restore` into an empty database gives back the same tracker."""

import gzip
import json
import os
import stat
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.db import connection
from rest_framework.authtoken.models import Token

from funding.models import Allocation, FundingAccount, ReportedFigure
from funding.queries.reconciliation import reconcile
from funding.totals import totals_response
from partners.models import Country
from programs.models import Program
from sources.models import Source

# What the first format (dumpdata) left out, and the sums per objective and program, which came later.
OLD_EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "funding.subtotal",
    "funding.programsubtotal",
    "sessions",
    "axes",
]


def read_backup(path):
    with gzip.open(path, "rt") as backup:
        return [json.loads(line) for line in backup]


def write_backup(path, rows):
    with gzip.open(path, "wt") as out:
        out.writelines(json.dumps(row) + "\n" for row in rows)


def snapshot():
    """Everything a restore must give back, as plain values."""
    totals = totals_response(Allocation.objects.all(), ["fiscal_year", "country"])
    history = {
        model.__name__: list(
            model.history.order_by("history_id").values_list(
                "history_id",
                "history_date",
                "history_type",
                "history_change_reason",
                "history_user__username",
            )
        )
        for model in (Allocation, Program, ReportedFigure, Source)
    }
    return {
        "totals": json.loads(json.dumps(totals, default=str)),
        "reconciliation": [
            (row.figure.key, row.verdict, row.line_item_sum, row.difference)
            for row in reconcile(ReportedFigure.objects.all())
        ],
        "history": history,
        "users": sorted(User.objects.values_list("username", "password", "is_staff")),
        "roles": sorted(
            (group.name, sorted(group.permissions.values_list("codename", flat=True)))
            for group in Group.objects.all()
        ),
        "memberships": sorted(User.groups.through.objects.values_list("user__username", "group__name")),
        "tokens": sorted(Token.objects.values_list("user__username", "key")),
        "line_items": sorted(Allocation.objects.values_list("id", "amount", "version")),
    }


def empty_the_database():
    """What `migrate` leaves in a new database: no data, the content types and permissions."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Inside the test's transaction, PostgreSQL truncates only once the foreign-key
            # checks it has deferred have run.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", interactive=False, verbosity=0)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    assert not Allocation.objects.exists() and not User.objects.exists()


@pytest.mark.django_db
def test_backup_and_restore_give_back_totals_reconciliation_roles_and_history(tmp_path, capsys):
    editor = User.objects.create_user("editor", password="pw-for-tests-only")
    editor.groups.add(Group.objects.get(name="Editor"))
    Token.objects.create(user=editor)
    item = Allocation.objects.get(pk=1)
    item.amount += Decimal("1000.00")
    item.version += 1
    item._history_user, item._change_reason = editor, "Corrected from the 2012 report"
    item.save()
    before = snapshot()
    assert before["history"]["Allocation"][-1][3:] == ("Corrected from the 2012 report", "editor")

    call_command("backup", output=tmp_path / "carsi.jsonl.gz")
    path = capsys.readouterr().out.strip()
    assert path == str((tmp_path / "carsi.jsonl.gz").resolve())
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600  # it holds password hashes and API tokens
    header, *records = read_backup(path)
    assert (header["format"], header["version"]) == ("carsi-tracker-backup", 2)
    assert {row["model"] for row in records} >= {
        "auth.user",
        "auth.group",
        "authtoken.token",
        "funding.allocation",
        "funding.historicalallocation",
    }

    empty_the_database()
    call_command("restore", path)
    restored = capsys.readouterr().out
    assert restored.startswith("Restored 2 groups, 1 user, 1 Token, 14 countries, 26 organizations")
    assert "54 line items, " in restored
    assert snapshot() == before


@pytest.mark.django_db
def test_restore_refuses_a_database_that_holds_data_and_changes_nothing(tmp_path):
    call_command("backup", output=tmp_path / "carsi.jsonl.gz", stdout=None)
    count = Allocation.objects.count()
    with pytest.raises(
        CommandError, match=r"not empty \(14 countries, 26 organizations, .*11 programs, .*54 line items"
    ):
        call_command("restore", tmp_path / "carsi.jsonl.gz")
    assert Allocation.objects.count() == count


@pytest.mark.django_db
def test_restore_refuses_a_database_holding_only_countries_and_accounts(tmp_path):
    """Reference rows alone once slipped through the check and were overwritten."""
    call_command("backup", output=tmp_path / "carsi.jsonl.gz", stdout=None)
    empty_the_database()
    Country.objects.create(name="Atlantis", iso2="AT", iso3="ATL")
    FundingAccount.objects.create(code="XYZ", name="Not a CARSI account")
    with pytest.raises(CommandError, match=r"not empty \(1 country, 1 funding account\)"):
        call_command("restore", tmp_path / "carsi.jsonl.gz")
    assert list(Country.objects.values_list("iso2", flat=True)) == ["AT"]


@pytest.mark.django_db
def test_a_file_that_does_not_load_writes_nothing(tmp_path):
    call_command("backup", output=tmp_path / "carsi.jsonl.gz")
    rows = read_backup(tmp_path / "carsi.jsonl.gz")
    broken = [row for row in rows if row.get("model") != "sources.source"]  # line items lose their sources
    write_backup(tmp_path / "broken.jsonl.gz", broken)
    empty_the_database()
    with pytest.raises(CommandError, match=r"Restore failed; nothing was written\."):
        call_command("restore", tmp_path / "broken.jsonl.gz")
    assert not Allocation.objects.exists()
    assert not Program.objects.exists()


@pytest.mark.django_db
def test_a_backup_of_the_first_format_still_restores(tmp_path):
    before = snapshot()
    call_command("dumpdata", natural_foreign=True, exclude=OLD_EXCLUDED, output=str(tmp_path / "old.json.gz"))
    empty_the_database()
    call_command("restore", tmp_path / "old.json.gz")
    assert snapshot() == before


def test_restore_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="no backup file at"):
        call_command("restore", tmp_path / "nowhere.json.gz")


@pytest.mark.django_db
def test_restored_line_items_bring_their_subtotals_with_them(tmp_path):
    from funding.queries import subtotals

    call_command("backup", output=tmp_path / "carsi.jsonl.gz")
    empty_the_database()
    call_command("restore", tmp_path / "carsi.jsonl.gz")
    assert Allocation.objects.count() == 54
    assert subtotals.differences() == []


@pytest.mark.django_db
def test_history_of_deleted_objects_is_backed_up_and_restored(tmp_path):
    """A source deleted after its line items leaves history rows that point at it."""
    source = Source.objects.create(key="a-short-lived-report", title="A report withdrawn later")
    item = Allocation.objects.first()
    item.pk, item.source, item.source_detail = None, source, "cited once"
    item.save()
    item.delete()
    source_id = source.pk
    source.delete()
    assert Allocation.history.filter(source_id=source_id).count() == 2  # created, deleted

    call_command("backup", output=tmp_path / "carsi.jsonl.gz")
    empty_the_database()
    call_command("restore", tmp_path / "carsi.jsonl.gz")
    assert Allocation.history.filter(source_id=source_id).count() == 2
    assert not Source.objects.filter(key="a-short-lived-report").exists()


@pytest.mark.django_db
def test_a_restored_database_answers_every_release_as_before(tmp_path):
    from rest_framework.test import APIClient

    from releases.models import Release
    from releases.publish import publish

    item = Allocation.objects.get(fiscal_year=2012, stage="appropriated", account__code="INCLE")
    item.amount = Decimal("86000000.00")
    item.save()
    publish("FY2012 INCLE corrected")
    client = APIClient()
    urls = [
        "/api/v1/allocations/totals/?group_by=fiscal_year",
        "/api/v1/allocations/?fiscal_year=2012",
        "/api/v1/reconciliation/",
        "/api/v1/programs/vetted-units/",
    ]

    def answers():
        return {
            (url, release.name): client.get(url, {"release": release.name}).json()
            for release in Release.objects.all()
            for url in urls
        } | {release.name: (release.sha256, bytes(release.bundle)) for release in Release.objects.all()}

    before = answers()
    call_command("backup", output=tmp_path / "carsi.jsonl.gz", stdout=None)
    empty_the_database()
    assert not Release.objects.exists()
    call_command("restore", tmp_path / "carsi.jsonl.gz", stdout=None)
    assert answers() == before
