"""Domain errors raised by :mod:`carbonpeak.core`.

Every error carries a message that a district official can act on: it names what was asked for and why it
could not be given.
"""

from __future__ import annotations


class CarbonpeakError(Exception):
    """Base class of every error the platform raises on purpose."""


class UnitError(CarbonpeakError, ValueError):
    """A unit string does not parse, or two quantities of different dimensions were mixed."""


class FactorLookupError(CarbonpeakError, LookupError):
    """No reference factor is valid for the requested carrier, region, year and series."""


class FactorValueUnknownError(FactorLookupError):
    """A factor row exists but its value is unknown (evidence tag ``X``) and must be supplied by the user."""


class ReferenceDataError(CarbonpeakError, ValueError):
    """Reference data failed validation; ``issues`` lists every problem found."""

    def __init__(self, message: str, issues: list[object] | None = None) -> None:
        super().__init__(message)
        self.issues = issues or []
