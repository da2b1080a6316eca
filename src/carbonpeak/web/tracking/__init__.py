"""Target tracking: indicator values (computed and reported), roles, approvals, audit log, calendar."""
