from django.db import migrations, models


def first_version(apps, schema_editor):
    apps.get_model("core", "DataVersion").objects.create(id=1, number=1)


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.BigIntegerField(default=0)),
                ("changed_at", models.DateTimeField(null=True)),
            ],
            options={"verbose_name": "data version"},
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
    ]
