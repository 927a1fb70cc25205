-- Ticket events are typed in Rust now (one writer builds them, one reader shows them), stored
-- as a JSON object tagged by "kind". The old free-text detail ('a;b;c', 'x:y') had to be split
-- again by every reader, and 'routed' was written in two slightly different formats
-- ('team;agent;why;rule' and 'team;agent;why;queue'; very old rows have no fourth part).
-- Each existing row's detail becomes its JSON here; the column then goes. TEXT, not jsonb:
-- the Rust side reads a string and parses it with serde_json, the same on both stores.
ALTER TABLE ticket_events ADD COLUMN data TEXT NOT NULL DEFAULT '{}';

UPDATE ticket_events SET data = (CASE kind
    WHEN 'opened' THEN json_build_object('kind', kind, 'channel', detail)
    WHEN 'status' THEN json_build_object('kind', kind, 'status', detail)
    WHEN 'stage' THEN json_build_object('kind', kind, 'stage', detail)
    WHEN 'category' THEN json_build_object('kind', kind, 'category', detail)
    WHEN 'priority' THEN json_build_object('kind', kind, 'priority', detail)
    WHEN 'assigned' THEN json_build_object('kind', kind, 'to', NULLIF(detail, ''))
    -- '' | 'converted' | 'lost' | 'lost:<reason>'
    WHEN 'outcome' THEN json_build_object(
        'kind', kind,
        'outcome', NULLIF(split_part(detail, ':', 1), ''),
        'loss_reason', CASE WHEN strpos(detail, ':') > 0 THEN NULLIF(substr(detail, strpos(detail, ':') + 1), '') END)
    -- '<state>' | 'requested:<reason>' | 'in_transit:<tracking>'
    WHEN 'return' THEN json_build_object(
        'kind', kind,
        'state', split_part(detail, ':', 1),
        'reason', CASE WHEN strpos(detail, ':') > 0 AND split_part(detail, ':', 1) = 'requested'
            THEN NULLIF(substr(detail, strpos(detail, ':') + 1), '') END,
        'tracking', CASE WHEN strpos(detail, ':') > 0 AND split_part(detail, ':', 1) <> 'requested'
            THEN NULLIF(substr(detail, strpos(detail, ':') + 1), '') END)
    WHEN 'arbitration' THEN json_build_object('kind', kind, 'on', detail = 'on')
    -- '<number>;<work kind>'
    WHEN 'work_order' THEN json_build_object(
        'kind', kind,
        'number', split_part(detail, ';', 1)::bigint,
        'work', substr(detail, strpos(detail || ';', ';') + 1))
    WHEN 'work_order_done' THEN json_build_object('kind', kind, 'number', detail::bigint)
    -- 'team;agent;why;fourth': agent may be empty; fourth is a rule id, empty, 'queue' or
    -- missing (split_part gives '' for a missing part).
    WHEN 'routed' THEN json_build_object(
        'kind', kind,
        'team', split_part(detail, ';', 1),
        'agent', NULLIF(split_part(detail, ';', 2), ''),
        'why', split_part(detail, ';', 3),
        'rule', CASE WHEN split_part(detail, ';', 4) = 'queue' THEN NULL ELSE NULLIF(split_part(detail, ';', 4), '') END,
        'from_queue', split_part(detail, ';', 4) = 'queue')
    ELSE json_build_object('kind', kind)
END)::text;

ALTER TABLE ticket_events DROP COLUMN detail;
