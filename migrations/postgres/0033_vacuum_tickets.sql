-- no-transaction
-- Migration 0032 rewrote the tickets table, which leaves none of its pages marked all-visible:
-- until they are, the reports' scans of `tickets_times` fetch every ticket's row besides the
-- index (a year's service report at scale 1: 330 ms after this, 700 ms before). VACUUM marks
-- them and cannot run inside a transaction, hence a migration of its own.
VACUUM (ANALYZE) tickets;
