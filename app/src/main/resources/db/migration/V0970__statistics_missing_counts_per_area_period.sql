-- Issue 9 part 8: the missing-episode counts kept as one row per area and standard period, its cells' names and counts
-- side by side, instead of one row per cell. A rebuild at a million children wrote a million cell rows (a primary-key
-- entry each) where it now writes seventy thousand; a page still reads one area and period, now one row.
CREATE TABLE stat_missing_count (
    area    text     NOT NULL,
    period  text     NOT NULL,
    cells   text[]   NOT NULL,
    counts  bigint[] NOT NULL,
    PRIMARY KEY (area, period),
    CHECK (cardinality(cells) = cardinality(counts))
);

DROP TABLE stat_missing_cell;

-- Counted with the old layout: the next scheduled refresh rebuilds (the rule's version changed too).
DELETE FROM stat_aggregate_state WHERE name = 'missing';

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE 'GRANT TRUNCATE ON stat_missing_count TO ${appRole}';
    END IF;
END;
$$;
