"""Plans' region fields point at core.Region, and plans.Region leaves the state (its table, plans_region,
now belongs to core.Region): state only, nothing in the database changes."""

import django.db.models.deletion
import duban.core.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_region_in_core'),
        ('api', '0005_region_in_core'),
        ('core', '0003_region'),
        ('hotline', '0006_region_in_core'),
        ('plans', '0003_regions'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='leader',
                    name='region',
                    field=models.ForeignKey(default=duban.core.models.default_region, on_delete=django.db.models.deletion.PROTECT, related_name='leaders', to='core.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='unit',
                    name='region',
                    field=models.ForeignKey(default=duban.core.models.default_region, on_delete=django.db.models.deletion.PROTECT, related_name='units', to='core.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='unitalias',
                    name='region',
                    field=models.ForeignKey(default=duban.core.models.default_region, editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.region'),
                ),
                migrations.AlterField(
                    model_name='plan',
                    name='region',
                    field=models.ForeignKey(default=duban.core.models.default_region, on_delete=django.db.models.deletion.PROTECT, related_name='plans', to='core.region', verbose_name='region'),
                ),
                migrations.DeleteModel(
                    name='Region',
                ),
            ],
            database_operations=[],
        ),
    ]
