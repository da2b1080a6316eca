"""The plan in the database: every loaded version, browsable by action, task, target and unit."""
