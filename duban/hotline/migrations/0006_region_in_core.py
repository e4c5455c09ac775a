"""A complaint's region now points at core.Region (the same table, plans_region): state only."""

import django.db.models.deletion
import duban.core.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_region'),
        ('hotline', '0005_complaint_region'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='complaint',
                    name='region',
                    field=models.ForeignKey(default=duban.core.models.default_region, on_delete=django.db.models.deletion.PROTECT, related_name='complaints', to='core.region', verbose_name='region'),
                ),
            ],
            database_operations=[],
        ),
    ]
