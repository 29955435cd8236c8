from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from core.i18n import choose_language
from core.views import favicon, healthz
from releases.feeds import ChangesFeed
from releases.views import change_list

# Pages: English unprefixed, Spanish under /es/ (core.i18n). The API, the admin and the rest keep
# one address each and answer in the reader's language.
urlpatterns = [
    *i18n_patterns(
        path("", include("funding.web.urls")),
        path("changes/", change_list, name="change-list"),
        path("feeds/changes.atom", ChangesFeed(), name="changes-feed"),
        prefix_default_language=False,
    ),
    path("api/v1/", include("carsi_tracker.api_urls")),
    path("language/<str:language>/", choose_language, name="choose-language"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin, the browsable API).
    path("favicon.ico", favicon),
]

handler400 = "core.views.bad_request"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
