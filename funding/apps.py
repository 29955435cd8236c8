from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_subtotal_triggers(sender, using, plan=None, **kwargs):
    """After every migrate: the subtotal triggers are there (a rebuilt SQLite table loses them)."""
    from funding.queries import subtotals

    connection = connections[using]
    if "funding_subtotal" in connection.introspection.table_names():
        subtotals.ensure(connection)


def ensure_roles(sender, using, plan=None, apps=None, **kwargs):
    """After every migrate (Django's own permissions are made on the same signal, just before)."""
    from funding.roles import ensure_roles

    if "auth_group" in connections[using].introspection.table_names():
        ensure_roles()


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding: accounts, line items, reported figures")

    def ready(self):
        post_migrate.connect(ensure_subtotal_triggers, sender=self)
        post_migrate.connect(ensure_roles, sender=self)
