"""Form widgets that draw the same HTML as Django's, faster where a page has many of them."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class QuickSelect(forms.Select):
    """Django's <select>, with its options written in Python.

    Django renders every option through two templates; a dispatch meeting's page, a decision form per agenda
    item, draws six thousand options (2.5 s for 70 items). The markup is Django's own (a test compares them);
    option groups go the template way.
    """

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        selected = set(self.format_value(value))
        options, chosen_one = [], False
        for option_value, label in choices:
            text = "" if option_value is None else str(option_value)
            # A single select marks its first match only, as Django's does.
            chosen = text in selected and (self.allow_multiple_selected or not chosen_one)
            chosen_one = chosen_one or chosen
            options.append((text, " selected" if chosen else "", label))
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)),
                           format_html_join("", '<option value="{}"{}>{}</option>', options))

