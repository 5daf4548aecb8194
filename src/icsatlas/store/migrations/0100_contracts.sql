-- Contracts: OCDS releases and compiled records, contracts with parties linked to the
-- register, KPI series, Provider Selection Regime decisions. Every import is one change
-- in the audit log (change_id).
CREATE SEQUENCE contract_import_seq START 1;
CREATE TABLE contract_import (
    import_id BIGINT PRIMARY KEY DEFAULT nextval('contract_import_seq'),
    change_id BIGINT NOT NULL,
    source TEXT NOT NULL,
    format TEXT NOT NULL,
    ocds_version TEXT,
    imported_at TIMESTAMP NOT NULL,
    items INTEGER NOT NULL
);
CREATE TABLE ocds_release (
    ocid TEXT NOT NULL,
    release_id TEXT NOT NULL,
    release_date TEXT NOT NULL,
    tags TEXT,
    ocds_version TEXT NOT NULL,
    import_id BIGINT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (ocid, release_id)
);
CREATE TABLE ocds_record (
    ocid TEXT PRIMARY KEY,
    ocds_version TEXT NOT NULL,
    compiled TEXT NOT NULL,
    import_id BIGINT NOT NULL
);
CREATE TABLE contract_party (
    ocid TEXT NOT NULL,
    party_id TEXT NOT NULL,
    name TEXT,
    roles TEXT,
    identifier TEXT,
    org_id TEXT,
    org_type TEXT,
    party_class TEXT NOT NULL,
    class_basis TEXT NOT NULL,
    PRIMARY KEY (ocid, party_id)
);
CREATE TABLE contract (
    contract_key TEXT PRIMARY KEY,
    ocid TEXT,
    contract_id TEXT NOT NULL,
    title TEXT,
    status TEXT,
    buyer_name TEXT,
    buyer_org_id TEXT,
    buyer_class TEXT,
    icb_ods TEXT,
    supplier_name TEXT,
    supplier_identifier TEXT,
    supplier_org_id TEXT,
    supplier_class TEXT,
    supplier_class_basis TEXT,
    service_category TEXT,
    value_amount DOUBLE PRECISION,
    currency TEXT,
    start_date DATE,
    end_date DATE,
    date_signed DATE,
    procurement_method TEXT,
    procurement_route TEXT,
    previous_supplier TEXT,
    source TEXT NOT NULL,
    import_id BIGINT NOT NULL
);
CREATE TABLE contract_amendment (
    contract_key TEXT NOT NULL,
    amendment_id TEXT NOT NULL,
    amendment_date DATE,
    description TEXT,
    value_amount DOUBLE PRECISION,
    end_date DATE,
    PRIMARY KEY (contract_key, amendment_id)
);
CREATE TABLE supplier_classification (
    identifier TEXT PRIMARY KEY,
    name TEXT,
    party_class TEXT NOT NULL,
    owner_org_id TEXT,
    evidence TEXT NOT NULL,
    change_id BIGINT NOT NULL
);
CREATE SEQUENCE kpi_series_seq START 1;
CREATE TABLE kpi_series (
    series_id BIGINT PRIMARY KEY DEFAULT nextval('kpi_series_seq'),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    unit TEXT,
    improvement TEXT NOT NULL,
    target DOUBLE PRECISION,
    contract_key TEXT,
    provider_code TEXT,
    icb_ods TEXT,
    source TEXT NOT NULL,
    change_id BIGINT NOT NULL
);
CREATE TABLE kpi_point (
    series_id BIGINT NOT NULL,
    period DATE NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (series_id, period)
);
CREATE SEQUENCE psr_decision_seq START 1;
CREATE TABLE psr_decision (
    decision_id BIGINT PRIMARY KEY DEFAULT nextval('psr_decision_seq'),
    reference TEXT NOT NULL UNIQUE,
    authority TEXT NOT NULL,
    provider TEXT,
    service TEXT,
    process TEXT NOT NULL,
    contract_value DOUBLE PRECISION,
    decision_date DATE,
    intention_notice_date DATE,
    representations_date DATE,
    representations_decision_date DATE,
    award_date DATE,
    award_notice_date DATE,
    ocid TEXT,
    change_id BIGINT NOT NULL
);
