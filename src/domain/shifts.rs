//! Shifts (排班): a shift is the half-open interval [start, end) of one agent's work.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

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

/// Planned coverage for shift planning: agents on shift per weekday (0 = Sunday) and hour in
/// the shop's zone, averaged over the days of `days` that fall on that weekday, in tenths of an
/// agent. A shift counts for an hour when it covers the hour's middle (hh:30).
pub fn coverage(shifts: &[(DateTime<Utc>, DateTime<Utc>)], days: &[NaiveDate], tz: Tz) -> [[i64; 24]; 7] {
    let mut sums = [[0i64; 24]; 7];
    for (start, end) in shifts {
        let first = start.with_timezone(&tz).naive_local();
        let mut slot = first.date().and_hms_opt(first.hour(), 0, 0).expect("a whole hour");
        let last = end.with_timezone(&tz).naive_local();
        while slot <= last {
            let middle = slot + Duration::minutes(30);
            let covered = tz.from_local_datetime(&middle).earliest().is_some_and(|m| {
                let m = m.with_timezone(&Utc);
                *start <= m && m < *end
            });
            if covered && days.binary_search(&slot.date()).is_ok() {
                sums[slot.weekday().num_days_from_sunday() as usize][slot.hour() as usize] += 1;
            }
            slot += Duration::hours(1);
        }
    }
    let mut per_weekday = [0i64; 7];
    for d in days {
        per_weekday[d.weekday().num_days_from_sunday() as usize] += 1;
    }
    let mut tenths = [[0i64; 24]; 7];
    for (w, hours) in sums.iter().enumerate() {
        for (h, n) in hours.iter().enumerate() {
            if per_weekday[w] > 0 {
                tenths[w][h] = (n * 20 + per_weekday[w]) / (2 * per_weekday[w]);
            }
        }
    }
    tenths
}

/// One row per hour of the day for the shift page, in tenths: agents on shift on an average
/// day of the planned week (`coverage` of its seven days), against tickets opened on an average
/// day of the `days` days of `arrivals`.
pub fn hourly_strip(coverage: &[[i64; 24]; 7], arrivals: &[[i64; 24]; 7], days: i64) -> [(i64, i64); 24] {
    let mut strip = [(0, 0); 24];
    for (h, cell) in strip.iter_mut().enumerate() {
        let on_shift: i64 = coverage.iter().map(|w| w[h]).sum();
        let opened: i64 = arrivals.iter().map(|w| w[h]).sum();
        *cell = (on_shift / 7, opened * 10 / days.max(1));
    }
    strip
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

    #[test]
    fn coverage_counts_agents_per_weekday_hour_averaged_over_the_period() {
        let tz = chrono_tz::Asia::Shanghai;
        let at = |d: u32, h: u32, m: u32| tz.with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap().with_timezone(&Utc);
        // Sundays 11-01 and 11-08: on the first two agents 09:00-11:00, on the second one agent
        // 09:15-10:15 (covers 09:30 only).
        let shifts = [(at(1, 9, 0), at(1, 11, 0)), (at(1, 9, 0), at(1, 11, 0)), (at(8, 9, 15), at(8, 10, 15))];
        let days: Vec<NaiveDate> = (1..=14).map(|d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap()).collect();
        let c = coverage(&shifts, &days, tz);
        assert_eq!(c[0][9], 15, "(2 + 1) / 2 Sundays = 1.5 agents");
        assert_eq!(c[0][10], 10, "(2 + 0) / 2");
        assert_eq!(c[0][11], 0, "the shift ends at 11:00");
        assert_eq!(c[1][9], 0, "Mondays");
        // A shift outside the period's days does not count.
        let c = coverage(&shifts, &days[..7], tz);
        assert_eq!(c[0][9], 20, "only 11-01 in the period");
    }

    #[test]
    fn the_strip_averages_a_day_of_the_week_and_of_the_arrivals() {
        let mut coverage = [[0i64; 24]; 7];
        let mut arrivals = [[0i64; 24]; 7];
        // Two agents at 10:00 every day (20 tenths), nobody at 03:00.
        for w in coverage.iter_mut() {
            w[10] = 20;
        }
        // 56 tickets opened at 10:00 over 28 days: two a day; 7 at 03:00: a quarter a day.
        arrivals[1][10] = 56;
        arrivals[2][3] = 7;
        let strip = hourly_strip(&coverage, &arrivals, 28);
        assert_eq!(strip[10], (20, 20));
        assert_eq!(strip[3], (0, 2), "nobody on shift while buyers write");
        assert_eq!(strip[0], (0, 0));
    }
}
