import pytest
from django.core.exceptions import ValidationError

from partners.models import Country, Organization

pytestmark = pytest.mark.django_db


def test_iso_codes_are_validated_naming_the_field():
    country = Country(name="Atlantis", iso2="at1", iso3="ATLX")
    with pytest.raises(ValidationError) as caught:
        country.full_clean()
    assert set(caught.value.message_dict) == {"iso2", "iso3"}


def test_an_organization_cannot_be_its_own_ancestor():
    state = Organization.objects.get(slug="state-department")
    state.parent = Organization.objects.get(slug="state-inl")
    with pytest.raises(ValidationError) as caught:
        state.full_clean()
    assert caught.value.message_dict == {"parent": ["An organization cannot be its own parent or ancestor."]}


def test_natural_keys():
    assert Country.objects.get_by_natural_key("GT").name == "Guatemala"
    assert Organization.objects.get_by_natural_key("usaid").acronym == "USAID"
