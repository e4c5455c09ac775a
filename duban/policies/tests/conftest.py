import datetime

import pytest

from duban.calendar import workdays
from duban.policies.models import Material, Policy, Publication


@pytest.fixture(autouse=True)
def fresh_engine(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    workdays.clear_cache()
    yield
    workdays.clear_cache()


@pytest.fixture
def make_policy(units):
    def make(title, unit="scjg", issued_on=datetime.date(2026, 3, 2), materials=(), reform=True, **fields):
        fields.setdefault("region_id", units[unit].region_id)
        policy = Policy.objects.create(title=title, level=fields.pop("level", Policy.Level.DISTRICT),
                                       issuer="西湖区人民政府", issued_on=issued_on, lead_unit=units[unit],
                                       topic=fields.pop("topic", "融资"), reform=reform, **fields)
        for kind, channels in materials:
            material = Material.objects.create(policy=policy, kind=kind, text=f"{title}{kind}")
            for channel in channels:
                Publication.objects.create(material=material, channel=channel, outlet="西湖区人民政府网",
                                           published_on=issued_on)
        return policy

    return make


ALL_PUBLISHED = [(kind, ["website", "media"]) for kind in ("summary", "interpretation", "flowchart", "guide")]
