"""A complaint's whole flow across roles, through the pages, with deadlines from the published calendar.

Wednesday 2026-09-30 17:45 is after close of business (17:30) on the eve of
National Day (1–7 October 2026, Saturday 10 October worked). So day 1 is
Thursday 8 October: contact is due 8 Oct 17:30; a general problem (5 working
days: 8, 9, Sat 10, 12, 13 Oct) is due Tuesday 13 Oct 17:30; a difficult one
(10: … 14, 15, 16, 19, 20 Oct) Tuesday 20 Oct 17:30.
"""

import pytest

from duban.hotline.models import Complaint, Event, Extension

from .conftest import client_for, step

pytestmark = pytest.mark.django_db


def local(dt):
    from django.utils import timezone

    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M")


def test_eve_of_national_day_deadlines_land_where_the_calendar_says(file_complaint):
    complaint = file_complaint(received_at="2026-09-30T17:45")
    assert local(complaint.contact_due) == "2026-10-08 17:30"
    assert local(complaint.next_due) == "2026-10-08 17:30"
    assert complaint.state == Complaint.State.RECEIVED
    assert len(complaint.tracking_code) == 10


def test_received_before_close_of_business_counts_that_day(file_complaint):
    complaint = file_complaint(received_at="2026-09-30T10:00")
    assert local(complaint.contact_due) == "2026-09-30 17:30"


def test_the_whole_flow_across_roles(file_complaint, office, scjg_reporter, tax_reporter, units, clock_at):
    complaint = file_complaint(received_at="2026-09-30T17:45")
    as_office, as_scjg = client_for(office), client_for(scjg_reporter)

    clock_at("2026-10-08T09:10")
    response = step(as_office, complaint, "contact", note="已电话联系王先生，核实欠款情况")
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.CONTACTED
    assert local(complaint.contacted_at) == "2026-10-08 09:10"

    clock_at("2026-10-08T09:30")
    assert step(as_office, complaint, "classify", difficulty="difficult").status_code == 302
    complaint.refresh_from_db()
    assert local(complaint.reply_due) == "2026-10-20 17:30"
    assert local(complaint.next_due) == "2026-10-20 17:30"

    response = step(as_office, complaint, "assign", lead_unit=units["scjg"].pk, cooperating_units=[units["tax"].pk],
                    note="请市场监管局牵头，税务局配合")
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.ASSIGNED
    assert complaint.lead_unit == units["scjg"]
    assert list(complaint.cooperating_units.all()) == [units["tax"]]
    assert scjg_reporter.notifications.filter(subject__contains=complaint.formatted_code).exists()

    # The cooperating unit sees it and adds a note, but cannot handle it.
    as_tax = client_for(tax_reporter)
    assert as_tax.get(complaint.get_absolute_url()).status_code == 200
    assert step(as_tax, complaint, "comment", note="该企业纳税信用良好").status_code == 302
    assert step(as_tax, complaint, "start").status_code == 404

    clock_at("2026-10-09T08:40")
    assert step(as_scjg, complaint, "start", note="已签收").status_code == 302
    clock_at("2026-10-16T16:00")
    response = step(as_scjg, complaint, "reply", resolution="resolved", text="已协调付款单位于10月15日结清全部欠款。")
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.REPLIED
    assert complaint.replied_on_time is True
    assert complaint.next_due is None

    clock_at("2026-10-19T10:00")
    assert step(as_office, complaint, "callback", satisfied="yes", note="企业表示满意").status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.CLOSED
    assert complaint.satisfied is True
    assert local(complaint.closed_at) == "2026-10-19 10:00"

    # Every step with its time and its actor.
    steps = [(e.kind, e.actor.username if e.actor else None, local(e.at)) for e in complaint.events.all()]
    assert steps == [
        ("received", None, "2026-09-30 17:45"),
        ("contacted", "office", "2026-10-08 09:10"),
        ("classified", "office", "2026-10-08 09:30"),
        ("assigned", "office", "2026-10-08 09:30"),
        ("note", "tax_reporter", "2026-10-08 09:30"),
        ("started", "scjg_reporter", "2026-10-09 08:40"),
        ("replied", "scjg_reporter", "2026-10-16 16:00"),
        ("callback", "office", "2026-10-19 10:00"),
        ("closed", "office", "2026-10-19 10:00"),
    ]


def test_extension_keeps_the_old_deadline_next_to_the_new(file_complaint, office, scjg_reporter, units, clock_at):
    complaint = file_complaint(received_at="2026-09-30T17:45")
    clock_at("2026-10-08T09:00")
    as_office, as_scjg = client_for(office), client_for(scjg_reporter)
    step(as_office, complaint, "contact", note="已联系")
    step(as_office, complaint, "classify", difficulty="general")
    step(as_office, complaint, "assign", lead_unit=units["scjg"].pk)
    step(as_scjg, complaint, "start")

    clock_at("2026-10-12T11:00")
    response = step(as_scjg, complaint, "request-extension", workdays=3, reason="需调取合同原件，涉及外地单位")
    assert response.status_code == 302
    extension = Extension.objects.get()
    assert (local(extension.old_due), local(extension.new_due)) == ("2026-10-13 17:30", "2026-10-16 17:30")
    complaint.refresh_from_db()
    assert local(complaint.next_due) == "2026-10-13 17:30", "nothing moves until the office approves"
    assert step(as_scjg, complaint, "request-extension", workdays=1, reason="again").status_code == 409

    assert step(as_scjg, complaint, "decide-extension", decision="approve").status_code == 403
    assert step(as_office, complaint, "decide-extension", decision="approve", note="同意").status_code == 302
    complaint.refresh_from_db()
    assert local(complaint.reply_due) == "2026-10-13 17:30", "the original deadline is never replaced"
    assert local(complaint.next_due) == "2026-10-16 17:30"
    page = as_office.get(complaint.get_absolute_url()).content.decode()
    assert "2026-10-13 17:30 → 2026-10-16 17:30" in page

    clock_at("2026-10-15T15:00")
    step(as_scjg, complaint, "reply", resolution="resolved", text="已解决")
    complaint.refresh_from_db()
    assert complaint.replied_on_time is True, "on time against the approved extension"


def test_refused_extension_needs_a_reason_and_changes_nothing(file_complaint, office, scjg_reporter, units, clock_at):
    complaint = file_complaint()
    clock_at("2026-10-08T09:00")
    as_office, as_scjg = client_for(office), client_for(scjg_reporter)
    for name, data in [("contact", {"note": "ok"}), ("classify", {"difficulty": "general"}),
                       ("assign", {"lead_unit": units["scjg"].pk})]:
        step(as_office, complaint, name, **data)
    step(as_scjg, complaint, "request-extension", workdays=5, reason="人手不足")
    response = step(as_office, complaint, "decide-extension", decision="refuse")
    assert response.status_code == 400
    assert "Say why the extension is refused." in response.content.decode()
    assert step(as_office, complaint, "decide-extension", decision="refuse", note="理由不充分").status_code == 302
    complaint.refresh_from_db()
    assert Extension.objects.get().state == Extension.State.REFUSED
    assert local(complaint.next_due) == "2026-10-13 17:30"


def test_transfer_and_return_to_the_office(file_complaint, office, scjg_reporter, tax_reporter, units, clock_at):
    complaint = file_complaint()
    clock_at("2026-10-08T09:00")
    as_office = client_for(office)
    step(as_office, complaint, "contact", note="ok")
    step(as_office, complaint, "classify", difficulty="general")
    step(as_office, complaint, "assign", lead_unit=units["scjg"].pk)

    # The unit says it is not theirs: back to the office, with the reason.
    as_scjg = client_for(scjg_reporter)
    assert step(as_scjg, complaint, "return", reason="").status_code == 400
    assert step(as_scjg, complaint, "return", reason="属税收事项，非本局职责").status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.RETURNED and complaint.lead_unit is None
    assert office.notifications.filter(subject__contains="returned").exists()
    assert as_scjg.get(complaint.get_absolute_url()).status_code == 404, "no longer theirs"

    step(as_office, complaint, "assign", lead_unit=units["tax"].pk)
    complaint.refresh_from_db()
    assert complaint.lead_unit == units["tax"]

    # The office transfers it on; the reply clock keeps counting from receipt.
    assert step(as_office, complaint, "transfer", to_unit=units["tax"].pk, reason="x").status_code == 400
    response = step(as_office, complaint, "transfer", to_unit=units["scjg"].pk, reason="经核实由市场监管局办理")
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.lead_unit == units["scjg"] and complaint.state == Complaint.State.ASSIGNED
    assert local(complaint.next_due) == "2026-10-13 17:30"
    transfer = complaint.events.get(kind=Event.Kind.TRANSFERRED)
    assert transfer.data == {"from": "区税务局"} and transfer.unit == units["scjg"]
    assert client_for(tax_reporter).get(complaint.get_absolute_url()).status_code == 404


def test_unsatisfied_callback_reopens_with_a_new_reply_clock(file_complaint, office, scjg_reporter, units, clock_at):
    complaint = file_complaint()
    clock_at("2026-10-08T09:00")
    as_office, as_scjg = client_for(office), client_for(scjg_reporter)
    step(as_office, complaint, "contact", note="ok")
    step(as_office, complaint, "classify", difficulty="general")
    step(as_office, complaint, "assign", lead_unit=units["scjg"].pk)
    step(as_scjg, complaint, "start")
    step(as_scjg, complaint, "reply", resolution="answered", text="已督促付款")

    clock_at("2026-10-14T10:00")
    assert step(as_office, complaint, "callback", satisfied="no", then="reopen", note="款项仍未到账").status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.IN_PROGRESS and complaint.reopen_count == 1
    # Five working days from the reopening: 14, 15, 16, 19, 20 October.
    assert local(complaint.next_due) == "2026-10-20 17:30"
    assert complaint.replied_on_time is True, "the first reply stays what on-time is measured by"
    assert scjg_reporter.notifications.filter(subject__contains="reopened").exists()

    clock_at("2026-10-16T10:00")
    step(as_scjg, complaint, "reply", resolution="resolved", text="款项已到账")
    response = step(as_office, complaint, "callback", satisfied="no", then="close")
    assert response.status_code == 400, "closing an unsatisfied complaint needs a reason"
    assert step(as_office, complaint, "callback", satisfied="no", then="close", note="企业诉求超出法定范围").status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.CLOSED and complaint.satisfied is False


def test_illegal_steps_are_refused_clearly_and_change_nothing(file_complaint, office, scjg_reporter, units, clock_at):
    complaint = file_complaint()
    clock_at("2026-10-08T09:00")
    as_office = client_for(office)
    response = step(as_office, complaint, "assign", lead_unit=units["scjg"].pk)
    assert response.status_code == 409
    assert "is not possible at this stage" in response.content.decode()
    response = step(as_office, complaint, "reply", resolution="resolved", text="x")
    assert response.status_code == 404, "replying is the lead unit's step; the office's unit does not hold it"
    assert step(as_office, complaint, "no-such-step").status_code == 404
    assert as_office.get(f"/hotline/{complaint.pk}/step/contact/").status_code == 405
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.RECEIVED and complaint.events.count() == 1

    from duban.hotline import flow
    from duban.hotline.models import IllegalTransition

    with pytest.raises(IllegalTransition, match="“Reply” is not possible while the complaint is received"):
        flow.reply(complaint, scjg_reporter, text="x", resolution="resolved")


def test_contact_time_cannot_be_in_the_future_or_before_receipt(file_complaint, office, clock_at):
    complaint = file_complaint(received_at="2026-10-08T09:00")
    clock_at("2026-10-08T10:00")
    as_office = client_for(office)
    response = step(as_office, complaint, "contact", note="ok", contacted_at="2026-10-08T08:00")
    assert response.status_code == 400 and "before the complaint was received" in response.content.decode()
    response = step(as_office, complaint, "contact", note="ok", contacted_at="2026-10-09T08:00")
    assert response.status_code == 400 and "in the future" in response.content.decode()
    assert step(as_office, complaint, "contact", note="ok", contacted_at="2026-10-08T09:20").status_code == 302


def test_office_records_a_phone_in(office, category, clock_at):
    clock_at("2026-10-09T16:00")
    client = client_for(office)
    assert client.get("/hotline/new/").status_code == 200
    response = client.post("/hotline/new/", {
        "company_name": "南昌某建筑公司", "credit_code": "", "contact_name": "李四", "mobile": "139 1234 5678",
        "category": category.pk, "description": "施工许可迟迟不批", "channel": "phone",
        "received_at": "2026-10-09T15:40", "external_ref": "",
    })
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.mobile == "13912345678" and complaint.channel == "phone"
    assert local(complaint.contact_due) == "2026-10-09 17:30"
    assert complaint.events.get().actor == office


def test_who_may_open_what(file_complaint, units, office, scjg_reporter, scjg_head, tax_reporter, leader_user,
                           clock_at):
    complaint = file_complaint()
    complaint.lead_unit = units["scjg"]
    complaint.state = Complaint.State.ASSIGNED
    complaint.save()
    url = complaint.get_absolute_url()
    assert client_for(office).get(url).status_code == 200
    assert client_for(scjg_reporter).get(url).status_code == 200
    assert client_for(scjg_head).get(url).status_code == 200
    assert client_for(leader_user).get(url).status_code == 200, "胡海 leads the category's area"
    assert client_for(tax_reporter).get(url).status_code == 404, "outside the unit's scope: 404"
    assert client_for(tax_reporter).get("/hotline/").status_code == 200
    assert complaint.formatted_code not in client_for(tax_reporter).get("/hotline/").content.decode()
    assert client_for(scjg_reporter).get("/hotline/new/").status_code == 403
    assert client_for(scjg_reporter).get("/hotline/").status_code == 200
