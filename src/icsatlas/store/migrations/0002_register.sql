-- The register: versioned records. A row is one version of a fact: rkey names the fact,
-- recorded_in is the change (change_log) that added this version, retracted_in the change
-- that superseded it (NULL while current). Only retracted_in is ever updated, so every
-- recorded state of the register can be rebuilt (`--as-of-change N`).

CREATE TABLE register_organisation (
    rkey TEXT NOT NULL,
    org_id TEXT NOT NULL,
    org_type TEXT NOT NULL,
    name TEXT NOT NULL,
    ods_code TEXT,
    ons_code TEXT,
    valid_from DATE,
    valid_to DATE,
    successors TEXT,
    generic BOOLEAN NOT NULL,
    gaps TEXT,
    source TEXT NOT NULL,
    recorded_in BIGINT NOT NULL,
    retracted_in BIGINT
);
CREATE INDEX register_organisation_key ON register_organisation (rkey, retracted_in);

CREATE TABLE register_area (
    rkey TEXT NOT NULL,
    area_id TEXT NOT NULL,
    area_type TEXT NOT NULL,
    name TEXT NOT NULL,
    ods_code TEXT,
    org_id TEXT,
    valid_from DATE,
    valid_to DATE,
    other_codes TEXT,
    former_names TEXT,
    gaps TEXT,
    source TEXT NOT NULL,
    recorded_in BIGINT NOT NULL,
    retracted_in BIGINT
);
CREATE INDEX register_area_key ON register_area (rkey, retracted_in);

CREATE TABLE register_area_link (
    rkey TEXT NOT NULL,
    child_id TEXT NOT NULL,
    parent_id TEXT NOT NULL,
    valid_from DATE,
    valid_to DATE,
    source TEXT NOT NULL,
    recorded_in BIGINT NOT NULL,
    retracted_in BIGINT
);
CREATE INDEX register_area_link_key ON register_area_link (rkey, retracted_in);

CREATE TABLE register_function (
    rkey TEXT NOT NULL,
    function_id TEXT NOT NULL,
    label TEXT NOT NULL,
    description TEXT NOT NULL,
    category TEXT NOT NULL,
    blueprint TEXT,
    statutory TEXT,
    default_holder TEXT,
    default_basis TEXT,
    synonyms TEXT,
    sources TEXT,
    recorded_in BIGINT NOT NULL,
    retracted_in BIGINT
);
CREATE INDEX register_function_key ON register_function (rkey, retracted_in);

CREATE TABLE register_assignment (
    rkey TEXT NOT NULL,
    assignment_id TEXT NOT NULL,
    function_id TEXT NOT NULL,
    area_id TEXT NOT NULL,
    holder_id TEXT NOT NULL,
    basis TEXT NOT NULL,
    valid_from DATE,
    valid_to DATE,
    joint BOOLEAN NOT NULL,
    certainty TEXT NOT NULL,
    source TEXT NOT NULL,
    note TEXT NOT NULL,
    reform TEXT,
    recorded_in BIGINT NOT NULL,
    retracted_in BIGINT
);
CREATE INDEX register_assignment_key ON register_assignment (rkey, retracted_in);

CREATE TABLE register_flag (
    rkey TEXT NOT NULL,
    flag_id TEXT NOT NULL,
    function_id TEXT NOT NULL,
    text TEXT NOT NULL,
    valid_from DATE,
    valid_to DATE,
    area_ids TEXT,
    certainty TEXT NOT NULL,
    source TEXT NOT NULL,
    reform TEXT,
    recorded_in BIGINT NOT NULL,
    retracted_in BIGINT
);
CREATE INDEX register_flag_key ON register_flag (rkey, retracted_in);

CREATE TABLE register_target (
    rkey TEXT NOT NULL,
    target_id TEXT NOT NULL,
    measure TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    unit TEXT NOT NULL,
    applies_to TEXT NOT NULL,
    deadline DATE,
    certainty TEXT NOT NULL,
    source TEXT NOT NULL,
    note TEXT NOT NULL,
    reform TEXT,
    recorded_in BIGINT NOT NULL,
    retracted_in BIGINT
);
CREATE INDEX register_target_key ON register_target (rkey, retracted_in);

CREATE TABLE register_relationship (
    rkey TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    relation TEXT NOT NULL,
    object_id TEXT NOT NULL,
    valid_from DATE,
    valid_to DATE,
    share DOUBLE PRECISION,
    source TEXT NOT NULL,
    recorded_in BIGINT NOT NULL,
    retracted_in BIGINT
);
CREATE INDEX register_relationship_key ON register_relationship (rkey, retracted_in);

CREATE TABLE register_population (
    rkey TEXT NOT NULL,
    area_id TEXT NOT NULL,
    measure TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    as_of DATE NOT NULL,
    source TEXT NOT NULL,
    recorded_in BIGINT NOT NULL,
    retracted_in BIGINT
);
CREATE INDEX register_population_key ON register_population (rkey, retracted_in);
CREATE TABLE register_board_member (
    rkey TEXT NOT NULL,
    member_id TEXT NOT NULL,
    board_id TEXT NOT NULL,
    person TEXT NOT NULL,
    role TEXT NOT NULL,
    nominated_by TEXT,
    is_councillor TEXT NOT NULL,
    valid_from DATE,
    valid_to DATE,
    source TEXT NOT NULL,
    recorded_in BIGINT NOT NULL,
    retracted_in BIGINT
);
CREATE INDEX register_board_member_key ON register_board_member (rkey, retracted_in);
