-- One geography from the register: postcodes and other codes of organisations (GP practice
-- postcodes, councils' alternative ONS codes), place names of sub-ICB locations with how
-- each was derived, and the share of the object's population an overlap covers.
ALTER TABLE register_organisation ADD COLUMN postcode TEXT;
ALTER TABLE register_organisation ADD COLUMN other_codes TEXT;
ALTER TABLE register_area ADD COLUMN place_name TEXT;
ALTER TABLE register_area ADD COLUMN place_basis TEXT;
ALTER TABLE register_relationship ADD COLUMN object_share DOUBLE PRECISION;
