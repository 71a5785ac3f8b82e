-- Police risk grades changed over time; older lists stay so older reports keep their meaning.
INSERT INTO ref_risk_grade (list_version, code, rank, valid_from, valid_to) VALUES
    ('ACPO-2010', 'low', 2, DATE '2010-01-01', DATE '2013-03-31'),
    ('ACPO-2010', 'medium', 3, DATE '2010-01-01', DATE '2013-03-31'),
    ('ACPO-2010', 'high', 4, DATE '2010-01-01', DATE '2013-03-31'),
    ('ACPO-2013', 'absent', 1, DATE '2013-04-01', DATE '2016-12-31'),
    ('ACPO-2013', 'low', 2, DATE '2013-04-01', DATE '2016-12-31'),
    ('ACPO-2013', 'medium', 3, DATE '2013-04-01', DATE '2016-12-31'),
    ('ACPO-2013', 'high', 4, DATE '2013-04-01', DATE '2016-12-31'),
    ('APP', 'very_low', 1, DATE '2017-01-01', NULL),
    ('APP', 'low', 2, DATE '2017-01-01', NULL),
    ('APP', 'medium', 3, DATE '2017-01-01', NULL),
    ('APP', 'high', 4, DATE '2017-01-01', NULL);
