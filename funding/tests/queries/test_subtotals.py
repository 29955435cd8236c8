"""The subtotals the database keeps stay exactly the sums of the line items, whatever writes them."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from funding.models import Allocation, ProgramSubtotal, Subtotal
from funding.queries import subtotals
from partners.models import Country
from sources.models import Source

pytestmark = pytest.mark.django_db


def test_the_seed_data_has_its_subtotals():
    assert subtotals.installed_triggers() == set(subtotals.TRIGGERS)
    assert subtotals.differences() == []
    assert Subtotal.objects.count() > 0
    assert sum(row.line_items for row in Subtotal.objects.all()) == Allocation.objects.count() == 54


def test_inserts_updates_and_deletes_of_every_kind_keep_them_exact():
    item = Allocation.objects.filter(country__isnull=False).first()
    item.amount += Decimal("1234.56")
    item.country = None  # moves between groups
    item.save()
    Allocation.objects.filter(stage="disbursed").update(amount=F("amount") + Decimal("0.01"))
    Allocation.objects.filter(stage="appropriated", fiscal_year=2012).update(
        country=Country.objects.get(iso2="HN")
    )
    copy = Allocation.objects.filter(stage="allocated").first()
    copy.pk, copy.source_detail = None, "a second row"
    copy.save()
    Allocation.objects.bulk_create(
        [
            Allocation(
                **{field: getattr(copy, field) for field in ("fiscal_year", "amount", "stage")},
                donor=copy.donor,
                source=copy.source,
                source_detail=f"bulk {n}",
            )
            for n in range(3)
        ]
    )
    Allocation.objects.filter(stage="obligated").delete()
    # A line item moved to another source moves to that source's subtotal.
    other = Source.objects.exclude(pk=copy.source_id).first()
    Allocation.objects.filter(pk=copy.pk).update(source=other)
    assert Subtotal.objects.filter(source=other, stage="allocated").exists()
    assert subtotals.differences() == []


def test_the_sums_per_objective_and_program_follow_every_write():
    from programs.models import Program

    program = Program.objects.order_by("slug").first()
    template = Allocation.objects.filter(stage="disbursed").order_by("id").first()
    Allocation.objects.bulk_create(
        Allocation(
            fiscal_year=2010,
            stage="obligated",
            amount=Decimal("100.25") * (index + 1),
            donor_id=template.donor_id,
            source_id=template.source_id,
            source_detail=f"program row {index}",
            objective_id=2,
            program=program,
        )
        for index in range(4)
    )
    kept = ProgramSubtotal.objects.get(objective_id=2, program=program, stage="obligated")
    assert (kept.amount, kept.line_items) == (Decimal("1002.50"), 4)  # 100.25 × (1 + 2 + 3 + 4)
    assert kept.key == f"2|{program.pk}|obligated"
    # One moves to objective 3, one loses its program, one is deleted, one changes its amount.
    rows = list(Allocation.objects.filter(source_detail__startswith="program row").order_by("amount"))
    Allocation.objects.filter(pk=rows[0].pk).update(objective_id=3)
    Allocation.objects.filter(pk=rows[1].pk).update(program=None)
    rows[2].delete()
    Allocation.objects.filter(pk=rows[3].pk).update(amount=Decimal("0.01"))
    assert subtotals.differences() == []
    by_key = {
        row.key: (row.amount, row.line_items) for row in ProgramSubtotal.objects.filter(stage="obligated")
    }
    assert by_key[f"2|{program.pk}|obligated"] == (Decimal("0.01"), 1)
    assert by_key[f"3|{program.pk}|obligated"] == (Decimal("100.25"), 1)
    assert by_key["2|-|obligated"] == (Decimal("200.50"), 1)
    # The objective's sum is that of every line item of the objective, with a program or not.
    (total,) = ProgramSubtotal.objects.filter(objective_id=2, stage="obligated").totals()
    assert (total["amount"], total["count"]) == (Decimal("200.51"), 2)


def test_deleting_every_line_item_of_a_group_removes_its_subtotal():
    Allocation.objects.filter(stage="disbursed").delete()
    assert not Subtotal.objects.filter(stage="disbursed").exists()
    assert subtotals.differences() == []


def test_rebuild_and_ensure_put_back_what_was_lost():
    Subtotal.objects.all().delete()
    ProgramSubtotal.objects.all().delete()
    assert subtotals.differences() != []
    assert subtotals.rebuild() == Subtotal.objects.count()
    assert subtotals.differences() == []
    assert subtotals.ensure() is False  # the triggers were all there


def test_ensure_puts_back_the_triggers_of_the_sums_per_objective_and_program():
    drop = (
        "DROP TRIGGER funding_programsubtotal_insert ON funding_allocation"
        if connection.vendor == "postgresql"
        else "DROP TRIGGER funding_programsubtotal_insert"
    )
    with connection.cursor() as cursor:
        cursor.execute(drop)
    template = Allocation.objects.order_by("id").first()
    template.pk, template.source_detail = None, "written while a trigger was missing"
    template.save()
    assert subtotals.differences() != []
    assert subtotals.ensure() is True
    assert subtotals.installed_triggers() == set(subtotals.TRIGGERS)
    assert subtotals.differences() == []


def test_totals_from_subtotals_equal_totals_from_line_items():
    for group_by in (
        [],
        ["fiscal_year"],
        ["country", "fiscal_year"],
        ["donor", "account"],
        ["source", "stage"],
    ):
        assert Subtotal.objects.totals(group_by) == Allocation.objects.totals(group_by)
    assert list(Subtotal.objects.yearly_subtotals().order_by("donor_id", "stage", "fiscal_year")) == list(
        Allocation.objects.yearly_subtotals().order_by("donor_id", "stage", "fiscal_year")
    )


@pytest.mark.parametrize(
    ("query", "table"),
    [
        ("group_by=fiscal_year", "funding_subtotal"),
        ("group_by=country,fiscal_year&stage=disbursed&fiscal_year_min=2009", "funding_subtotal"),
        ("group_by=account&donor=united-states&country=GT,regional", "funding_subtotal"),
        ("group_by=source", "funding_subtotal"),
        ("group_by=fiscal_year&source=gao-13-295r", "funding_subtotal"),
        ("group_by=program", "funding_programsubtotal"),
        ("group_by=objective&stage=disbursed", "funding_programsubtotal"),
        ("group_by=fiscal_year&objective=2", "funding_allocation"),
        ("group_by=fiscal_year&amount_min=1000000", "funding_allocation"),
    ],
)
def test_the_totals_api_reads_subtotals_when_they_can_answer(client, query, table):
    with CaptureQueriesContext(connection) as queries:
        from_api = client.get(f"/api/v1/allocations/totals/?{query}").json()
    sums = [query["sql"] for query in queries if "SUM(" in query["sql"].upper()]
    assert len(sums) == 1  # the other queries look up the filters' keys
    assert f'FROM "{table}"' in sums[0]
    if table != "funding_allocation":
        # The same answer as summing the line items.
        from funding.dimensions import parse_group_by
        from funding.totals import as_json, totals_response

        params = dict(part.split("=") for part in query.split("&"))
        filtered = Allocation.objects.all()
        if "stage" in params:
            filtered = filtered.filter(stage=params["stage"])
        if "fiscal_year_min" in params:
            filtered = filtered.filter(fiscal_year__gte=params["fiscal_year_min"])
        if "donor" in params:
            filtered = filtered.filter(donor__slug=params["donor"])
        if "source" in params:
            filtered = filtered.filter(source__key=params["source"])
        if "country" in params:
            filtered = filtered.filter(country__iso2="GT") | filtered.filter(country__isnull=True)
        expected = as_json(totals_response(filtered, parse_group_by(params["group_by"])))
        assert from_api == expected


@pytest.mark.parametrize(
    ("query", "counted_from"),
    [
        ("stage=disbursed&country=GT&fiscal_year_min=2009", "funding_subtotal"),
        ("", "funding_subtotal"),
        ("source=gao-13-295r,state-spend-plan-fy2012", "funding_subtotal"),
        ("stage=disbursed&search=ESF", "funding_allocation"),
    ],
)
def test_the_list_counts_its_rows_from_the_subtotals_when_they_can_say(client, query, counted_from):
    with CaptureQueriesContext(connection) as queries:
        body = client.get(f"/api/v1/allocations/?{query}&page_size=5").json()
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() or "SUM(" in q["sql"].upper()]
    assert len(counts) == 1 and f'FROM "{counted_from}"' in counts[0]
    from django.http import QueryDict

    from funding.queries.filters import AllocationFilter

    assert body["count"] == AllocationFilter(QueryDict(query), queryset=Allocation.objects.all()).qs.count()
    assert body["count"] > 0


def test_generated_line_items_come_with_their_subtotals():
    from funding.io.synthetic import generate

    generate(300, seed=3, force=True)
    assert subtotals.differences() == []
    assert sum(row.line_items for row in Subtotal.objects.all()) == Allocation.objects.count() == 354


def test_the_history_of_a_line_item_takes_no_filters(client):
    item = Allocation.objects.exclude(stage="disbursed").first()
    assert client.get(f"/api/v1/allocations/{item.pk}/history/?stage=disbursed").status_code == 200
    assert client.get(f"/api/v1/allocations/{item.pk}/history/?country=XX").status_code == 200


def test_sqlite_and_postgresql_subtotals_stay_on_the_cent_through_many_changes():
    item = Allocation.objects.filter(stage="disbursed").first()
    for cents in range(1, 60):
        item.amount += Decimal("0.07") if cents % 2 else Decimal("-0.03")
        item.save()
    subtotal = Subtotal.objects.get(
        donor=item.donor,
        stage=item.stage,
        fiscal_year=item.fiscal_year,
        account=item.account,
        country=item.country,
    )
    expected = sum(
        Allocation.objects.filter(
            donor=item.donor,
            stage=item.stage,
            fiscal_year=item.fiscal_year,
            account=item.account,
            country=item.country,
        ).values_list("amount", flat=True)
    )
    assert subtotal.amount == expected  # exactly, not to within a cent
    assert subtotals.differences() == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the advisory locks are PostgreSQL's")
def test_a_statement_changing_thousands_of_subtotals_holds_a_bounded_number_of_locks():
    # One lock per subtotal ran PostgreSQL's shared lock table out of room ("out of shared memory")
    # when a million line items were generated in one transaction.
    template = Allocation.objects.filter(stage="appropriated").first()
    countries = list(Country.objects.all())
    new = [
        Allocation(
            donor=template.donor,
            source=template.source,
            stage=stage,
            fiscal_year=year,
            country=country,
            amount=Decimal("1.00"),
            source_detail="locks",
        )
        for stage in ("appropriated", "allocated", "obligated", "disbursed")
        for year in range(1990, 2100)
        for country in countries
    ]
    Allocation.objects.bulk_create(new, batch_size=len(new))
    with connection.cursor() as cursor:  # the test's transaction still holds them
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s "
            "AND pid = pg_backend_pid()",
            [subtotals.LOCK_CLASS],
        )
        held = cursor.fetchone()[0]
        # Exactly one lock per bucket the statement's subtotals fall in.
        keys = sorted({subtotals.subtotal_key(item) for item in new})
        cursor.execute(
            f"SELECT count(DISTINCT {subtotals.LOCK_ID.format(key='key')}) FROM unnest(%s::text[]) key",
            [keys],
        )
        buckets = cursor.fetchone()[0]
    assert len(keys) == 4 * 110 * len(countries) and len(keys) > 3 * subtotals.LOCK_BUCKETS
    assert held == buckets == subtotals.LOCK_BUCKETS
    assert subtotals.differences() == []
