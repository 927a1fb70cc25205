-- Automatic tasks in their own lane (issue 13): 催付, 物流停滞, 签收回访, 差评挽回 … are work the
-- shop starts, not buyers waiting. A task carries a due time (resolution_due) and no
-- first-response clock, never counts as a breached wait, and sorts after every conversation
-- in the queue indexes (urgency = 2^53 + due in ms, see domain::queue::task_urgency). When the
-- buyer answers, it becomes a conversation.
ALTER TABLE tickets ADD COLUMN is_task BOOLEAN NOT NULL DEFAULT FALSE;

UPDATE tickets SET is_task = TRUE, waiting_since = NULL, breached = FALSE,
    resolution_due = COALESCE(first_response_due, resolution_due), first_response_due = NULL
 WHERE channel = 'automation' AND status IN ('new', 'open', 'waiting_buyer', 'waiting_internal')
   AND NOT EXISTS (SELECT 1 FROM ticket_messages m WHERE m.ticket_id = tickets.id AND m.author_kind = 'buyer');
UPDATE tickets SET urgency = 9007199254740992 + COALESCE(
        (EXTRACT(EPOCH FROM resolution_due) * 1000)::BIGINT, 4503599627370496)
 WHERE is_task;

-- An agent's task lane (and the board's count of tasks per agent), soonest due first.
CREATE INDEX tickets_tasks ON tickets (assignee_id, urgency, id)
    WHERE is_task AND status IN ('new', 'open', 'waiting_buyer', 'waiting_internal');
