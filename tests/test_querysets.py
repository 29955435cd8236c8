"""core.querysets.read_together: several small querysets in one query, each as list() would give it."""

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import translation

from core.querysets import read_together
from funding.models import Allocation, FundingAccount, Subtotal
from partners.models import Country, Organization
from programs.models import Objective, Program
from sources.models import Source

pytestmark = pytest.mark.django_db


def field_values(rows):
    return [tuple(getattr(row, field.attname) for field in row._meta.concrete_fields) for row in rows]


def test_each_queryset_comes_back_as_list_would_give_it(django_assert_num_queries):
    donors = Organization.objects.filter(Exists(Allocation.objects.filter(donor=OuterRef("pk"))))
    querysets = [
        donors,
        Organization.objects.filter(kind="us_agency").order_by("-slug"),
        Country.objects.all(),
        FundingAccount.objects.all(),
        Objective.objects.all(),
        Program.objects.all(),
        Source.objects.filter(key__startswith="gao"),
    ]
    assert connection.features.supports_json_field  # asked of SQLite once, with a query of its own
    with django_assert_num_queries(1):
        lots = read_together(*querysets)
    for rows, queryset in zip(lots, querysets, strict=True):
        expected = list(queryset)
        assert field_values(rows) == field_values(expected)
        assert all(type(row) is queryset.model and not row._state.adding for row in rows)
    assert [len(rows) for rows in lots[2:6]] == [Country.objects.count(), 4, 5, Program.objects.count()]


def test_translated_texts_read_in_the_readers_language():
    (objectives,) = read_together(Objective.objects.all())
    with translation.override("es"):
        assert [objective.short_name for objective in objectives] == [
            objective.short_name for objective in Objective.objects.all()
        ]


def test_a_table_with_columns_json_would_not_hold_exactly_is_refused():
    with pytest.raises(TypeError, match="Subtotal has columns JSON does not hold exactly: \\['amount'\\]"):
        read_together(Subtotal.objects.all())
