
import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalCountry',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('history_release_from', models.PositiveIntegerField(blank=True, db_index=True, help_text='The first release this version is in.', null=True)),
                ('history_release_until', models.PositiveIntegerField(blank=True, help_text='The first release that holds a newer version instead.', null=True)),
                ('name', models.CharField(db_index=True, max_length=100)),
                ('iso2', models.CharField(db_index=True, max_length=2, validators=[django.core.validators.RegexValidator('^[A-Z]{2}$', 'Use the two capital letters of ISO 3166-1 alpha-2, e.g. GT.')], verbose_name='ISO alpha-2')),
                ('iso3', models.CharField(db_index=True, max_length=3, validators=[django.core.validators.RegexValidator('^[A-Z]{3}$', 'Use the three capital letters of ISO 3166-1 alpha-3, e.g. GTM.')], verbose_name='ISO alpha-3')),
                ('sica_member', models.BooleanField(default=False, help_text='Member of the Central American Integration System.', verbose_name='SICA member')),
                ('carsi_country', models.BooleanField(default=False, help_text='One of the seven CARSI partner countries.', verbose_name='CARSI country')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical country',
                'verbose_name_plural': 'historical countries',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalOrganization',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('history_release_from', models.PositiveIntegerField(blank=True, db_index=True, help_text='The first release this version is in.', null=True)),
                ('history_release_until', models.PositiveIntegerField(blank=True, help_text='The first release that holds a newer version instead.', null=True)),
                ('name', models.CharField(db_index=True, max_length=200)),
                ('slug', models.SlugField(max_length=100)),
                ('acronym', models.CharField(blank=True, max_length=30)),
                ('kind', models.CharField(choices=[('government', 'Government'), ('us_agency', 'U.S. agency'), ('multilateral', 'Multilateral organization'), ('financial_institution', 'Financial institution'), ('coalition', 'Coalition'), ('ngo', 'Non-governmental organization')], max_length=30)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('home_country', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.country')),
                ('parent', models.ForeignKey(blank=True, db_constraint=False, help_text='The organization this one belongs to, e.g. INL under the Department of State.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.organization')),
            ],
            options={
                'verbose_name': 'historical organization',
                'verbose_name_plural': 'historical organizations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
