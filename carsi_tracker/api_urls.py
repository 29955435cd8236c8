from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from funding.api import (
    AllocationViewSet,
    FundingAccountViewSet,
    ReconciliationView,
    ReportedFigureViewSet,
    SourceViewSet,
)
from partners.api import CountryViewSet, OrganizationViewSet
from programs.api import ObjectiveViewSet, ProgramViewSet

router = DefaultRouter()
router.register("countries", CountryViewSet)
router.register("organizations", OrganizationViewSet)
router.register("objectives", ObjectiveViewSet)
router.register("programs", ProgramViewSet)
router.register("accounts", FundingAccountViewSet)
router.register("sources", SourceViewSet)
router.register("allocations", AllocationViewSet)
router.register("reported-figures", ReportedFigureViewSet)

urlpatterns = [
    path("reconciliation/", ReconciliationView.as_view(), name="api-reconciliation"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
