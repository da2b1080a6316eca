"""carbonpeak: a district carbon-peak plan (碳达峰实施方案) run as software."""

__version__ = "0.1.0"
