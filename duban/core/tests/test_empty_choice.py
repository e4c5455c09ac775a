"""Dropdowns say 请选择 where nothing is chosen yet, never "---------" (duban/core/apps.py)."""

import pytest
from django import forms

from duban.accounts.models import User
from duban.plans.models import Unit

pytestmark = pytest.mark.zh_hans


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["unit", "leader"]


def test_model_choice_fields_and_blank_choices(db):
    html = str(UserForm())
    assert "---------" not in html
    assert ">请选择</option>" in html
    assert str(forms.ModelChoiceField(Unit.objects.all()).empty_label) == "请选择"


def test_a_form_that_names_its_empty_choice_keeps_it(db):
    assert forms.ModelChoiceField(Unit.objects.all(), empty_label="全部单位").empty_label == "全部单位"


def test_the_pages_forms(client, office, db):
    client.force_login(office)
    html = client.get("/supervision/meetings/new/").content.decode()
    assert "---------" not in html
