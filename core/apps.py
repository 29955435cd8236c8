from django.apps import AppConfig
from django.core.signals import setting_changed
from django.db.models.signals import post_migrate
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
        from core.dataversion import triggers_after_migrate

        # After every app has migrated, every data table is watched. The signal is sent once per app
        # after the whole plan: taken for this app only, the triggers are made once.
        post_migrate.connect(triggers_after_migrate, sender=self)
        setting_changed.connect(_forget_answers)


def _forget_answers(setting, **kwargs):
    """A setting changed (in a test): answers rendered under the old one are not kept."""
    from django.core.cache import caches

    from core import i18n
    from core.responsecache import CACHE_ALIAS

    caches[CACHE_ALIAS].clear()
    if setting == "ROOT_URLCONF":
        i18n._is_page.cache_clear()
