-- An authority's placement of a looked-after child under a legal status (SSDA903 LS) and for a category of need
-- (CIN), so a return derived from placements carries them (DfE rules 144, 145). Null: not recorded.
ALTER TABLE person_placement ADD COLUMN legal_status text, ADD COLUMN category_of_need text;
