CREATE TABLE "job_changes" (
	"xid" "xid8" NOT NULL,
	"job_id" integer,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "job_changes_xid_idx" ON "job_changes" USING btree ("xid");