-- Ticket events are typed in Rust now (one writer builds them, one reader shows them), stored
-- as a JSON object tagged by "kind". The old free-text detail ('a;b;c', 'x:y') had to be split
-- again by every reader, and 'routed' was written in two slightly different formats
-- ('team;agent;why;rule' and 'team;agent;why;queue'; very old rows have no fourth part).
-- Each existing row's detail becomes its JSON here; the column then goes.
ALTER TABLE ticket_events ADD COLUMN data TEXT NOT NULL DEFAULT '{}';

UPDATE ticket_events SET data = CASE kind
    WHEN 'opened' THEN json_object('kind', kind, 'channel', detail)
    WHEN 'status' THEN json_object('kind', kind, 'status', detail)
    WHEN 'stage' THEN json_object('kind', kind, 'stage', detail)
    WHEN 'category' THEN json_object('kind', kind, 'category', detail)
    WHEN 'priority' THEN json_object('kind', kind, 'priority', detail)
    WHEN 'assigned' THEN json_object('kind', kind, 'to', NULLIF(detail, ''))
    -- '' | 'converted' | 'lost' | 'lost:<reason>'
    WHEN 'outcome' THEN json_object(
        'kind', kind,
        'outcome', NULLIF(CASE WHEN instr(detail, ':') > 0 THEN substr(detail, 1, instr(detail, ':') - 1) ELSE detail END, ''),
        'loss_reason', CASE WHEN instr(detail, ':') > 0 THEN NULLIF(substr(detail, instr(detail, ':') + 1), '') END)
    -- '<state>' | 'requested:<reason>' | 'in_transit:<tracking>'
    WHEN 'return' THEN json_object(
        'kind', kind,
        'state', CASE WHEN instr(detail, ':') > 0 THEN substr(detail, 1, instr(detail, ':') - 1) ELSE detail END,
        'reason', CASE WHEN instr(detail, ':') > 0 AND substr(detail, 1, instr(detail, ':') - 1) = 'requested'
            THEN NULLIF(substr(detail, instr(detail, ':') + 1), '') END,
        'tracking', CASE WHEN instr(detail, ':') > 0 AND substr(detail, 1, instr(detail, ':') - 1) <> 'requested'
            THEN NULLIF(substr(detail, instr(detail, ':') + 1), '') END)
    WHEN 'arbitration' THEN json_object('kind', kind, 'on', json(CASE WHEN detail = 'on' THEN 'true' ELSE 'false' END))
    -- '<number>;<work kind>'
    WHEN 'work_order' THEN json_object(
        'kind', kind,
        'number', CAST(substr(detail, 1, instr(detail || ';', ';') - 1) AS INTEGER),
        'work', substr(detail, instr(detail || ';', ';') + 1))
    WHEN 'work_order_done' THEN json_object('kind', kind, 'number', CAST(detail AS INTEGER))
    ELSE json_object('kind', kind)
END
WHERE kind <> 'routed';

-- 'team;agent;why;fourth': agent may be empty; fourth is a rule id, empty, 'queue' or missing.
-- A ';' is appended so every part, the last included, ends in one.
WITH p1 AS (
    SELECT id, detail || ';' AS s FROM ticket_events WHERE kind = 'routed'
), p2 AS (
    SELECT id, substr(s, 1, instr(s, ';') - 1) AS team, substr(s, instr(s, ';') + 1) AS s FROM p1
), p3 AS (
    SELECT id, team, substr(s, 1, instr(s, ';') - 1) AS agent, substr(s, instr(s, ';') + 1) AS s FROM p2
), p4 AS (
    SELECT id, team, agent, substr(s, 1, instr(s, ';') - 1) AS why, substr(s, instr(s, ';') + 1) AS s FROM p3
), parts AS (
    SELECT id, team, agent, why, substr(s, 1, instr(s, ';') - 1) AS fourth FROM p4
)
UPDATE ticket_events SET data = json_object(
    'kind', 'routed',
    'team', parts.team,
    'agent', NULLIF(parts.agent, ''),
    'why', parts.why,
    'rule', CASE WHEN parts.fourth = 'queue' THEN NULL ELSE NULLIF(parts.fourth, '') END,
    'from_queue', json(CASE WHEN parts.fourth = 'queue' THEN 'true' ELSE 'false' END))
FROM parts
WHERE ticket_events.id = parts.id;

ALTER TABLE ticket_events DROP COLUMN detail;
