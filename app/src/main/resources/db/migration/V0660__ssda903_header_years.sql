-- The collection years in which an authority's Header listed the child, so that a child listed without episodes
-- (in a return Sightline imported) is exported in that year's Header again instead of vanishing.
ALTER TABLE ssda903_child ADD COLUMN header_years int[] NOT NULL DEFAULT '{}';
