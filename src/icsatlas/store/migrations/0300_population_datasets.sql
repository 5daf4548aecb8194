-- Populations held in the workspace (synthetic or imported); the data live as Parquet under
-- $ICSATLAS_HOME/population/<name>/, this table says what each one is for the API and audit.
CREATE TABLE population_datasets (
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    people BIGINT NOT NULL,
    extract_date DATE NOT NULL,
    seed INTEGER,
    fraction DOUBLE PRECISION,
    source TEXT,
    parameters TEXT,
    recorded_at TIMESTAMP NOT NULL,
    change_id BIGINT NOT NULL
);
