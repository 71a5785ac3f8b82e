-- Reference data loaded at start from shipped CSVs (see org.sightline.reference).
-- Keys include valid_from because local-government reorganisations reuse and retire codes.
CREATE TABLE ref_police_force (
    ons_pfa_code      text PRIMARY KEY,
    ons_pfa_name      text NOT NULL,
    police_uk_force_id text NOT NULL UNIQUE,
    force_name        text NOT NULL,
    country           text NOT NULL
);

CREATE TABLE ref_local_authority (
    ons_code     text NOT NULL,
    valid_from   date NOT NULL,
    valid_to     date,
    name         text NOT NULL,
    name_cy      text,
    la_number    text,
    country      text NOT NULL,
    region_name  text,
    status       text NOT NULL,
    PRIMARY KEY (ons_code, valid_from)
);

CREATE TABLE ref_ethnicity (
    scheme           text NOT NULL,
    code             text NOT NULL,
    label            text NOT NULL,
    broad_group      text,
    ons_2021_category text,
    is_unknown       boolean NOT NULL DEFAULT false,
    PRIMARY KEY (scheme, code)
);

CREATE TABLE ref_cin_factor (
    code                   text PRIMARY KEY,
    short_label            text NOT NULL,
    exploitation_related   boolean NOT NULL
);

CREATE TABLE ref_ssda903_code (
    field  text NOT NULL,
    code   text NOT NULL,
    label  text,
    PRIMARY KEY (field, code)
);

CREATE TABLE ref_ssda903_missing_rule (
    rule_code  text PRIMARY KEY,
    tables     text NOT NULL,
    fields     text NOT NULL,
    description text NOT NULL
);

-- Versioned risk-grade code list: "absent" stays readable for pre-2016 data.
CREATE TABLE ref_risk_grade (
    list_version  text NOT NULL,
    code          text NOT NULL,
    rank          int  NOT NULL,
    valid_from    date NOT NULL,
    valid_to      date,
    PRIMARY KEY (list_version, code)
);
