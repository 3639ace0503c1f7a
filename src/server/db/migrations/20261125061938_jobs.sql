CREATE SEQUENCE "public"."requisition_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "job_principles" (
	"job_id" integer NOT NULL,
	"principle_id" integer NOT NULL,
	"position" smallint NOT NULL,
	CONSTRAINT "job_principles_job_id_principle_id_pk" PRIMARY KEY("job_id","principle_id")
);
--> statement-breakpoint
CREATE TABLE "job_questions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "job_questions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"job_id" integer NOT NULL,
	"position" smallint NOT NULL,
	"label" text NOT NULL,
	"kind" text NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"options" text[] DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "jobs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 100001 CACHE 1),
	"uuid" uuid DEFAULT gen_random_uuid() NOT NULL,
	"requisition_id" text DEFAULT 'REQ-' || lpad(nextval('requisition_seq')::text, 7, '0') NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"team_id" integer NOT NULL,
	"category" text NOT NULL,
	"level" smallint NOT NULL,
	"employment_type" text NOT NULL,
	"workplace_type" text NOT NULL,
	"applicant_countries" text[] DEFAULT '{}' NOT NULL,
	"locations" jsonb DEFAULT '[]' NOT NULL,
	"countries" text[] DEFAULT '{}' NOT NULL,
	"cities" text[] DEFAULT '{}' NOT NULL,
	"description_md" text NOT NULL,
	"basic_qualifications" text[] DEFAULT '{}' NOT NULL,
	"preferred_qualifications" text[] DEFAULT '{}' NOT NULL,
	"pay_currency" text,
	"pay_min" numeric,
	"pay_max" numeric,
	"pay_unit" text,
	"pay_max_annual" numeric,
	"status" text NOT NULL,
	"headcount" integer DEFAULT 1 NOT NULL,
	"posted_at" timestamp with time zone,
	"closes_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"search_doc" "tsvector" NOT NULL,
	CONSTRAINT "jobs_uuid_unique" UNIQUE("uuid"),
	CONSTRAINT "jobs_requisition_id_unique" UNIQUE("requisition_id")
);
--> statement-breakpoint
CREATE TABLE "title_words" (
	"word" text PRIMARY KEY NOT NULL,
	"jobs" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "job_principles" ADD CONSTRAINT "job_principles_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_principles" ADD CONSTRAINT "job_principles_principle_id_principles_id_fk" FOREIGN KEY ("principle_id") REFERENCES "public"."principles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_questions" ADD CONSTRAINT "job_questions_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "job_principles_principle_idx" ON "job_principles" USING btree ("principle_id");--> statement-breakpoint
CREATE INDEX "job_questions_job_idx" ON "job_questions" USING btree ("job_id","position");--> statement-breakpoint
CREATE INDEX "jobs_search_doc_idx" ON "jobs" USING gin ("search_doc");--> statement-breakpoint
CREATE INDEX "jobs_public_posted_idx" ON "jobs" USING btree ("posted_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "jobs"."status" = 'open';--> statement-breakpoint
CREATE INDEX "jobs_team_idx" ON "jobs" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "jobs_countries_idx" ON "jobs" USING gin ("countries");--> statement-breakpoint
CREATE INDEX "jobs_cities_idx" ON "jobs" USING gin ("cities");--> statement-breakpoint
CREATE INDEX "title_words_trgm_idx" ON "title_words" USING gin ("word" gin_trgm_ops);