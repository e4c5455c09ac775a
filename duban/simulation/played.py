"""The writer that plays every step through the domain's own services, as the pages do.

Each step loads its object afresh, as a page request would, and calls the
same function the view calls: the rules, the stored deadlines, the events,
the notifications and the audit trail all happen as they would for people.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from duban.calendar.sla import is_open
from duban.core.tick import run_jobs
from duban.hotline import flow, reviews
from duban.hotline.models import Appeal, Complaint, Extension, Rectification, Review
from duban.kpi import services as kpi
from duban.kpi.models import Proposal
from duban.progress import services as progress
from duban.progress.models import ProgressReport, ReportingRound
from duban.supervision import services as supervision
from duban.supervision.agenda import draft_agenda
from duban.supervision.circulars import create_circular
from duban.supervision.models import DispatchMeeting
from duban.todo import digest


class PlayedWriter:
    # ------------------------------------------------------------- progress

    def open_round(self, plan, period, opened_on, user):
        round_ = progress.open_round(plan, ReportingRound.Kind.BIMONTHLY, period, opened_by=user,
                                     opened_on=opened_on)
        return list(round_.reports.select_related("round", "measure").order_by("pk"))

    def _report(self, report):
        return ProgressReport.objects.select_related("round", "measure").get(pk=report.pk)

    def save_draft(self, report, user, content):
        report = self._report(report)
        progress.save_draft(report, user, content, report.version)

    def add_evidence(self, report, user, name, data):
        progress.add_evidence(self._report(report), user, SimpleUploadedFile(name, data, "application/pdf"))

    def contribute(self, report, user, text):
        progress.save_contribution(self._report(report), user, text)

    def request_approval(self, report, user):
        progress.request_approval(self._report(report), user)

    def submit(self, report, user):
        progress.submit(self._report(report), user)

    def accept(self, report, user, comment):
        progress.accept(self._report(report), user, comment)

    def return_for_correction(self, report, user, comment):
        progress.return_for_correction(self._report(report), user, comment)

    # ----------------------------------------------------------- complaints

    def _complaint(self, complaint):
        return Complaint.objects.select_related("category", "lead_unit").get(pk=complaint.pk)

    def receive(self, **fields):
        return flow.receive(**fields)

    def contact(self, complaint, user, note):
        flow.contact(self._complaint(complaint), user, note=note)

    def classify(self, complaint, user, difficulty):
        flow.classify(self._complaint(complaint), user, difficulty=difficulty)

    def assign(self, complaint, user, unit, cooperating):
        flow.assign(self._complaint(complaint), user, lead_unit=unit, cooperating_units=cooperating)

    def return_to_office(self, complaint, user, reason):
        flow.return_to_office(self._complaint(complaint), user, reason=reason)

    def start(self, complaint, user):
        flow.start(self._complaint(complaint), user)

    def transfer(self, complaint, user, unit, reason):
        flow.transfer(self._complaint(complaint), user, to_unit=unit, reason=reason)

    def request_extension(self, complaint, user, workdays, reason):
        return flow.request_extension(self._complaint(complaint), user, workdays=workdays, reason=reason)

    def decide_extension(self, extension, user, approve, note):
        flow.decide_extension(Extension.objects.select_related("complaint").get(pk=extension.pk), user,
                              approve=approve, note=note)

    def reply(self, complaint, user, text, resolution):
        flow.reply(self._complaint(complaint), user, text=text, resolution=resolution)

    def callback(self, complaint, user, satisfied, note, reopen=None):
        flow.callback(self._complaint(complaint), user, satisfied=satisfied, note=note, reopen=reopen)

    def tick(self, moment, reminders):
        run_jobs(now=moment, only=["hotline-escalations"] + (["progress-reminders"] if reminders else []))
        if timezone.localtime(moment).hour < 12 and is_open(moment):
            # The morning's daily digest (duban/todo/digest.py) as a site running every day would have sent
            # it: its events digested, so that the first real `duban tick` tells only those since.
            digest.passed(moment)

    # -------------------------------------------------------------- reviews

    def review(self, **fields):
        return reviews.record(**fields)

    def _rectification(self, review):
        return Rectification.objects.select_related("review", "unit").get(review=review.pk)

    def appeal(self, review, user, reason):
        return reviews.file_appeal(Review.objects.get(pk=review.pk), user, reason=reason)

    def decide_appeal(self, appeal, user, uphold, note):
        reviews.decide_appeal(Appeal.objects.select_related("review").get(pk=appeal.pk), user, uphold=uphold,
                              note=note)

    def rectify(self, review, user, action_taken):
        reviews.submit(self._rectification(review), user, action_taken=action_taken)

    def send_back(self, review, user, note):
        reviews.send_back(self._rectification(review), user, note=note)

    def accept_rectification(self, review, user):
        reviews.accept(self._rectification(review), user)

    def rectification_callback(self, review, user, satisfied, note):
        reviews.callback(self._rectification(review), user, satisfied=satisfied, note=note)

    # ---------------------------------------------------------- supervision

    def meeting(self, plan, title, held_on, chair, attendees, user, areas=()):
        # What the "new meeting" page does: the meeting, its scope, then the drafted agenda.
        meeting = DispatchMeeting.objects.create(plan=plan, title=title, held_on=held_on, chair=chair,
                                                 attendees=attendees, created_by=user)
        meeting.areas.set(areas)
        draft_agenda(meeting, today=held_on)
        return meeting, list(meeting.agenda.select_related("area__responsible_unit", "unit", "measure"))

    def decide(self, item, decision, actions):
        supervision.record_decision(item, decision, actions)

    def circular(self, plan, quarter, user, document_number, issued):
        create_circular(plan, quarter, user=user, document_number=document_number, today=issued)

    # ------------------------------------------------------------------ kpi

    def confirm_metric(self, proposal, metric, user):
        return kpi.confirm_proposal(proposal, metric, user)

    def discard_proposal(self, proposal, user):
        kpi.decide(proposal, Proposal.Status.DISCARDED, user)

    def report_value(self, metric, user, period, value, note):
        kpi.report_value(metric, user, period, value, note)

    def flush(self):
        """Nothing is held back: every step is already in the database."""
