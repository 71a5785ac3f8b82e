-- The record search matches name prefixes (LIKE 'kan%'). Under a collation other than C (the demo's is C.UTF-8) a
-- b-tree serves LIKE only with the pattern operator class, so every search read every record (docs/benchmarks.md,
-- "The search API"). Nothing else orders or ranges by these expressions.
DROP INDEX person_record_family_idx;
CREATE INDEX person_record_family_idx ON person_record (lower(family_name) text_pattern_ops);
DROP INDEX person_record_given_idx;
CREATE INDEX person_record_given_idx ON person_record (lower(given_name) text_pattern_ops);
