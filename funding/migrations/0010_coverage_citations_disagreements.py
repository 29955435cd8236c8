# Coverage declared as data; citations of reported figures; disagreements; facts about organizations;
# line items' agency, fiscal-year basis, appropriation year and as-of date.

import core.partial_dates
import django.db.models.deletion
import funding.fiscal
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('funding', '0009_sources_in_their_own_app'),
        ('partners', '0001_initial'),
        ('programs', '0004_partial_dates_objective_sources'),
        ('sources', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Citation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('locator', models.CharField(blank=True, help_text='Where in the source: page, table, paragraph, highlights.', max_length=200)),
                ('quote', models.TextField(blank=True, help_text="A short excerpt in the source's own words (checked by check_citations).")),
                ('grade', models.CharField(choices=[('V', "V — read in the source's own text"), ('S', 'S — read from a scanned table that adds up'), ('D', 'D — arithmetic on V/S figures'), ('P', 'P — press or secondary report only'), ('U', 'U — only in a fact sheet, unconfirmed')], max_length=1)),
                ('position', models.PositiveSmallIntegerField(default=0, help_text="0 for the figure's own source.")),
            ],
            options={
                'ordering': ['figure', 'position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Coverage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one with every saved change; an edit made from an older version is refused.')),
                ('key', models.SlugField(max_length=100, unique=True)),
                ('table', models.CharField(blank=True, help_text='The tables it covers: "tables 3, 4".', max_length=200)),
                ('stage', models.CharField(choices=[('requested', 'Requested'), ('committed', 'Committed'), ('appropriated', 'Appropriated'), ('allocated', 'Allocated'), ('obligated', 'Obligated'), ('disbursed', 'Disbursed')], max_length=20)),
                ('geography', models.CharField(choices=[('not_by_country', 'not by country'), ('by_country', 'by country, with regional lines'), ('regional', 'regional only')], max_length=20)),
                ('fiscal_year_basis', models.CharField(choices=[('appropriation', 'year of appropriation'), ('transaction', 'year of the transaction')], max_length=20, verbose_name='fiscal years mean')),
                ('fiscal_year_min', models.PositiveSmallIntegerField(validators=[funding.fiscal.validate_fiscal_year])),
                ('fiscal_year_max', models.PositiveSmallIntegerField(validators=[funding.fiscal.validate_fiscal_year])),
                ('as_of', models.CharField(max_length=10, validators=[core.partial_dates.validate_partial_date])),
                ('complete_for', models.CharField(help_text='What its line items count in full.', max_length=300)),
                ('not_covered', models.TextField(help_text='A sentence saying what its line items do not count.')),
            ],
            options={
                'verbose_name': 'coverage statement',
                'ordering': ['source', 'stage'],
            },
        ),
        migrations.CreateModel(
            name='Disagreement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one with every saved change; an edit made from an older version is refused.')),
                ('key', models.SlugField(max_length=100, unique=True)),
                ('title', models.CharField(max_length=300)),
                ('status', models.CharField(choices=[('open', 'Open'), ('explained', 'Explained')], default='open', max_length=20)),
                ('note', models.TextField(blank=True)),
            ],
            options={
                'ordering': ['key'],
            },
        ),
        migrations.CreateModel(
            name='DisagreementSide',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('label', models.CharField(blank=True, help_text='What a sum of line items is.', max_length=300)),
                ('filters', models.JSONField(blank=True, default=dict, help_text='The line-item filters whose sum this side is, as the API takes them: {"stage": "appropriated", "fiscal_year": "2012"}.')),
            ],
            options={
                'ordering': ['disagreement', 'position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Explanation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('text', models.TextField()),
                ('locator', models.CharField(blank=True, max_length=200)),
                ('quote', models.TextField(blank=True)),
                ('grade', models.CharField(choices=[('V', "V — read in the source's own text"), ('S', 'S — read from a scanned table that adds up'), ('D', 'D — arithmetic on V/S figures'), ('P', 'P — press or secondary report only'), ('U', 'U — only in a fact sheet, unconfirmed')], max_length=1)),
            ],
            options={
                'ordering': ['disagreement', 'position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalCitation',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('locator', models.CharField(blank=True, help_text='Where in the source: page, table, paragraph, highlights.', max_length=200)),
                ('quote', models.TextField(blank=True, help_text="A short excerpt in the source's own words (checked by check_citations).")),
                ('grade', models.CharField(choices=[('V', "V — read in the source's own text"), ('S', 'S — read from a scanned table that adds up'), ('D', 'D — arithmetic on V/S figures'), ('P', 'P — press or secondary report only'), ('U', 'U — only in a fact sheet, unconfirmed')], max_length=1)),
                ('position', models.PositiveSmallIntegerField(default=0, help_text="0 for the figure's own source.")),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical citation',
                'verbose_name_plural': 'historical citations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCoverage',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one with every saved change; an edit made from an older version is refused.')),
                ('key', models.SlugField(max_length=100)),
                ('table', models.CharField(blank=True, help_text='The tables it covers: "tables 3, 4".', max_length=200)),
                ('stage', models.CharField(choices=[('requested', 'Requested'), ('committed', 'Committed'), ('appropriated', 'Appropriated'), ('allocated', 'Allocated'), ('obligated', 'Obligated'), ('disbursed', 'Disbursed')], max_length=20)),
                ('geography', models.CharField(choices=[('not_by_country', 'not by country'), ('by_country', 'by country, with regional lines'), ('regional', 'regional only')], max_length=20)),
                ('fiscal_year_basis', models.CharField(choices=[('appropriation', 'year of appropriation'), ('transaction', 'year of the transaction')], max_length=20, verbose_name='fiscal years mean')),
                ('fiscal_year_min', models.PositiveSmallIntegerField(validators=[funding.fiscal.validate_fiscal_year])),
                ('fiscal_year_max', models.PositiveSmallIntegerField(validators=[funding.fiscal.validate_fiscal_year])),
                ('as_of', models.CharField(max_length=10, validators=[core.partial_dates.validate_partial_date])),
                ('complete_for', models.CharField(help_text='What its line items count in full.', max_length=300)),
                ('not_covered', models.TextField(help_text='A sentence saying what its line items do not count.')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical coverage statement',
                'verbose_name_plural': 'historical coverage statements',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalDisagreement',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one with every saved change; an edit made from an older version is refused.')),
                ('key', models.SlugField(max_length=100)),
                ('title', models.CharField(max_length=300)),
                ('status', models.CharField(choices=[('open', 'Open'), ('explained', 'Explained')], default='open', max_length=20)),
                ('note', models.TextField(blank=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical disagreement',
                'verbose_name_plural': 'historical disagreements',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalDisagreementSide',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('label', models.CharField(blank=True, help_text='What a sum of line items is.', max_length=300)),
                ('filters', models.JSONField(blank=True, default=dict, help_text='The line-item filters whose sum this side is, as the API takes them: {"stage": "appropriated", "fiscal_year": "2012"}.')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical disagreement side',
                'verbose_name_plural': 'historical disagreement sides',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalExplanation',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('text', models.TextField()),
                ('locator', models.CharField(blank=True, max_length=200)),
                ('quote', models.TextField(blank=True)),
                ('grade', models.CharField(choices=[('V', "V — read in the source's own text"), ('S', 'S — read from a scanned table that adds up'), ('D', 'D — arithmetic on V/S figures'), ('P', 'P — press or secondary report only'), ('U', 'U — only in a fact sheet, unconfirmed')], max_length=1)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical explanation',
                'verbose_name_plural': 'historical explanations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='OrganizationFact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.SlugField(max_length=100)),
                ('label', models.CharField(max_length=200)),
                ('number', models.PositiveIntegerField()),
                ('locator', models.CharField(blank=True, max_length=200)),
                ('quote', models.TextField(blank=True)),
                ('grade', models.CharField(choices=[('V', "V — read in the source's own text"), ('S', 'S — read from a scanned table that adds up'), ('D', 'D — arithmetic on V/S figures'), ('P', 'P — press or secondary report only'), ('U', 'U — only in a fact sheet, unconfirmed')], max_length=1)),
            ],
            options={
                'ordering': ['organization', 'key'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='reportedfigure',
            name='reported_figure_qualifier_valid',
        ),
        migrations.RemoveConstraint(
            model_name='reportedfigure',
            name='reported_figure_scope_valid',
        ),
        migrations.AddField(
            model_name='allocation',
            name='agency',
            field=models.ForeignKey(blank=True, help_text='The agency that manages the money (State, INL, USAID…), where the source says.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='managed_allocations', to='partners.organization'),
        ),
        migrations.AddField(
            model_name='allocation',
            name='appropriation_year',
            field=models.PositiveSmallIntegerField(blank=True, help_text="The fiscal year of the money's appropriation, where the source states it beside a year of transaction.", null=True, validators=[funding.fiscal.validate_fiscal_year]),
        ),
        migrations.AddField(
            model_name='allocation',
            name='as_of',
            field=models.CharField(blank=True, help_text='The date the figure stands at, as precise as the source: YYYY, YYYY-MM or YYYY-MM-DD.', max_length=10, validators=[core.partial_dates.validate_partial_date]),
        ),
        migrations.AddField(
            model_name='allocation',
            name='fiscal_year_basis',
            field=models.CharField(choices=[('appropriation', 'year of appropriation'), ('transaction', 'year of the transaction')], default='appropriation', help_text="What the fiscal year counts: the year the money was appropriated, or the year it moved (a disbursement's year), as the source's table gives it.", max_length=20, verbose_name='fiscal year means'),
        ),
        migrations.AddField(
            model_name='fundingaccount',
            name='agencies',
            field=models.ManyToManyField(blank=True, help_text="The agencies that manage the account's money (ESF: State and USAID).", related_name='administered_accounts', to='partners.organization'),
        ),
        migrations.AddField(
            model_name='historicalallocation',
            name='agency',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The agency that manages the money (State, INL, USAID…), where the source says.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.organization'),
        ),
        migrations.AddField(
            model_name='historicalallocation',
            name='appropriation_year',
            field=models.PositiveSmallIntegerField(blank=True, help_text="The fiscal year of the money's appropriation, where the source states it beside a year of transaction.", null=True, validators=[funding.fiscal.validate_fiscal_year]),
        ),
        migrations.AddField(
            model_name='historicalallocation',
            name='as_of',
            field=models.CharField(blank=True, help_text='The date the figure stands at, as precise as the source: YYYY, YYYY-MM or YYYY-MM-DD.', max_length=10, validators=[core.partial_dates.validate_partial_date]),
        ),
        migrations.AddField(
            model_name='historicalallocation',
            name='fiscal_year_basis',
            field=models.CharField(choices=[('appropriation', 'year of appropriation'), ('transaction', 'year of the transaction')], default='appropriation', help_text="What the fiscal year counts: the year the money was appropriated, or the year it moved (a disbursement's year), as the source's table gives it.", max_length=20, verbose_name='fiscal year means'),
        ),
        migrations.AddField(
            model_name='historicalreportedfigure',
            name='account',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The one account the figure counts; empty when it counts every account.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='funding.fundingaccount'),
        ),
        migrations.AddField(
            model_name='historicalreportedfigure',
            name='agency',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text="The one agency whose money the figure counts; empty when it counts every agency's.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.organization'),
        ),
        migrations.AddField(
            model_name='historicalreportedfigure',
            name='country',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The one country the figure is about; empty when it is about all of CARSI.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.country'),
        ),
        migrations.AddField(
            model_name='historicalreportedfigure',
            name='fiscal_year_basis',
            field=models.CharField(blank=True, choices=[('appropriation', 'year of appropriation'), ('transaction', 'year of the transaction')], help_text="What the figure's fiscal years count, where it can be told; empty when not stated.", max_length=20, verbose_name='fiscal years mean'),
        ),
        migrations.AddField(
            model_name='historicalreportedfigure',
            name='not_comparable_reason',
            field=models.TextField(blank=True, help_text='Why no line items can be compared with it although it is CARSI money, if so (GAO\'s "committed" for FMF is not a pledge).'),
        ),
        migrations.AddField(
            model_name='reportedfigure',
            name='account',
            field=models.ForeignKey(blank=True, help_text='The one account the figure counts; empty when it counts every account.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reported_figures', to='funding.fundingaccount'),
        ),
        migrations.AddField(
            model_name='reportedfigure',
            name='agency',
            field=models.ForeignKey(blank=True, help_text="The one agency whose money the figure counts; empty when it counts every agency's.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='managed_reported_figures', to='partners.organization'),
        ),
        migrations.AddField(
            model_name='reportedfigure',
            name='country',
            field=models.ForeignKey(blank=True, help_text='The one country the figure is about; empty when it is about all of CARSI.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reported_figures', to='partners.country'),
        ),
        migrations.AddField(
            model_name='reportedfigure',
            name='fiscal_year_basis',
            field=models.CharField(blank=True, choices=[('appropriation', 'year of appropriation'), ('transaction', 'year of the transaction')], help_text="What the figure's fiscal years count, where it can be told; empty when not stated.", max_length=20, verbose_name='fiscal years mean'),
        ),
        migrations.AddField(
            model_name='reportedfigure',
            name='not_comparable_reason',
            field=models.TextField(blank=True, help_text='Why no line items can be compared with it although it is CARSI money, if so (GAO\'s "committed" for FMF is not a pledge).'),
        ),
        migrations.AlterField(
            model_name='historicalreportedfigure',
            name='qualifier',
            field=models.CharField(choices=[('exact', 'exactly'), ('approximately', 'approximately'), ('at_least', 'at least'), ('more_than', 'more than'), ('almost', 'almost'), ('at_most', 'at most')], default='exact', max_length=20),
        ),
        migrations.AlterField(
            model_name='historicalreportedfigure',
            name='scope',
            field=models.CharField(choices=[('carsi', 'CARSI money'), ('not_carsi', 'Not CARSI money'), ('context', 'Context, not CARSI alone')], default='carsi', help_text='Only CARSI money is reconciled against the line items; the rest is shown for comparison.', max_length=10),
        ),
        migrations.AlterField(
            model_name='historicalreportedfigure',
            name='source',
            field=models.ForeignKey(blank=True, db_constraint=False, error_messages={'null': 'Every reported figure must cite a source.'}, help_text='The document that states the figure; its citation (quote, where, grade) is the first.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sources.source'),
        ),
        migrations.AlterField(
            model_name='reportedfigure',
            name='qualifier',
            field=models.CharField(choices=[('exact', 'exactly'), ('approximately', 'approximately'), ('at_least', 'at least'), ('more_than', 'more than'), ('almost', 'almost'), ('at_most', 'at most')], default='exact', max_length=20),
        ),
        migrations.AlterField(
            model_name='reportedfigure',
            name='scope',
            field=models.CharField(choices=[('carsi', 'CARSI money'), ('not_carsi', 'Not CARSI money'), ('context', 'Context, not CARSI alone')], default='carsi', help_text='Only CARSI money is reconciled against the line items; the rest is shown for comparison.', max_length=10),
        ),
        migrations.AlterField(
            model_name='reportedfigure',
            name='source',
            field=models.ForeignKey(error_messages={'null': 'Every reported figure must cite a source.'}, help_text='The document that states the figure; its citation (quote, where, grade) is the first.', on_delete=django.db.models.deletion.PROTECT, related_name='reported_figures', to='sources.source'),
        ),
        migrations.AddConstraint(
            model_name='allocation',
            constraint=models.CheckConstraint(condition=models.Q(('fiscal_year_basis__in', ['appropriation', 'transaction'])), name='allocation_fiscal_year_basis_valid'),
        ),
        migrations.AddConstraint(
            model_name='reportedfigure',
            constraint=models.CheckConstraint(condition=models.Q(('qualifier__in', ['exact', 'approximately', 'at_least', 'more_than', 'almost', 'at_most'])), name='reported_figure_qualifier_valid'),
        ),
        migrations.AddConstraint(
            model_name='reportedfigure',
            constraint=models.CheckConstraint(condition=models.Q(('scope__in', ['carsi', 'not_carsi', 'context'])), name='reported_figure_scope_valid'),
        ),
        migrations.AddConstraint(
            model_name='reportedfigure',
            constraint=models.CheckConstraint(condition=models.Q(('fiscal_year_basis__in', ['', 'appropriation', 'transaction'])), name='reported_figure_fiscal_year_basis_valid'),
        ),
        migrations.AddField(
            model_name='citation',
            name='figure',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='citations', to='funding.reportedfigure'),
        ),
        migrations.AddField(
            model_name='citation',
            name='source',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='citations', to='sources.source'),
        ),
        migrations.AddField(
            model_name='coverage',
            name='accounts',
            field=models.ManyToManyField(blank=True, related_name='coverages', to='funding.fundingaccount'),
        ),
        migrations.AddField(
            model_name='coverage',
            name='agencies',
            field=models.ManyToManyField(blank=True, related_name='coverages', to='partners.organization'),
        ),
        migrations.AddField(
            model_name='coverage',
            name='program',
            field=models.ForeignKey(blank=True, help_text='The one program its line items are of, if they are of one program only.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='coverages', to='programs.program'),
        ),
        migrations.AddField(
            model_name='coverage',
            name='source',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='coverages', to='sources.source'),
        ),
        migrations.AddConstraint(
            model_name='disagreement',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['open', 'explained'])), name='disagreement_status_valid'),
        ),
        migrations.AddField(
            model_name='disagreementside',
            name='disagreement',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sides', to='funding.disagreement'),
        ),
        migrations.AddField(
            model_name='disagreementside',
            name='figure',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='disagreement_sides', to='funding.reportedfigure'),
        ),
        migrations.AddField(
            model_name='explanation',
            name='disagreement',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='explanations', to='funding.disagreement'),
        ),
        migrations.AddField(
            model_name='explanation',
            name='source',
            field=models.ForeignKey(blank=True, help_text='The document the explanation rests on; empty when none says why.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='explanations', to='sources.source'),
        ),
        migrations.AddField(
            model_name='historicalcitation',
            name='figure',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='funding.reportedfigure'),
        ),
        migrations.AddField(
            model_name='historicalcitation',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalcitation',
            name='source',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sources.source'),
        ),
        migrations.AddField(
            model_name='historicalcoverage',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalcoverage',
            name='program',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The one program its line items are of, if they are of one program only.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programs.program'),
        ),
        migrations.AddField(
            model_name='historicalcoverage',
            name='source',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sources.source'),
        ),
        migrations.AddField(
            model_name='historicaldisagreement',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicaldisagreementside',
            name='disagreement',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='funding.disagreement'),
        ),
        migrations.AddField(
            model_name='historicaldisagreementside',
            name='figure',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='funding.reportedfigure'),
        ),
        migrations.AddField(
            model_name='historicaldisagreementside',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalexplanation',
            name='disagreement',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='funding.disagreement'),
        ),
        migrations.AddField(
            model_name='historicalexplanation',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalexplanation',
            name='source',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The document the explanation rests on; empty when none says why.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sources.source'),
        ),
        migrations.AddField(
            model_name='organizationfact',
            name='organization',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='facts', to='partners.organization'),
        ),
        migrations.AddField(
            model_name='organizationfact',
            name='source',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='organization_facts', to='sources.source'),
        ),
        migrations.AddConstraint(
            model_name='citation',
            constraint=models.UniqueConstraint(fields=('figure', 'source', 'locator'), name='citation_unique', violation_error_message='This figure already cites this place in this source.'),
        ),
        migrations.AddConstraint(
            model_name='citation',
            constraint=models.CheckConstraint(condition=models.Q(('grade__in', ['V', 'S', 'D', 'P', 'U'])), name='citation_grade_valid'),
        ),
        migrations.AddConstraint(
            model_name='coverage',
            constraint=models.UniqueConstraint(fields=('source', 'stage'), name='coverage_one_per_source_and_stage', violation_error_message="This source's line items of this stage already have a coverage."),
        ),
        migrations.AddConstraint(
            model_name='coverage',
            constraint=models.CheckConstraint(condition=models.Q(('fiscal_year_max__gte', models.F('fiscal_year_min'))), name='coverage_years_ordered', violation_error_message='The last fiscal year cannot come before the first.'),
        ),
        migrations.AddConstraint(
            model_name='disagreementside',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('figure__isnull', False), ('filters', {})), models.Q(('figure__isnull', True), models.Q(('filters', {}), _negated=True)), _connector='OR'), name='disagreement_side_figure_or_filters', violation_error_message='A side is a reported figure or a sum of line items, not both.'),
        ),
        migrations.AddConstraint(
            model_name='explanation',
            constraint=models.CheckConstraint(condition=models.Q(('grade__in', ['V', 'S', 'D', 'P', 'U'])), name='explanation_grade_valid'),
        ),
        migrations.AddConstraint(
            model_name='organizationfact',
            constraint=models.UniqueConstraint(fields=('organization', 'key'), name='organization_fact_unique'),
        ),
        migrations.AddConstraint(
            model_name='organizationfact',
            constraint=models.CheckConstraint(condition=models.Q(('grade__in', ['V', 'S', 'D', 'P', 'U'])), name='organization_fact_grade_valid'),
        ),
    ]
