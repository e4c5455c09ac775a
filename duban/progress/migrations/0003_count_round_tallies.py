"""Count the tallies of the reports already there (duban.progress.services keeps them current from now on)."""

from django.db import migrations
from django.db.models import Count, F, Q

COUNTERS = ("draft", "returned", "on_time", "late", "accepted")


def count(apps, schema_editor):
    # The historical models: what services.count_tallies does, as of this migration.
    ProgressReport = apps.get_model("progress", "ProgressReport")
    RoundTally = apps.get_model("progress", "RoundTally")
    sent = ["submitted", "accepted"]
    aggregates = {
        "draft": Count("pk", filter=Q(status="draft")),
        "returned": Count("pk", filter=Q(status="returned")),
        "on_time": Count("pk", filter=Q(status__in=sent, first_submitted_on__lte=F("round__due_on"))),
        "late": Count("pk", filter=Q(status__in=sent, first_submitted_on__gt=F("round__due_on"))),
        "accepted": Count("pk", filter=Q(status="accepted")),
    }
    reports = ProgressReport.objects.order_by()
    rows = [
        RoundTally(round_id=row["round_id"], area_id=row["measure__area_id"], unit_id=row["measure__lead_links__unit"],
                   **{name: row[name] for name in COUNTERS})
        for row in reports.filter(measure__lead_links__isnull=False)
        .values("round_id", "measure__area_id", "measure__lead_links__unit").annotate(**aggregates)
    ]
    rows += [
        RoundTally(round_id=row["round_id"], area_id=row["measure__area_id"], unit_id=None,
                   **{name: row[name] for name in COUNTERS})
        for row in reports.values("round_id", "measure__area_id").annotate(**aggregates)
    ]
    RoundTally.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [("progress", "0002_round_tally")]

    operations = [migrations.RunPython(count, migrations.RunPython.noop)]
