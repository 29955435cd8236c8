import pytest
from django.apps import apps
from django.contrib import admin
from simple_history.models import HistoricalChanges

from funding.models import Disagreement, DisagreementSide, Explanation, ProgramSubtotal, Subtotal

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ["partners", "sources", "programs", "funding"]
# Edited on their disagreement's page only, where the rules binding them hold.
INLINE_ONLY = {DisagreementSide: Disagreement, Explanation: Disagreement}


def domain_models():
    # Change-history rows are read through each object's History page, not a list of their own;
    # subtotals are kept by the database and never edited.
    return [
        model
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        if not issubclass(model, HistoricalChanges)
        and model not in (Subtotal, ProgramSubtotal)
        and model not in INLINE_ONLY
    ]


def test_models_edited_inline_only_are_inlines_of_their_parent():
    for model, parent in INLINE_ONLY.items():
        assert model not in admin.site._registry
        assert model in [inline.model for inline in admin.site._registry[parent].inlines]


def test_every_model_is_registered_searchable_and_filterable():
    for model in domain_models():
        if model._meta.auto_created:
            continue
        model_admin = admin.site._registry.get(model)
        assert model_admin is not None, f"{model._meta.label} is not in the admin"
        assert model_admin.search_fields, f"{model._meta.label} has no search"


@pytest.mark.parametrize("model", domain_models(), ids=lambda model: model._meta.label)
def test_changelist_search_and_change_pages_answer(admin_client_logged_in, model):
    opts = model._meta
    base = f"/admin/{opts.app_label}/{opts.model_name}/"
    assert admin_client_logged_in.get(base).status_code == 200
    assert admin_client_logged_in.get(base, {"q": "a"}).status_code == 200
    instance = model.objects.first()
    assert admin_client_logged_in.get(f"{base}{instance.pk}/change/").status_code == 200


def test_allocation_changelist_filters_by_stage(admin_client_logged_in):
    response = admin_client_logged_in.get("/admin/funding/allocation/", {"stage__exact": "allocated"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 3
