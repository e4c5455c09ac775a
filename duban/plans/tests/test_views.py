"""Who may see the plan ledger's pages, and what the plan, area and measure pages show."""

import pytest
from django.urls import reverse

from duban.plans.tests import factories

CAST = ["office", "scjg_reporter", "tax_reporter", "leader_user", "admin_user"]


@pytest.fixture(autouse=True)
def english(settings):
    """Assert on the English msgids, whatever the zh-Hans catalogue says."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def ledger(db):
    return factories.small_plan()


def page_urls(m):
    return [
        reverse("plans:overview"),
        reverse("plans:plan_detail", args=[m.plan.pk]),
        reverse("plans:area_detail", args=[m.startup.pk]),
        reverse("plans:area_detail", args=[m.costs.pk]),
        reverse("plans:area_detail", args=[m.governance.pk]),
        reverse("plans:measure_list"),
        reverse("plans:measure_detail", args=[m.a2_2.pk]),
        reverse("plans:unit_list"),
        reverse("plans:unit_detail", args=[m.scjg.pk]),
    ]


def test_anonymous_is_sent_to_log_in_from_every_page(client, ledger):
    for url in page_urls(ledger):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("who", CAST)
def test_every_role_reads_every_page(client, ledger, request, who):
    client.force_login(request.getfixturevalue(who))
    for url in page_urls(ledger):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("name", ["plan_detail", "area_detail", "measure_detail", "unit_detail"])
def test_missing_id_is_404(client, office, name):
    client.force_login(office)
    assert client.get(reverse(f"plans:{name}", args=[999999])).status_code == 404


def test_overview_lists_plans_with_counts(client, office, ledger):
    client.force_login(office)
    response = client.get(reverse("plans:overview"))
    assert ledger.plan.title in response.text
    assert response.context["plans"][0].measure_count == 6
    assert response.context["plans"][0].area_count == 5


def test_overview_without_plans(client, office):
    client.force_login(office)
    assert "No plan has been imported yet." in client.get(reverse("plans:overview")).text


def test_plan_page_shows_document_counts_and_areas_in_kind_order(client, office, ledger):
    client.force_login(office)
    response = client.get(ledger.plan.get_absolute_url())
    text = response.text
    for expected in [ledger.plan.document_number, 'datetime="2023-08-07"', "中共测试区委办公室", "附件3：2023年全省营商环境评价测试区监测事项责任分解表"]:
        assert expected in text
    assert response.context["counts"] == {"areas": 5, "tasks": 2, "measures": 6, "units": 9}
    groups = response.context["groups"]
    assert [label for label, _ in groups] == [
        "provincially evaluated indicator", "special action", "special governance", "street highlight",
    ]
    indicators = groups[0][1]
    assert [(a.number, a.name, a.chief.name, a.measure_count) for a in indicators] == [
        (1, "开办企业", "胡海", 2), (5, "纳税", "胡海", 1),
    ]
    assert text.index("开办企业") < text.index("降低企业成本专项行动") < text.index("四大专项治理")
    assert "区市场监管局" in text


def test_area_page_shows_its_fields_tasks_and_measures(client, office, ledger):
    client.force_login(office)
    text = client.get(ledger.startup.get_absolute_url()).text
    for expected in ["胡海", "区市场监管局", "区政数局", "区税务局", "各街道", "广州越秀区、杭州西湖区", "全省第一方阵",
                     "企业开办全程网办", "保持全省营商环境评价优先水平。", "指标长：胡海；牵头单位：区市场监管局",
                     "plan.txt line 36", "推进歇业备案制度", "2023-06-30", "2-1", "2-2"]:
        assert expected in text, expected


def test_area_page_groups_measures_under_tasks(client, office, ledger):
    client.force_login(office)
    response = client.get(ledger.costs.get_absolute_url())
    text = response.text
    assert "区发改委" in text  # responsible unit
    labels = [text.index(f">{label}</a>") for label in ["1-1", "1-2", "1-3"]]
    assert text.index(ledger.task1.text) < labels[0] < labels[1] < text.index(ledger.task2.text) < labels[2]
    assert "inferred" in text
    assert list(response.context["loose_measures"]) == []


def test_area_page_lists_campaigns_with_lead_units(client, office, ledger):
    client.force_login(office)
    text = client.get(ledger.governance.get_absolute_url()).text
    assert "“新官不理旧账”专项治理" in text
    assert "招标投标领域专项治理" in text
    assert "区住建局" in text and "区财政局" in text


def test_measure_page_shows_every_field(client, office, ledger):
    client.force_login(office)
    response = client.get(ledger.a2_2.get_absolute_url())
    text = response.text
    assert [u.name for u in response.context["lead_units"]] == ["区市场监管局", "区政数局"]
    assert [u.name for u in response.context["cooperating_units"]] == ["区税务局", "区人民法院"]
    for expected in ["2-2", "优化破产企业变更流程，推动破产重整企业登记便利化。", "开办企业", "各街道",
                     "2023年10月30日", "Annex 2, line 229", "plan.txt", "与附件1第50条相关", "创新试点项目、对标城市"]:
        assert expected in text, expected
    assert text.index("区市场监管局</a>") < text.index("区政数局</a>")


def test_measure_page_shows_task_milestones_and_completion(client, office, ledger):
    client.force_login(office)
    text = client.get(ledger.a1_2.get_absolute_url()).text
    assert ledger.task1.text in text
    assert text.index("7月31日前，印发实施方案") < text.index("8月31日前") < text.index("11月30日前，全面推行")
    text = client.get(ledger.a1_3.get_absolute_url()).text
    assert "inferred" in text
    assert 'datetime="2023-09-01"' in text  # completed on


def test_measure_page_flags_a_year_only_deadline(client, office, ledger):
    client.force_login(office)
    text = client.get(ledger.a2_3.get_absolute_url()).text
    assert "year only" in text
    assert 'datetime="2023-12-31"' in text
    assert "printed: 2023年" in text


def test_measure_page_says_import_flags_in_words(client, office, ledger):
    ledger.a2_1.notes = {"lead_units_from_row_above": True, "deadline_missing": True}
    ledger.a2_1.save()
    client.force_login(office)
    text = client.get(ledger.a2_1.get_absolute_url()).text
    assert "Lead units taken from the row above (merged cell)" in text
    assert "No deadline printed" in text
    assert "lead_units_from_row_above" not in text


def test_plan_page_shows_the_overall_responsible_unit(client, office, ledger):
    client.force_login(office)
    response = client.get(ledger.plan.get_absolute_url())
    assert "overall" in response.text
    assert [a.responsible_unit.name for a in response.context["groups"][1][1]] == ["区发改委"]


def test_ongoing_measure_says_so_instead_of_a_deadline(client, office, ledger):
    ongoing = factories.measure(ledger.startup, "长期坚持优化服务", lead=[ledger.scjg], annex=2, number=9, ongoing=True)
    client.force_login(office)
    assert "continuing work, no deadline" in client.get(ongoing.get_absolute_url()).text
    assert ">ongoing<" in client.get(ledger.startup.get_absolute_url()).text.replace("\n", "")


def test_area_page_shows_annex_spellings(client, office, ledger):
    ledger.costs.annex_names = ["降低企业成本专项行动"]
    ledger.costs.save()
    client.force_login(office)
    assert "降低企业成本专项行动" in client.get(ledger.costs.get_absolute_url()).text


@pytest.mark.parametrize("page", ["plan", "area", "unit_list", "unit"])
def test_pages_do_not_query_per_row(client, office, ledger, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = {
        "plan": ledger.plan.get_absolute_url(), "area": ledger.costs.get_absolute_url(),
        "unit_list": reverse("plans:unit_list"), "unit": ledger.scjg.get_absolute_url(),
    }[page]
    client.force_login(office)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = queries()
    for i in range(5):
        area = factories.area(ledger.plan, f"新增事项{i}", chief=f"领导{i}", lead=[f"新单位{i}", ledger.scjg],
                              cooperating=[ledger.tax])
        t = factories.task(ledger.costs, f"新增任务{i}", number=10 + i)
        factories.measure(ledger.costs, f"新增举措{i}", lead=[f"新单位{i}", ledger.scjg], cooperating=[ledger.tax],
                          task=t, annex=1, number=20 + i)
        factories.unit(f"新单位{i}", aliases=[f"新单位{i}别名"])
        factories.campaign(area, f"新增专项治理{i}", lead=[ledger.scjg])
    assert queries() == before
