-- Issue 9, part 0: what the figures need recorded as it is.
-- "Reported missing" as an agency states it. A missing episode held anywhere also means yes, but an agency may know
-- the child was reported missing (or was not) without holding the episode; "no" and "nobody said" differ.
ALTER TABLE person_record ADD COLUMN reported_missing tri_state NOT NULL DEFAULT 'not_recorded';

-- A blank episode field in an agency's file is "not recorded", never a value the agency did not give
-- (a blank missing_from used to become 'other', a blank return interview 'not_offered').
ALTER TABLE missing_episode
    DROP CONSTRAINT missing_episode_missing_from_check,
    ADD CONSTRAINT missing_episode_missing_from_check CHECK (missing_from IN ('home', 'care', 'other', 'not_recorded')),
    DROP CONSTRAINT missing_episode_category_check,
    ADD CONSTRAINT missing_episode_category_check CHECK (category IN ('missing', 'away', 'not_recorded')),
    DROP CONSTRAINT missing_episode_return_interview_status_check,
    ADD CONSTRAINT missing_episode_return_interview_status_check CHECK (return_interview_status IN
        ('not_recorded', 'not_offered', 'offered', 'accepted', 'declined', 'completed'));
