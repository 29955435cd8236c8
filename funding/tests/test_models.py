from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from funding.models import Allocation, FundingAccount, ReportedFigure
from partners.models import Country, Organization
from sources.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def line_item():
    """An unsaved, valid line item: FY2012 ESF disbursed in Honduras (not in the seed)."""
    return Allocation(
        fiscal_year=2012,
        amount=Decimal("125000.50"),
        stage="disbursed",
        donor=Organization.objects.get(slug="united-states"),
        account=FundingAccount.objects.get(code="ESF"),
        country=Country.objects.get(iso2="HN"),
        source=Source.objects.get(key="gao-13-295r"),
        source_detail="test row",
    )


def errors_of(instance):
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_valid_line_item_passes_validation(line_item):
    line_item.full_clean()
    line_item.save()
    line_item.refresh_from_db()
    assert line_item.amount == Decimal("125000.50")


def test_negative_amount_is_refused_naming_the_amount(line_item):
    line_item.amount = Decimal("-5")
    assert errors_of(line_item) == {
        "amount": ["The amount must be greater than zero: a line item is a sum of money that was there."]
    }


def test_zero_amount_is_refused(line_item):
    line_item.amount = Decimal("0")
    assert list(errors_of(line_item)) == ["amount"]


def test_two_digit_fiscal_year_is_refused_naming_the_fiscal_year(line_item):
    line_item.fiscal_year = 12
    errors = errors_of(line_item)
    assert list(errors) == ["fiscal_year"]
    assert "four-digit fiscal year from 1990 to 2099" in errors["fiscal_year"][0]


def test_unknown_stage_is_refused_naming_the_stage(line_item):
    line_item.stage = "promised"
    assert errors_of(line_item) == {"stage": ["Value 'promised' is not a valid choice."]}


def test_line_item_without_source_is_refused_naming_the_source(line_item):
    line_item.source = None
    assert errors_of(line_item) == {"source": ["Every line item must cite a source."]}


def test_more_than_two_decimals_is_refused(line_item):
    line_item.amount = Decimal("1.005")
    assert list(errors_of(line_item)) == ["amount"]


def test_duplicate_line_item_is_refused_by_validation(line_item):
    line_item.save()
    duplicate = Allocation.objects.get(pk=line_item.pk)
    duplicate.pk = None
    duplicate.amount = Decimal("1.00")
    assert errors_of(duplicate) == {
        "__all__": [
            "A line item with the same source, source detail, fiscal year, stage, donor, "
            "account, country, objective and program already exists."
        ]
    }


def test_duplicate_regional_line_item_is_refused_by_the_database(line_item):
    # Regional: country is NULL, which a plain unique constraint would let through twice.
    line_item.country = None
    line_item.save()
    line_item.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        line_item.save()


def test_same_cell_in_another_source_is_a_different_line_item(line_item):
    line_item.save()
    line_item.pk = None
    line_item.source = Source.objects.get(key="gao-13-771")
    line_item.full_clean()
    line_item.save()


@pytest.mark.parametrize(
    ("field", "value"),
    [("amount", Decimal("-1")), ("amount", Decimal("0")), ("fiscal_year", 12), ("stage", "promised")],
)
def test_database_constraints_refuse_what_validation_refuses(line_item, field, value):
    setattr(line_item, field, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        line_item.save()


def test_reported_figure_period_must_be_ordered():
    figure = ReportedFigure.objects.get(key="fy2008-2011-total")
    figure.fiscal_year_min, figure.fiscal_year_max = 2011, 2008
    errors = errors_of(figure)
    assert errors["fiscal_year_max"] == ["The last fiscal year cannot come before the first."]
    with pytest.raises(IntegrityError), transaction.atomic():
        figure.save()


def test_source_date_is_as_precise_as_the_source():
    source = Source.objects.get(key="gao-13-771")
    assert source.published == "2013-09"
    source.published = "Sept 2013"
    assert list(errors_of(source)) == ["published"]
    source.published = "2013-02-30"
    assert errors_of(source) == {"published": ["'2013-02-30' is not a calendar date."]}
