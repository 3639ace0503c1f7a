-- The catalogue triggers also note which open jobs (before or after) each transaction changed,
-- so each node's in-memory search index reloads only those. One set-based insert per statement.
CREATE OR REPLACE FUNCTION "bump_catalog_version_if_public"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed integer;
BEGIN
  -- Each branch reads only the transition tables its event has.
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "job_changes" ("xid", "job_id")
      SELECT pg_current_xact_id(), "id" FROM "new_rows" WHERE "status" = 'open';
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO "job_changes" ("xid", "job_id")
      SELECT pg_current_xact_id(), "id" FROM "new_rows" WHERE "status" = 'open'
      UNION
      SELECT pg_current_xact_id(), "id" FROM "old_rows" WHERE "status" = 'open';
  ELSE
    INSERT INTO "job_changes" ("xid", "job_id")
      SELECT pg_current_xact_id(), "id" FROM "old_rows" WHERE "status" = 'open';
  END IF;
  GET DIAGNOSTICS changed = ROW_COUNT;
  -- Only a statement that touches an open job can change what the public sees.
  IF changed > 0 THEN
    UPDATE "catalog_state" SET "version" = "version" + 1 WHERE "id" = 1;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "bump_catalog_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A truncate: every job changed.
  INSERT INTO "job_changes" ("xid", "job_id") VALUES (pg_current_xact_id(), NULL);
  UPDATE "catalog_state" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END;
$$;
