"""QuickSelect draws exactly what Django's Select draws."""

import pytest
from django import forms
from django.test.html import parse_html

from duban.core.widgets import QuickSelect
from duban.conftest import HOME

CHOICES = [("", "---------"), (1, "区市场监管局"), (2, "<b>区税务局</b> & 分局"), ("3", "区政数局")]


def both(name, value, attrs=None, choices=CHOICES, multiple=False):
    django_widget = (forms.SelectMultiple if multiple else forms.Select)(choices=choices)
    quick = QuickSelect(choices=choices)
    quick.allow_multiple_selected = multiple
    return (parse_html(quick.render(name, value, attrs)), parse_html(django_widget.render(name, value, attrs)))


@pytest.mark.parametrize("value", [None, "", 1, "1", 2, "3", 99])
def test_the_same_options_and_the_same_choice(value):
    quick, django = both("item7-owner_unit", value, {"id": "id_item7-owner_unit"})
    assert quick == django


def test_attributes_as_django_writes_them():
    attrs = {"id": "id_x", "required": True, "disabled": False, "aria-invalid": "true", "class": "wide"}
    quick, django = both("x", 2, attrs)
    assert quick == django


def test_labels_are_escaped():
    html = QuickSelect(choices=CHOICES).render("x", None)
    assert "&lt;b&gt;区税务局&lt;/b&gt; &amp; 分局" in html and "<b>" not in html


def test_a_repeated_value_is_chosen_once_as_in_django():
    choices = [(1, "甲"), (1, "甲（重复）"), (2, "乙")]
    quick, django = both("x", 1, choices=choices)
    assert quick == django


def test_option_groups_take_the_template_way():
    choices = [("区直单位", [(1, "区市场监管局"), (2, "区税务局")]), ("街道", [(3, "南站街道")])]
    quick, django = both("x", 3, choices=choices)
    assert quick == django


def test_a_model_choice_field_renders_the_same(db):
    from duban.plans.models import Unit

    for name in ("区市场监管局", "区税务局"):
        Unit.objects.create(region_id=HOME, name=name)
    quick = forms.ModelChoiceField(queryset=Unit.objects.order_by("name"), widget=QuickSelect)
    django = forms.ModelChoiceField(queryset=Unit.objects.order_by("name"))
    chosen = Unit.objects.get(name="区税务局")
    assert (parse_html(quick.widget.render("u", chosen.pk, {"id": "id_u"}))
            == parse_html(django.widget.render("u", chosen.pk, {"id": "id_u"})))
