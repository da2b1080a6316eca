import pytest
from pydantic import ValidationError

from carbonpeak.specs.reference import CreditMethodologyRow

ROW = {
    "code": "m",
    "behaviour": "metro_trip",
    "title_zh": "地铁",
    "title_en": "Metro",
    "formula": "baseline_minus_project",
    "activity_unit": "pkm",
    "ef_baseline_kgco2e_per_unit": "0.130",
    "ef_project_kgco2e_per_unit": "0.033",
    "status": "unconfirmed",
    "valid_from": "2025-11-01",
    "valid_to": "",
    "source": "s",
    "evidence": "S",
}


def test_valid_row_becomes_a_methodology():
    record = CreditMethodologyRow.model_validate(ROW).to_record()
    assert record.credit_kgco2e_per_unit == pytest.approx(0.097)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"evidence": "X"}, "never invent a number"),
        ({"ef_project_kgco2e_per_unit": ""}, "must be tagged evidence X"),
        ({"status": "published"}, "only evidence V"),
        ({"ef_project_kgco2e_per_unit": "0.2"}, "above the baseline"),
        ({"formula": "magic"}, "baseline_minus_project"),
        ({"valid_to": "2025-01-01"}, "before valid_from"),
    ],
)
def test_invalid_rows_are_refused(changes, message):
    with pytest.raises(ValidationError, match=message):
        CreditMethodologyRow.model_validate({**ROW, **changes})
