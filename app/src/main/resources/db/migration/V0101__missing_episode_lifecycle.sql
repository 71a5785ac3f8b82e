-- Missing-episode lifecycle (issue 4, item 1): who reported, who recorded each step, the grab profile, and an
-- append-only event history so the episode page can show a timeline and nothing recorded is overwritten.
ALTER TABLE missing_episode
    ADD COLUMN reporter_role          text,
    ADD COLUMN reporter_relationship  text,
    ADD COLUMN recorded_by            text,
    ADD COLUMN safe_and_well_by       text,
    ADD COLUMN safe_and_well_notes    text,
    ADD COLUMN return_interview_offered_at timestamptz,
    ADD COLUMN closed_by              text,
    ADD COLUMN closure_notes          text;

ALTER TABLE risk_grading ADD COLUMN graded_by_agency text;

-- Philomena Protocol details given with the report (part 1 as held by the carer, part 2 when missing).
CREATE TABLE grab_profile (
    id                 bigserial PRIMARY KEY,
    episode_id         bigint NOT NULL UNIQUE REFERENCES missing_episode(id) ON DELETE CASCADE,
    description        text,
    clothing           text,
    associates         text,
    places_frequented  text,
    phones             text,
    vulnerabilities    text,
    recorded_at        timestamptz NOT NULL,
    version            int NOT NULL DEFAULT 0
);

-- One row per lifecycle step; gradings stay in risk_grading.
CREATE TABLE episode_event (
    id                  bigserial PRIMARY KEY,
    episode_id          bigint NOT NULL REFERENCES missing_episode(id) ON DELETE CASCADE,
    event_type          text NOT NULL CHECK (event_type IN ('reported', 'found', 'safe_and_well_checked',
                            'return_interview_offered', 'return_interview_accepted', 'return_interview_declined',
                            'return_interview_completed', 'closed')),
    occurred_at         timestamptz NOT NULL,
    recorded_at         timestamptz NOT NULL,
    recorded_by         text NOT NULL,
    recorded_by_agency  text,
    by_whom             text,
    place               text,
    postcode            text,
    notes               text
);
CREATE INDEX episode_event_episode_idx ON episode_event (episode_id, occurred_at);
