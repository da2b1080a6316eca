"""District inventory in the database: imported activity data, frozen runs, pages and exports."""
