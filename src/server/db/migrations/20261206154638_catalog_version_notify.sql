-- Every raise of the catalogue version also notifies channel "catalog_version" when its
-- transaction commits. On PGlite the one process that owns the database hears it before the
-- committing statement returns, so it can trust the version it last read until told otherwise
-- instead of reading it for every search. A server's nodes still read it (a notice reaches
-- another connection late).
CREATE FUNCTION "notify_catalog_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('catalog_version', '');
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "catalog_state_notify" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "catalog_state"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_catalog_version"();
