//! Service ratings (服务评价): how the buyer rates a conversation, and when they may.

use chrono::{DateTime, Duration, Utc};

use super::TicketStatus;
use super::enums::str_enum;

str_enum! {
    /// The five steps of the rating, best first (千牛's 非常满意 … 非常不满意).
    ServiceRating: "service rating" {
        VerySatisfied = "very_satisfied", Satisfied = "satisfied", Neutral = "neutral",
        Unsatisfied = "unsatisfied", VeryUnsatisfied = "very_unsatisfied",
    }
}

impl ServiceRating {
    /// 5 for 非常满意 down to 1 for 非常不满意.
    pub fn score(self) -> i64 {
        match self {
            ServiceRating::VerySatisfied => 5,
            ServiceRating::Satisfied => 4,
            ServiceRating::Neutral => 3,
            ServiceRating::Unsatisfied => 2,
            ServiceRating::VeryUnsatisfied => 1,
        }
    }

    /// 满意 and better.
    pub fn is_good(self) -> bool {
        self.score() >= 4
    }
}

/// How long a buyer may change their rating after giving it.
pub const CHANGE_WINDOW: Duration = Duration::hours(24);
/// The longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 200;

/// A conversation can be rated once it is resolved or closed, or once the shop invited a
/// rating by hand (邀评) — never while the buyer is still waiting for help uninvited.
pub fn may_rate(status: TicketStatus, invited: bool) -> bool {
    invited || matches!(status, TicketStatus::Resolved | TicketStatus::Closed)
}

/// A rating given at `rated_at` may still be changed at `now`.
pub fn may_change(rated_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - rated_at <= CHANGE_WINDOW
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rating_is_for_finished_or_invited_conversations() {
        assert!(may_rate(TicketStatus::Resolved, false));
        assert!(may_rate(TicketStatus::Closed, false));
        assert!(!may_rate(TicketStatus::Open, false));
        assert!(!may_rate(TicketStatus::New, false));
        assert!(may_rate(TicketStatus::Open, true));
    }

    #[test]
    fn a_rating_changes_for_a_day() {
        let at = Utc::now();
        assert!(may_change(at, at + Duration::hours(23)));
        assert!(may_change(at, at + Duration::hours(24)));
        assert!(!may_change(at, at + Duration::hours(24) + Duration::seconds(1)));
        assert_eq!(ServiceRating::ALL.iter().map(|r| r.score()).collect::<Vec<_>>(), [5, 4, 3, 2, 1]);
    }
}
