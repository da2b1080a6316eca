"""Computed indicators of the credits app: none yet.

The plan's 碳普惠 target (``carbon_inclusion_pilot``, 三(七)2) is qualitative: it is reported as a milestone,
not computed. The ledger's totals are shown on the public credits page and in the reports instead.
"""

INDICATORS: tuple[str, ...] = ()
"""The plan indicators this module computes."""
