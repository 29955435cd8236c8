import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('funding', '0012_figures_cite_through_citations'),
        ('partners', '0001_initial'),
        ('programs', '0004_partial_dates_objective_sources'),
        ('sources', '0001_initial'),
    ]

    operations = [
        # The new index first: the foreign key's own is dropped only once this one leads with it.
        migrations.AddIndex(
            model_name='allocation',
            index=models.Index(fields=['source', 'stage'], name='allocation_source_stage'),
        ),
        migrations.AlterField(
            model_name='allocation',
            name='source',
            field=models.ForeignKey(db_index=False, error_messages={'blank': 'Every line item must cite a source.', 'null': 'Every line item must cite a source.'}, on_delete=django.db.models.deletion.PROTECT, related_name='allocations', to='sources.source'),
        ),
    ]
