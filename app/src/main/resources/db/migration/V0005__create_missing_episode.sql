CREATE TABLE missing_episode (
    id                        bigserial PRIMARY KEY,
    public_id                 uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    agency_id                 bigint NOT NULL REFERENCES agency(id),
    person_record_id          bigint NOT NULL REFERENCES person_record(id),
    episode_ref               text NOT NULL,
    status                    text NOT NULL DEFAULT 'reported'
                              CHECK (status IN ('reported', 'graded', 'found', 'safe_and_well_checked', 'return_interview', 'closed')),
    reported_at               timestamptz NOT NULL,
    reported_by               text,
    last_seen_at              timestamptz,
    last_seen_place           text,
    last_seen_postcode        text,
    missing_from              text NOT NULL DEFAULT 'other' CHECK (missing_from IN ('home', 'care', 'other')),
    category                  text NOT NULL DEFAULT 'missing' CHECK (category IN ('missing', 'away')),
    current_risk_grade        text,
    found_at                  timestamptz,
    found_place               text,
    found_postcode            text,
    found_by                  text,
    safe_and_well_at          timestamptz,
    return_interview_status   text NOT NULL DEFAULT 'not_offered'
                              CHECK (return_interview_status IN ('not_offered', 'offered', 'accepted', 'declined', 'completed')),
    return_interview_at       timestamptz,
    closed_at                 timestamptz,
    content_hash              text,
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    version                   int NOT NULL DEFAULT 0,
    UNIQUE (agency_id, episode_ref)
);
CREATE INDEX missing_episode_person_idx ON missing_episode (person_record_id);
CREATE INDEX missing_episode_reported_idx ON missing_episode (reported_at);

-- Every grading is kept: re-grading appends, never overwrites.
CREATE TABLE risk_grading (
    id                bigserial PRIMARY KEY,
    episode_id        bigint NOT NULL REFERENCES missing_episode(id) ON DELETE CASCADE,
    grade_code        text NOT NULL,
    code_list_version text NOT NULL,
    rationale         text,
    graded_by         text,
    graded_at         timestamptz NOT NULL
);
CREATE INDEX risk_grading_episode_idx ON risk_grading (episode_id);
