-- Postgres takes ticket numbers from a sequence from this version on (its transactions ran
-- one after another on the counter row). SQLite has a single writer: the counter stays.
SELECT 1;
