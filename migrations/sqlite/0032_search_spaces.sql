-- Each kind's tokens now live in a space of their own (store::search::DocKind::space), so a
-- search of one kind reads only that kind's entries for a word instead of walking every
-- kind's (issue 10: searching the orders for 退货 read its 419k message entries at a million
-- tickets). Rows indexed before are in no space: ask for the index to be rebuilt from the
-- documents at the next start (store::search::rebuild_if_asked). A new, empty store has
-- nothing to rebuild.
INSERT INTO settings (key, value) SELECT 'search.rebuild', 'kind-spaces' WHERE EXISTS (SELECT 1 FROM search_docs)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
