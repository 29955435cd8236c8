
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Release',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(editable=False, unique=True)),
                ('name', models.CharField(editable=False, help_text='Such as 2026-12-01.1.', max_length=20, unique=True)),
                ('published_at', models.DateTimeField(editable=False)),
                ('note', models.TextField(help_text='What this release brings: the reports it adds, the corrections.')),
                ('sha256', models.CharField(editable=False, max_length=64, verbose_name='SHA-256 of the bundle')),
                ('bundle', models.BinaryField()),
                ('published_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-number'],
                'get_latest_by': 'number',
            },
        ),
    ]
