"""Reference data in the database: every loaded version of every table, never overwritten."""
