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
