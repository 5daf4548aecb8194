"""Open Contracting Data Standard input: read, validate, merge into compiled records."""
