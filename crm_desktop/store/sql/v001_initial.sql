-- Schema v1: the initial Rapport schema. Frozen: never edit; add a new version instead.

CREATE TABLE "candidate" ("id" INTEGER NOT NULL PRIMARY KEY, "first_name" TEXT NOT NULL COLLATE NOCASE, "last_name" TEXT NOT NULL COLLATE NOCASE, "headline" TEXT NOT NULL, "company_name" TEXT NOT NULL COLLATE NOCASE, "location" TEXT NOT NULL COLLATE NOCASE, "skills" TEXT NOT NULL, "source" TEXT NOT NULL, "status" TEXT NOT NULL, "preferred_language" TEXT NOT NULL, "birthday_month" INTEGER, "birthday_day" INTEGER, "birthday_year" INTEGER, "birthday_md" INTEGER, "joined_on" TEXT, "joined_md" INTEGER, "follow_up_days" INTEGER, "notes" TEXT NOT NULL, "concerns" TEXT NOT NULL, "career_goals" TEXT NOT NULL, "consent_date" TEXT, "consent_basis" TEXT NOT NULL, "referred_by_id" INTEGER, "last_contacted_at" TEXT, "created_at" TEXT NOT NULL, "updated_at" TEXT NOT NULL, "deleted_at" TEXT, FOREIGN KEY ("referred_by_id") REFERENCES "candidate" ("id") ON DELETE SET NULL);

CREATE TABLE "company" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT NOT NULL COLLATE NOCASE, "website" TEXT NOT NULL, "notes" TEXT NOT NULL, "created_at" TEXT NOT NULL, "updated_at" TEXT NOT NULL);

CREATE TABLE "job" ("id" INTEGER NOT NULL PRIMARY KEY, "company_id" INTEGER, "title" TEXT NOT NULL COLLATE NOCASE, "description" TEXT NOT NULL, "location" TEXT NOT NULL, "salary_min" INTEGER, "salary_max" INTEGER, "currency" TEXT NOT NULL, "openings" INTEGER NOT NULL, "status" TEXT NOT NULL, "created_at" TEXT NOT NULL, "updated_at" TEXT NOT NULL, FOREIGN KEY ("company_id") REFERENCES "company" ("id") ON DELETE SET NULL);

CREATE TABLE "application" ("id" INTEGER NOT NULL PRIMARY KEY, "candidate_id" INTEGER NOT NULL, "job_id" INTEGER NOT NULL, "stage" TEXT NOT NULL, "stage_changed_at" TEXT NOT NULL, "informed_at" TEXT, "candidate_feedback" TEXT NOT NULL, "assessment" TEXT NOT NULL, "interview_at" TEXT, "created_at" TEXT NOT NULL, FOREIGN KEY ("candidate_id") REFERENCES "candidate" ("id") ON DELETE CASCADE, FOREIGN KEY ("job_id") REFERENCES "job" ("id") ON DELETE CASCADE);

CREATE TABLE "attachment" ("id" INTEGER NOT NULL PRIMARY KEY, "candidate_id" INTEGER NOT NULL, "filename" TEXT NOT NULL, "sha256" TEXT NOT NULL, "size" INTEGER NOT NULL, "mime_type" TEXT NOT NULL, "added_at" TEXT NOT NULL, FOREIGN KEY ("candidate_id") REFERENCES "candidate" ("id") ON DELETE CASCADE);

CREATE TABLE "tag" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT NOT NULL COLLATE NOCASE, "colour" TEXT NOT NULL);

CREATE TABLE "candidate_tag" ("id" INTEGER NOT NULL PRIMARY KEY, "candidate_id" INTEGER NOT NULL, "tag_id" INTEGER NOT NULL, FOREIGN KEY ("candidate_id") REFERENCES "candidate" ("id") ON DELETE CASCADE, FOREIGN KEY ("tag_id") REFERENCES "tag" ("id") ON DELETE CASCADE);

CREATE TABLE "contact_point" ("id" INTEGER NOT NULL PRIMARY KEY, "candidate_id" INTEGER NOT NULL, "kind" TEXT NOT NULL, "value" TEXT NOT NULL, "label" TEXT NOT NULL, "is_primary" INTEGER NOT NULL, "digits" TEXT NOT NULL, FOREIGN KEY ("candidate_id") REFERENCES "candidate" ("id") ON DELETE CASCADE);

CREATE TABLE "interaction" ("id" INTEGER NOT NULL PRIMARY KEY, "candidate_id" INTEGER NOT NULL, "kind" TEXT NOT NULL, "direction" TEXT NOT NULL, "occurred_at" TEXT NOT NULL, "duration_minutes" INTEGER, "summary" TEXT NOT NULL, "body" TEXT NOT NULL, "job_id" INTEGER, "template_name" TEXT, "created_at" TEXT NOT NULL, "updated_at" TEXT NOT NULL, FOREIGN KEY ("candidate_id") REFERENCES "candidate" ("id") ON DELETE CASCADE, FOREIGN KEY ("job_id") REFERENCES "job" ("id") ON DELETE SET NULL);

CREATE TABLE "occurrence_state" ("id" INTEGER NOT NULL PRIMARY KEY, "kind" TEXT NOT NULL, "candidate_id" INTEGER NOT NULL, "occurs_on" TEXT NOT NULL, "done_at" TEXT, "notified_at" TEXT, FOREIGN KEY ("candidate_id") REFERENCES "candidate" ("id") ON DELETE CASCADE);

CREATE TABLE "reminder" ("id" INTEGER NOT NULL PRIMARY KEY, "title" TEXT NOT NULL, "notes" TEXT NOT NULL, "due_at" TEXT NOT NULL, "recurrence" TEXT NOT NULL, "candidate_id" INTEGER, "job_id" INTEGER, "interaction_id" INTEGER, "done_at" TEXT, "snoozed_until" TEXT, "notified_at" TEXT, "created_at" TEXT NOT NULL, FOREIGN KEY ("candidate_id") REFERENCES "candidate" ("id") ON DELETE CASCADE, FOREIGN KEY ("job_id") REFERENCES "job" ("id") ON DELETE SET NULL, FOREIGN KEY ("interaction_id") REFERENCES "interaction" ("id") ON DELETE SET NULL);

CREATE TABLE "setting" ("key" TEXT NOT NULL PRIMARY KEY, "value" TEXT NOT NULL);

CREATE TABLE "template" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT NOT NULL, "purpose" TEXT NOT NULL, "subject" TEXT NOT NULL, "body" TEXT NOT NULL, "updated_at" TEXT NOT NULL);

CREATE INDEX "candidate_company_name" ON "candidate" ("company_name");

CREATE INDEX "candidate_location" ON "candidate" ("location");

CREATE INDEX "candidate_source" ON "candidate" ("source");

CREATE INDEX "candidate_status" ON "candidate" ("status");

CREATE INDEX "candidate_birthday_md" ON "candidate" ("birthday_md");

CREATE INDEX "candidate_joined_md" ON "candidate" ("joined_md");

CREATE INDEX "candidate_referred_by_id" ON "candidate" ("referred_by_id");

CREATE INDEX "candidate_last_contacted_at" ON "candidate" ("last_contacted_at");

CREATE INDEX "candidate_updated_at" ON "candidate" ("updated_at");

CREATE INDEX "candidate_deleted_at" ON "candidate" ("deleted_at");

CREATE INDEX "candidate_last_name_first_name" ON "candidate" ("last_name", "first_name");

CREATE UNIQUE INDEX "company_name" ON "company" ("name");

CREATE INDEX "job_company_id" ON "job" ("company_id");

CREATE INDEX "job_status" ON "job" ("status");

CREATE INDEX "application_candidate_id" ON "application" ("candidate_id");

CREATE INDEX "application_job_id" ON "application" ("job_id");

CREATE INDEX "application_stage" ON "application" ("stage");

CREATE INDEX "application_interview_at" ON "application" ("interview_at");

CREATE UNIQUE INDEX "application_candidate_id_job_id" ON "application" ("candidate_id", "job_id");

CREATE INDEX "attachment_candidate_id" ON "attachment" ("candidate_id");

CREATE INDEX "attachment_sha256" ON "attachment" ("sha256");

CREATE UNIQUE INDEX "tag_name" ON "tag" ("name");

CREATE INDEX "candidate_tag_candidate_id" ON "candidate_tag" ("candidate_id");

CREATE INDEX "candidate_tag_tag_id" ON "candidate_tag" ("tag_id");

CREATE UNIQUE INDEX "candidate_tag_candidate_id_tag_id" ON "candidate_tag" ("candidate_id", "tag_id");

CREATE INDEX "contact_point_candidate_id" ON "contact_point" ("candidate_id");

CREATE INDEX "contact_point_digits" ON "contact_point" ("digits");

CREATE INDEX "contact_point_kind_value" ON "contact_point" ("kind", "value");

CREATE INDEX "interaction_candidate_id" ON "interaction" ("candidate_id");

CREATE INDEX "interaction_job_id" ON "interaction" ("job_id");

CREATE INDEX "interaction_candidate_id_occurred_at" ON "interaction" ("candidate_id", "occurred_at");

CREATE INDEX "occurrence_state_candidate_id" ON "occurrence_state" ("candidate_id");

CREATE UNIQUE INDEX "occurrence_state_kind_candidate_id_occurs_on" ON "occurrence_state" ("kind", "candidate_id", "occurs_on");

CREATE INDEX "reminder_due_at" ON "reminder" ("due_at");

CREATE INDEX "reminder_candidate_id" ON "reminder" ("candidate_id");

CREATE INDEX "reminder_job_id" ON "reminder" ("job_id");

CREATE INDEX "reminder_interaction_id" ON "reminder" ("interaction_id");

CREATE INDEX "reminder_done_at" ON "reminder" ("done_at");

CREATE UNIQUE INDEX "template_name" ON "template" ("name");
