-- Trigram matching for typo-tolerant title search. PGlite registers the extension in PGlite.create.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
