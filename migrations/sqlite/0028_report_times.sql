-- Service times over a year at a million tickets (issue 11): the service and agent reports
-- read every buyer ticket of the range. Parsing three text timestamps per ticket and fetching
-- each table row took most of their second. This index holds what they read, the durations
-- already computed: SQLite (3.41+) reads an indexed expression's value from the index when a
-- query uses the same expression (store::reports::times_sql writes them identically).
CREATE INDEX tickets_times ON tickets (
    created_at,
    stage,
    first_responder_id,
    julianday(created_at),
    (CASE WHEN first_response_at IS NOT NULL
          THEN CAST(ROUND((julianday(first_response_at) - julianday(created_at)) * 86400.0) AS BIGINT) END),
    (CASE WHEN resolved_at IS NOT NULL
          THEN CAST(ROUND((julianday(resolved_at) - julianday(created_at)) * 86400.0) AS BIGINT) END),
    (first_response_due IS NOT NULL AND first_response_at <= first_response_due
          AND resolved_at IS NOT NULL AND resolved_at <= resolution_due),
    (first_response_due IS NOT NULL),
    resolution_due,
    parent_id
) WHERE parent_id IS NULL;
ANALYZE tickets;
