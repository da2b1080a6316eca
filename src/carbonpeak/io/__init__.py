"""Readers and writers for the files users and the platform exchange (CSV, Excel, YAML, ...).

Functions here parse and validate; they return ``(data, metadata)``-like results and name every bad row.
They never touch the database.
"""
