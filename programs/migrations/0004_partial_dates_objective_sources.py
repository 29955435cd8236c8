import core.partial_dates
import django.db.models.deletion
from django.db import migrations, models


def no_date_is_empty(apps, schema_editor):
    for name in ("Program", "HistoricalProgram"):
        model = apps.get_model("programs", name)
        for field in ("start_date", "end_date"):
            model.objects.filter(**{f"{field}__isnull": True}).update(**{field: ""})
    if schema_editor.connection.vendor == "postgresql":
        # The updates' deferred foreign-key checks run now, so that the table can be altered next.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0001_initial'),
        ('programs', '0003_sources_in_their_own_app'),
        ('sources', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='ObjectiveWording',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField()),
                ('grade', models.CharField(choices=[('V', "V — read in the source's own text"), ('S', 'S — read from a scanned table that adds up'), ('D', 'D — arithmetic on V/S figures'), ('P', 'P — press or secondary report only'), ('U', 'U — only in a fact sheet, unconfirmed')], max_length=1)),
            ],
            options={
                'ordering': ['objective', 'source'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='program',
            name='program_dates_ordered',
        ),
        migrations.AddField(
            model_name='objective',
            name='source',
            field=models.ForeignKey(blank=True, help_text='The document whose wording the short name and description are.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='objectives', to='sources.source'),
        ),
        # Dates as text as precise as the source; a program without one keeps it empty, not NULL.
        migrations.AlterField(
            model_name='historicalprogram',
            name='end_date',
            field=models.CharField(blank=True, null=True, max_length=10),
        ),
        migrations.AlterField(
            model_name='historicalprogram',
            name='start_date',
            field=models.CharField(blank=True, null=True, max_length=10),
        ),
        migrations.AlterField(
            model_name='program',
            name='end_date',
            field=models.CharField(blank=True, null=True, max_length=10),
        ),
        migrations.AlterField(
            model_name='program',
            name='start_date',
            field=models.CharField(blank=True, null=True, max_length=10),
        ),
        migrations.RunPython(no_date_is_empty, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='historicalprogram',
            name='end_date',
            field=models.CharField(blank=True, help_text='YYYY, YYYY-MM or YYYY-MM-DD.', max_length=10, validators=[core.partial_dates.validate_partial_date]),
        ),
        migrations.AlterField(
            model_name='historicalprogram',
            name='start_date',
            field=models.CharField(blank=True, help_text='YYYY, YYYY-MM or YYYY-MM-DD.', max_length=10, validators=[core.partial_dates.validate_partial_date]),
        ),
        migrations.AlterField(
            model_name='program',
            name='end_date',
            field=models.CharField(blank=True, help_text='YYYY, YYYY-MM or YYYY-MM-DD.', max_length=10, validators=[core.partial_dates.validate_partial_date]),
        ),
        migrations.AlterField(
            model_name='program',
            name='start_date',
            field=models.CharField(blank=True, help_text='YYYY, YYYY-MM or YYYY-MM-DD.', max_length=10, validators=[core.partial_dates.validate_partial_date]),
        ),
        migrations.AddConstraint(
            model_name='program',
            constraint=models.CheckConstraint(condition=models.Q(('start_date', ''), ('end_date', ''), ('end_date__gte', models.F('start_date')), _connector='OR'), name='program_dates_ordered', violation_error_message='A program cannot end before it starts.'),
        ),
        migrations.AddField(
            model_name='objectivewording',
            name='objective',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='wordings', to='programs.objective'),
        ),
        migrations.AddField(
            model_name='objectivewording',
            name='source',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='objective_wordings', to='sources.source'),
        ),
        migrations.AddConstraint(
            model_name='objectivewording',
            constraint=models.UniqueConstraint(fields=('objective', 'source'), name='objective_wording_one_per_source'),
        ),
        migrations.AddConstraint(
            model_name='objectivewording',
            constraint=models.CheckConstraint(condition=models.Q(('grade__in', ['V', 'S', 'D', 'P', 'U'])), name='objective_wording_grade_valid'),
        ),
    ]
