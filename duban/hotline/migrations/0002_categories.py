"""The complaint categories businesses choose from: the plan's areas in the words businesses use.

The office links each to a plan area (whose chief hears of supervised cases)
and a usual lead unit in the admin, once the year's plan is imported.
"""

from django.db import migrations

CATEGORIES = [
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


def forward(apps, schema_editor):
    Category = apps.get_model("hotline", "Category")
    for position, (name, hint) in enumerate(CATEGORIES):
        Category.objects.get_or_create(name=name, defaults={"hint": hint, "position": position})


def backward(apps, schema_editor):
    apps.get_model("hotline", "Category").objects.filter(
        name__in=[name for name, _ in CATEGORIES], complaints__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("hotline", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
