-- Schema v2: full-text search over candidates, their contact points and their timeline.
-- Frozen: never edit; add a new version instead.
--
-- One FTS5 document per candidate (rowid = candidate id) so that several words narrow the
-- result (AND) across profile, contacts and timeline in one MATCH. The table is
-- external-content over a view, so the text is not stored twice; triggers keep it in sync
-- from every write path. They delete the old document (computed from the view *before* the
-- change) and insert the new one (after it). Contact and timeline triggers skip candidates that
-- no longer exist: a candidate delete removes the document itself, and its cascades then run
-- with the parent row already gone. rapport_digit_suffixes() is registered by the store on
-- every connection: it indexes phone digits so any trailing part of a number matches.

CREATE VIEW candidate_search_source AS
SELECT
    c.id AS id,
    c.first_name || ' ' || c.last_name AS name,
    c.headline || ' ' || c.company_name || ' ' || c.location || ' ' || c.skills || ' ' || c.source AS profile,
    c.notes || ' ' || c.concerns || ' ' || c.career_goals AS notes,
    (SELECT group_concat(cp.value || ' ' || rapport_digit_suffixes(cp.digits), ' ')
       FROM contact_point cp WHERE cp.candidate_id = c.id) AS contacts,
    (SELECT group_concat(i.summary || ' ' || i.body, ' ')
       FROM interaction i WHERE i.candidate_id = c.id) AS timeline
FROM candidate c;

CREATE VIRTUAL TABLE candidate_fts USING fts5(
    name, profile, notes, contacts, timeline,
    content='candidate_search_source',
    content_rowid='id',
    tokenize="unicode61 remove_diacritics 2",
    prefix='2 3'
);

CREATE TRIGGER candidate_fts_ai AFTER INSERT ON candidate BEGIN
    INSERT INTO candidate_fts(rowid, name, profile, notes, contacts, timeline)
    SELECT id, name, profile, notes, contacts, timeline FROM candidate_search_source WHERE id = new.id;
END;

CREATE TRIGGER candidate_fts_bu BEFORE UPDATE OF first_name, last_name, headline, company_name, location, skills, source, notes, concerns, career_goals ON candidate BEGIN
    INSERT INTO candidate_fts(candidate_fts, rowid, name, profile, notes, contacts, timeline)
    SELECT 'delete', id, name, profile, notes, contacts, timeline FROM candidate_search_source WHERE id = old.id;
END;

CREATE TRIGGER candidate_fts_au AFTER UPDATE OF first_name, last_name, headline, company_name, location, skills, source, notes, concerns, career_goals ON candidate BEGIN
    INSERT INTO candidate_fts(rowid, name, profile, notes, contacts, timeline)
    SELECT id, name, profile, notes, contacts, timeline FROM candidate_search_source WHERE id = new.id;
END;

CREATE TRIGGER candidate_fts_bd BEFORE DELETE ON candidate BEGIN
    INSERT INTO candidate_fts(candidate_fts, rowid, name, profile, notes, contacts, timeline)
    SELECT 'delete', id, name, profile, notes, contacts, timeline FROM candidate_search_source WHERE id = old.id;
END;

CREATE TRIGGER contact_point_fts_bi BEFORE INSERT ON contact_point BEGIN
    INSERT INTO candidate_fts(candidate_fts, rowid, name, profile, notes, contacts, timeline)
    SELECT 'delete', id, name, profile, notes, contacts, timeline FROM candidate_search_source WHERE id = new.candidate_id;
END;

CREATE TRIGGER contact_point_fts_ai AFTER INSERT ON contact_point BEGIN
    INSERT INTO candidate_fts(rowid, name, profile, notes, contacts, timeline)
    SELECT id, name, profile, notes, contacts, timeline FROM candidate_search_source WHERE id = new.candidate_id;
END;

CREATE TRIGGER contact_point_fts_bu BEFORE UPDATE ON contact_point BEGIN
    INSERT INTO candidate_fts(candidate_fts, rowid, name, profile, notes, contacts, timeline)
    SELECT 'delete', id, name, profile, notes, contacts, timeline FROM candidate_search_source WHERE id IN (old.candidate_id, new.candidate_id);
END;

CREATE TRIGGER contact_point_fts_au AFTER UPDATE ON contact_point BEGIN
    INSERT INTO candidate_fts(rowid, name, profile, notes, contacts, timeline)
    SELECT id, name, profile, notes, contacts, timeline FROM candidate_search_source WHERE id IN (old.candidate_id, new.candidate_id);
END;

CREATE TRIGGER contact_point_fts_bd BEFORE DELETE ON contact_point BEGIN
    INSERT INTO candidate_fts(candidate_fts, rowid, name, profile, notes, contacts, timeline)
    SELECT 'delete', id, name, profile, notes, contacts, timeline FROM candidate_search_source WHERE id = old.candidate_id;
END;

CREATE TRIGGER contact_point_fts_ad AFTER DELETE ON contact_point BEGIN
    INSERT INTO candidate_fts(rowid, name, profile, notes, contacts, timeline)
    SELECT id, name, profile, notes, contacts, timeline FROM candidate_search_source WHERE id = old.candidate_id;
END;

CREATE TRIGGER interaction_fts_bi BEFORE INSERT ON interaction BEGIN
    INSERT INTO candidate_fts(candidate_fts, rowid, name, profile, notes, contacts, timeline)
    SELECT 'delete', id, name, profile, notes, contacts, timeline FROM candidate_search_source WHERE id = new.candidate_id;
END;

CREATE TRIGGER interaction_fts_ai AFTER INSERT ON interaction BEGIN
    INSERT INTO candidate_fts(rowid, name, profile, notes, contacts, timeline)
    SELECT id, name, profile, notes, contacts, timeline FROM candidate_search_source WHERE id = new.candidate_id;
END;

CREATE TRIGGER interaction_fts_bu BEFORE UPDATE OF candidate_id, summary, body ON interaction BEGIN
    INSERT INTO candidate_fts(candidate_fts, rowid, name, profile, notes, contacts, timeline)
    SELECT 'delete', id, name, profile, notes, contacts, timeline FROM candidate_search_source WHERE id IN (old.candidate_id, new.candidate_id);
END;

CREATE TRIGGER interaction_fts_au AFTER UPDATE OF candidate_id, summary, body ON interaction BEGIN
    INSERT INTO candidate_fts(rowid, name, profile, notes, contacts, timeline)
    SELECT id, name, profile, notes, contacts, timeline FROM candidate_search_source WHERE id IN (old.candidate_id, new.candidate_id);
END;

CREATE TRIGGER interaction_fts_bd BEFORE DELETE ON interaction BEGIN
    INSERT INTO candidate_fts(candidate_fts, rowid, name, profile, notes, contacts, timeline)
    SELECT 'delete', id, name, profile, notes, contacts, timeline FROM candidate_search_source WHERE id = old.candidate_id;
END;

CREATE TRIGGER interaction_fts_ad AFTER DELETE ON interaction BEGIN
    INSERT INTO candidate_fts(rowid, name, profile, notes, contacts, timeline)
    SELECT id, name, profile, notes, contacts, timeline FROM candidate_search_source WHERE id = old.candidate_id;
END;

INSERT INTO candidate_fts(candidate_fts) VALUES ('rebuild');
