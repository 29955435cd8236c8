"""The seed's totals, each checked against ../shared/data/carsi-figures.md."""

from decimal import Decimal

import pytest

from funding.dimensions import parse_group_by
from funding.models import Allocation

pytestmark = pytest.mark.django_db


def total(**filters):
    """The one total of a filter that selects a single stage."""
    rows = Allocation.objects.filter(**filters).totals()
    assert len(rows) == 1, rows
    return rows[0]["amount"]


# Section 1: appropriations by fiscal year (state-spend-plan-fy2012).
@pytest.mark.parametrize(
    ("fiscal_year", "amount"),
    [
        (2008, "60000000.00"),
        (2009, "105000000.00"),
        (2010, "95000000.00"),
        (2011, "101508000.00"),
        (2012, "135000000.00"),
    ],
)
def test_appropriated_per_fiscal_year(fiscal_year, amount):
    assert total(stage="appropriated", fiscal_year=fiscal_year) == Decimal(amount)


# Section 1, derived (grade D).
@pytest.mark.parametrize(
    ("last_year", "amount"),
    [(2009, "165000000.00"), (2010, "260000000.00"), (2011, "361508000.00"), (2012, "496508000.00")],
)
def test_appropriated_cumulative_from_fy2008(last_year, amount):
    assert total(stage="appropriated", fiscal_year__gte=2008, fiscal_year__lte=last_year) == Decimal(amount)


@pytest.mark.parametrize(
    ("account", "amounts"),
    [
        ("ESF", {2008: "25000000", 2009: "18000000", 2010: "23000000", 2011: "30000000", 2012: "50000000"}),
        ("INCLE", {2008: "24800000", 2009: "70000000", 2010: "65000000", 2011: "71508000", 2012: "85000000"}),
        ("NADR", {2008: "6200000"}),
        ("FMF", {2008: "4000000", 2009: "17000000", 2010: "7000000"}),
    ],
)
def test_appropriated_per_account_and_year_stores_only_non_zero_cells(account, amounts):
    rows = Allocation.objects.filter(stage="appropriated", account__code=account).totals(["fiscal_year"])
    assert {row["fiscal_year"]: row["amount"] for row in rows} == {
        year: Decimal(amount) for year, amount in amounts.items()
    }
    assert all(row["count"] == 1 for row in rows)


def test_appropriations_are_fourteen_line_items_with_no_country():
    appropriated = Allocation.objects.filter(stage="appropriated")
    assert appropriated.count() == 14
    assert not appropriated.filter(country__isnull=False).exists()


# Section 3: disbursements by country (gao-13-295r).
def test_state_esf_disbursed_total():
    assert total(stage="disbursed", account__code="ESF") == Decimal("7240000.00")


def test_nadr_disbursed_total():
    assert total(stage="disbursed", account__code="NADR") == Decimal("4835000.00")


@pytest.mark.parametrize(
    ("country", "esf", "nadr"),
    [
        ("BZ", "787000", "183000"),
        ("CR", "2112000", "61000"),
        ("SV", "694000", "53000"),
        # GAO prints 177 and 36 (thousands) as these row totals: its cells add up to 176 and 37.
        ("GT", "1499000", "176000"),
        ("HN", "412000", "147000"),
        ("NI", "1002000", "9000"),
        ("PA", "734000", "37000"),
    ],
)
def test_disbursed_per_country_is_the_sum_of_gao_cells(country, esf, nadr):
    rows = Allocation.objects.filter(stage="disbursed", country__iso2=country).totals(["account"])
    assert {row["account"]: row["amount"] for row in rows} == {"ESF": Decimal(esf), "NADR": Decimal(nadr)}


def test_regional_nadr_disbursements_have_no_country():
    rows = Allocation.objects.filter(stage="disbursed", country__isnull=True).totals(["fiscal_year"])
    # EXBS plus CT grants to the OAS, per year.
    assert [(row["fiscal_year"], row["amount"], row["count"]) for row in rows] == [
        (2009, Decimal("1051000.00"), 2),
        (2010, Decimal("2350000.00"), 2),
        (2011, Decimal("768000.00"), 2),
    ]


def test_disbursed_line_items_are_one_per_non_zero_cell():
    assert Allocation.objects.filter(stage="disbursed", account__code="ESF").count() == 13
    assert Allocation.objects.filter(stage="disbursed", account__code="NADR").count() == 24


# Section 4: program line items (state-carsi-fy2010-activities).
def test_regional_equipment_and_training_allocations():
    rows = Allocation.objects.filter(program__slug="regional-equipment-and-training").totals(["fiscal_year"])
    assert [(row["fiscal_year"], row["stage"], row["amount"]) for row in rows] == [
        (2008, "allocated", Decimal("7148000.00")),
        (2009, "allocated", Decimal("11485000.00")),
        (2010, "allocated", Decimal("2550319.00")),
    ]


def test_totals_per_stage_over_everything():
    rows = Allocation.objects.totals()
    assert [(row["stage"], row["amount"], row["count"]) for row in rows] == [
        ("appropriated", Decimal("496508000.00"), 14),
        ("allocated", Decimal("21183319.00"), 3),
        ("disbursed", Decimal("12075000.00"), 37),
    ]


def test_totals_never_add_stages_together():
    # Grouping by fiscal year alone still splits each year by stage.
    rows = Allocation.objects.filter(fiscal_year=2009).totals(["fiscal_year"])
    assert [(row["stage"], row["amount"]) for row in rows] == [
        ("appropriated", Decimal("105000000.00")),
        ("allocated", Decimal("11485000.00")),
        ("disbursed", Decimal("6353000.00")),
    ]


def test_totals_carry_labels_and_name_regional_money():
    rows = Allocation.objects.filter(stage="disbursed", fiscal_year=2010).totals(["country"])
    by_country = {row["country"]: row for row in rows}
    assert by_country[None]["country_name"] == "Regional / no country"
    assert by_country[None]["amount"] == Decimal("2350000.00")
    assert by_country["BZ"]["country_name"] == "Belize"
    assert list(by_country) == ["BZ", "CR", "SV", "GT", "NI", "PA", None]


def test_pivot_of_every_dimension_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = Allocation.objects.totals(
            ["fiscal_year", "country", "donor", "account", "objective", "program", "source"]
        )
    assert sum(row["count"] for row in rows) == 54


def test_unknown_group_by_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="Unknown group_by dimension"):
        parse_group_by("fiscal_year,nonsense")
