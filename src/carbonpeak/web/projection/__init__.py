"""Carbon-peak projection pages: driver series, saved scenarios, Monte Carlo outlook (docs/projection.md)."""
