"""Forms: the public complaint form, the office's phone-in form, and one small form per step.

A step form knows which permission it needs, whether it applies to its
subject now, and which function in flow.py or reviews.py it calls; the
detail pages show the step forms that apply and one view handles them all.
"""

import datetime
import secrets

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.core import clock
from duban.core.models import Region
from duban.plans.choice import narrow_choices
from duban.plans.models import Unit

from . import clocks, flow, reviews, uploads
from .credit_code import normalize as normalize_credit_code
from .credit_code import validate_credit_code
from .models import Category, Complaint, Extension, Rectification, Review, mobile_validator

TOKEN_SALT = "duban.hotline.intake"
TOKEN_MAX_AGE = 24 * 3600


def normalize_mobile(value):
    """13812345678 from what people type: spaces, dashes, a +86 or 86 prefix."""
    digits = "".join(c for c in str(value or "") if c.isdigit())
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits


class MobileField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(validators=[mobile_validator], **kwargs)
        self.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel", "placeholder": "1xx xxxx xxxx"})

    def to_python(self, value):
        return normalize_mobile(super().to_python(value))


class CreditCodeField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=30, validators=[validate_credit_code], **kwargs)
        self.widget.attrs.update({"autocapitalize": "characters", "spellcheck": "false", "placeholder": "91360100MA35XXXXXX"})

    def to_python(self, value):
        return normalize_credit_code(super().to_python(value))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input; checked by content and size in uploads.check_all."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}))
        super().__init__(required=False, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        uploads.check_all(files)
        return files


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def past_moment(value, *, not_before=None, label=""):
    """A time that has happened: not in the future, and not before `not_before`."""
    if value is None:
        return None
    if value > clock.now() + datetime.timedelta(minutes=1):
        raise ValidationError(_("This time is in the future."))
    if not_before is not None and value < not_before:
        raise ValidationError(_("This time is before %(label)s.") % {"label": label})
    return value


class ComplaintForm(forms.ModelForm):
    """What a business tells us; shared by the public form and the office's phone-in form."""

    credit_code = CreditCodeField(label=_("Unified social credit code"))
    mobile = MobileField(label=_("Mobile number"))
    category = forms.ModelChoiceField(
        Category.objects.filter(active=True), label=_("What is it about?"), empty_label=_("Choose a category")
    )
    attachments = AttachmentsField(
        label=_("Attachments"),
        help_text=_("PDF, JPG, PNG, DOCX or XLSX; up to 5 files of at most 10 MB each."),
    )

    class Meta:
        model = Complaint
        fields = ["company_name", "credit_code", "contact_name", "mobile", "category", "description"]
        labels = {
            "company_name": _("Company name"), "contact_name": _("Contact person"), "description": _("What happened?"),
        }
        help_texts = {"description": _("Who, when, where, what you asked for and what you were told. Up to 5,000 characters.")}
        widgets = {"description": forms.Textarea(attrs={"rows": 8, "maxlength": 5000})}

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The categories of the region that receives the complaint, and no other.
        self.region = region
        self.fields["category"].queryset = Category.objects.filter(active=True, region=getattr(region, "pk", region))

    def receive_kwargs(self):
        data = self.cleaned_data
        return {field: data[field] for field in self.Meta.fields}


class PublicComplaintForm(ComplaintForm):
    """The public page: no log-in, one submission per form token."""

    token = forms.CharField(widget=forms.HiddenInput)
    # Which district's office receives it: the public page's ?region= (none: a one-region site's only region).
    region = forms.ModelChoiceField(Region.objects.all(), to_field_name="code", required=False,
                                    widget=forms.HiddenInput)
    consent = forms.BooleanField(
        label=_("I agree that the office and the units handling this complaint use my name and mobile number "
                "to contact me about it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, region=None, **kwargs)
        if not self.is_bound:
            self.initial["token"] = signing.dumps(secrets.token_urlsafe(24), salt=TOKEN_SALT)
        code = (self.data.get("region") if self.is_bound else self.initial.get("region")) or ""
        self.region = Region.objects.filter(code=code).first() if code else self._sole_region()
        self.fields["category"].queryset = Category.objects.filter(active=True, region=self.region)

    @staticmethod
    def _sole_region():
        try:
            return Region.objects.sole()
        except LookupError:
            return None  # several districts: the page must say which (clean() tells the business)

    def clean(self):
        data = super().clean()
        if self.region is None:
            raise ValidationError(_("This form does not say which district's office receives it; open it from your "
                                    "district's page."))
        return data

    def receive_kwargs(self):
        return {**super().receive_kwargs(), "region": self.region}

    def clean_token(self):
        try:
            return signing.loads(self.cleaned_data["token"], salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        except signing.BadSignature:
            raise ValidationError(_("This form has expired. Please check your entries and send it again.")) from None

    def _post_clean(self):
        super()._post_clean()
        # A refused form gets a fresh token, so that sending it again is a new attempt.
        if self.errors and "token" in self.errors:
            self.data = self.data.copy()
            self.data["token"] = signing.dumps(secrets.token_urlsafe(24), salt=TOKEN_SALT)


class RecordComplaintForm(ComplaintForm):
    """The office records a complaint that came by phone, in person or from the 12345 platform."""

    channel = forms.ChoiceField(
        label=_("Came by"), choices=[c for c in Complaint.Channel.choices if c[0] != Complaint.Channel.WEB],
    )
    received_at = forms.DateTimeField(
        label=_("Received at"), required=False, widget=DateTimeLocalInput(),
        help_text=_("When the call or visit took place; empty: now. The contact deadline counts from it."),
    )
    external_ref = forms.CharField(label=_("12345 work-order number"), required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["credit_code"].required = False
        self.fields["category"].label = _("Category")
        self.fields["description"].label = _("Description")

    def clean_received_at(self):
        value = past_moment(self.cleaned_data.get("received_at"))
        if value and value < clock.now() - datetime.timedelta(days=30):
            raise ValidationError(_("Complaints older than 30 days cannot be recorded here."))
        return value

    def receive_kwargs(self):
        data = self.cleaned_data
        return {**super().receive_kwargs(), "channel": data["channel"], "received_at": data["received_at"],
                "external_ref": data["external_ref"]}


class StatusLookupForm(forms.Form):
    tracking_code = forms.CharField(label=_("Tracking code"), max_length=20,
                                    widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false",
                                                                  "placeholder": "ABCDE-FGHJK"}))
    mobile = MobileField(label=_("Mobile number given with the complaint"))


# --- steps -----------------------------------------------------------------


class StepForm(forms.Form):
    """One step on a complaint or review: who may take it, when it applies, what it does."""

    name = ""  # in the URL
    label = ""
    permission = ""
    transition = ""  # key of the subject's TRANSITIONS
    button_class = "button"

    def __init__(self, *args, subject, actor, **kwargs):
        self.subject, self.actor = subject, actor
        super().__init__(*args, prefix=self.name, **kwargs)
        narrow_choices(self, actor)

    def applies(self):
        return self.subject.state in self.subject.TRANSITIONS[self.transition][0]

    def apply(self):
        raise TypeError(f"{type(self).__name__} must say what its step does (apply)")  # each step form overrides it


class ComplaintStep(StepForm):
    @property
    def complaint(self):
        return self.subject


class ContactForm(ComplaintStep):
    name, label, permission, transition = "contact", _("Record phone contact"), "hotline.dispatch_complaint", "contact"
    button_class = "button button--primary"
    contacted_at = forms.DateTimeField(label=_("Called at"), required=False, widget=DateTimeLocalInput(),
                                       help_text=_("Empty: now."))
    note = forms.CharField(label=_("What was said"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean_contacted_at(self):
        return past_moment(self.cleaned_data.get("contacted_at"), not_before=self.complaint.received_at,
                           label=_("the complaint was received"))

    def apply(self):
        return flow.contact(self.complaint, self.actor, note=self.cleaned_data["note"],
                            at=self.cleaned_data["contacted_at"])


class ClassifyForm(ComplaintStep):
    name, label, permission, transition = "classify", _("Classify"), "hotline.dispatch_complaint", "classify"
    button_class = "button button--primary"
    difficulty = forms.ChoiceField(label=_("Difficulty"), choices=Complaint.Difficulty.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False)

    def apply(self):
        return flow.classify(self.complaint, self.actor, **self.cleaned_data)


class UnitField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(Unit.objects.order_by("name"), **kwargs)


class AssignForm(ComplaintStep):
    name, label, permission, transition = "assign", _("Assign"), "hotline.dispatch_complaint", "assign"
    button_class = "button button--primary"
    lead_unit = UnitField(label=_("Lead unit"))
    cooperating_units = forms.ModelMultipleChoiceField(
        Unit.objects.order_by("name"), label=_("Cooperating units"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    note = forms.CharField(label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.complaint.category.default_unit_id:
            self.initial["lead_unit"] = self.complaint.category.default_unit_id

    def apply(self):
        return flow.assign(self.complaint, self.actor, **self.cleaned_data)


class TransferForm(ComplaintStep):
    name, label, permission, transition = "transfer", _("Transfer"), "hotline.dispatch_complaint", "transfer"
    to_unit = UnitField(label=_("New lead unit"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean_to_unit(self):
        unit = self.cleaned_data["to_unit"]
        if unit.pk == self.complaint.lead_unit_id:
            raise ValidationError(_("The complaint is already with this unit."))
        return unit

    def apply(self):
        return flow.transfer(self.complaint, self.actor, **self.cleaned_data)


class StartForm(ComplaintStep):
    name, label, permission, transition = "start", _("Accept and start work"), "hotline.handle_complaint", "start"
    button_class = "button button--primary"
    note = forms.CharField(label=_("Note"), required=False)

    def apply(self):
        return flow.start(self.complaint, self.actor, **self.cleaned_data)


class ReturnForm(ComplaintStep):
    name, label, permission, transition = "return", _("Return to the office"), "hotline.handle_complaint", "return"
    reason = forms.CharField(label=_("Why it is not for this unit"), widget=forms.Textarea(attrs={"rows": 2}))

    def apply(self):
        return flow.return_to_office(self.complaint, self.actor, **self.cleaned_data)


class ExtensionRequestForm(ComplaintStep):
    name, label, permission = "request-extension", _("Request an extension"), "hotline.handle_complaint"
    transition = "request_extension"
    workdays = forms.IntegerField(label=_("Extra working days"), min_value=1, max_value=clocks.MAX_EXTENSION_WORKDAYS)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def applies(self):
        return super().applies() and not self.complaint.extensions.filter(state=Extension.State.PENDING).exists()

    def apply(self):
        return flow.request_extension(self.complaint, self.actor, **self.cleaned_data)


class ExtensionDecisionForm(ComplaintStep):
    name, label, permission = "decide-extension", _("Decide on the extension"), "hotline.dispatch_complaint"
    transition = "decide_extension"
    button_class = "button button--primary"
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extension = self.complaint.extensions.filter(state=Extension.State.PENDING).first()

    def applies(self):
        return super().applies() and self.extension is not None

    def clean(self):
        if self.extension is None:
            raise ValidationError(_("There is no extension request to decide."))
        if self.cleaned_data.get("decision") == "refuse" and not self.cleaned_data.get("note"):
            self.add_error("note", _("Say why the extension is refused."))
        return self.cleaned_data

    def apply(self):
        return flow.decide_extension(self.extension, self.actor, approve=self.cleaned_data["decision"] == "approve",
                                     note=self.cleaned_data["note"])


class ReplyForm(ComplaintStep):
    name, label, permission, transition = "reply", _("Reply to the business"), "hotline.handle_complaint", "reply"
    button_class = "button button--primary"
    resolution = forms.ChoiceField(label=_("Outcome"), choices=Complaint.Resolution.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("The business sees this text on the status page."))

    def apply(self):
        return flow.reply(self.complaint, self.actor, **self.cleaned_data)


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class CallbackForm(ComplaintStep):
    name, label, permission, transition = "callback", _("Record the callback"), "hotline.dispatch_complaint", "callback"
    button_class = "button button--primary"
    satisfied = forms.ChoiceField(label=_("Is the business satisfied?"), choices=YES_NO, widget=forms.RadioSelect)
    then = forms.ChoiceField(
        label=_("If not"), required=False, widget=forms.RadioSelect,
        choices=[("reopen", _("Reopen: back to the unit")), ("close", _("Close anyway (explain why)"))],
        initial="reopen",
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = self.cleaned_data
        if data.get("satisfied") == "no" and data.get("then") == "close" and not data.get("note"):
            self.add_error("note", _("Say why the complaint is closed although the business is not satisfied."))
        return data

    def apply(self):
        data = self.cleaned_data
        satisfied = data["satisfied"] == "yes"
        return flow.callback(self.complaint, self.actor, satisfied=satisfied, note=data["note"],
                             reopen=not satisfied and data.get("then") != "close")


class CommentForm(ComplaintStep):
    name, label, permission, transition = "comment", _("Add a note"), "hotline.comment_complaint", "comment"
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))

    def apply(self):
        return flow.comment(self.complaint, self.actor, **self.cleaned_data)


COMPLAINT_STEPS = [
    ContactForm, ClassifyForm, AssignForm, StartForm, ReplyForm, ExtensionDecisionForm, CallbackForm,
    ExtensionRequestForm, TransferForm, ReturnForm, CommentForm,
]


# --- reviews ---------------------------------------------------------------


class ReviewForm(forms.ModelForm):
    reviewer_mobile = MobileField(label=_("Reviewer's mobile"), required=False)
    reviewed_at = forms.DateTimeField(label=_("Reviewed at"), widget=DateTimeLocalInput())
    unit = UnitField(label=_("Unit"))

    class Meta:
        model = Review
        fields = ["unit", "window", "matter", "level", "comment", "reviewer_name", "reviewer_mobile", "channel",
                  "reviewed_at", "external_ref"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3}), "level": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["reviewed_at"] = timezone.localtime(clock.now()).strftime("%Y-%m-%dT%H:%M")

    def clean_reviewed_at(self):
        return past_moment(self.cleaned_data["reviewed_at"])


class ReviewStep(StepForm):
    """A step on a review's rectification or appeal; the subject is the Review."""

    @property
    def review(self):
        return self.subject

    @property
    def rectification(self):
        return getattr(self.review, "rectification", None)

    def applies(self):
        rectification = self.rectification
        return rectification is not None and rectification.state in Rectification.TRANSITIONS[self.transition][0]


class SubmitRectificationForm(ReviewStep):
    name, label, permission, transition = "submit", _("Report the rectification"), "hotline.review_rectify", "submit"
    button_class = "button button--primary"
    action_taken = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))

    def apply(self):
        return reviews.submit(self.rectification, self.actor, **self.cleaned_data)


class CheckRectificationForm(ReviewStep):
    name, label, permission, transition = "check", _("Check the rectification"), "hotline.review_manage", "accept"
    button_class = "button button--primary"
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("accept", _("Accept")), ("send_back", _("Send back to the unit"))])
    note = forms.CharField(label=_("Note"), required=False)

    def clean(self):
        if self.cleaned_data.get("decision") == "send_back" and not self.cleaned_data.get("note"):
            self.add_error("note", _("Say what is still missing."))
        return self.cleaned_data

    def apply(self):
        act = reviews.accept if self.cleaned_data["decision"] == "accept" else reviews.send_back
        return act(self.rectification, self.actor, note=self.cleaned_data["note"])


class RectificationCallbackForm(ReviewStep):
    name, label, permission, transition = "callback", _("Record the callback"), "hotline.review_manage", "callback"
    satisfied = forms.ChoiceField(label=_("Is the reviewer satisfied now?"), choices=YES_NO, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False)

    def apply(self):
        return reviews.callback(self.rectification, self.actor, satisfied=self.cleaned_data["satisfied"] == "yes",
                                note=self.cleaned_data["note"])


class AppealForm(ReviewStep):
    name, label, permission, transition = "appeal", _("Appeal against this rating"), "hotline.review_rectify", "withdraw"
    reason = forms.CharField(label=_("Why the rating is mistaken or malicious"), widget=forms.Textarea(attrs={"rows": 2}))

    def applies(self):
        return super().applies() and not hasattr(self.review, "appeal")

    def apply(self):
        return reviews.file_appeal(self.review, self.actor, **self.cleaned_data)


class AppealDecisionForm(ReviewStep):
    name, label, permission, transition = "decide-appeal", _("Decide on the appeal"), "hotline.review_manage", "callback"
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        ("uphold", _("Uphold: set the rating aside")), ("reject", _("Reject: the rating stands"))])
    note = forms.CharField(label=_("Reason"))

    def applies(self):
        appeal = getattr(self.review, "appeal", None)
        return appeal is not None and appeal.state == appeal.State.PENDING

    def apply(self):
        return reviews.decide_appeal(self.review.appeal, self.actor, uphold=self.cleaned_data["decision"] == "uphold",
                                     note=self.cleaned_data["note"])


REVIEW_STEPS = [SubmitRectificationForm, CheckRectificationForm, RectificationCallbackForm, AppealDecisionForm, AppealForm]


class ReviewImportForm(forms.Form):
    file = forms.FileField(label=_("Export file (.xlsx or .csv)"))
