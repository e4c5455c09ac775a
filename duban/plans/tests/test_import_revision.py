"""A revised plan (修订版) over the live one: what is added, removed and changed is shown before saving,
and the progress reported on the measures that stay is kept (duban/plans/revision.py)."""

import datetime

import pytest
from django.urls import reverse

from duban.plans import imports, revision
from duban.plans.models import Plan, PlanImport
from duban.plans.tests.factories import QINGHE_PLAN, pending_import
from duban.progress import services as progress
from duban.progress.models import ProgressReport, ReportingRound

pytestmark = pytest.mark.django_db

REVISED = QINGHE_PLAN.parent / "qinghe-2024-key-tasks-revised.txt"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def live_plan(office):
    imports.confirm(pending_import(office), office)
    return Plan.objects.get()


@pytest.fixture
def reported(live_plan, office, scjg_reporter):
    """A round with a drafted report on every measure."""
    round_ = progress.open_round(live_plan, ReportingRound.Kind.BIMONTHLY, datetime.date(2024, 4, 1),
                                 opened_by=office, opened_on=datetime.date(2024, 4, 1))
    for report in round_.reports.all():
        progress.save_draft(report, scjg_reporter, {"done_text": f"已推进第{report.measure.number}项。"}, report.version)
    return round_


def test_the_review_shows_what_the_revision_adds_removes_and_changes(client, office, live_plan):
    pending = pending_import(office, REVISED)
    assert pending.revises == live_plan
    found = imports.revision_of(pending)
    assert found.counts == {"added": 1, "removed": 1, "changed": 2, "unchanged": 3}
    assert {(c.measure.number, tuple(c.fields)) for c in found.changed} == {(1, ("deadline",)), (3, ("text",))}
    assert [m.number for m in found.removed] == [6] and [pending.items[i]["number"] for i in found.added] == ["6"]
    client.force_login(office)
    page = client.get(pending.get_absolute_url()).content.decode()
    assert "A revision of 青禾区2024年优化营商环境重点任务分工方案" in page
    assert "Confirming adds 1 measures, changes 2, removes 1 and leaves 3 as they are." in page
    assert "开展民营企业服务月活动" in page[page.index("import-revision__removed"):]
    assert page.count("import-item--changed") == 2 and page.count("import-item--added") == 1


def test_confirming_a_revision_keeps_the_rows_and_the_progress_of_what_stays(client, office, live_plan, reported):
    before = {m.number: m.pk for m in live_plan.measures.all()}
    pending = pending_import(office, REVISED)
    client.force_login(office)
    response = client.post(reverse("plans:import_confirm", args=[pending.pk]), follow=True)
    assert "1 measures added, 2 changed, 1 removed, 3 unchanged" in response.content.decode()
    plan = Plan.objects.get()
    assert plan.pk == live_plan.pk and plan.title.endswith("（修订版）")
    after = {m.number: m.pk for m in plan.measures.all()}
    assert [after[n] for n in range(1, 6)] == [before[n] for n in range(1, 6)]
    assert after[6] != before[6]
    assert plan.measures.get(number=1).deadline == datetime.date(2024, 5, 31)
    assert "10个工作日" in plan.measures.get(number=3).text
    kept = ProgressReport.objects.filter(round=reported)
    assert sorted(kept.values_list("measure__number", flat=True)) == [1, 2, 3, 4, 5]
    assert kept.get(measure__number=2).done_text == "已推进第2项。"
    assert kept.get(measure__number=3).done_text == "已推进第3项。"  # reworded, still the same measure
    pending.refresh_from_db()
    assert pending.state == PlanImport.State.IMPORTED and pending.plan == plan


def test_the_matching_rule(office, live_plan):
    items = [dict(item) for item in pending_import(office).items]
    items[0]["text"] = "，".join(items[0]["text"].split("。"))  # punctuation only: the same text
    items[1]["area"] = "另一领域"  # same text elsewhere: still the same measure (rule 1)
    items[2]["text"] = items[2]["text"][:-3] + "以内完成"  # reworded, same number and area (rule 2)
    items[3]["number"], items[3]["text"] = "9", items[3]["text"] + "做好做实"  # renumbered, alike (rule 3)
    items[4]["area"], items[4]["text"] = "另一领域", items[4]["text"] + "做好"  # reworded in another area: new
    matched, removed = revision.match(live_plan, items)
    numbers = {index: measure.number for index, measure in matched.items()}
    assert numbers == {0: 1, 1: 2, 2: 3, 3: 4, 5: 6}
    assert [m.number for m in removed] == [5]


def test_the_office_says_which_plan_a_renamed_revision_revises(client, office, live_plan, reported):
    text = REVISED.read_text(encoding="utf-8").replace("青府办发〔2024〕12号", "青府办发〔2024〕30号")
    pending = pending_import(office, REVISED, name="修订版.txt", data=text.encode())
    assert pending.revises is None  # another number and title: nothing says which plan it revises
    client.force_login(office)
    page = client.get(pending.get_absolute_url()).content.decode()
    assert f'<option value="{live_plan.pk}">a revision of 青禾区2024年优化营商环境重点任务分工方案' in page
    response = client.post(reverse("plans:import_revises", args=[pending.pk]), {"revises": live_plan.pk})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.revises == live_plan
    assert "Confirming adds 1 measures, changes 2" in client.get(pending.get_absolute_url()).content.decode()
    client.post(reverse("plans:import_confirm", args=[pending.pk]))
    plan = Plan.objects.get()
    assert plan.document_number == "青府办发〔2024〕30号"
    assert ProgressReport.objects.filter(round=reported).count() == 5


def test_a_new_plan_that_is_already_imported_is_not_saved_twice(client, office, live_plan):
    pending = pending_import(office, QINGHE_PLAN)
    client.force_login(office)
    client.post(reverse("plans:import_revises", args=[pending.pk]), {"revises": ""})
    response = client.post(reverse("plans:import_confirm", args=[pending.pk]), follow=True)
    assert "is already imported; choose “a revision of” it above" in response.content.decode()
    assert Plan.objects.count() == 1


def test_another_regions_plan_cannot_be_revised(client, office, live_plan):
    from duban.core.models import Region
    from duban.plans.tests.factories import plan as make_plan

    other = make_plan(region=Region.objects.create(code="360104", name="邻区"))
    pending = pending_import(office, REVISED)
    client.force_login(office)
    response = client.post(reverse("plans:import_revises", args=[pending.pk]), {"revises": other.pk}, follow=True)
    assert "No such plan in your region." in response.content.decode()
    pending.refresh_from_db()
    assert pending.revises == live_plan


def test_the_seed_over_itself_changes_nothing(office):
    from duban.plans.tests.conftest import SEED, SEED_MEASURES

    imports.confirm(pending_import(office, SEED), office)
    plan = Plan.objects.get()
    before = sorted(plan.measures.values_list("pk", "area_id", "task_id", "number", "text", "deadline"))
    pending = pending_import(office, SEED)
    assert pending.revises == plan
    assert imports.revision_of(pending).counts == {"added": 0, "removed": 0, "changed": 0, "unchanged": SEED_MEASURES}
    summary = imports.confirm(pending, office)
    assert summary["revision"] == {"added": 0, "removed": 0, "changed": 0, "unchanged": SEED_MEASURES}
    assert sorted(plan.measures.values_list("pk", "area_id", "task_id", "number", "text", "deadline")) == before


def test_a_run_together_name_the_directory_knows_is_compared_whole(office, live_plan):
    from duban.plans.units import UnitResolver

    items = [dict(item) for item in pending_import(office).items]
    items[0] |= {"lead": ["区市场", "监管局"], "units_split": {"区市场监管局": ["区市场", "监管局"]}}
    assert revision.compare(live_plan, items, UnitResolver(live_plan.region_id).find).counts["changed"] == 0
    items[0]["units_split"] = {}
    assert [c.fields for c in revision.compare(live_plan, items, UnitResolver(live_plan.region_id).find).changed] == [["lead"]]


def test_the_command_revises_as_the_page_does(office, live_plan, reported):
    """`duban import-plan --revise` goes through the same matching and keeps the same progress as the page."""
    from io import StringIO

    from django.core.management import CommandError, call_command

    before = {m.number: m.pk for m in live_plan.measures.all()}
    out = StringIO()
    call_command("import_plan", str(REVISED), "--revise", "--dry-run", stdout=out)
    assert "Revision (would be written): 1 measures added, 1 removed, 2 changed, 3 unchanged." in out.getvalue()
    assert {m.number: m.pk for m in live_plan.measures.all()} == before, "a dry run changes nothing"
    call_command("import_plan", str(REVISED), "--revise", stdout=out)
    assert "Revision written: 1 measures added, 1 removed, 2 changed, 3 unchanged" in out.getvalue()
    assert Plan.objects.get().pk == live_plan.pk
    kept = ProgressReport.objects.filter(round=reported, measure__number=2).get()
    assert kept.measure_id == before[2] and "已推进第2项" in kept.done_text
    with pytest.raises(CommandError, match="exclude each other"):
        call_command("import_plan", str(REVISED), "--revise", "--replace")
