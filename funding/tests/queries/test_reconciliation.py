from decimal import Decimal

import pytest

from funding.models import Allocation, ReportedFigure
from funding.queries.reconciliation import Verdict, reconcile
from partners.models import Organization
from sources.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def results():
    return {result.figure.key: result for result in reconcile()}


def test_every_reported_figure_is_reconciled(results):
    assert len(results) == ReportedFigure.objects.count() == 11


def test_fy2008_2011_total_agrees_within_rounding(results):
    result = results["fy2008-2011-total"]
    assert result.verdict == Verdict.AGREES
    assert result.line_item_sum == Decimal("361508000.00")
    assert result.line_item_count == 12
    assert result.difference == Decimal("508000.00")
    assert result.difference_pct == Decimal("0.14")
    assert result.other_stages == {"allocated": Decimal("21183319.00"), "disbursed": Decimal("12075000.00")}


def test_fy2008_2012_total_agrees_within_rounding(results):
    result = results["fy2008-2012-total"]
    assert result.verdict == Verdict.AGREES
    assert result.line_item_sum == Decimal("496508000.00")
    assert result.difference == Decimal("508000.00")
    assert result.difference_pct == Decimal("0.10")


def test_fy2012_commitment_has_no_committed_line_items_and_shows_the_appropriation(results):
    result = results["fy2012-commitment"]
    assert result.verdict == Verdict.NO_LINE_ITEMS
    assert result.line_item_sum is None
    assert result.difference is None
    assert result.other_stages == {"appropriated": Decimal("135000000.00")}
    assert "appropriated $135,000,000" in result.explanation


def test_committed_to_date_2010_shows_the_matching_appropriations(results):
    result = results["committed-to-date-2010"]
    assert result.verdict == Verdict.NO_LINE_ITEMS
    assert result.other_stages == {
        "appropriated": Decimal("165000000.00"),
        "allocated": Decimal("18633000.00"),
        "disbursed": Decimal("6353000.00"),
    }


def test_figure_without_a_period_is_not_comparable(results):
    result = results["under-review-2011"]
    assert result.verdict == Verdict.NOT_COMPARABLE
    assert result.other_stages == {}


def test_context_figure_is_not_comparable(results):
    assert results["demand-reduction"].verdict == Verdict.NOT_COMPARABLE


def test_gao_allocated_disagrees_with_the_program_line_items(results):
    result = results["gao-allocated-fy2008-2011"]
    assert result.verdict == Verdict.DISAGREES
    assert result.line_item_sum == Decimal("21183319.00")
    assert result.difference == Decimal("-328816681.00")
    assert result.difference_pct == Decimal("-93.95")


def test_at_least_figure_above_the_line_items_disagrees(results):
    result = results["gao-disbursed-2013"]
    assert result.verdict == Verdict.DISAGREES
    assert result.line_item_sum == Decimal("12075000.00")


def test_remaining_verdicts(results):
    assert results["gao-obligated-2013"].verdict == Verdict.NO_LINE_ITEMS
    assert results["gao-allocated-fy2008-2012"].verdict == Verdict.DISAGREES
    # The Group of Friends is another donor: United States line items are not its money.
    assert results["friends-commitments"].verdict == Verdict.NO_LINE_ITEMS
    assert results["friends-commitments"].other_stages == {}


def make_figure(qualifier, amount, **extra):
    fields = {
        "key": f"test-{qualifier}",
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


def test_reconciliation_follows_new_line_items():
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


def test_reconciliation_costs_two_queries_whatever_the_number_of_figures(django_assert_num_queries):
    # 1: the reported figures with donor and source; 2: subtotals per donor, stage and year.
    with django_assert_num_queries(2):
        reconcile()
