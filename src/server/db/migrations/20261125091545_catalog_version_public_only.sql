-- Cached search results are dropped only when a statement touches a job that is (or was) open:
-- drafts, pending and held jobs change nothing the public sees.
DROP TRIGGER "jobs_bump_catalog_version" ON "jobs";
--> statement-breakpoint
CREATE FUNCTION "bump_catalog_version_if_public"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  touches_public boolean;
BEGIN
  -- Only a statement that touches an open job (before or after it) can change what the public sees.
  -- Each branch reads only the transition tables its event has.
  IF TG_OP = 'INSERT' THEN
    touches_public := EXISTS (SELECT 1 FROM "new_rows" WHERE "status" = 'open');
  ELSIF TG_OP = 'UPDATE' THEN
    touches_public := EXISTS (SELECT 1 FROM "new_rows" WHERE "status" = 'open')
      OR EXISTS (SELECT 1 FROM "old_rows" WHERE "status" = 'open');
  ELSE
    touches_public := EXISTS (SELECT 1 FROM "old_rows" WHERE "status" = 'open');
  END IF;
  IF touches_public THEN
    UPDATE "catalog_state" SET "version" = "version" + 1 WHERE "id" = 1;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "jobs_catalog_insert" AFTER INSERT ON "jobs" REFERENCING NEW TABLE AS "new_rows"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalog_version_if_public"();
--> statement-breakpoint
CREATE TRIGGER "jobs_catalog_update" AFTER UPDATE ON "jobs" REFERENCING OLD TABLE AS "old_rows" NEW TABLE AS "new_rows"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalog_version_if_public"();
--> statement-breakpoint
CREATE TRIGGER "jobs_catalog_delete" AFTER DELETE ON "jobs" REFERENCING OLD TABLE AS "old_rows"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalog_version_if_public"();
--> statement-breakpoint
CREATE TRIGGER "jobs_catalog_truncate" AFTER TRUNCATE ON "jobs"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalog_version"();
