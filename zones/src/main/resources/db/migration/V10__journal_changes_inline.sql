-- The records a journal entry removed and added, in its own row (JournalText: one line per record),
-- so that an edit writes one journal row rather than one more row per record in journal_records,
-- whose B-tree and index every commit then had to write too. Entries written before this column
-- existed, and entries too large for it, keep their records in journal_records (changes is NULL).
-- Portable SQL (H2 2.x and PostgreSQL).
ALTER TABLE journal ADD COLUMN changes VARCHAR(1000000);
