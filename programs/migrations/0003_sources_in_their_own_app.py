# A program's sources now point at sources.Source; the table of the relation is unchanged.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0002_change_history_and_versions'),
        ('sources', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='program',
                    name='sources',
                    field=models.ManyToManyField(blank=True, related_name='programs', to='sources.source'),
                ),
            ],
            database_operations=[],
        ),
    ]
