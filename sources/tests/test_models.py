import pytest
from django.core.exceptions import ValidationError

from sources.models import Source

pytestmark = pytest.mark.django_db


def test_a_source_is_named_by_its_key_and_dated_as_precisely_as_it_says():
    source = Source.objects.get_by_natural_key("gao-13-771")
    assert source.natural_key() == ("gao-13-771",)
    assert source.published_display == "September 2013"
    assert str(source).endswith("(U.S. Government Accountability Office, September 2013)")


def test_a_date_more_precise_than_the_calendar_allows_is_refused():
    source = Source(key="x", title="X", publisher="Y", published="2013-02-30")
    with pytest.raises(ValidationError) as raised:
        source.full_clean()
    assert raised.value.message_dict == {"published": ["'2013-02-30' is not a calendar date."]}
