-- One alert grant per agency and alert, kept by the database (issue 8). The worker grants a whole batch in one
-- statement; checking "not granted yet" with NOT EXISTS in that statement read the table it was inserting into for
-- every row (35 s for a batch of 5,000 grants on a young table). ON CONFLICT on this index decides it instead.
-- A duplicate could only come from two processes granting the same alert at once before this index: the grants are
-- identical, their audit entries stay, and the later copy is removed.
DELETE FROM child_relationship a USING child_relationship b
WHERE a.kind = 'alert' AND b.kind = 'alert' AND a.source_ref = b.source_ref AND a.agency_id = b.agency_id
  AND a.id > b.id;
DROP INDEX child_relationship_alert_idx;
CREATE UNIQUE INDEX child_relationship_alert_idx ON child_relationship (source_ref, agency_id) WHERE kind = 'alert';
