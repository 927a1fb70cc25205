//! Shifts (排班): a shift is the half-open interval [start, end) of one agent's work.

use chrono::{DateTime, Duration, Utc};

/// Why a shift cannot be planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShiftProblem {
    /// The end is not after the start.
    Inverted,
    /// Longer than 16 hours: almost certainly a typo.
    TooLong,
    /// It overlaps another shift of the same agent.
    Overlaps,
}

pub fn check(
    start: DateTime<Utc>, end: DateTime<Utc>, others: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Result<(), ShiftProblem> {
    if end <= start {
        return Err(ShiftProblem::Inverted);
    }
    if end - start > Duration::hours(16) {
        return Err(ShiftProblem::TooLong);
    }
    // Half-open intervals overlap when each starts before the other ends.
    if others.iter().any(|(s, e)| start < *e && *s < end) {
        return Err(ShiftProblem::Overlaps);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn h(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, hour, 0, 0).unwrap()
    }

    #[test]
    fn shifts_are_checked() {
        let day = [(h(9), h(13))];
        assert_eq!(check(h(13), h(18), &day), Ok(()), "back to back is fine");
        assert_eq!(check(h(12), h(18), &day), Err(ShiftProblem::Overlaps));
        assert_eq!(check(h(8), h(10), &day), Err(ShiftProblem::Overlaps));
        assert_eq!(check(h(10), h(10), &[]), Err(ShiftProblem::Inverted));
        assert_eq!(check(h(18), h(9), &[]), Err(ShiftProblem::Inverted));
        assert_eq!(check(h(0), h(17), &[]), Err(ShiftProblem::TooLong));
    }
}
