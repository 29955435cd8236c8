# Rows stored before every table kept its history (countries, organizations, objectives, accounts…),
# links stored before a history kept them, and rows changed by data migrations that wrote no history:
# each gets a version now, so that the first release holds exactly the stored data.

from django.db import migrations


def forwards(apps, schema_editor):
    from core.history import bring_in_step

    bring_in_step(apps)


class Migration(migrations.Migration):

    dependencies = [
        ("releases", "0001_initial"),
        ("funding", "0014_history_of_every_table_by_release"),
        ("programs", "0005_history_of_every_table_by_release"),
        ("partners", "0002_history"),
        ("sources", "0002_history_by_release"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
