"""A user's region now points at core.Region (the same table, plans_region): state only."""

import django.db.models.deletion
import duban.core.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_user_region'),
        ('core', '0003_region'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='user',
                    name='region',
                    field=models.ForeignKey(default=duban.core.models.default_region, help_text='The region whose plans, units and complaints this person works on.', on_delete=django.db.models.deletion.PROTECT, related_name='users', to='core.region', verbose_name='region'),
                ),
            ],
            database_operations=[],
        ),
    ]
