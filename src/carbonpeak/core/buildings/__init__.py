"""Building energy and carbon: sub-metering, reading validation, metrics, quotas (pure computation)."""
