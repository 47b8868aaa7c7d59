"""The dashboard's period picker: which kind of period (month, quarter, year) and which one.

Only parsing and validation: whether a snapshot exists for the period is the view's question
(a valid but unknown period is a 404, an invalid one a 400)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Snapshot

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Period"), choices=Snapshot.Kind.choices, required=False,
        error_messages={"invalid_choice": _("Choose a month, a quarter or a year.")},
    )
    start = forms.DateField(
        label=_("Which"), required=False, input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("This is not a date of a period we know.")},
    )

    def clean_start(self):
        start = self.cleaned_data.get("start")
        if start is not None and not EARLIEST <= start <= LATEST:
            raise forms.ValidationError(_("This is not a date of a period we know."),
                                        code="out_of_range")
        return start

    def clean_kind(self):
        return self.cleaned_data.get("kind") or Snapshot.Kind.QUARTER
