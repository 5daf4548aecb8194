-- The audit log as a hash chain: each entry commits to the one before it, so an entry edited,
-- deleted or reordered after the fact is detected by `icsatlas log verify`. Entries recorded
-- before this migration are sealed, in order, when it is applied (store/audit.py: seal).
ALTER TABLE change_log ADD COLUMN prev_hash TEXT;
ALTER TABLE change_log ADD COLUMN entry_hash TEXT;
