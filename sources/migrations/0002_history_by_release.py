
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sources', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalsource',
            name='history_release_from',
            field=models.PositiveIntegerField(blank=True, db_index=True, help_text='The first release this version is in.', null=True),
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='history_release_until',
            field=models.PositiveIntegerField(blank=True, help_text='The first release that holds a newer version instead.', null=True),
        ),
    ]
