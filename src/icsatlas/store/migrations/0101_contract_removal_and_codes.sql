-- Removing a contract (`icsatlas contracts remove`): the removal is a change in the audit
-- log, and an OCDS contract stays removed when later releases of its process are compiled.
CREATE TABLE contract_removal (
    contract_key TEXT NOT NULL,
    ocid TEXT,
    change_id BIGINT NOT NULL,
    PRIMARY KEY (contract_key, change_id)
);
-- Area codes are named for their code system: the ICB's ODS code.
ALTER TABLE contract RENAME COLUMN icb_ods TO icb_ods_code;
ALTER TABLE kpi_series RENAME COLUMN icb_ods TO icb_ods_code;
-- A KPI standard that is a parameter (e.g. the 95% A&E standard) is named, not copied, so
-- the value in force (and any --parameters override) applies when SPC runs.
ALTER TABLE kpi_series ADD COLUMN target_parameter TEXT;
