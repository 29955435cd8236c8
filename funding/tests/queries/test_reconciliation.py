from decimal import Decimal

import pytest

from funding.models import Allocation, ReportedFigure
from funding.queries.reconciliation import Verdict, reconcile
from partners.models import Country, Organization
from sources.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def results():
    return {result.figure.key: result for result in reconcile()}


def test_every_reported_figure_is_reconciled(results):
    assert len(results) == ReportedFigure.objects.count() == 26


EXPECTED_VERDICTS = {
    # The line items count the same money, and add up to what the figure says.
    "fy2008-2011-total": Verdict.AGREES,
    "fy2008-2012-total": Verdict.AGREES,
    "gao-295r-nadr-disbursed": Verdict.AGREES,
    # The line items count only part of what the figure counts.
    "gao-295r-esf-disbursed": Verdict.PARTIAL_COVERAGE,
    "gao-295r-disbursed-total": Verdict.PARTIAL_COVERAGE,
    "gao-disbursed-2013": Verdict.PARTIAL_COVERAGE,
    "gao-allocated-fy2008-2011": Verdict.PARTIAL_COVERAGE,
    "gao-allocated-fy2008-2012": Verdict.PARTIAL_COVERAGE,
    "wh-allocated-fy2008-2011": Verdict.PARTIAL_COVERAGE,
    # No line items of the figure's stage (and account) at all.
    "fy2012-commitment": Verdict.NO_LINE_ITEMS,
    "committed-to-date-2010": Verdict.NO_LINE_ITEMS,
    "gao-obligated-2013": Verdict.NO_LINE_ITEMS,
    "gao-295r-incle-disbursed": Verdict.NO_LINE_ITEMS,
    # Not CARSI money, context, no period, or a stage no line item measures.
    "gao-771-non-carsi": Verdict.NOT_COMPARABLE,
    "demand-reduction": Verdict.NOT_COMPARABLE,
    "gao-771-all-allocated": Verdict.NOT_COMPARABLE,
    "under-review-2011": Verdict.NOT_COMPARABLE,
    "honduras-pledge-2011-02": Verdict.NOT_COMPARABLE,
    "gao-295r-fmf-committed": Verdict.NOT_COMPARABLE,
    "friends-commitments": Verdict.NOT_COMPARABLE,
    "friends-conference-2011-06": Verdict.NOT_COMPARABLE,
    "clinton-pledge-2011-06": Verdict.NOT_COMPARABLE,
    "idb-pledge-2011-06": Verdict.NOT_COMPARABLE,
    "world-bank-pledge-2011-06": Verdict.NOT_COMPARABLE,
    "world-bank-pledge-press-2011-06": Verdict.NOT_COMPARABLE,
    "idb-wola-received-2011": Verdict.NOT_COMPARABLE,
}


def test_each_figure_gets_the_verdict_the_reference_data_calls_for(results):
    assert {key: result.verdict for key, result in results.items()} == EXPECTED_VERDICTS


def test_fy2008_2011_total_agrees_within_rounding(results):
    result = results["fy2008-2011-total"]
    assert result.verdict == Verdict.AGREES
    assert result.line_item_sum == Decimal("361508000.00")
    assert result.line_item_count == 12
    assert result.difference == Decimal("508000.00")
    assert result.difference_pct == Decimal("0.14")
    assert result.other_stages == {"allocated": Decimal("21183319.00"), "disbursed": Decimal("12075000.00")}
    # The spend plan counts every account of both agencies, by year of appropriation: nothing missing.
    assert result.coverage.missing == []
    assert result.coverage.sources == ["state-spend-plan-fy2012-appropriations"]


def test_fy2008_2012_total_agrees_within_rounding(results):
    result = results["fy2008-2012-total"]
    assert result.verdict == Verdict.AGREES
    assert result.line_item_sum == Decimal("496508000.00")
    assert result.difference == Decimal("508000.00")
    assert result.difference_pct == Decimal("0.10")


def test_nadr_disbursements_agree_with_almost_5_million(results):
    result = results["gao-295r-nadr-disbursed"]
    assert (result.verdict, result.line_item_sum, result.line_item_count) == (
        Verdict.AGREES,
        Decimal("4835000.00"),
        24,
    )
    assert result.coverage.missing == []
    assert "agrees with the reported almost $5,000,000 within 5%" in result.explanation


def test_state_esf_is_part_of_the_esf_of_state_and_usaid(results):
    result = results["gao-295r-esf-disbursed"]
    assert result.line_item_sum == Decimal("7240000.00")
    assert result.coverage.missing == [{"dimension": "agency", "values": ["usaid"]}]
    assert result.coverage.line_items_as_of == result.coverage.figure_as_of == "2011-09-30"
    assert result.coverage.fiscal_year_basis == {"line_items": ["transaction"], "figure": "transaction"}
    assert result.coverage.notes[0] == "Not counted: USAID's ESF."


def test_disbursements_to_2011_are_part_of_every_account_to_2013(results):
    result = results["gao-disbursed-2013"]
    assert result.line_item_sum == Decimal("12075000.00")
    assert result.coverage.missing == [
        {"dimension": "account", "values": ["FMF", "INCLE"]},
        {"dimension": "agency", "values": ["usaid"]},
        {"dimension": "fiscal_year", "values": [2012]},
    ]
    assert (result.coverage.line_items_as_of, result.coverage.figure_as_of) == ("2011-09-30", "2013-06-01")
    assert result.coverage.fiscal_year_basis == {"line_items": ["transaction"], "figure": "appropriation"}
    assert "The line items stand at 30 September 2011; the figure at 1 June 2013." in result.coverage.notes
    assert (
        "The line items' fiscal years are years of the transaction; the figure's, years of appropriation."
        in result.coverage.notes
    )


def test_the_allocations_of_one_program_are_part_of_all_of_carsis(results):
    for key in ["gao-allocated-fy2008-2011", "gao-allocated-fy2008-2012", "wh-allocated-fy2008-2011"]:
        result = results[key]
        assert result.verdict == Verdict.PARTIAL_COVERAGE, key
        assert result.line_item_sum == Decimal("21183319.00")
        missing = {entry["dimension"]: entry for entry in result.coverage.missing}
        assert missing["account"]["values"] == ["ESF", "FMF", "NADR"]
        assert missing["program"] == {
            "dimension": "program",
            "values": [],
            "covered_only": ["regional-equipment-and-training"],
        }
        assert missing["country"]["values"] == ["BZ", "CR", "SV", "GT", "HN", "NI", "PA"]
    assert results["gao-allocated-fy2008-2012"].coverage.missing[1] == {
        "dimension": "fiscal_year",
        "values": [2011, 2012],
    }
    result = results["gao-allocated-fy2008-2011"]
    assert result.difference == Decimal("-328816681.00")
    assert result.disagreements == ["allocated-fy2008-2011-361-or-350"]
    assert result.line_items_url == (
        "/api/v1/allocations/?stage=allocated&donor=united-states&fiscal_year_min=2008&fiscal_year_max=2011"
    )


def test_fy2012_commitment_has_no_committed_line_items_and_links_to_its_disagreement(results):
    result = results["fy2012-commitment"]
    assert result.verdict == Verdict.NO_LINE_ITEMS
    assert result.line_item_sum is None
    assert result.difference is None
    assert result.other_stages == {"appropriated": Decimal("135000000.00")}
    assert "appropriated $135,000,000" in result.explanation
    assert result.disagreements == ["fy2012-105-or-135"]


def test_committed_to_date_2010_shows_the_matching_appropriations(results):
    result = results["committed-to-date-2010"]
    assert result.verdict == Verdict.NO_LINE_ITEMS
    assert result.other_stages == {
        "appropriated": Decimal("165000000.00"),
        "allocated": Decimal("18633000.00"),
        "disbursed": Decimal("6353000.00"),
    }


def test_not_comparable_figures_say_why(results):
    assert results["under-review-2011"].explanation == (
        "The source states no period, so no line items can be matched."
    )
    assert results["gao-771-non-carsi"].explanation.startswith("Not CARSI money")
    assert results["demand-reduction"].explanation.startswith("Context that takes in more than CARSI")
    assert results["gao-295r-fmf-committed"].explanation.startswith("GAO's “committed” for FMF means")
    assert results["under-review-2011"].other_stages == {}


def make_figure(qualifier, amount, **extra):
    fields = {
        "key": extra.pop("key", f"test-{qualifier}"),
        "label": "test figure",
        "amount": Decimal(amount),
        "qualifier": qualifier,
        "stage": "appropriated",
        "donor": Organization.objects.get(slug="united-states"),
        "fiscal_year_min": 2008,
        "fiscal_year_max": 2008,
        "as_of": "2012",
        "source": Source.objects.get(key="state-spend-plan-fy2012"),
    } | extra
    return ReportedFigure.objects.create(**fields)


@pytest.mark.parametrize(
    ("qualifier", "amount", "verdict"),
    [
        # FY2008 appropriated line items add up to 60,000,000.
        ("exact", "60300000", Verdict.AGREES),  # 0.5% off
        ("exact", "60400000", Verdict.DISAGREES),
        ("approximately", "63000000", Verdict.AGREES),  # 4.8% off
        ("approximately", "64000000", Verdict.DISAGREES),
        ("at_least", "60000000", Verdict.AGREES),
        ("at_least", "60000000.01", Verdict.DISAGREES),
        ("more_than", "59999999.99", Verdict.AGREES),
        ("more_than", "60000000", Verdict.DISAGREES),
        ("almost", "60000000", Verdict.AGREES),  # at most, and close below
        ("almost", "63000000", Verdict.AGREES),  # 4.8% below
        ("almost", "64000000", Verdict.DISAGREES),  # 6.3% below
        ("almost", "59999999.99", Verdict.DISAGREES),  # above
        ("at_most", "60000000", Verdict.AGREES),
        ("at_most", "59999999.99", Verdict.DISAGREES),
    ],
)
def test_qualifier_tolerance(qualifier, amount, verdict):
    figure = make_figure(qualifier, amount)
    [result] = reconcile(ReportedFigure.objects.filter(pk=figure.pk))
    assert result.line_item_sum == Decimal("60000000.00")
    assert result.verdict == verdict


def test_open_ended_period_sums_everything_from_its_first_year():
    figure = make_figure("exact", "436508000", fiscal_year_min=2009, fiscal_year_max=None)
    [result] = reconcile(ReportedFigure.objects.filter(pk=figure.pk))
    assert result.line_item_sum == Decimal("436508000.00")
    assert result.verdict == Verdict.AGREES


def test_a_partial_sum_that_already_exceeds_an_exact_figure_disagrees():
    figure = make_figure("exact", "10000000", stage="disbursed", fiscal_year_min=2009, fiscal_year_max=2011)
    [result] = reconcile(ReportedFigure.objects.filter(pk=figure.pk))
    assert (result.verdict, result.line_item_sum) == (Verdict.DISAGREES, Decimal("12075000.00"))
    assert "already exceeds" in result.explanation


def test_a_partial_sum_that_reaches_an_at_least_figure_agrees():
    figure = make_figure(
        "at_least", "12000000", stage="disbursed", fiscal_year_min=2009, fiscal_year_max=2011
    )
    [result] = reconcile(ReportedFigure.objects.filter(pk=figure.pk))
    assert result.verdict == Verdict.AGREES
    assert "reaches" in result.explanation


def test_a_figure_of_one_country_is_summed_over_that_country_only():
    figure = make_figure(
        "exact",
        "1675000",
        stage="disbursed",
        fiscal_year_min=2009,
        fiscal_year_max=2011,
        fiscal_year_basis="transaction",
        as_of="2011-09-30",
        country=Country.objects.get(iso2="GT"),
    )
    [result] = reconcile(ReportedFigure.objects.filter(pk=figure.pk))
    assert result.line_item_sum == Decimal("1675000.00")
    # GAO's tables are by country, and of State's ESF and NADR only: that much of Guatemala's money.
    assert result.verdict == Verdict.PARTIAL_COVERAGE
    assert result.coverage.missing == [
        {"dimension": "account", "values": ["FMF", "INCLE"]},
        {"dimension": "agency", "values": ["usaid"]},
    ]
    assert result.line_items_url.endswith("&country=GT")


def test_new_line_items_from_a_source_that_declares_nothing_are_judged_by_their_sum():
    Allocation.objects.create(
        fiscal_year=2012,
        amount=Decimal("105000000"),
        stage="committed",
        donor=Organization.objects.get(slug="united-states"),
        source=Source.objects.get(key="wh-fact-sheet-2012-03-06"),
    )
    [result] = reconcile(ReportedFigure.objects.filter(key="fy2012-commitment"))
    assert result.verdict == Verdict.AGREES
    assert result.difference == Decimal("0.00")
    assert result.coverage.notes == ["The sources of these line items declare nothing of what they count."]


def test_reconciliation_queries_do_not_grow_with_figures_or_line_items(django_assert_num_queries):
    # The figures; their citations and disagreement sides (2); the subtotals of their donors; the
    # coverage declarations with their accounts and agencies (3); the accounts and their agencies
    # (2); which sources have line items of which stage (one query, whatever the stages); the CARSI
    # countries.
    with django_assert_num_queries(11):
        reconcile()
    donor, source = Organization.objects.get(slug="united-states"), Source.objects.get(key="gao-13-295r")
    Allocation.objects.bulk_create(
        Allocation(
            fiscal_year=2010, stage="disbursed", amount=1, donor=donor, source=source, source_detail=f"x{n}"
        )
        for n in range(50)
    )
    make_figure("exact", "1", key="another")
    with django_assert_num_queries(11):
        reconcile()
