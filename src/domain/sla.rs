//! Service-level targets: when the first reply and the resolution are due, counting either
//! all hours or business hours only (shop time zone), with the clock paused while a ticket
//! waits on the buyer or on an internal party.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::{Priority, Stage};

/// Daily business hours, e.g. 09:00–23:00, in the shop's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BusinessHours {
    pub open: NaiveTime,
    pub close: NaiveTime,
}

impl BusinessHours {
    /// Parses `HH:MM-HH:MM` (open before close).
    pub fn parse(text: &str) -> Option<BusinessHours> {
        let (a, b) = text.split_once('-')?;
        let open = NaiveTime::parse_from_str(a.trim(), "%H:%M").ok()?;
        let close = NaiveTime::parse_from_str(b.trim(), "%H:%M").ok()?;
        (open < close).then_some(BusinessHours { open, close })
    }
}

impl std::fmt::Display for BusinessHours {
    /// The form [`BusinessHours::parse`] reads: `09:00-23:00`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.open.format("%H:%M"), self.close.format("%H:%M"))
    }
}

/// Targets for one stage and priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets {
    pub first_response: Duration,
    pub resolution: Duration,
}

/// Defaults (issue 4): pre-sale 1 min / 24 h, in-sale 5 min / 48 h, after-sale 30 min / 72 h;
/// urgent halves them, high takes three quarters, low allows half again as long.
pub fn targets(stage: Stage, priority: Priority) -> Targets {
    scaled(default_targets(stage), priority)
}

/// The shop's targets for a stage at normal priority, before any setting overrides them.
pub fn default_targets(stage: Stage) -> Targets {
    let (first_response, resolution) = match stage {
        Stage::Presale => (Duration::minutes(1), Duration::hours(24)),
        Stage::Insale => (Duration::minutes(5), Duration::hours(48)),
        Stage::Aftersale => (Duration::minutes(30), Duration::hours(72)),
    };
    Targets { first_response, resolution }
}

/// A stage's normal-priority targets adjusted for the ticket's priority.
pub fn scaled(base: Targets, priority: Priority) -> Targets {
    let (first, resolve) = (base.first_response, base.resolution);
    let scale = |d: Duration| match priority {
        Priority::Urgent => d / 2,
        Priority::High => d * 3 / 4,
        Priority::Normal => d,
        Priority::Low => d * 3 / 2,
    };
    Targets { first_response: scale(first), resolution: scale(resolve) }
}

/// The instant `work` of (business) time after `start`.
pub fn add(start: DateTime<Utc>, work: Duration, hours: Option<BusinessHours>, tz: Tz) -> DateTime<Utc> {
    let Some(h) = hours else { return start + work };
    let mut left = work;
    let mut at = start;
    // Walk day by day through the open hours; a year of days bounds the loop.
    for _ in 0..400 {
        let local = at.with_timezone(&tz);
        let day = local.date_naive();
        let open = tz.from_local_datetime(&day.and_time(h.open)).earliest().map(|t| t.with_timezone(&Utc));
        let close = tz.from_local_datetime(&day.and_time(h.close)).earliest().map(|t| t.with_timezone(&Utc));
        if let (Some(open), Some(close)) = (open, close) {
            let from = at.max(open);
            if from < close {
                let room = close - from;
                if left <= room {
                    return from + left;
                }
                left -= room;
            }
        }
        // Next day's midnight.
        let next = tz.from_local_datetime(&(day + Duration::days(1)).and_time(NaiveTime::MIN)).earliest();
        at = next.map(|t| t.with_timezone(&Utc)).unwrap_or(at + Duration::days(1));
    }
    at
}

/// (Business) time between two instants; zero if `to` is not after `from`.
pub fn between(from: DateTime<Utc>, to: DateTime<Utc>, hours: Option<BusinessHours>, tz: Tz) -> Duration {
    if to <= from {
        return Duration::zero();
    }
    let Some(h) = hours else { return to - from };
    let mut total = Duration::zero();
    let mut at = from;
    for _ in 0..4000 {
        if at >= to {
            break;
        }
        let day = at.with_timezone(&tz).date_naive();
        let open = tz.from_local_datetime(&day.and_time(h.open)).earliest().map(|t| t.with_timezone(&Utc));
        let close = tz.from_local_datetime(&day.and_time(h.close)).earliest().map(|t| t.with_timezone(&Utc));
        if let (Some(open), Some(close)) = (open, close) {
            let (a, b) = (at.max(open), to.min(close));
            if a < b {
                total += b - a;
            }
        }
        let next = tz.from_local_datetime(&(day + Duration::days(1)).and_time(NaiveTime::MIN)).earliest();
        at = next.map(|t| t.with_timezone(&Utc)).unwrap_or(at + Duration::days(1));
    }
    total
}

/// A due time after a pause: the time that was left when the pause began, counted again
/// from the end of the pause.
pub fn resume(
    due: DateTime<Utc>, paused_at: DateTime<Utc>, resumed_at: DateTime<Utc>, hours: Option<BusinessHours>, tz: Tz,
) -> DateTime<Utc> {
    let left = between(paused_at, due, hours, tz);
    add(resumed_at, left, hours, tz)
}

/// How an SLA clock looks in a list: plenty of time, under a quarter of its window left
/// (amber: answer this one next), or past due (red).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Ok,
    Low,
    Over,
}

impl Tone {
    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Ok => "ok",
            Tone::Low => "low",
            Tone::Over => "over",
        }
    }
}

/// The tone of a clock that started at `start` and is due at `due`, as of `now`.
pub fn tone(now: DateTime<Utc>, start: DateTime<Utc>, due: DateTime<Utc>) -> Tone {
    if now >= due {
        return Tone::Over;
    }
    let window = (due - start).num_seconds().max(1);
    let left = (due - now).num_seconds();
    if left * 4 < window { Tone::Low } else { Tone::Ok }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::Shanghai;

    fn sh(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Shanghai.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap().with_timezone(&Utc)
    }

    fn nine_to_six() -> Option<BusinessHours> {
        BusinessHours::parse("09:00-18:00")
    }

    #[test]
    fn default_targets() {
        assert_eq!(
            targets(Stage::Presale, Priority::Normal),
            Targets { first_response: Duration::minutes(1), resolution: Duration::hours(24) }
        );
        assert_eq!(targets(Stage::Insale, Priority::Normal).first_response, Duration::minutes(5));
        assert_eq!(
            targets(Stage::Aftersale, Priority::Normal),
            Targets { first_response: Duration::minutes(30), resolution: Duration::hours(72) }
        );
        assert_eq!(targets(Stage::Aftersale, Priority::Urgent).first_response, Duration::minutes(15));
    }

    #[test]
    fn all_hours_is_plain_addition() {
        assert_eq!(add(sh(1, 23, 50), Duration::minutes(30), None, Shanghai), sh(2, 0, 20));
    }

    #[test]
    fn business_hours_skip_the_night() {
        let h = nine_to_six();
        assert_eq!(add(sh(1, 17, 50), Duration::minutes(30), h, Shanghai), sh(2, 9, 20), "10 min today, 20 tomorrow");
        assert_eq!(
            add(sh(1, 7, 0), Duration::minutes(30), h, Shanghai),
            sh(1, 9, 30),
            "before opening starts at opening"
        );
        assert_eq!(add(sh(1, 20, 0), Duration::hours(9), h, Shanghai), sh(2, 18, 0), "a whole working day");
        assert_eq!(add(sh(1, 10, 0), Duration::hours(24), h, Shanghai), sh(3, 16, 0), "8 h + 9 h + 7 h");
        assert_eq!(between(sh(1, 17, 0), sh(2, 10, 0), h, Shanghai), Duration::hours(2));
    }

    #[test]
    fn a_pause_keeps_the_time_that_was_left() {
        // Due at 12:00; paused at 11:00 (1 h left); resumed next day 10:00 → due 11:00.
        assert_eq!(resume(sh(1, 12, 0), sh(1, 11, 0), sh(2, 10, 0), None, Shanghai), sh(2, 11, 0));
        // In business hours: paused 17:30 with due 18:00+1h(=next 10:00) … 1.5 h left.
        let h = nine_to_six();
        let due = add(sh(1, 16, 30), Duration::hours(2).checked_add(&Duration::minutes(30)).unwrap(), h, Shanghai);
        assert_eq!(due, sh(2, 10, 0));
        assert_eq!(resume(due, sh(1, 17, 30), sh(3, 9, 0), h, Shanghai), sh(3, 10, 30));
        // Already overdue when paused: nothing left, due at once on resume.
        assert_eq!(resume(sh(1, 9, 0), sh(1, 10, 0), sh(1, 11, 0), None, Shanghai), sh(1, 11, 0));
    }

    #[test]
    fn hours_parse() {
        assert!(BusinessHours::parse("09:00-23:00").is_some());
        assert!(BusinessHours::parse("23:00-09:00").is_none());
        assert!(BusinessHours::parse("nine").is_none());
    }

    #[test]
    fn a_clock_turns_amber_under_a_quarter_and_red_when_due() {
        let start = Utc::now();
        let due = start + Duration::minutes(40);
        assert_eq!(tone(start + Duration::minutes(29), start, due), Tone::Ok);
        assert_eq!(tone(start + Duration::minutes(31), start, due), Tone::Low);
        assert_eq!(tone(due, start, due), Tone::Over);
        assert_eq!(tone(due + Duration::seconds(1), start, due), Tone::Over);
        // A due time before its start (a bad clock) is over, not a division by zero.
        assert_eq!(tone(start, due, start), Tone::Over);
    }
}
