from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = _("Releases")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.backup import restored
        from funding.apps import ensure_roles
        from funding.io.seed import seed_loaded
        from releases import signals

        seed_loaded.connect(signals.first_release_with_the_seed)
        post_migrate.connect(signals.release_views_after_migrate, sender=self)
        # The roles again once this app's permissions exist (made on its own post_migrate).
        post_migrate.connect(ensure_roles, sender=self)
        restored.connect(signals.release_views_after_restore)
