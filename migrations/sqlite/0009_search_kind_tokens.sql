-- Every indexed document now also carries a token naming its kind, so a search for one kind
-- reads the index newest row first and stops at the end of the page. Rows indexed before
-- lack it: ask for the index to be rebuilt from the documents at the next start
-- (store::search::rebuild_if_asked; the tokens are computed in Rust, not in SQL).
-- A new, empty store has nothing to rebuild.
INSERT INTO settings (key, value) SELECT 'search.rebuild', 'kind-tokens' WHERE EXISTS (SELECT 1 FROM search_docs)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
