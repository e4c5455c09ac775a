"""Each region's complaint categories: seeded when the region is created, then the office's to edit.

The office links each to a plan area (whose chief hears of supervised cases) and a usual lead unit in
the admin, once the year's plan is imported; a category, its area, leader and unit are one region's.
"""

from django.db.models.signals import post_save

from .models import Category

# (name, hint) as businesses read them; the migration 0002 seeded the first region with the same list.
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


def seed(region_id):
    """The default categories for a region that has none of that name yet; returns how many were made."""
    have = set(Category.objects.filter(region=region_id).values_list("name", flat=True))
    made = [Category(region_id=region_id, name=name, hint=hint, position=position)
            for position, (name, hint) in enumerate(DEFAULTS) if name not in have]
    Category.objects.bulk_create(made)
    return len(made)


def _region_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        seed(instance.pk)


def connect():
    from duban.core.models import Region

    post_save.connect(_region_created, sender=Region, dispatch_uid="hotline-seed-categories")
