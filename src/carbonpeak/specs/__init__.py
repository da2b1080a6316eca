"""Pydantic schemas for the platform's YAML and CSV data files (pure: no django, no files)."""
