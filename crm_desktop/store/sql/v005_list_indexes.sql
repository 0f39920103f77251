-- Schema v5: indexes the candidate list sorts by, restricted to live (not trashed) rows.
-- Frozen: never edit; add a new version instead.
--
-- The list query is "WHERE deleted_at IS NULL ORDER BY <column>". With a full index on
-- deleted_at, SQLite chose that index (it wrongly takes IS NULL for selective) and then sorted
-- 150,000 rows in a temporary B-tree: 300-460 ms per sort. Partial indexes WHERE deleted_at IS
-- NULL let it walk the rows already in order, both ways (the rowid is the last key, so the
-- ORDER BY ..., id tie-break is free). The trash keeps a small index of its own.

DROP INDEX "candidate_deleted_at";
CREATE INDEX "candidate_trashed" ON "candidate" ("deleted_at") WHERE "deleted_at" IS NOT NULL;

CREATE INDEX "candidate_live_name" ON "candidate" ("last_name", "first_name") WHERE "deleted_at" IS NULL;
CREATE INDEX "candidate_live_headline" ON "candidate" ("headline" COLLATE NOCASE) WHERE "deleted_at" IS NULL;
CREATE INDEX "candidate_live_company" ON "candidate" ("company_name") WHERE "deleted_at" IS NULL;
CREATE INDEX "candidate_live_location" ON "candidate" ("location") WHERE "deleted_at" IS NULL;
CREATE INDEX "candidate_live_status" ON "candidate" ("status") WHERE "deleted_at" IS NULL;
CREATE INDEX "candidate_live_last_contacted" ON "candidate" ("last_contacted_at") WHERE "deleted_at" IS NULL;

