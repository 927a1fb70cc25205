-- The queue board with a backlog (issue 10). With 50k active tickets the board read every
-- active ticket's row once a second to count it (100 ms on Postgres, in three processes),
-- each agent's active rows for their longest wait, and every unassigned or breached row to
-- find the oldest hundred. Each of its reads now stays in an index of its own:
-- Open, unassigned and breached per stage and team, from the index alone.
CREATE INDEX tickets_board ON tickets (stage, team, breached, assignee_id)
    WHERE status IN ('new', 'open', 'waiting_buyer', 'waiting_internal');
-- "Due in the next 15 minutes": the resolution due times are tickets_due; these are the
-- first-answer due times of tickets still unanswered.
CREATE INDEX tickets_first_due ON tickets (first_response_due)
    WHERE first_response_at IS NULL AND status IN ('new', 'open', 'waiting_buyer', 'waiting_internal');
-- An agent's longest-waiting buyer: the first entry of their range. Every other read by
-- assignee (loads, routing's capacity check, redistributing) is of active tickets too, so
-- this also replaces the index of every ticket ever assigned, which each closed ticket
-- kept up to date for nothing.
CREATE INDEX tickets_agent_waiting ON tickets (assignee_id, waiting_since)
    WHERE status IN ('new', 'open', 'waiting_buyer', 'waiting_internal');
DROP INDEX tickets_by_assignee;
-- The tickets that need a supervisor, oldest first: the first hundred entries.
CREATE INDEX tickets_attention ON tickets (created_at)
    WHERE (assignee_id IS NULL OR breached) AND status IN ('new', 'open', 'waiting_buyer', 'waiting_internal');
ANALYZE tickets;
