"""The two roles: Analyst (view everything) and Editor (also add, change and delete what reports change)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

APPS = ["partners", "programs", "funding"]
EDITED = {
    "programs": ["program", "programpartner"],
    "funding": ["allocation", "reportedfigure", "source"],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view_all = Permission.objects.filter(content_type__app_label__in=APPS, codename__startswith="view_")
    analyst, _ = Group.objects.get_or_create(name="Analyst")
    analyst.permissions.add(*view_all)
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(*view_all)
    for app_label, models in EDITED.items():
        codenames = [f"{action}_{model}" for model in models for action in ("add", "change", "delete")]
        editor.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("partners", "0001_initial"),
        ("programs", "0002_change_history_and_versions"),
        ("funding", "0003_change_history_and_versions"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
