-- Schema v3: consult fields on the candidate, template metadata, and the insights library.
-- Frozen: never edit; add a new version instead.
--
-- 1. The candidate's career profile (what the recruiter advises on). Plain text, '' when unknown.
-- 2. Templates learn their language (so a German candidate gets the German default), the kind of
--    timeline entry a sent message is logged as, and which shipped default they came from
--    (builtin_key, NULL for the recruiter's own), so "reset to default" works and a deleted
--    default is never re-seeded.
-- 3. Insights: the recruiter's notes to share (industry news, certifications, tips), tagged,
--    with their own small FTS5 index (external content, kept in sync by triggers).
-- 4. The candidate search view also indexes the new career fields. The index itself is not
--    rebuilt: every existing row has '' in the new columns, which adds no token, so each stored
--    document still equals what the new view yields (the migration test checks exactly that
--    with the FTS5 integrity-check). The two candidate update triggers are recreated so that
--    editing a career field re-indexes the candidate.

ALTER TABLE "candidate" ADD COLUMN "motivations" TEXT NOT NULL DEFAULT '';

ALTER TABLE "candidate" ADD COLUMN "notice_period" TEXT NOT NULL DEFAULT '';

ALTER TABLE "candidate" ADD COLUMN "expected_salary" TEXT NOT NULL DEFAULT '';

ALTER TABLE "candidate" ADD COLUMN "target_roles" TEXT NOT NULL DEFAULT '';

ALTER TABLE "candidate" ADD COLUMN "certifications_held" TEXT NOT NULL DEFAULT '';

ALTER TABLE "candidate" ADD COLUMN "certifications_recommended" TEXT NOT NULL DEFAULT '';

ALTER TABLE "candidate" ADD COLUMN "achievements" TEXT NOT NULL DEFAULT '';

ALTER TABLE "template" ADD COLUMN "language" TEXT NOT NULL DEFAULT '';

ALTER TABLE "template" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'email';

ALTER TABLE "template" ADD COLUMN "builtin_key" TEXT;

CREATE TABLE "insight" ("id" INTEGER NOT NULL PRIMARY KEY, "title" TEXT NOT NULL COLLATE NOCASE, "body" TEXT NOT NULL, "topic" TEXT NOT NULL COLLATE NOCASE, "tags" TEXT NOT NULL, "created_at" TEXT NOT NULL, "updated_at" TEXT NOT NULL);

CREATE INDEX "insight_updated_at" ON "insight" ("updated_at");

CREATE VIRTUAL TABLE insight_fts USING fts5(
    title, body, topic, tags,
    content='insight',
    content_rowid='id',
    tokenize="unicode61 remove_diacritics 2",
    prefix='2 3'
);

CREATE TRIGGER insight_fts_ai AFTER INSERT ON insight BEGIN
    INSERT INTO insight_fts(rowid, title, body, topic, tags)
    VALUES (new.id, new.title, new.body, new.topic, new.tags);
END;

CREATE TRIGGER insight_fts_ad AFTER DELETE ON insight BEGIN
    INSERT INTO insight_fts(insight_fts, rowid, title, body, topic, tags)
    VALUES ('delete', old.id, old.title, old.body, old.topic, old.tags);
END;

CREATE TRIGGER insight_fts_au AFTER UPDATE OF title, body, topic, tags ON insight BEGIN
    INSERT INTO insight_fts(insight_fts, rowid, title, body, topic, tags)
    VALUES ('delete', old.id, old.title, old.body, old.topic, old.tags);
    INSERT INTO insight_fts(rowid, title, body, topic, tags)
    VALUES (new.id, new.title, new.body, new.topic, new.tags);
END;

DROP TRIGGER candidate_fts_bu;

DROP TRIGGER candidate_fts_au;

DROP VIEW candidate_search_source;

CREATE VIEW candidate_search_source AS
SELECT
    c.id AS id,
    c.first_name || ' ' || c.last_name AS name,
    c.headline || ' ' || c.company_name || ' ' || c.location || ' ' || c.skills || ' ' || c.source AS profile,
    c.notes || ' ' || c.concerns || ' ' || c.career_goals || ' ' || c.motivations || ' ' || c.target_roles || ' ' || c.certifications_held || ' ' || c.certifications_recommended || ' ' || c.achievements AS notes,
    (SELECT group_concat(cp.value || ' ' || rapport_digit_suffixes(cp.digits), ' ')
       FROM contact_point cp WHERE cp.candidate_id = c.id) AS contacts,
    (SELECT group_concat(i.summary || ' ' || i.body, ' ')
       FROM interaction i WHERE i.candidate_id = c.id) AS timeline
FROM candidate c;

CREATE TRIGGER candidate_fts_bu BEFORE UPDATE OF first_name, last_name, headline, company_name, location, skills, source, notes, concerns, career_goals, motivations, target_roles, certifications_held, certifications_recommended, achievements ON candidate BEGIN
    INSERT INTO candidate_fts(candidate_fts, rowid, name, profile, notes, contacts, timeline)
    SELECT 'delete', id, name, profile, notes, contacts, timeline FROM candidate_search_source WHERE id = old.id;
END;

CREATE TRIGGER candidate_fts_au AFTER UPDATE OF first_name, last_name, headline, company_name, location, skills, source, notes, concerns, career_goals, motivations, target_roles, certifications_held, certifications_recommended, achievements ON candidate BEGIN
    INSERT INTO candidate_fts(rowid, name, profile, notes, contacts, timeline)
    SELECT id, name, profile, notes, contacts, timeline FROM candidate_search_source WHERE id = new.id;
END;
