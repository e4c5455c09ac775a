"""The matrix test's cast and world: every role, and a small plan that puts each in or out of scope.

Users get unusable passwords: hashing a password with Argon2 costs ~0.1 s, and
these tests log in with force_login.

The plan and the cast are made for every test; the objects of the other apps
(reports, complaints, reviews, meetings, API tokens, …) only when a rule asks
for them (World's cached properties), through each app's own services so that
they are in the states and scopes those apps give them:

- 区市场监管局 leads measure 1-1 in 获得信贷 (chief 胡海), 区发改委 cooperates on it;
  区税务局 leads 1-2 in 纳税 (no chief). So for 1-1's report, complaint and metric:
  the 市场监管局 reporter and head are the lead unit, the cooperator's unit
  cooperates, 胡海 leads the area, and the 税务局 reporter is an outsider (404).
- Everything is in the default region; the neighbour office is the office of another region
  (邻区, with a unit of the same name as ours), to which every object here is a 404.
"""

import datetime
from functools import cached_property
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_otp.plugins.otp_totp.models import TOTPDevice

from duban.accounts.models import Role, User
from duban.audit.models import Entry
from duban.core.models import Region
from duban.plans.models import Area, Leader, Measure, MeasureCooperatingUnit, MeasureLeadUnit, Milestone, Plan, Unit
from duban.conftest import HOME

ROLES = ["anonymous", "office", "scjg_reporter", "scjg_head", "tax_reporter", "leader_user", "cooperator", "admin_user",
         "neighbour_office", "cadre"]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% matrix\ntrailer << >>\n%%EOF\n"


def quick_user(username, role, unit=None, leader=None, **extra):
    if "region" not in extra:
        extra["region_id"] = unit.region_id if unit else leader.region_id if leader else HOME
    user = User(username=username, role=role, unit=unit, leader=leader, **extra)
    user.set_unusable_password()
    user.save()
    return user


def pdf(name="佐证.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


class World(SimpleNamespace):
    """The data set of one matrix test; see the module's docstring."""

    # Progress: a round with 1-1's report submitted once and returned (editable, one version to compare).
    @cached_property
    def round(self):
        from duban.progress import services
        from duban.progress.models import ReportingRound

        return services.open_round(self.plan, ReportingRound.Kind.BIMONTHLY, datetime.date(self.plan.year, 10, 1),
                                   opened_by=self.cast["office"], opened_on=datetime.date(self.plan.year, 10, 8))

    @cached_property
    def report(self):
        from duban.progress import services

        report = self.round.reports.get(measure=self.scjg_measure)
        content = {"progress": "in_progress", "percent": 40, "done_text": "已完成系统改造方案。", "next_steps": "年底前上线。"}
        report = services.save_draft(report, self.cast["scjg_reporter"], content, report.version)
        self.evidence = services.add_evidence(report, self.cast["scjg_reporter"], pdf())
        services.submit(report, self.cast["scjg_head"])
        services.return_for_correction(report, self.cast["office"], "请补充上线时间。")
        report.refresh_from_db()
        return report

    @cached_property
    def evidence(self):
        return self.report.evidence.get()

    # Hotline: a complaint in 获得信贷's category, assigned to 区市场监管局 with 区发改委 cooperating.
    @cached_property
    def complaint(self):
        from duban.hotline import flow, uploads
        from duban.hotline.models import Category, Complaint

        category = Category.objects.get(region=self.plan.region_id, name="拖欠中小企业账款")
        category.area, category.default_unit, category.leader = self.credit_area, self.units["scjg"], None
        category.save()
        office = self.cast["office"]
        complaint = flow.receive(category=category, company_name="测试区青云电子科技有限公司", contact_name="王小明",
                                 mobile="13812345678", description="区某单位拖欠货款18万元。",
                                 credit_code="91350100M000100Y43", recorded_by=office)
        flow.contact(complaint, office, note="已电话联系。")
        flow.classify(complaint, office, difficulty=Complaint.Difficulty.GENERAL)
        flow.assign(complaint, office, lead_unit=self.units["scjg"], cooperating_units=[self.units["fgw"]])
        self.attachment = uploads.store(complaint, [pdf("现场照片.pdf")])[0]
        return complaint

    @cached_property
    def attachment(self):
        return self.complaint.attachments.get()

    # A bad review of 区市场监管局: its rectification is open.
    @cached_property
    def review(self):
        from duban.core import clock
        from duban.hotline import reviews
        from duban.hotline.models import Review

        return reviews.record(entered_by=self.cast["office"], unit=self.units["scjg"], matter="食品经营许可",
                              level=Review.Level.DISSATISFIED, comment="等了两小时", reviewed_at=clock.now())

    @cached_property
    def review_import(self):
        from duban.hotline import review_import

        header = "评价编号,评价时间,评价部门,服务窗口,事项名称,评价等级,评价内容,评价人,联系电话,评价渠道"
        row = "HC-MATRIX-1,2026-09-28 10:15:00,区市场监管局,3号窗口,食品经营许可,非常满意,,,,窗口"
        content = f"{header}\n{row}\n".encode("utf-8-sig")
        return review_import.import_file(content, "reviews.csv", self.cast["office"], dry_run=True)

    # Visits: the cadre's visit to a company, its problem routed to 区市场监管局; a policy it delivered,
    # led by 区市场监管局, with its 解读 as a file.
    @cached_property
    def policy(self):
        from duban.core.uploads import save_upload
        from duban.policies.models import Material, Policy

        policy = Policy.objects.create(region_id=HOME, title="小微企业融资贴息办法", level=Policy.Level.DISTRICT, issuer="测试区人民政府",
                                       issued_on=datetime.date(self.plan.year, 3, 1), lead_unit=self.units["scjg"],
                                       topic="融资")
        stored = save_upload(pdf("解读.pdf"), "policies")
        Material.objects.create(policy=policy, kind=Material.Kind.INTERPRETATION, file=stored.name,
                                original_name=stored.original_name, content_type=stored.content_type)
        return policy

    @cached_property
    def material(self):
        return self.policy.materials.get()

    @cached_property
    def visit(self):
        from duban.visits import services
        from duban.visits.models import Company, Problem, VisitAssignment

        company = Company.objects.create(region_id=HOME, name="测试区青云电子科技有限公司")
        VisitAssignment.objects.create(region_id=HOME, year=self.plan.year, cadre=self.cast["cadre"], company=company)
        problem = services.ProblemInput(category=Problem.Category.PERMITS, description="食品经营许可变更等了两周。",
                                        unit=self.units["scjg"])
        return services.record_visit(cadre=self.cast["cadre"], company=company,
                                     visited_on=datetime.date(self.plan.year, 9, 20), people_met="张总（总经理）",
                                     policies=[self.policy], problems=[problem])

    @cached_property
    def problem(self):
        return self.visit.problems.get()

    # Supervision: a meeting on 获得信贷 (胡海 may read it), one on 纳税 (he may not), a circular.
    @cached_property
    def meeting(self):
        return self._meeting("第五次双月调度会", self.credit_area)

    @cached_property
    def tax_meeting(self):
        return self._meeting("纳税专题调度会", self.tax_area)

    def _meeting(self, title, area):
        from duban.supervision.agenda import draft_agenda
        from duban.supervision.models import AgendaItem, DispatchMeeting

        meeting = DispatchMeeting.objects.create(plan=self.plan, title=title, chair=self.leader,
                                                 held_on=datetime.date(self.plan.year, 10, 20),
                                                 created_by=self.cast["office"])
        meeting.areas.set([area])
        draft_agenda(meeting)
        AgendaItem.objects.create(meeting=meeting, position=meeting.agenda.count() + 1, kind=AgendaItem.Kind.OTHER,
                                  title="企业开办全程网办推进情况", drafted=False)
        return meeting

    @cached_property
    def agenda_item(self):
        return self.meeting.agenda.order_by("position").last()

    @cached_property
    def circular(self):
        from duban.supervision.circulars import create_circular

        return create_circular(self.plan, f"{self.plan.year}Q3", user=self.cast["office"])

    # Public page: the plan is published.
    @cached_property
    def publication(self):
        from duban.public.models import Publication

        return Publication.objects.create(plan=self.plan, published=True, intro="测试区营商环境行动进展。")

    # API: a write token for each signed-in member of the cast, acting as that user.
    @cached_property
    def api_keys(self):
        from duban.api.models import ApiToken

        return {
            role: ApiToken.issue(name=f"matrix {role}", user=user, read_only=False, created_by=user)[1]
            for role, user in self.cast.items() if user is not None
        }

    @cached_property
    def api_token(self):
        """A token of the 市场监管局 reporter's: the office may revoke it, and so may she, nobody else."""
        from duban.api.models import ApiToken

        return ApiToken.issue(name="局内系统", user=self.cast["scjg_reporter"], unit=self.units["scjg"],
                              created_by=self.cast["scjg_reporter"])[0]

    def bearer(self, user):
        """Request headers with the API token of `user` (none when signed out)."""
        if user is None:
            return {}
        role = next(role for role, member in self.cast.items() if member == user)
        return {"Authorization": f"Bearer {self.api_keys[role]}"}


@pytest.fixture
def world(db, settings, tmp_path):
    # Evidence and attachments the world stores go to a throwaway folder.
    settings.MEDIA_ROOT = tmp_path / "media"
    units = {
        "scjg": Unit.objects.get_or_create(region_id=HOME, name="区市场监管局")[0],
        "tax": Unit.objects.get_or_create(region_id=HOME, name="区税务局", defaults={"kind": Unit.Kind.BRANCH})[0],
        "office": Unit.objects.get_or_create(region_id=HOME, name="区营商环境服务中心")[0],
        "fgw": Unit.objects.get_or_create(region_id=HOME, name="区发改委")[0],
    }
    hu = Leader.objects.get_or_create(region_id=HOME, name="胡海")[0]
    neighbour = Region.objects.create(code="360104", name="邻区")
    neighbour_unit = Unit.objects.create(region=neighbour, name="区营商环境服务中心")
    plan = Plan.objects.create(region_id=HOME, year=2026, title="测试区2026年营商环境优化升级行动方案", document_number="测办发〔2026〕1号")
    credit = Area.objects.create(plan=plan, kind=Area.Kind.INDICATOR, name="获得信贷", chief=hu, position=1)
    tax_area = Area.objects.create(plan=plan, kind=Area.Kind.INDICATOR, name="纳税", position=2)
    scjg_measure = Measure.objects.create(plan=plan, area=credit, annex=1, number=1, text="推行企业开办全程网办", position=1)
    MeasureLeadUnit.objects.create(measure=scjg_measure, unit=units["scjg"])
    MeasureCooperatingUnit.objects.create(measure=scjg_measure, unit=units["fgw"])
    tax_measure = Measure.objects.create(plan=plan, area=tax_area, annex=1, number=2, text="压缩办税时间", position=2)
    MeasureLeadUnit.objects.create(measure=tax_measure, unit=units["tax"])
    Milestone.objects.create(measure=scjg_measure, date="2026-07-31", text="印发通知")
    cast = {
        "anonymous": None,
        "office": quick_user("office", Role.OFFICE, units["office"]),
        "scjg_reporter": quick_user("scjg_reporter", Role.REPORTER, units["scjg"]),
        "scjg_head": quick_user("scjg_head", Role.UNIT_HEAD, units["scjg"]),
        "tax_reporter": quick_user("tax_reporter", Role.REPORTER, units["tax"]),
        "leader_user": quick_user("leader", Role.LEADER, leader=hu),
        "cooperator": quick_user("cooperator", Role.COOPERATOR, units["fgw"]),
        # A cadre of 区发改委 visiting companies: his own visits and their problems, nothing else.
        "cadre": quick_user("cadre", Role.CADRE, units["fgw"]),
        "admin_user": quick_user("admin", Role.ADMIN, is_staff=True, is_superuser=True),
        # The office of another district on the same site: nothing of this world's region is theirs.
        "neighbour_office": quick_user("neighbour_office", Role.OFFICE, neighbour_unit, region=neighbour),
    }
    # An unconfirmed device: the admin's TOTP pages need one; it asks no token at log-in.
    TOTPDevice.objects.create(user=cast["office"], name="phone", confirmed=False)
    return World(
        units=units, leader=hu, plan=plan, credit_area=credit, tax_area=tax_area,
        scjg_measure=scjg_measure, tax_measure=tax_measure, cast=cast,
        audit_entry=Entry.objects.filter(model="plans.plan", object_id=str(plan.pk)).first(),
        url=None, path=None, kpi=None,
    )
