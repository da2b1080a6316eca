"""Carbon-credit methodologies (碳普惠方法学) as data, and the emission reduction of one activity.

A methodology names a behaviour (a metro trip, recyclables handed in, ...), the unit its activity is
measured in, a baseline and a project emission factor per unit, and the formula that combines them. The
only formula so far is the generic substitution form of the Shanghai scheme's methodologies:

    ER = (EF_baseline - EF_project) x activity

A methodology may issue credits only when it is **approved**: its factors are all present and either its
reference row is ``published`` (transcribed from an official methodology, evidence V) or the office has
recorded an approval of this code and version. Anything else is **unconfirmed** and issues nothing.

References
----------
.. [1] 上海市生态环境局, 上海市碳普惠管理办法 (沪环规〔2025〕10号), in force 2025-11-01.
.. [2] Per passenger-km factors, metro 0.033, bus 0.064, motorised baseline 0.130 kgCO2 (secondary, S):
   ``shared/reference/FACTS.md`` §5.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from carbonpeak.core.errors import CarbonpeakError
from carbonpeak.core.flags import Evidence

GRAMS_PER_KG = 1000
"""Ledger amounts are whole grams of CO2e; reports show kg and t."""


class MethodologyError(CarbonpeakError, ValueError):
    """An unknown formula, or a methodology that cannot be used as asked."""


class ReferenceStatus(StrEnum):
    """Status of a methodology row in the reference table."""

    PUBLISHED = "published"
    """Transcribed from an official methodology (evidence V): usable without a local approval."""
    UNCONFIRMED = "unconfirmed"
    """Secondary, recalled or missing factors: the office must approve it before it issues credits."""


class MethodologyStatus(StrEnum):
    """Whether a methodology may issue credits now."""

    APPROVED = "approved"
    UNCONFIRMED = "unconfirmed"


class Refusal(StrEnum):
    """Why an activity earns nothing (stored with the activity and listed to the office)."""

    CLAIMED_ELSEWHERE = "claimed_elsewhere"
    """Already claimed under the ETS or CCER (沪环规〔2025〕10号 Art. 3)."""
    EXCLUDED = "excluded"
    """On the office's exclusion list."""
    UNKNOWN_METHODOLOGY = "unknown_methodology"
    NOT_ASSIGNED = "not_assigned"
    """The methodology (scenario) is not assigned to the partner that sent it."""
    UNIT_MISMATCH = "unit_mismatch"
    OUTSIDE_VALIDITY = "outside_validity"
    METHODOLOGY_UNCONFIRMED = "methodology_unconfirmed"
    """Held: credited when the office approves the methodology."""


@dataclass(frozen=True, slots=True)
class Methodology:
    """One methodology row.

    Parameters
    ----------
    code, version : str
        Identifier and the reference table version it comes from.
    behaviour : str
        The low-carbon behaviour credited (``metro_trip``, ``bus_trip``, ``ev_charging``, ...).
    formula : str
        Name of the formula in :data:`FORMULAS`.
    activity_unit : str
        Unit of the activity quantity (``pkm``, ``kWh``, ``kg``, ...).
    ef_baseline_kgco2e_per_unit, ef_project_kgco2e_per_unit : float or None
        Baseline and project emission factors [kgCO2e per activity unit]; ``None`` when not found (X).
    evidence : Evidence
        Evidence tag of the factors (the weakest of the two).
    reference_status : ReferenceStatus
        Status of the reference row.
    valid_from, valid_to : date or None
        Activities dated outside this period earn nothing.
    source, document_no : str
        Source document of the factors.
    """

    code: str
    version: str
    behaviour: str
    formula: str
    activity_unit: str
    ef_baseline_kgco2e_per_unit: float | None
    ef_project_kgco2e_per_unit: float | None
    evidence: Evidence
    reference_status: ReferenceStatus
    valid_from: date | None
    valid_to: date | None
    source: str
    document_no: str = ""
    title_zh: str = ""
    title_en: str = ""

    @property
    def factors_complete(self) -> bool:
        """Whether both factors are present (an X methodology cannot be approved)."""
        return self.ef_baseline_kgco2e_per_unit is not None and self.ef_project_kgco2e_per_unit is not None

    @property
    def credit_kgco2e_per_unit(self) -> float | None:
        """Emission reduction of one activity unit [kgCO2e], ``None`` when a factor is missing."""
        if not self.factors_complete:
            return None
        return emission_reduction(self.formula, self, 1.0)

    def valid_on(self, day: date) -> bool:
        """Whether an activity on ``day`` falls in the validity period."""
        return (self.valid_from is None or day >= self.valid_from) and (
            self.valid_to is None or day <= self.valid_to
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO strings)."""
        data = asdict(self)
        data["valid_from"] = self.valid_from.isoformat() if self.valid_from else None
        data["valid_to"] = self.valid_to.isoformat() if self.valid_to else None
        data["evidence"] = self.evidence.value
        data["reference_status"] = self.reference_status.value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Methodology:
        """Inverse of :meth:`to_dict`."""
        values = dict(data)
        values["valid_from"] = date.fromisoformat(values["valid_from"]) if values.get("valid_from") else None
        values["valid_to"] = date.fromisoformat(values["valid_to"]) if values.get("valid_to") else None
        values["evidence"] = Evidence(values["evidence"])
        values["reference_status"] = ReferenceStatus(values["reference_status"])
        return cls(**values)


def baseline_minus_project(methodology: Methodology, activity: float) -> float:
    """Emission reduction by substitution: ER = (EF_baseline - EF_project) x activity.

    Parameters
    ----------
    methodology : Methodology
        Supplies EF_baseline and EF_project [kgCO2e per activity unit].
    activity : float
        Activity quantity [activity unit], finite and not negative.

    Returns
    -------
    float
        Emission reduction [kgCO2e]; never negative (a project factor above the baseline earns nothing).

    References
    ----------
    .. [1] 上海市碳普惠管理办法 (沪环规〔2025〕10号): reductions are the difference between the baseline
       scenario and the low-carbon behaviour.
    """
    if methodology.ef_baseline_kgco2e_per_unit is None or methodology.ef_project_kgco2e_per_unit is None:
        raise MethodologyError(f"methodology {methodology.code}: a factor is not known (evidence X)")
    if not math.isfinite(activity) or activity < 0:
        raise MethodologyError(f"activity {activity} must be a finite number, zero or more")
    per_unit = methodology.ef_baseline_kgco2e_per_unit - methodology.ef_project_kgco2e_per_unit
    return max(per_unit, 0.0) * activity


FORMULAS: dict[str, Callable[[Methodology, float], float]] = {
    "baseline_minus_project": baseline_minus_project,
}
"""Published formulas by name."""


def emission_reduction(formula: str, methodology: Methodology, activity: float) -> float:
    """Dispatch to the formula named ``formula`` [kgCO2e]; unknown names are refused."""
    try:
        function = FORMULAS[formula]
    except KeyError:
        known = ", ".join(sorted(FORMULAS))
        raise MethodologyError(f"unknown formula '{formula}' (known: {known})") from None
    return function(methodology, activity)


def methodology_status(methodology: Methodology, *, approved: bool) -> MethodologyStatus:
    """Whether ``methodology`` may issue credits.

    Parameters
    ----------
    methodology : Methodology
        The reference row.
    approved : bool
        Whether the office has recorded an approval of this code and version.

    Returns
    -------
    MethodologyStatus
        ``approved`` when its factors are complete and it is published or approved; else ``unconfirmed``.
    """
    if not methodology.factors_complete:
        return MethodologyStatus.UNCONFIRMED
    if methodology.reference_status is ReferenceStatus.PUBLISHED or approved:
        return MethodologyStatus.APPROVED
    return MethodologyStatus.UNCONFIRMED


@dataclass(frozen=True, slots=True)
class ActivityClaim:
    """One activity as a partner reports it."""

    partner: str
    activity_id: str
    account: str
    methodology: str
    quantity: float
    unit: str
    occurred_at: datetime
    claimed_elsewhere: str = ""
    """Scheme the activity is already claimed under (``ETS``, ``CCER``), empty if none."""


@dataclass(frozen=True, slots=True)
class CreditDecision:
    """What one activity earns.

    ``credit_gco2e`` is whole grams of CO2e (0 when refused); ``refusal`` and ``reason`` say why not.
    """

    credit_gco2e: int
    refusal: Refusal | None
    reason: str

    @property
    def credited(self) -> bool:
        """Whether the activity issues credits."""
        return self.refusal is None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "credit_gco2e": self.credit_gco2e,
            "refusal": self.refusal.value if self.refusal else None,
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CreditDecision:
        """Inverse of :meth:`to_dict`."""
        refusal = Refusal(data["refusal"]) if data.get("refusal") else None
        return cls(int(data["credit_gco2e"]), refusal, str(data["reason"]))


def decide_credit(
    claim: ActivityClaim,
    methodology: Methodology | None,
    *,
    status: MethodologyStatus,
    assigned: bool,
    excluded_reason: str | None = None,
) -> CreditDecision:
    """Decide what one activity earns, in the order the checks are listed to the office.

    Parameters
    ----------
    claim : ActivityClaim
        The activity.
    methodology : Methodology or None
        Its methodology, ``None`` when the code is unknown.
    status : MethodologyStatus
        The methodology's status (:func:`methodology_status`).
    assigned : bool
        Whether the methodology is assigned to the claim's partner.
    excluded_reason : str or None
        The exclusion-list entry the activity matches, if any.

    Returns
    -------
    CreditDecision
        The credit in whole grams CO2e, or the refusal and its reason.

    References
    ----------
    .. [1] 沪环规〔2025〕10号 Art. 3: activities covered by the ETS or CCER are not credited.
    """
    if claim.claimed_elsewhere:
        return CreditDecision(
            0,
            Refusal.CLAIMED_ELSEWHERE,
            f"already claimed under {claim.claimed_elsewhere} (沪环规〔2025〕10号 Art. 3)",
        )
    if excluded_reason is not None:
        return CreditDecision(0, Refusal.EXCLUDED, f"on the exclusion list: {excluded_reason}")
    if methodology is None:
        return CreditDecision(0, Refusal.UNKNOWN_METHODOLOGY, f"unknown methodology '{claim.methodology}'")
    if not assigned:
        return CreditDecision(
            0,
            Refusal.NOT_ASSIGNED,
            f"methodology {methodology.code} is not assigned to partner {claim.partner}",
        )
    if claim.unit != methodology.activity_unit:
        return CreditDecision(
            0,
            Refusal.UNIT_MISMATCH,
            f"unit '{claim.unit}' is not the methodology's unit '{methodology.activity_unit}'",
        )
    if not methodology.valid_on(claim.occurred_at.date()):
        return CreditDecision(
            0,
            Refusal.OUTSIDE_VALIDITY,
            f"{claim.occurred_at.date().isoformat()} is outside the validity of {methodology.code}",
        )
    if status is not MethodologyStatus.APPROVED:
        return CreditDecision(
            0,
            Refusal.METHODOLOGY_UNCONFIRMED,
            f"methodology {methodology.code} is unconfirmed: held until the office approves it",
        )
    kg = emission_reduction(methodology.formula, methodology, claim.quantity)
    return CreditDecision(round(kg * GRAMS_PER_KG), None, "")
