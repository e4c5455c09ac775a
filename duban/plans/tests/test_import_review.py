"""Importing a plan in the browser: upload, review with every guess marked, correct, confirm (plans/views_import.py).

The Qinghe plan (tests/data/qinghe-2024-key-tasks.txt) has six items: 3 and 4 print deadlines without
a year (the plan's year is assumed), 5 prints none (the year end is assumed) and names 区应急管理局,
which is not in the Qinghe unit directory.
"""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from duban.accounts.models import Role
from duban.audit.models import Entry
from duban.conftest import make_user
from duban.plans import imports
from duban.core.models import Region
from duban.plans.models import Measure, Plan, PlanImport, Unit
from duban.plans.tests.factories import QINGHE_PLAN, pending_import
from duban.plans.units import import_unit_directory

pytestmark = pytest.mark.django_db

QINGHE_UNITS = QINGHE_PLAN.parent / "qinghe-units.csv"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def directory(db):
    import_unit_directory(QINGHE_UNITS.read_text(encoding="utf-8"), source=QINGHE_UNITS.name)


def upload(client, content=None, name="青禾区重点任务分工方案.txt", **data):
    content = QINGHE_PLAN.read_bytes() if content is None else content
    return client.post(reverse("plans:import_upload"), {"file": SimpleUploadedFile(name, content), **data})


def stored_files(media_root):
    return sorted(p.name for p in (media_root / "plan-imports").glob("*")) if (media_root / "plan-imports").exists() else []


# Upload and review ----------------------------------------------------------------------------------

def test_upload_shows_the_plan_as_read_and_saves_nothing(client, office, directory, media_root):
    client.force_login(office)
    response = upload(client)
    pending = PlanImport.objects.get()
    assert response.status_code == 302 and response.url == pending.get_absolute_url()
    assert Plan.objects.count() == 0 and Measure.objects.count() == 0
    assert pending.region_id == office.region_id and pending.uploaded_by == office
    assert pending.file_name == "青禾区重点任务分工方案.txt" and len(stored_files(media_root)) == 1
    assert pending.summary["title"] == "青禾区2024年优化营商环境重点任务分工方案"
    assert [item["number"] for item in pending.items] == ["1", "2", "3", "4", "5", "6"]

    page = client.get(pending.get_absolute_url()).content.decode()
    assert page.count("<article class=\"import-item") == 6
    assert "推行企业开办“一日办结”" in page and "区税务局、区人社局" in page
    # Every guess is marked where it is: the deadline cells of 3, 4 and 5, the unknown unit of 5.
    assert page.count("import-item--flagged") == 3
    item5 = page[page.index('id="item-4"'):page.index('id="item-5"')]
    assert "Not in the unit directory: 区应急管理局" in item5
    assert "No deadline printed: the plan&#x27;s year end assumed" in item5
    assert '<div class="is-guess"><dt>Deadline' in item5 and '<div class="is-guess"><dt>Cooperating' in item5
    item1 = page[page.index('id="item-0"'):page.index('id="item-1"')]
    assert "is-guess" not in item1
    assert "qinghe" not in page  # the file is named as uploaded


def test_a_correction_is_kept_and_shown_in_place(client, office, directory):
    client.force_login(office)
    upload(client)
    pending = PlanImport.objects.get()
    url = reverse("plans:import_item", args=[pending.pk, 4])
    form = client.get(url)
    assert form.status_code == 200 and 'list="unit-names"' in form.content.decode()
    # Another spelling of a unit is understood and saved under the directory's name.
    response = client.post(url, {"area_index": 1, "number": "5", "lead": "区司法局",
                                 "cooperating": "区市场监督管理局、区发展和改革委员会", "deadline": "2024-10-31"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    row = response.content.decode()
    assert row.startswith('<article class="import-item') and 'id="item-4"' in row
    assert "区市场监管局、区发改委" in row and "2024-10-31" in row and "is-corrected" in row
    pending.refresh_from_db()
    assert pending.corrections == {"4": {"cooperating": ["区市场监管局", "区发改委"], "deadline": "2024-10-31"}}
    assert Plan.objects.count() == 0


def test_a_plain_form_post_returns_to_the_item(client, office, directory):
    client.force_login(office)
    upload(client)
    pending = PlanImport.objects.get()
    response = client.post(reverse("plans:import_item", args=[pending.pk, 2]), {
        "area_index": 0, "number": "3", "lead": "区住建局", "cooperating": "区自然资源局", "ongoing": "on"})
    assert response.status_code == 302 and response.url.endswith(f"/plans/import/{pending.pk}/#item-2")
    pending.refresh_from_db()
    assert pending.corrections == {"2": {"deadline": None, "ongoing": True}}


def test_a_unit_nobody_knows_is_refused_by_name(client, office, directory):
    client.force_login(office)
    upload(client)
    pending = PlanImport.objects.get()
    url = reverse("plans:import_item", args=[pending.pk, 0])
    data = {"area_index": 0, "number": "1", "lead": "区市场监管局、区外星局", "cooperating": ""}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Not in the unit directory, nor named elsewhere in this plan: 区外星局" in response.content.decode()
    assert client.post(url, data, HTTP_HX_REQUEST="true").status_code == 200  # htmx swaps only 2xx answers
    pending.refresh_from_db()
    assert pending.corrections == {}
    # A unit the plan itself names (a proposal) may be chosen.
    assert client.post(url, data | {"lead": "区应急管理局"}).status_code == 302


# Confirming -----------------------------------------------------------------------------------------

def test_confirm_saves_the_plan_with_the_corrections_and_audits_them(client, office, directory, media_root):
    client.force_login(office)
    upload(client)
    pending = PlanImport.objects.get()
    item = reverse("plans:import_item", args=[pending.pk, 4])
    client.post(item, {"area_index": 0, "number": "5", "lead": "区司法局", "cooperating": "区市场监管局",
                       "deadline": "2024-10-31"})
    client.post(reverse("plans:import_item", args=[pending.pk, 3]), {
        "area_index": 1, "number": "4", "lead": "区市场监管局", "cooperating": "区司法局、区发改委",
        "deadline": "2024-06-30"})
    response = client.post(reverse("plans:import_confirm", args=[pending.pk]))
    plan = Plan.objects.get()
    assert response.status_code == 302 and response.url == plan.get_absolute_url()
    assert plan.measures.count() == 6 and plan.source_file.name
    five = plan.measures.get(number=5)
    assert five.area.name == "提升政务服务效能" and five.deadline == datetime.date(2024, 10, 31)
    assert [u.name for u in five.ordered_cooperating_units()] == ["区市场监管局"]
    four = plan.measures.get(number=4)
    assert [u.name for u in four.ordered_cooperating_units()] == ["区司法局", "区发改委"]
    pending.refresh_from_db()
    assert pending.state == PlanImport.State.IMPORTED and pending.plan == plan
    entries = Entry.objects.filter(model="plans.measure", action=Entry.Action.UPDATE, detail__contains="review")
    assert {(e.object_id, e.username) for e in entries} == {(str(five.pk), "office"), (str(four.pk), "office")}
    entry = entries.get(object_id=str(five.pk))
    assert entry.before == {"area": "优化市场环境", "cooperating": ["区市场监管局", "区应急管理局"],
                            "deadline": "2024-12-31"}
    assert entry.after == {"area": "提升政务服务效能", "cooperating": ["区市场监管局"], "deadline": "2024-10-31"}
    # Closed: neither confirmed twice nor corrected afterwards.
    response = client.post(reverse("plans:import_confirm", args=[pending.pk]), follow=True)
    assert "already confirmed or discarded" in response.content.decode()
    assert Plan.objects.count() == 1 and Measure.objects.count() == 6


def test_confirm_is_all_or_nothing(client, office, directory, monkeypatch):
    from duban.plans import services

    client.force_login(office)
    upload(client)
    pending = PlanImport.objects.get()
    client.post(reverse("plans:import_item", args=[pending.pk, 4]), {
        "area_index": 1, "number": "5", "lead": "区司法局", "cooperating": "", "deadline": "2024-10-31"})
    units_before = Unit.objects.count()

    def fail(**kwargs):
        raise services.PlanImportError("青禾区重点任务分工方案.txt: 第21行：写入失败")

    services.plan_imported.connect(fail, dispatch_uid="test-fail")
    try:
        response = client.post(reverse("plans:import_confirm", args=[pending.pk]), follow=True)
    finally:
        services.plan_imported.disconnect(dispatch_uid="test-fail")
    assert "第21行：写入失败 Nothing was saved." in response.content.decode()
    assert Plan.objects.count() == 0 and Measure.objects.count() == 0 and Unit.objects.count() == units_before
    assert not Entry.objects.filter(detail__contains="review").exists()
    pending.refresh_from_db()
    assert pending.state == PlanImport.State.REVIEW and pending.corrections


def test_discard_removes_the_file(client, office, directory, media_root, django_capture_on_commit_callbacks):
    client.force_login(office)
    upload(client)
    pending = PlanImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("plans:import_discard", args=[pending.pk]))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.state == PlanImport.State.DISCARDED and stored_files(media_root) == []
    assert client.post(reverse("plans:import_confirm", args=[pending.pk])).status_code == 302
    assert Plan.objects.count() == 0


# Bad input ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, content, message", [
    ("方案.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "方案.png is not a plan file Duban reads"),
    ("方案.txt", b"", "The submitted file is empty."),
    ("随笔.txt", "随便写的一段话，不是方案。\n".encode(), "随笔.txt: no plan items and no task-list table"),
    ("方案.docx", b"PK\x03\x04broken zip", "方案.docx is not a plan file Duban reads"),
    ("扫描件.pdf", (Path(__file__).parent / "files" / "scanned.pdf").read_bytes(), "扫描件.pdf: this PDF is a scan"),
    ("方案.pdf", b"%PDF-1.4\n%%EOF\n", "方案.pdf: the PDF cannot be opened"),
])
def test_bad_files_get_a_message_naming_them_and_nothing_is_kept(client, office, media_root, name, content, message):
    client.force_login(office)
    response = upload(client, content, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert PlanImport.objects.count() == 0 and Plan.objects.count() == 0 and stored_files(media_root) == []


def test_a_file_too_large_is_refused_before_it_is_read(client, office, settings, monkeypatch):
    settings.DUBAN_MAX_UPLOAD_SIZE = 1024 * 1024

    def never(*args, **kwargs):
        raise AssertionError("read a file larger than the limit")

    monkeypatch.setattr(imports, "read_plan_file", never)
    client.force_login(office)
    response = upload(client, QINGHE_PLAN.read_bytes() + b" " * (1024 * 1024))
    assert response.status_code == 400
    assert "青禾区重点任务分工方案.txt is larger than 1 MB" in response.content.decode()
    assert PlanImport.objects.count() == 0


def test_a_plan_already_imported_is_offered_as_a_revision(client, office, directory):
    client.force_login(office)
    upload(client)
    client.post(reverse("plans:import_confirm", args=[PlanImport.objects.get().pk]))
    upload(client)
    second = PlanImport.objects.latest("pk")
    assert second.revises == Plan.objects.get()


# Who may ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who, status", [
    ("office", 200), ("admin_user", 200),
    ("scjg_reporter", 403), ("scjg_head", 403), ("tax_reporter", 403), ("leader_user", 403),
])
def test_who_may_import(request, client, who, status, office):
    pending = pending_import(office)
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("plans:import_upload")).status_code == status
    assert client.get(pending.get_absolute_url()).status_code == status
    assert client.get(reverse("plans:import_item", args=[pending.pk, 0])).status_code == status
    confirm = client.post(reverse("plans:import_confirm", args=[pending.pk]))
    assert confirm.status_code == (302 if status == 200 else status)
    assert Plan.objects.exists() == (status == 200)


def test_another_regions_office_sees_nothing_of_it(client, office):
    pending = pending_import(office)
    other = Region.objects.create(code="360104", name="邻区")
    neighbour = make_user("neighbour", Role.OFFICE, region=other)
    client.force_login(neighbour)
    assert client.get(pending.get_absolute_url()).status_code == 404
    assert client.get(reverse("plans:import_item", args=[pending.pk, 0])).status_code == 404
    assert client.post(reverse("plans:import_confirm", args=[pending.pk])).status_code == 404
    assert client.post(reverse("plans:import_discard", args=[pending.pk])).status_code == 404
    assert "青禾区" not in client.get(reverse("plans:import_upload")).content.decode()
    pending.refresh_from_db()
    assert pending.state == PlanImport.State.REVIEW and Plan.objects.count() == 0


def test_signed_out_visitors_are_sent_to_log_in(client, office):
    pending = pending_import(office)
    response = client.get(pending.get_absolute_url())
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_the_plans_page_links_the_upload_for_the_office_only(client, office, scjg_reporter):
    client.force_login(office)
    assert reverse("plans:import_upload") in client.get(reverse("plans:overview")).content.decode()
    client.force_login(scjg_reporter)
    assert reverse("plans:import_upload") not in client.get(reverse("plans:overview")).content.decode()


def test_an_administrator_says_whose_plan_it_is(client, admin_user, office):
    other = Region.objects.create(code="360104", name="邻区")
    neighbour = make_user("neighbour", Role.OFFICE, region=other)
    client.force_login(admin_user)
    assert 'name="region"' in client.get(reverse("plans:import_upload")).content.decode()
    upload(client, region=other.pk)
    pending = PlanImport.objects.get()
    assert pending.region == other and pending.uploaded_by == admin_user
    client.force_login(office)
    assert client.get(pending.get_absolute_url()).status_code == 404
    assert 'name="region"' not in client.get(reverse("plans:import_upload")).content.decode()
    client.force_login(neighbour)
    assert client.get(pending.get_absolute_url()).status_code == 200
    client.post(reverse("plans:import_confirm", args=[pending.pk]))
    assert Plan.objects.get().region == other


@pytest.mark.zh_hans
def test_a_measure_says_in_words_what_was_corrected(client, office, directory):
    client.force_login(office)
    upload(client)
    pending = PlanImport.objects.get()
    client.post(reverse("plans:import_item", args=[pending.pk, 4]), {
        "area_index": 1, "number": "5", "lead": "区司法局", "cooperating": "区市场监管局", "deadline": "2024-10-31"})
    client.post(reverse("plans:import_confirm", args=[pending.pk]))
    measure = Measure.objects.get(number=5)
    page = client.get(measure.get_absolute_url()).content.decode()
    assert "导入方案时已更正" in page
    assert "配合单位：区市场监管局、区应急管理局 → 区市场监管局；完成时限：2024-12-31 → 2024-10-31" in page


def test_every_area_is_shown_with_what_was_read_of_it(client, office, settings):
    """The Xihu plan: its areas with their chief leaders; an area no measure was read for says so."""
    from duban.plans.tests.conftest import SEED

    client.force_login(office)
    upload(client, SEED.read_bytes(), name="西湖区行动方案.txt")
    pending = PlanImport.objects.get()
    page = client.get(pending.get_absolute_url()).content.decode()
    assert page.count('<section class="import-area">') == 24
    assert "1. 开办企业" in page and "Chief leader：胡海" in page
    empty = [facts for name, facts in zip(pending.summary["area_names"], pending.summary["area_facts"])
             if not any(item["area_index"] == pending.summary["area_names"].index(name) for item in pending.items)]
    assert page.count("No measures were read for this area.") == len(empty)


def test_two_clerks_correcting_at_once_lose_nothing(office, directory):
    pending_import(office)
    first, second = PlanImport.objects.get(), PlanImport.objects.get()  # each clerk's copy, read before either saves
    imports.correct(first, 0, {"deadline": "2024-05-31"})
    imports.correct(second, 2, {"lead": ["区自然资源局"]})
    assert PlanImport.objects.get().corrections == {"0": {"deadline": "2024-05-31"}, "2": {"lead": ["区自然资源局"]}}
    imports.confirm(first, office)
    assert Plan.objects.get().measures.get(number=3).ordered_lead_units()[0].name == "区自然资源局"


@pytest.mark.parametrize("name", ["plan.pdf", "plan.docx", "plan.ofd", "source.txt"])
def test_every_format_a_district_publishes_in_can_be_reviewed(client, office, name):
    """One of the corpus plans (tests/corpus/anhui-xinqiao) in each of its formats, uploaded under a name
    of its own: the content decides how it is read."""
    import json

    folder = Path(__file__).parent / "corpus" / "anhui-xinqiao"
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    client.force_login(office)
    response = upload(client, (folder / name).read_bytes(), name=f"新桥方案{Path(name).suffix}")
    assert response.status_code == 302
    pending = PlanImport.objects.get()
    assert pending.file_name == f"新桥方案{Path(name).suffix}"
    assert expected["title"] in pending.summary["title"] and len(pending.items) == expected["measures"]
