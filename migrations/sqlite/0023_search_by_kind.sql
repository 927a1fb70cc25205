-- Postgres splits its search documents by kind in this version (its planner needs each
-- kind's own statistics). SQLite's FTS5 index carries the kind as a token already and reads
-- matches newest first: nothing changes here.
SELECT 1;
