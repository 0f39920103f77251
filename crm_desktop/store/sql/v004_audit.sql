-- Schema v4: an audit trail of privacy actions (a candidate erased on request).
-- Frozen: never edit; add a new version instead.
--
-- Each line says what was done and when, and how many rows of each kind went, but never who:
-- no name, no e-mail, not even the erased candidate's id (SQLite may give that id to the next
-- new candidate, and the line would then seem to point at them).

CREATE TABLE "audit_log" ("id" INTEGER NOT NULL PRIMARY KEY, "at" TEXT NOT NULL, "action" TEXT NOT NULL, "detail" TEXT NOT NULL);

CREATE INDEX "audit_log_at" ON "audit_log" ("at");
