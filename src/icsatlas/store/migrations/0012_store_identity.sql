-- A random name for this store, written once. Notes kept beside it (a population swap in
-- progress: icsatlas.store.journal) say by it which store decides them, without its URL.
CREATE TABLE store_identity (id VARCHAR NOT NULL);
INSERT INTO store_identity (id) SELECT CAST(gen_random_uuid() AS VARCHAR);
