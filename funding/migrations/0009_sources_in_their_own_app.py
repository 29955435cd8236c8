# The line items' and reported figures' sources now point at sources.Source, whose table is unchanged;
# the content types (and so every permission and role that names them) move with the model.

import django.db.models.deletion
from django.db import migrations, models


def move_content_types(old_app, new_app):
    def move(apps, schema_editor):
        content_type = apps.get_model("contenttypes", "ContentType")
        for model in ("source", "historicalsource"):
            # On a new database the content types are created after the migrations: nothing to move.
            content_type.objects.filter(app_label=old_app, model=model).update(app_label=new_app)

    return move


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('funding', '0008_allocation_is_a_line_item'),
        ('programs', '0003_sources_in_their_own_app'),
        ('sources', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalreportedfigure',
                    name='source',
                    field=models.ForeignKey(blank=True, db_constraint=False, error_messages={'null': 'Every reported figure must cite a source.'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sources.source'),
                ),
                migrations.AlterField(
                    model_name='historicalallocation',
                    name='source',
                    field=models.ForeignKey(blank=True, db_constraint=False, error_messages={'blank': 'Every line item must cite a source.', 'null': 'Every line item must cite a source.'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sources.source'),
                ),
                migrations.AlterField(
                    model_name='allocation',
                    name='source',
                    field=models.ForeignKey(error_messages={'blank': 'Every line item must cite a source.', 'null': 'Every line item must cite a source.'}, on_delete=django.db.models.deletion.PROTECT, related_name='allocations', to='sources.source'),
                ),
                migrations.AlterField(
                    model_name='reportedfigure',
                    name='source',
                    field=models.ForeignKey(error_messages={'null': 'Every reported figure must cite a source.'}, on_delete=django.db.models.deletion.PROTECT, related_name='reported_figures', to='sources.source'),
                ),
                migrations.AlterField(
                    model_name='reportedfigure',
                    name='also_cited_in',
                    field=models.ManyToManyField(blank=True, help_text='Other sources stating the same figure.', related_name='also_reported_figures', to='sources.source'),
                ),
                migrations.DeleteModel(
                    name='HistoricalSource',
                ),
                migrations.DeleteModel(
                    name='Source',
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types("funding", "sources"), move_content_types("sources", "funding")),
    ]
