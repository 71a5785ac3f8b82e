-- Issue 9 part 8: a data-quality refresh counts one agency's records and episodes again (completeness, the checks,
-- timeliness), several queries each reading every row of the agency. An agency's rows lie all over the table, so
-- without these each query read nearly every page of it (about 2 s for the largest force at 1,000,000 children);
-- with them the reads are index-only scans of the agency's entries.
CREATE INDEX missing_episode_agency_quality ON missing_episode (agency_id)
    INCLUDE (reported_at, last_seen_at, found_at, return_interview_status, return_interview_at);
CREATE INDEX person_record_agency_quality ON person_record (agency_id)
    INCLUDE (sex, dob_year, ethnicity_status, care_status, cp_plan, known_to_social_care, reported_missing,
             responsible_authority);
