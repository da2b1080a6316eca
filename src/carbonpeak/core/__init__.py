"""Pure domain layer: no django, no files, no network (enforced by import-linter)."""
