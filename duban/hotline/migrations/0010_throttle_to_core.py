"""The rate limiter's counters now belong to core.Throttle (core 0004), on the same table: state only."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_throttle'),
        ('hotline', '0009_personal_data_reason_and_retention'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Throttle')],
            database_operations=[],
        ),
    ]
