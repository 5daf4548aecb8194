-- The audit log every domain appends to: who changed what, when, why, on what source.
CREATE SEQUENCE change_log_seq START 1;
CREATE TABLE change_log (
    change_id BIGINT PRIMARY KEY DEFAULT nextval('change_log_seq'),
    recorded_at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    source TEXT,
    detail TEXT
);
