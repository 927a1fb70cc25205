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
}
