"""Building energy and carbon monitoring: registry, meters, ingest, rollups, metrics, disclosure."""
