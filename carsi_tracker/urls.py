from django.contrib import admin
from django.urls import include, path

from carsi_tracker.views import healthz

urlpatterns = [
    path("", include("funding.urls")),
    path("", include("programs.urls")),
    path("", include("partners.urls")),
    path("api/v1/", include("carsi_tracker.api_urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
