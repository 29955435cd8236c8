# Sources move out of the funding app into their own, below programs and funding, so that neither
# needs the other for them. The tables stay where they are (funding_source, funding_historicalsource):
# this migration only tells Django's state where the model now lives.

import core.partial_dates
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('funding', '0008_allocation_is_a_line_item'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Source',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one with every saved change; an edit made from an older version is refused.')),
                        ('key', models.SlugField(help_text='Stable key, e.g. gao-13-295r.', max_length=100, unique=True)),
                        ('title', models.CharField(max_length=300)),
                        ('publisher', models.CharField(max_length=200)),
                        ('published', models.CharField(help_text='As precise as the source states it: YYYY, YYYY-MM or YYYY-MM-DD.', max_length=10, validators=[core.partial_dates.validate_partial_date])),
                        ('url', models.URLField(blank=True, max_length=500, verbose_name='URL')),
                        ('seed_reference', models.CharField(blank=True, help_text="The fact sheet in the project's seed documents, e.g. seed 002.", max_length=200)),
                        ('note', models.TextField(blank=True)),
                    ],
                    options={
                        'db_table': 'funding_source',
                        'ordering': ['key'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalSource',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one with every saved change; an edit made from an older version is refused.')),
                        ('key', models.SlugField(help_text='Stable key, e.g. gao-13-295r.', max_length=100)),
                        ('title', models.CharField(max_length=300)),
                        ('publisher', models.CharField(max_length=200)),
                        ('published', models.CharField(help_text='As precise as the source states it: YYYY, YYYY-MM or YYYY-MM-DD.', max_length=10, validators=[core.partial_dates.validate_partial_date])),
                        ('url', models.URLField(blank=True, max_length=500, verbose_name='URL')),
                        ('seed_reference', models.CharField(blank=True, help_text="The fact sheet in the project's seed documents, e.g. seed 002.", max_length=200)),
                        ('note', models.TextField(blank=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical source',
                        'verbose_name_plural': 'historical sources',
                        'db_table': 'funding_historicalsource',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
            ],
            database_operations=[],
        ),
    ]
