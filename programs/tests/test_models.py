import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partners.models import Organization
from programs.models import Objective, Program, ProgramPartner

pytestmark = pytest.mark.django_db


def test_objective_number_is_one_to_five():
    objective = Objective(number=6, short_name="Sixth", description="x")
    with pytest.raises(ValidationError) as caught:
        objective.full_clean()
    assert caught.value.message_dict == {"number": ["Ensure this value is less than or equal to 5."]}
    with pytest.raises(IntegrityError), transaction.atomic():
        objective.save()


def test_program_cannot_end_before_it_starts():
    program = Program.objects.get(slug="operation-martillo")
    program.end_date = datetime.date(2011, 1, 1)
    with pytest.raises(ValidationError) as caught:
        program.full_clean()
    assert caught.value.message_dict["end_date"] == ["A program cannot end before it starts."]
    with pytest.raises(IntegrityError), transaction.atomic():
        program.save()


def test_a_partner_role_is_recorded_once():
    program = Program.objects.get(slug="operation-martillo")
    dea = Organization.objects.get(slug="dea")
    duplicate = ProgramPartner(program=program, organization=dea, role="implementing")
    with pytest.raises(ValidationError, match="already has this role"):
        duplicate.full_clean()
