"""A webhook endpoint's region now points at core.Region (the same table, plans_region): state only."""

import django.db.models.deletion
import duban.core.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0004_webhook_endpoint_region'),
        ('core', '0003_region'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='webhookendpoint',
                    name='region',
                    field=models.ForeignKey(default=duban.core.models.default_region, on_delete=django.db.models.deletion.CASCADE, related_name='webhook_endpoints', to='core.region', verbose_name='region'),
                ),
            ],
            database_operations=[],
        ),
    ]
