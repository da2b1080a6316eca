"""Rooftop PV installation and EV charging site registries, and the plan's rules on them."""
