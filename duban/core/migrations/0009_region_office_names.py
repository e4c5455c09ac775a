
from django.db import migrations, models

XIHU_OFFICE = "西湖区营商环境优化升级工作领导小组办公室"
XIHU_SHORT = "西湖区营商办"


def name_xihu_office(apps, schema_editor):
    """Until now every circular and minutes carried Xihu's office: a region that is Xihu (by its name, or the
    default region running a 西湖区 plan, as the demo's does) keeps those names; every other region is left
    empty and gets the names derived from its own (青山县 → 青山县营商办)."""
    Region = apps.get_model("core", "Region")
    connection = schema_editor.connection
    xihu = set(Region.objects.filter(name__contains="西湖区").values_list("pk", flat=True))
    # Read plans' table directly: core sits below plans and its migrations do not depend on theirs (on a new
    # database the table is not there yet, and there is no plan to look at).
    if "plans_plan" in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT region_id FROM plans_plan WHERE title LIKE %s", ["%西湖区%"])
            xihu.update(row[0] for row in cursor.fetchall())
    Region.objects.filter(pk__in=xihu, office_name="", office_short="").update(
        office_name=XIHU_OFFICE, office_short=XIHU_SHORT)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0008_region_required'),
    ]

    operations = [
        migrations.AddField(
            model_name='region',
            name='office_name',
            field=models.CharField(blank=True, help_text="As the red header of its circulars prints it, e.g. 西湖区营商环境优化升级工作领导小组办公室. Empty: the region's name followed by 营商环境优化升级工作领导小组办公室.", max_length=100, verbose_name="office's full name"),
        ),
        migrations.AddField(
            model_name='region',
            name='office_short',
            field=models.CharField(blank=True, help_text="As buttons, minutes and texts name it, e.g. 西湖区营商办. Empty: the region's name followed by 营商办.", max_length=40, verbose_name="office's short name"),
        ),
        migrations.RunPython(name_xihu_office, migrations.RunPython.noop),
    ]
