"""Form fields that turn junk into a form error, not a 500 (issue #14).

Django's fields already refuse NUL characters, and the request decoder replaces lone
surrogates. What is left is numbers wider than a database integer: ``<select>`` fields over
model rows (ModelChoiceField, ModelMultipleChoiceField) pass "999…9" (30 digits) straight to
the query, where SQLite overflows; an IntegerField without bounds hands it to a service.
``install()`` (called once from ``CoreConfig.ready``) bounds those fields for every form of
the project, present and future, so no form class has to remember it.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from gongkai.core.params import DB_INT_MAX

_NUMBER = re.compile(r"\s*[+-]?[0-9]+\s*")


def _too_wide(value) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) > DB_INT_MAX
    return isinstance(value, str) and bool(_NUMBER.fullmatch(value)) and abs(
        int(value)) > DB_INT_MAX


def install() -> None:
    if getattr(forms.ModelChoiceField, "_gongkai_safe", False):
        return
    choice_to_python = forms.ModelChoiceField.to_python
    check_values = forms.ModelMultipleChoiceField._check_values
    int_to_python = forms.IntegerField.to_python

    def safe_choice_to_python(self, value):
        if _too_wide(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": value})
        return choice_to_python(self, value)

    def safe_check_values(self, value):
        if isinstance(value, (list, tuple)):
            for v in value:
                if _too_wide(v):
                    raise ValidationError(self.error_messages["invalid_choice"],
                                          code="invalid_choice", params={"value": v})
        return check_values(self, value)

    def safe_int_to_python(self, value):
        number = int_to_python(self, value)
        if _too_wide(number):
            raise ValidationError("数值过大。", code="invalid")
        return number

    forms.ModelChoiceField.to_python = safe_choice_to_python
    forms.ModelMultipleChoiceField._check_values = safe_check_values
    forms.IntegerField.to_python = safe_int_to_python
    forms.ModelChoiceField._gongkai_safe = True
