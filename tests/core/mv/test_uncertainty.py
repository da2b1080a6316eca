"""Hand-worked FSU checks (issue 17 "Done when"; FACTS.md §10 worked check)."""

from __future__ import annotations

import pytest

from carbonpeak.core.mv import MvInputError, fsu, portfolio_fsu
from carbonpeak.core.mv.uncertainty import effective_n

COMMON = {"cvrmse": 0.10, "savings_fraction": 0.10, "n": 365, "m": 365, "n_parameters": 3, "confidence": 0.9}


def test_g14_fsu_without_autocorrelation() -> None:
    assert fsu(**COMMON, rho=0.0) == pytest.approx(0.1091, abs=5e-5)


def test_g14_fsu_with_autocorrelation_half() -> None:
    assert effective_n(365, 0.5) == pytest.approx(121.67, abs=5e-3)
    assert fsu(**COMMON, rho=0.5) == pytest.approx(0.1909, abs=5e-5)


def test_caltrack_polynomial_at_twelve_months() -> None:
    value = fsu(**COMMON, rho=0.0, variant="caltrack", reporting_months=12)
    assert value == pytest.approx(0.1205, abs=5e-5)


def test_fsu_rejects_unknown_variant_and_needs_months() -> None:
    with pytest.raises(MvInputError, match="not an FSU variant"):
        fsu(**COMMON, variant="ipmvp")
    with pytest.raises(MvInputError, match="reporting months"):
        fsu(**COMMON, variant="caltrack")


def test_portfolio_fsu() -> None:
    # two projects of 100 and 300 kWh with FSU 0.5 and 0.1: sqrt(50² + 30²) / 400
    assert portfolio_fsu([100.0, 300.0], [0.5, 0.1]) == pytest.approx((50**2 + 30**2) ** 0.5 / 400)
