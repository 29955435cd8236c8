from django.contrib import admin
from django.urls import include, path

from carsi_tracker.views import favicon, healthz

urlpatterns = [
    path("", include("funding.urls")),
    path("", include("programs.urls")),
    path("", include("partners.urls")),
    path("api/v1/", include("carsi_tracker.api_urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin, the browsable API).
    path("favicon.ico", favicon),
]

handler400 = "carsi_tracker.views.bad_request"
handler404 = "carsi_tracker.views.page_not_found"
handler500 = "carsi_tracker.views.server_error"
