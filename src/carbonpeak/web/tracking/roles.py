"""Who may do what in target tracking (see ``docs/tracking.md``).

=========== ===================================================== ==========================
role        reads                                                 writes
=========== ===================================================== ==========================
office      everything, drafts included, the audit log            approves, returns, reports
reporter    published values; its own unit's values incl. drafts  its own unit's values only
viewer      published values; its own unit's values incl. drafts  nothing
analyst     published values, the overdue list                    nothing
public      published values and statuses                         nothing
=========== ===================================================== ==========================

Office: a superuser or a member of the ``office`` group. Analyst: the ``analyst`` group. Unit roles come
from :class:`~carbonpeak.web.tracking.models.UnitMembership`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from carbonpeak.web.tracking.models import UnitMembership

OFFICE_GROUP = "office"
ANALYST_GROUP = "analyst"


@dataclass(frozen=True)
class Roles:
    """A user's roles, read once per request."""

    authenticated: bool = False
    office: bool = False
    analyst: bool = False
    units: dict[str, str] = field(default_factory=dict)
    """Unit code → ``reporter`` or ``viewer``."""

    def can_report(self, unit_code: str | None) -> bool:
        """Whether the user may enter and submit values of ``unit_code`` (``None``: the office's own)."""
        if self.office:
            return True
        return unit_code is not None and self.units.get(unit_code) == UnitMembership.REPORTER

    def can_read_drafts(self, unit_code: str | None) -> bool:
        """Whether the user may read unpublished values (drafts, pending, returned) of ``unit_code``."""
        return self.office or (unit_code is not None and unit_code in self.units)

    @property
    def can_review(self) -> bool:
        """Whether the user may approve or return submitted values."""
        return self.office

    @property
    def reporter_units(self) -> list[str]:
        """Units whose values the user may report."""
        return sorted(u for u, r in self.units.items() if r == UnitMembership.REPORTER)

    @property
    def internal(self) -> bool:
        """Whether the user sees internal lists (overdue reports): the office, analysts and unit members."""
        return self.office or self.analyst or bool(self.units)


def roles_for(user: Any) -> Roles:
    """The roles of a (possibly anonymous) user."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Roles()
    groups = set(user.groups.values_list("name", flat=True))
    units = dict(UnitMembership.objects.filter(user=user).values_list("unit_code", "role"))
    return Roles(
        authenticated=True,
        office=bool(user.is_superuser) or OFFICE_GROUP in groups,
        analyst=ANALYST_GROUP in groups,
        units=units,
    )
