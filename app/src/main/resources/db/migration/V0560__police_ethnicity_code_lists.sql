-- The police ethnicity code lists that records arrive with (CSV import, API), so that pages show their labels
-- rather than "IC1 (POLICE_ODE)". Officer-defined: the Home Office IC codes. Self-defined: the 18+1 census
-- categories used by forces. The DfE list is loaded from refdata at every start; these lists do not change.
INSERT INTO ref_ethnicity (scheme, code, label, broad_group, is_unknown) VALUES
    ('POLICE_ODE', 'IC1', 'White – North European', 'White', false),
    ('POLICE_ODE', 'IC2', 'White – South European', 'White', false),
    ('POLICE_ODE', 'IC3', 'Black', 'Black', false),
    ('POLICE_ODE', 'IC4', 'Asian', 'Asian', false),
    ('POLICE_ODE', 'IC5', 'Chinese, Japanese or other South East Asian', 'Asian', false),
    ('POLICE_ODE', 'IC6', 'Arab or North African', 'Other', false),
    ('POLICE_ODE', 'IC9', 'Not known', 'UNKNOWN', true),
    ('POLICE_SDE', 'W1', 'White – English, Welsh, Scottish, Northern Irish or British', 'White', false),
    ('POLICE_SDE', 'W2', 'White – Irish', 'White', false),
    ('POLICE_SDE', 'W3', 'White – Gypsy or Irish Traveller', 'White', false),
    ('POLICE_SDE', 'W9', 'White – any other White background', 'White', false),
    ('POLICE_SDE', 'M1', 'Mixed – White and Black Caribbean', 'Mixed', false),
    ('POLICE_SDE', 'M2', 'Mixed – White and Black African', 'Mixed', false),
    ('POLICE_SDE', 'M3', 'Mixed – White and Asian', 'Mixed', false),
    ('POLICE_SDE', 'M9', 'Mixed – any other mixed or multiple background', 'Mixed', false),
    ('POLICE_SDE', 'A1', 'Asian – Indian', 'Asian', false),
    ('POLICE_SDE', 'A2', 'Asian – Pakistani', 'Asian', false),
    ('POLICE_SDE', 'A3', 'Asian – Bangladeshi', 'Asian', false),
    ('POLICE_SDE', 'A4', 'Asian – Chinese', 'Asian', false),
    ('POLICE_SDE', 'A9', 'Asian – any other Asian background', 'Asian', false),
    ('POLICE_SDE', 'B1', 'Black – Caribbean', 'Black', false),
    ('POLICE_SDE', 'B2', 'Black – African', 'Black', false),
    ('POLICE_SDE', 'B9', 'Black – any other Black, African or Caribbean background', 'Black', false),
    ('POLICE_SDE', 'O1', 'Other ethnic group – Arab', 'Other', false),
    ('POLICE_SDE', 'O9', 'Other ethnic group – any other ethnic group', 'Other', false),
    ('POLICE_SDE', 'NS', 'Not stated', 'UNKNOWN', true)
ON CONFLICT (scheme, code) DO NOTHING;
