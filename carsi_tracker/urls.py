from django.contrib import admin
from django.urls import include, path

from core.views import favicon, healthz
from releases.feeds import ChangesFeed
from releases.views import change_list

urlpatterns = [
    path("", include("funding.web.urls")),
    path("api/v1/", include("carsi_tracker.api_urls")),
    path("changes/", change_list, name="change-list"),
    path("feeds/changes.atom", ChangesFeed(), name="changes-feed"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin, the browsable API).
    path("favicon.ico", favicon),
]

handler400 = "core.views.bad_request"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
