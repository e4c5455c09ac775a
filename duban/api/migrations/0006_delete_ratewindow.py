"""API requests are counted by the one rate limiter (core.Throttle, scope "api-token"): its own counters go."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0005_region_in_core'),
    ]

    operations = [
        migrations.DeleteModel(
            name='RateWindow',
        ),
    ]
