-- Schema v6: the index the follow-up Today source reads (core/follow_ups.py).
-- Frozen: never edit; add a new version instead.
--
-- Each follow-up query is a range over one cadence and one status ordered by last contact;
-- without this index SQLite had only the status index and read every candidate of the status
-- (about a second at 150,000 candidates, on every Today refresh).

CREATE INDEX "candidate_live_follow_up" ON "candidate" ("follow_up_days", "status", "last_contacted_at") WHERE "deleted_at" IS NULL;
