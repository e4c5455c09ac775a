import secrets

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core import clock
from duban.plans.models import Unit
from duban.policies.models import Policy

from .models import Company, Problem


class VisitForm(forms.Form):
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    company = forms.ModelChoiceField(Company.objects.none(), label=gettext_lazy("Company"))
    visited_on = forms.DateField(label=gettext_lazy("Visited on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    people_met = forms.CharField(label=gettext_lazy("People met"), max_length=200,
                                 help_text=gettext_lazy("Names and posts, such as 张总（总经理）."))
    policies = forms.ModelMultipleChoiceField(Policy.objects.none(), label=gettext_lazy("Policies delivered"),
                                              required=False, widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        companies = Company.objects.visible_to(user)
        if not user.is_office:
            companies = companies.filter(assignments__cadre=user).distinct()
        self.fields["company"].queryset = companies.order_by("name")
        self.fields["policies"].queryset = Policy.objects.visible_to(user).order_by("level", "-issued_on")
        self.fields["policies"].label_from_instance = lambda p: f"{p.title}（{p.get_level_display()}）"
        if not self.is_bound:
            self.initial.setdefault("form_token", secrets.token_urlsafe(24))
            self.initial.setdefault("visited_on", clock.today())

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day > clock.today():
            raise forms.ValidationError(_("A visit cannot be recorded before it happens."))
        return day


class ProblemForm(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=[("", "—")] + Problem.Category.choices)
    description = forms.CharField(label=gettext_lazy("Problem or suggestion"), max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    unit = forms.ModelChoiceField(Unit.objects.none(), label=gettext_lazy("Unit concerned"))
    solved_on_spot = forms.BooleanField(label=gettext_lazy("Solved on the spot"), required=False)
    difficulty = forms.ChoiceField(label=gettext_lazy("Difficulty"), choices=Problem.Difficulty.choices,
                                   initial=Problem.Difficulty.GENERAL)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).filter(confirmed=True).order_by("kind", "name")


class BaseProblemFormSet(forms.BaseFormSet):
    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"user": self.user}

    @property
    def empty_form(self):
        return self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), empty_permitted=True,
                         use_required_attribute=False, user=self.user, renderer=self.renderer)


ProblemFormSet = forms.formset_factory(ProblemForm, formset=BaseProblemFormSet, extra=1, max_num=10,
                                       validate_max=True)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=gettext_lazy("Answer to the company"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 4}))


class TellForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("How and when the company was told, and how it took it"),
                           max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class PlanImportForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2199)
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"),
                           help_text=gettext_lazy("Columns: 干部账号, 企业名称, 统一社会信用代码, 所属街道, 企业类型, "
                                                  "走访时限 (the first two required). At most 2 MB, 5,000 rows."))
    dry_run = forms.BooleanField(label=gettext_lazy("Only check, do not import"), required=False)
