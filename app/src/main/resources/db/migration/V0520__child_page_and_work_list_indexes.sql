-- The child's page and the home page work lists (issue 7). The page reads by identity (person_record_identity_idx
-- and the per-record indexes already exist); the work lists need the few open or recent episodes and concerns
-- without scanning millions, and the relationship test (own record, or responsible authority) per identity.

-- Children missing now, and high risk now: open episodes are a tiny fraction of all.
CREATE INDEX missing_episode_open_idx ON missing_episode (person_record_id)
    WHERE found_at IS NULL AND status <> 'closed';
-- Return interviews due: episodes found in the last few weeks.
CREATE INDEX missing_episode_found_at_idx ON missing_episode (found_at) WHERE found_at IS NOT NULL;
-- Open exploitation concerns.
CREATE INDEX exploitation_concern_open_idx ON exploitation_concern (person_record_id) WHERE status <> 'closed';
-- The latest screening of a concern.
CREATE INDEX screening_concern_latest_idx ON screening (concern_id, assessed_at DESC, id DESC);
-- "Does this agency hold, or is it responsible for, a record of this identity?"
CREATE INDEX person_record_identity_agency_idx ON person_record (identity_id, agency_id);
CREATE INDEX person_record_responsible_idx ON person_record (responsible_authority, identity_id)
    WHERE responsible_authority IS NOT NULL;
-- Open reviews touching an agency's records.
CREATE INDEX identity_review_open_a_idx ON identity_review (record_a) WHERE status = 'open';
CREATE INDEX identity_review_open_b_idx ON identity_review (record_b) WHERE status = 'open';
