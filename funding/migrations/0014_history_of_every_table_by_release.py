
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('funding', '0013_source_stage_index'),
        ('partners', '0002_history'),
        ('sources', '0002_history_by_release'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalallocation',
            name='history_release_from',
            field=models.PositiveIntegerField(blank=True, db_index=True, help_text='The first release this version is in.', null=True),
        ),
        migrations.AddField(
            model_name='historicalallocation',
            name='history_release_until',
            field=models.PositiveIntegerField(blank=True, help_text='The first release that holds a newer version instead.', null=True),
        ),
        migrations.AddField(
            model_name='historicalcitation',
            name='history_release_from',
            field=models.PositiveIntegerField(blank=True, db_index=True, help_text='The first release this version is in.', null=True),
        ),
        migrations.AddField(
            model_name='historicalcitation',
            name='history_release_until',
            field=models.PositiveIntegerField(blank=True, help_text='The first release that holds a newer version instead.', null=True),
        ),
        migrations.AddField(
            model_name='historicalcoverage',
            name='history_release_from',
            field=models.PositiveIntegerField(blank=True, db_index=True, help_text='The first release this version is in.', null=True),
        ),
        migrations.AddField(
            model_name='historicalcoverage',
            name='history_release_until',
            field=models.PositiveIntegerField(blank=True, help_text='The first release that holds a newer version instead.', null=True),
        ),
        migrations.AddField(
            model_name='historicaldisagreement',
            name='history_release_from',
            field=models.PositiveIntegerField(blank=True, db_index=True, help_text='The first release this version is in.', null=True),
        ),
        migrations.AddField(
            model_name='historicaldisagreement',
            name='history_release_until',
            field=models.PositiveIntegerField(blank=True, help_text='The first release that holds a newer version instead.', null=True),
        ),
        migrations.AddField(
            model_name='historicaldisagreementside',
            name='history_release_from',
            field=models.PositiveIntegerField(blank=True, db_index=True, help_text='The first release this version is in.', null=True),
        ),
        migrations.AddField(
            model_name='historicaldisagreementside',
            name='history_release_until',
            field=models.PositiveIntegerField(blank=True, help_text='The first release that holds a newer version instead.', null=True),
        ),
        migrations.AddField(
            model_name='historicalexplanation',
            name='history_release_from',
            field=models.PositiveIntegerField(blank=True, db_index=True, help_text='The first release this version is in.', null=True),
        ),
        migrations.AddField(
            model_name='historicalexplanation',
            name='history_release_until',
            field=models.PositiveIntegerField(blank=True, help_text='The first release that holds a newer version instead.', null=True),
        ),
        migrations.AddField(
            model_name='historicalreportedfigure',
            name='history_release_from',
            field=models.PositiveIntegerField(blank=True, db_index=True, help_text='The first release this version is in.', null=True),
        ),
        migrations.AddField(
            model_name='historicalreportedfigure',
            name='history_release_until',
            field=models.PositiveIntegerField(blank=True, help_text='The first release that holds a newer version instead.', null=True),
        ),
        migrations.CreateModel(
            name='HistoricalCoverage_accounts',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('coverage', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='funding.coverage')),
                ('fundingaccount', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='funding.fundingaccount')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='funding.historicalcoverage')),
            ],
            options={
                'verbose_name': 'HistoricalCoverage_accounts',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCoverage_agencies',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('coverage', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='funding.coverage')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='funding.historicalcoverage')),
                ('organization', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.organization')),
            ],
            options={
                'verbose_name': 'HistoricalCoverage_agencies',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalFundingAccount',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('history_release_from', models.PositiveIntegerField(blank=True, db_index=True, help_text='The first release this version is in.', null=True)),
                ('history_release_until', models.PositiveIntegerField(blank=True, help_text='The first release that holds a newer version instead.', null=True)),
                ('code', models.CharField(db_index=True, max_length=10)),
                ('name', models.CharField(db_index=True, max_length=200)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical funding account',
                'verbose_name_plural': 'historical funding accounts',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalFundingAccount_agencies',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('fundingaccount', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='funding.fundingaccount')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='funding.historicalfundingaccount')),
                ('organization', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.organization')),
            ],
            options={
                'verbose_name': 'HistoricalFundingAccount_agencies',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalOrganizationFact',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('history_release_from', models.PositiveIntegerField(blank=True, db_index=True, help_text='The first release this version is in.', null=True)),
                ('history_release_until', models.PositiveIntegerField(blank=True, help_text='The first release that holds a newer version instead.', null=True)),
                ('key', models.SlugField(max_length=100)),
                ('label', models.CharField(max_length=200)),
                ('number', models.PositiveIntegerField()),
                ('locator', models.CharField(blank=True, max_length=200)),
                ('quote', models.TextField(blank=True)),
                ('grade', models.CharField(choices=[('V', "V — read in the source's own text"), ('S', 'S — read from a scanned table that adds up'), ('D', 'D — arithmetic on V/S figures'), ('P', 'P — press or secondary report only'), ('U', 'U — only in a fact sheet, unconfirmed')], max_length=1)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organization', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.organization')),
                ('source', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sources.source')),
            ],
            options={
                'verbose_name': 'historical organization fact',
                'verbose_name_plural': 'historical organization facts',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
