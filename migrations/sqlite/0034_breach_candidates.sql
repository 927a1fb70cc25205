-- The SLA timer's question each round, "which tickets went past a due time and are not
-- flagged yet", asked of the tickets that can still breach. It walked every active ticket
-- before, due or not, and checked each row: 60-70 ms a round at scale 1 (50k active tickets)
-- with nothing due. Flagged, paused and task tickets leave these indexes.
CREATE INDEX tickets_may_breach_first ON tickets (first_response_due)
    WHERE first_response_at IS NULL AND NOT breached AND NOT is_task AND sla_paused_at IS NULL
      AND status IN ('new', 'open', 'waiting_buyer', 'waiting_internal');
CREATE INDEX tickets_may_breach ON tickets (resolution_due)
    WHERE NOT breached AND NOT is_task AND sla_paused_at IS NULL
      AND status IN ('new', 'open', 'waiting_buyer', 'waiting_internal');
-- Their figures at once: without them the planner took tickets_first_due and tickets_due,
-- which hold every overdue ticket, flagged or not (the statistics of an index are taken
-- when its table is analysed, and a start analyses only tables that grew or shrank). The
-- per-value samples go, as store::maintenance::refresh_statistics drops them.
ANALYZE tickets_may_breach_first;
ANALYZE tickets_may_breach;
DELETE FROM sqlite_stat4 WHERE idx IN ('tickets_may_breach_first', 'tickets_may_breach');
