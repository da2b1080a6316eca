"""Deterministic generators of the SYNTHETIC Yangpu reference district (labelled synthetic wherever shown)."""
