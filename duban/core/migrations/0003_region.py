"""Region moves from `plans` to `core` (the ground floor) in Django's state only: the table keeps its name,
plans_region, and its rows; plans 0004 deletes the old model from the state once every foreign key points here."""

import django.db.models.deletion
import duban.core.models
from django.db import migrations, models


def rename_content_type(apps, schema_editor):
    """Permissions granted on regions (and anything keyed by the content type) follow the model."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="core", model="region").exists():
        ContentType.objects.filter(app_label="plans", model="region").update(app_label="core")


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="plans", model="region").exists():
        ContentType.objects.filter(app_label="core", model="region").update(app_label="plans")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0002_robot_channel_region'),
        ('plans', '0003_regions'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Region',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(help_text='A short stable code, e.g. the administrative division code 360103.', max_length=20, unique=True, verbose_name='code')),
                        ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                    ],
                    options={
                        'verbose_name': 'region',
                        'verbose_name_plural': 'regions',
                        'db_table': 'plans_region',
                        'ordering': ['name'],
                    },
                ),
                migrations.AlterField(
                    model_name='robotchannel',
                    name='region',
                    field=models.ForeignKey(default=duban.core.models.default_region, on_delete=django.db.models.deletion.CASCADE, related_name='robot_channels', to='core.region', verbose_name='region'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_type, restore_content_type),
    ]
