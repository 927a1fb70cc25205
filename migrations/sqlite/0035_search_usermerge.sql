-- The search index's segments are merged in idle time (store::search::merge_step), any two
-- of a level at a time; FTS5's own merges while writing wait for four. The setting is kept
-- in the index's own configuration table.
INSERT INTO search_fts (search_fts, rank) VALUES ('usermerge', 2);
