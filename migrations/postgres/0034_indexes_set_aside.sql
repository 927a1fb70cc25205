-- Indexes a bulk load (`kefu seed --scale`) dropped to fill its tables faster, each with its
-- own CREATE statement; the load creates them again at its end, and if it never got there,
-- the next start of Kefu does (store::bulk::restore_indexes).
CREATE TABLE indexes_set_aside (
    name TEXT PRIMARY KEY,
    sql TEXT NOT NULL
);
