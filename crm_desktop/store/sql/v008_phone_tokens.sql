-- Schema v8: three search tokens per phone number instead of every trailing part of it.
-- Frozen: never edit; add a new version instead.
--
-- Up to v7 the index held every trailing part (4 digits or more) of each number's digits, built
-- per row by a Python function: ~9 tokens per phone, each also written to the 2- and 3-character
-- prefix indexes. v8 stores three tokens, built by plain SQL from the digits column:
--
--   1. the digits without leading zeros          +49 170 1234567 -> 491701234567
--                                                0170 1234567    -> 1701234567
--   2. for an international number (written with + or 00), the national number: after the
--      country code (1, 2 or 3 digits, told apart by the ITU's prefix-free list) and without a
--      trunk zero                                 +44 (0)20 7946 0958 -> 2079460958
--   3. U+E000 (a private-use character, so no word can collide with it) followed by the last 20
--      digits reversed                            +49 170 1234567 -> U+E000 765432107194
--
-- A typed number then matches as a prefix of (1) or (2), or, with 4 digits or more, as a suffix
-- through a prefix of (3) (store/search.py builds the query). An infix that is neither (79460 in
-- +44 20 7946 0958) no longer matches, unless it is a word of the number as written (7946).
-- No Python function is called per row, so any thread can fill the index with one statement
-- (store/search_index.py) while the importer keeps parsing.
--
-- The index text changes, so the table is recreated and rebuilt from its content. It keeps only
-- the 3-character prefix index: the 2-character one made every indexed word cost three writes
-- instead of two (a 150,000-row import 0.6 s slower, this rebuild at 1.5M timeline entries
-- ~40% slower) to save ~20 ms on two-letter searches that match most of the book.

DROP VIEW candidate_search_source;

CREATE VIEW candidate_search_source AS
SELECT
    c.id AS id,
    c.first_name || ' ' || c.last_name AS name,
    c.headline || ' ' || c.company_name || ' ' || c.location || ' ' || c.skills || ' ' || c.source AS profile,
    c.notes || ' ' || c.concerns || ' ' || c.career_goals || ' ' || c.motivations || ' ' || c.target_roles || ' ' || c.certifications_held || ' ' || c.certifications_recommended || ' ' || c.achievements AS notes,
    (SELECT group_concat(
        cp.value || CASE WHEN cp.digits = '' THEN '' ELSE
            ' ' || ltrim(cp.digits, '0') ||
            CASE WHEN substr(ltrim(cp.value), 1, 1) = '+' OR cp.digits LIKE '00%' THEN
                ' ' || ltrim(substr(ltrim(cp.digits, '0'),
                    CASE WHEN substr(ltrim(cp.digits, '0'), 1, 1) IN ('1', '7') THEN 2
                         WHEN substr(ltrim(cp.digits, '0'), 1, 2) IN ('20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49', '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '81', '82', '84', '86', '90', '91', '92', '93', '94', '95', '98') THEN 3
                         ELSE 4 END), '0')
            ELSE '' END ||
            ' ' || char(57344) ||
                 substr(cp.digits, -1, 1) || substr(cp.digits, -2, 1) || substr(cp.digits, -3, 1) || substr(cp.digits, -4, 1) || substr(cp.digits, -5, 1) ||
                 substr(cp.digits, -6, 1) || substr(cp.digits, -7, 1) || substr(cp.digits, -8, 1) || substr(cp.digits, -9, 1) || substr(cp.digits, -10, 1) ||
                 substr(cp.digits, -11, 1) || substr(cp.digits, -12, 1) || substr(cp.digits, -13, 1) || substr(cp.digits, -14, 1) || substr(cp.digits, -15, 1) ||
                 substr(cp.digits, -16, 1) || substr(cp.digits, -17, 1) || substr(cp.digits, -18, 1) || substr(cp.digits, -19, 1) || substr(cp.digits, -20, 1)
        END, ' ')
       FROM contact_point cp WHERE cp.candidate_id = c.id) AS contacts,
    (SELECT group_concat(i.summary || ' ' || i.body, ' ')
       FROM interaction i WHERE i.candidate_id = c.id) AS timeline
FROM candidate c;

DROP TABLE candidate_fts;

CREATE VIRTUAL TABLE candidate_fts USING fts5(
    name, profile, notes, contacts, timeline,
    content='candidate_search_source',
    content_rowid='id',
    tokenize="unicode61 remove_diacritics 2",
    prefix='3'
);

INSERT INTO candidate_fts(candidate_fts) VALUES ('rebuild');
