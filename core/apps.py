from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The plumbing every app shares and that knows nothing of CARSI: versioned rows and their history,
    the API's pagination, parsers, renderers and schema, CSV streaming, database errors, health,
    rate limits, backup and restore."""

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        # The schema's filter extension registers itself with drf-spectacular when imported.
        from core.api import schema  # noqa: F401
