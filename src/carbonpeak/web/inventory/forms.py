"""Upload form for activity data."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ActivityUploadForm(forms.Form):
    """An activity file (.csv or .xlsx) and a name for the data set."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    file = forms.FileField(label=_("Activity file (.csv or .xlsx)"))
    electricity_series = forms.CharField(label=_("Electricity factor series"), max_length=60, required=False)
