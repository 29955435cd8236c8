from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from funding.api.iati import IATIActivitiesView
from funding.api.views import (
    AllocationViewSet,
    CoverageViewSet,
    DisagreementViewSet,
    FundingAccountViewSet,
    ReconciliationView,
    ReportedFigureViewSet,
)
from partners.api import CountryViewSet, OrganizationViewSet
from programs.api import ObjectiveViewSet, ProgramViewSet
from releases.api import ChangesView, ReleaseViewSet, release_bundle
from sources.api import SourceViewSet

router = DefaultRouter()
router.register("countries", CountryViewSet, basename="api-country")
router.register("organizations", OrganizationViewSet, basename="api-organization")
router.register("objectives", ObjectiveViewSet, basename="api-objective")
router.register("programs", ProgramViewSet, basename="api-program")
router.register("accounts", FundingAccountViewSet, basename="api-account")
router.register("sources", SourceViewSet, basename="api-source")
router.register("allocations", AllocationViewSet, basename="api-allocation")
router.register("reported-figures", ReportedFigureViewSet, basename="api-reported-figure")
router.register("coverage", CoverageViewSet, basename="api-coverage")
router.register("disagreements", DisagreementViewSet, basename="api-disagreement")
router.register("releases", ReleaseViewSet, basename="api-release")

urlpatterns = [
    path("reconciliation/", ReconciliationView.as_view(), name="api-reconciliation"),
    path("changes/", ChangesView.as_view(), name="api-changes"),
    path("iati/activities.xml", IATIActivitiesView.as_view(), name="api-iati-activities"),
    path("releases/<str:name>.zip", release_bundle, name="api-release-bundle"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: the page needs no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
