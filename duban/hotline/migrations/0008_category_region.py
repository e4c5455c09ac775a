"""Complaint categories belong to a region.

Each existing category goes to the region it is already tied to: its plan area's, else its leader's,
else its usual unit's, else that of most of its complaints, else the first region. A complaint filed
in another region under it gets a category of the same name in its own region; and every region gets
the default categories it lacks (duban.hotline.categories seeds regions created from now on).
"""

import collections

import django.db.models.deletion
from django.db import migrations, models

DEFAULTS = [
    ("企业开办与注销", "登记注册、刻章、开户、注销等"),
    ("工程建设项目审批", "施工许可、规划许可、竣工验收等"),
    ("水电气暖接入", "用电、用水、用气报装与收费"),
    ("纳税服务", "办税缴费、退税、发票"),
    ("政府采购与招标投标", "采购、招标中的门槛、壁垒和不公"),
    ("执法检查", "涉企检查、行政处罚、多头执法"),
    ("新官不理旧账", "政府承诺、合同不兑现，换届后不认账"),
    ("拖欠中小企业账款", "机关、事业单位、国有企业拖欠款项"),
    ("中介服务收费", "指定中介、违规收费、评估评审"),
    ("政务服务", "窗口服务、办事效率、材料和环节"),
    ("融资信贷", "贷款、担保、融资服务"),
    ("其他营商环境问题", ""),
]


def current_region(category, complaints):
    if category.area_id:
        return category.area.plan.region_id
    if category.leader_id:
        return category.leader.region_id
    if category.default_unit_id:
        return category.default_unit.region_id
    regions = collections.Counter(complaints.filter(category=category).values_list("region_id", flat=True))
    return regions.most_common(1)[0][0] if regions else None


def forward(apps, schema_editor):
    Category = apps.get_model("hotline", "Category")
    Complaint = apps.get_model("hotline", "Complaint")
    Region = apps.get_model("core", "Region")
    first = Region.objects.order_by("pk").values_list("pk", flat=True).first()
    for category in Category.objects.select_related("area__plan", "leader", "default_unit"):
        category.region_id = current_region(category, Complaint.objects) or category.region_id or first
        category.save(update_fields=["region"])
    for category in Category.objects.all():
        strays = Complaint.objects.filter(category=category).exclude(region=category.region_id)
        for region_id in set(strays.values_list("region_id", flat=True)):
            own = Category.objects.filter(region_id=region_id, name=category.name).first() or Category.objects.create(
                region_id=region_id, name=category.name, hint=category.hint, position=category.position,
                active=category.active)
            strays.filter(region_id=region_id).update(category=own)
    for region_id in Region.objects.values_list("pk", flat=True):
        have = set(Category.objects.filter(region_id=region_id).values_list("name", flat=True))
        Category.objects.bulk_create(Category(region_id=region_id, name=name, hint=hint, position=position)
                                     for position, (name, hint) in enumerate(DEFAULTS) if name not in have)
    if schema_editor is not None and schema_editor.connection.vendor == "postgresql":
        # The rows changed above leave deferred foreign-key checks pending, and PostgreSQL refuses the
        # ALTER TABLE that follows in this transaction until they are made.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):

    dependencies = [
        ("hotline", "0007_review_ref_per_unit"),
        ("core", "0003_region"),
    ]

    operations = [
        migrations.AddField(
            model_name="category",
            name="region",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                    to="core.region", verbose_name="region"),
        ),
        migrations.AlterField(
            model_name="category",
            name="name",
            field=models.CharField(max_length=100, verbose_name="name"),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="category",
            name="region",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                    to="core.region", verbose_name="region"),
        ),
        migrations.AddConstraint(
            model_name="category",
            constraint=models.UniqueConstraint(fields=("region", "name"), name="hotline_category_name_per_region"),
        ),
    ]
