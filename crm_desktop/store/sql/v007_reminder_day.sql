-- Schema v7: repeating reminders keep their day of the month; open reminders indexed by due time.
-- Frozen: never edit; add a new version instead.
--
-- repeat_day is the day of the month a monthly or yearly reminder was set for, so one due on
-- 31 January comes round on 28 February and again on 31 March instead of drifting to the 28th.
-- NULL (every reminder written before v7) means the day of its current due date, as before.
--
-- The Today panel and the alert scheduler ask for the open reminders due before a moment; the
-- partial index reads only those, not every reminder ever completed. It replaces the index on
-- done_at, which SQLite preferred (an equality) and which then read every open reminder. No
-- query filters on done_at other than "IS NULL", which the partial index serves.

ALTER TABLE reminder ADD COLUMN repeat_day INTEGER;

CREATE INDEX reminder_open_due ON reminder (due_at) WHERE done_at IS NULL;

DROP INDEX reminder_done_at;
