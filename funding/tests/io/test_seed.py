from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from simple_history.models import HistoricalChanges

from funding.io.seed import load_seed
from funding.models import Allocation, Citation, Coverage, Disagreement, FundingAccount, ReportedFigure
from partners.models import Country, Organization
from programs.models import Objective, Program
from sources.choices import Grade
from sources.models import Source

pytestmark = pytest.mark.django_db

SEEDED_MODELS = ["partners", "programs", "funding"]


def counts():
    return {
        model._meta.label: model.objects.count()
        for app in SEEDED_MODELS
        for model in apps.get_app_config(app).get_models()
    }


def test_seed_counts_match_the_reference_data():
    assert Country.objects.count() == 14
    assert list(Country.objects.filter(carsi_country=True).values_list("iso2", flat=True)) == [
        "BZ",
        "CR",
        "SV",
        "GT",
        "HN",
        "NI",
        "PA",
    ]
    assert set(Country.objects.filter(sica_member=True).values_list("iso2", flat=True)) == {
        "BZ",
        "CR",
        "SV",
        "GT",
        "HN",
        "NI",
        "PA",
        "DO",
    }
    assert list(Objective.objects.values_list("number", "short_name")) == [
        (1, "Safe Streets"),
        (2, "Disrupt the Movement of Criminals and Contraband"),
        (3, "Strong, Capable, and Accountable Governments"),
        (4, "Effective State Presence in Communities at Risk"),
        (5, "Enhanced Levels of Cooperation"),
    ]
    assert list(FundingAccount.objects.values_list("code", flat=True)) == ["ESF", "FMF", "INCLE", "NADR"]
    assert Source.objects.count() == 17
    assert ReportedFigure.objects.count() == 26
    assert Citation.objects.count() == 30
    assert Coverage.objects.count() == 3
    assert Disagreement.objects.count() == 4
    assert Program.objects.count() == 11
    assert Allocation.objects.count() == 54


def test_loading_the_seed_twice_changes_nothing():
    before = counts()
    report = load_seed()
    assert report.added == 0
    assert report.allocations.created == 0
    assert report.allocations.unchanged == 54
    assert counts() == before


def test_loading_the_seed_keeps_an_admins_edits():
    figure = ReportedFigure.objects.get(key="fy2012-commitment")
    figure.label = "Edited label"
    figure.save()
    call_command("load_seed", verbosity=0)
    figure.refresh_from_db()
    assert figure.label == "Edited label"


def test_loading_the_seed_restores_what_is_missing():
    Allocation.objects.filter(stage="allocated").delete()
    report = load_seed()
    assert report.allocations.created == 3
    assert Allocation.objects.filter(stage="allocated").count() == 3


def test_programs_without_reported_amounts_have_no_line_items():
    unfunded = Program.objects.filter(allocations__isnull=True)
    assert unfunded.count() == 10
    assert (
        not Program.objects.exclude(slug="regional-equipment-and-training")
        .filter(allocations__isnull=False)
        .exists()
    )


def test_every_seed_object_passes_validation():
    for app in SEEDED_MODELS:
        for model in apps.get_app_config(app).get_models():
            if issubclass(model, HistoricalChanges):
                continue  # change-history rows, not seed objects
            for instance in model.objects.all():
                instance.full_clean()


def test_every_line_item_and_reported_figure_cites_a_source_with_a_grade():
    assert not Allocation.objects.filter(grade="").exists()
    # Every figure cites its own source, first, with a grade.
    for figure in ReportedFigure.objects.prefetch_related("citations"):
        first = figure.citations.all()[0]
        assert (first.source_id, first.position) == (figure.source_id, 0), figure.key
        assert first.grade in Grade.values, figure.key
    assert set(Allocation.objects.values_list("source__key", flat=True)) == {
        "state-spend-plan-fy2012",
        "gao-13-295r",
        "state-carsi-fy2010-activities",
    }


def test_disagreeing_fy2012_figures_are_both_kept_with_their_sources():
    commitment = ReportedFigure.objects.get(key="fy2012-commitment")
    assert (commitment.amount, commitment.stage, commitment.source.key) == (
        Decimal("105000000.00"),
        "committed",
        "wh-fact-sheet-2012-03-06",
    )
    # Section 6: V from the White House, and a second citation of grade P from InSight Crime.
    assert list(commitment.citations.values_list("source__key", "grade")) == [
        ("wh-fact-sheet-2012-03-06", "V"),
        ("insight-crime-2012-03-07", "P"),
    ]
    spend_plan = Allocation.objects.filter(fiscal_year=2012, stage="appropriated")
    assert set(spend_plan.values_list("source__key", flat=True)) == {"state-spend-plan-fy2012"}


def test_organization_hierarchy():
    inl = Organization.objects.get(slug="state-inl")
    assert inl.acronym == "INL"
    assert inl.parent.slug == "state-department"
    assert Organization.objects.get(slug="jiatf-south").parent.slug == "southcom"
    assert Organization.objects.get(slug="group-of-friends").kind == "coalition"


def test_programs_keep_countries_objectives_and_partner_roles():
    vetted = Program.objects.get(slug="vetted-units")
    assert set(vetted.countries.values_list("iso2", flat=True)) == {"GT", "HN", "SV", "CR", "PA"}
    martillo = Program.objects.get(slug="operation-martillo")
    assert martillo.countries.count() == 0  # regional
    # "This past January", says the fact sheet of March 2012: a month, not a day (section 6).
    assert martillo.start_date == "2012-01"
    assert set(Program.objects.values_list("status", flat=True)) == {"not_stated"}
    assert martillo.lead_organization.slug == "jiatf-south"
    assert ("southcom", "accountable") in martillo.participations.values_list("organization__slug", "role")
    youth = Program.objects.get(slug="community-policing-and-youth")
    assert list(youth.objectives.values_list("number", flat=True)) == [1, 4]
