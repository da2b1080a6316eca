"""Rooftop PV and EV charging: the plan's coverage and compliance rules (pure computation)."""
