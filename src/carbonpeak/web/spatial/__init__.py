"""Green space, sinks and green transport from maps and registries: map layers stored as GeoJSON text
(SQLite and PostgreSQL alike, no PostGIS), the vehicle registry, the map page (一张图) and the plan's
spatial and fleet indicators."""
