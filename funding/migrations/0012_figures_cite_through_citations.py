# Reported figures keep their quotes and grades in their citations only (0011 moved them there), and
# accounts name their agencies as organizations.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("funding", "0011_citations_corrections_and_line_item_facts"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='fundingaccount',
            name='administered_by',
        ),
        migrations.RemoveField(
            model_name='historicalreportedfigure',
            name='grade',
        ),
        migrations.RemoveField(
            model_name='historicalreportedfigure',
            name='quote',
        ),
        migrations.RemoveField(
            model_name='reportedfigure',
            name='also_cited_in',
        ),
        migrations.RemoveField(
            model_name='reportedfigure',
            name='grade',
        ),
        migrations.RemoveField(
            model_name='reportedfigure',
            name='quote',
        ),
    ]
