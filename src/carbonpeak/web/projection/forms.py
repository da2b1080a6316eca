"""The save-scenario form: a name, a note and one slider per lever [% of the plan]."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carbonpeak.core.projection import LEVER_ORDER
from carbonpeak.web.projection.levers import SLIDER_MAX_PCT, SLIDER_MIN_PCT


class ScenarioSaveForm(forms.Form):
    """Scenario name and note; a ``lever.<code>`` field for each of the plan's levers (``codes``)."""

    name = forms.CharField(label=_("Scenario name"), max_length=100)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, codes: list[str] | tuple[str, ...] = LEVER_ORDER, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.codes = [code for code in LEVER_ORDER if code in codes]
        for code in self.codes:
            self.fields[f"lever.{code}"] = forms.IntegerField(
                min_value=SLIDER_MIN_PCT, max_value=SLIDER_MAX_PCT, required=True
            )

    def lever_settings(self) -> dict[str, float]:
        """Lever code -> slider value [% of the plan] (after ``is_valid``)."""
        return {code: float(self.cleaned_data[f"lever.{code}"]) for code in self.codes}
