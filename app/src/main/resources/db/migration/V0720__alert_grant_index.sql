-- The alert worker checks, for every agency an alert goes to, whether that alert already granted the agency a
-- relationship with the child. Without this index the check reads every relationship the agency holds (thousands
-- for a large authority), so each routing grew slower as alerts accumulated.
CREATE INDEX child_relationship_alert_idx ON child_relationship (source_ref, agency_id) WHERE kind = 'alert';
