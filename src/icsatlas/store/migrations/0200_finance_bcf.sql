-- Better Care Fund pooled contributions entered by users (no per-area BCF data is shipped).
-- Each import is kept whole: later imports supersede earlier figures for the same area,
-- year and funding stream, and the import log says what each file was and whether its
-- figures are published data or a scenario.
CREATE SEQUENCE finance_bcf_import_seq START 1;
CREATE TABLE finance_bcf_import (
    import_id BIGINT PRIMARY KEY DEFAULT nextval('finance_bcf_import_seq'),
    imported_at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    source_file TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    source_description TEXT NOT NULL,
    kind TEXT NOT NULL,
    row_count INTEGER NOT NULL
);
CREATE TABLE finance_bcf_contribution (
    import_id BIGINT NOT NULL,
    area_code TEXT NOT NULL,
    area_name TEXT NOT NULL,
    financial_year TEXT NOT NULL,
    funding_stream TEXT NOT NULL,
    amount_gbp DOUBLE PRECISION NOT NULL,
    population DOUBLE PRECISION,
    PRIMARY KEY (import_id, area_code, financial_year, funding_stream)
);
