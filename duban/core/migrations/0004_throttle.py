"""The rate limiter's counters move from `hotline` to `core` (one limiter for the hotline and the API) in
Django's state only: the table keeps its name, hotline_throttle, and its rows; hotline 0010 drops the old
model from the state."""

from django.db import migrations, models


def rename_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="core", model="throttle").exists():
        ContentType.objects.filter(app_label="hotline", model="throttle").update(app_label="core")


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="hotline", model="throttle").exists():
        ContentType.objects.filter(app_label="core", model="throttle").update(app_label="hotline")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0003_region'),
        ('hotline', '0006_region_in_core'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Throttle',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('scope', models.CharField(max_length=30)),
                        ('key', models.CharField(max_length=100)),
                        ('window_start', models.DateTimeField()),
                        ('count', models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        'db_table': 'hotline_throttle',
                        'constraints': [models.UniqueConstraint(fields=('scope', 'key', 'window_start'), name='hotline_throttle_once')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_type, restore_content_type),
    ]
