"""Every national schedule that chinesecalendar knows (2004 to 2026 in version 1.11.0)."""

from django.db import migrations

from duban.calendar.seed import seed


def forward(apps, schema_editor):
    seed(apps.get_model("calendar", "Notice"), apps.get_model("calendar", "Holiday"), region="CN")


def backward(apps, schema_editor):
    apps.get_model("calendar", "Notice").objects.filter(region="CN", source__startswith="chinesecalendar").delete()


class Migration(migrations.Migration):
    dependencies = [("calendar", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
