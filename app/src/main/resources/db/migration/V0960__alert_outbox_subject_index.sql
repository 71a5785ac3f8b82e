-- The alert worker takes, with each batch, the later outbox rows about the same children (issue 8: a bulk import
-- names a child once per statement and table, and each of those used to cost a whole evaluation). Found by record.
CREATE INDEX alert_outbox_record_idx ON alert_outbox (subject_id) WHERE subject_kind = 'person_record';
