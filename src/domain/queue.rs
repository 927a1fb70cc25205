//! Ordering of the inbox: who should be answered first.

use chrono::{DateTime, Utc};

/// Above every millisecond timestamp Kefu will see, so non-waiting tickets sort last.
const AFTER_ALL_WAITING: i64 = 1 << 52;

/// The inbox sort key, smaller = more urgent. A ticket waiting on us sorts by when the wait
/// began (the buyer who has waited longest comes first); a ticket not waiting on us (waiting
/// on the buyer, say) sorts after every waiting one, most recently active first.
pub fn urgency(waiting_since: Option<DateTime<Utc>>, last_message_at: DateTime<Utc>) -> i64 {
    match waiting_since {
        Some(w) => w.timestamp_millis(),
        None => AFTER_ALL_WAITING - last_message_at.timestamp_millis(),
    }
}

/// Above every conversation's key: automatic tasks (催付, 物流停滞 …) sort after every buyer
/// chat in the shared queue indexes, so a list of chats never reads past them, and among
/// themselves by due time (soonest first). Kept in step with the migration that made tasks.
pub const TASKS_AFTER: i64 = 1 << 53;

/// The sort key of an automatic task: its due time, after every conversation; one without a
/// due time comes after those with one.
pub fn task_urgency(due: Option<DateTime<Utc>>) -> i64 {
    TASKS_AFTER + due.map_or(AFTER_ALL_WAITING, |d| d.timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn the_longest_waiting_buyer_comes_first_and_non_waiting_tickets_last() {
        let now = Utc::now();
        let waited_long = urgency(Some(now - Duration::minutes(30)), now);
        let waited_short = urgency(Some(now - Duration::minutes(2)), now);
        let idle_recent = urgency(None, now - Duration::minutes(1));
        let idle_old = urgency(None, now - Duration::days(3));
        let mut keys = [idle_old, waited_short, idle_recent, waited_long];
        keys.sort();
        assert_eq!(keys, [waited_long, waited_short, idle_recent, idle_old]);
    }

    #[test]
    fn tasks_sort_after_every_conversation_soonest_due_first() {
        let now = Utc::now();
        let idle_oldest_chat = urgency(None, now - Duration::days(3650));
        let due_soon = task_urgency(Some(now + Duration::minutes(5)));
        let due_later = task_urgency(Some(now + Duration::hours(5)));
        assert!(idle_oldest_chat < due_soon && due_soon < due_later);
        assert!(due_later < task_urgency(None));
    }
}
