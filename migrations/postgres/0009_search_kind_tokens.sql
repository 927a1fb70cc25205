-- The SQLite index gained kind tokens in this step (see migrations/sqlite/0009). Postgres
-- keeps each document's kind in its own column and needs no change; this file keeps the two
-- migration histories numbered alike.
SELECT 1;
