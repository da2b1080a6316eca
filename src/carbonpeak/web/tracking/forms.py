"""Forms of the tracking pages: a unit's report and the office's decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReportForm(forms.Form):
    """A reported value for one year, with a note and an evidence file."""

    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    value = forms.FloatField(label=_("Value"))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence = forms.FileField(
        label=_("Evidence (PDF, XLSX, CSV, JPG or PNG, at most 10 MB)"), required=False
    )


class ReviewForm(forms.Form):
    """The office's decision on a submitted value."""

    year = forms.IntegerField(min_value=1990, max_value=2100, widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return"))])
    reason = forms.CharField(label=_("Reason (required to return)"), required=False, max_length=1000)


class AllocateForm(forms.Form):
    """The office enters a value allocated by a higher level (e.g. the city's indicator for the district)."""

    value = forms.FloatField(label=_("Value"))
    source_document = forms.CharField(label=_("Allocating document"), max_length=300)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class MilestoneForm(forms.Form):
    """A new milestone, or a new version of one (e.g. with the date it was done)."""

    number = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Milestone"), max_length=200)
    due = forms.DateField(label=_("Due (YYYY-MM-DD)"))
    done = forms.DateField(label=_("Done on (YYYY-MM-DD, empty if not yet)"), required=False)


class MilestoneReviewForm(forms.Form):
    """The office's decision on a submitted milestone."""

    number = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return"))])
    reason = forms.CharField(label=_("Reason (required to return)"), required=False, max_length=1000)
