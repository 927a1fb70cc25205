//! The supervisors' reports: date ranges in the shop's time zone and the inquiry analysis
//! (询单分析) figures, as pure values. An inquiry is a pre-sale ticket; it is converted when the
//! same buyer places an order within N days after its first message.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use super::validation::{ErrorCode, FieldError};

/// The longest range a report covers.
pub const MAX_RANGE_DAYS: i64 = 3 * 366;
/// Days after an inquiry within which an order converts it (an admin setting).
pub const CONVERSION_DAYS: std::ops::RangeInclusive<i64> = 1..=30;

/// Days `from`..=`to` in the shop's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// Reads `from` and `to` (YYYY-MM-DD, both included); each bad field is named.
    pub fn parse(from: &str, to: &str) -> Result<Period, Vec<FieldError>> {
        let day = |field: &'static str, text: &str| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| FieldError::new(field, ErrorCode::Date))
        };
        match (day("from", from), day("to", to)) {
            (Ok(from), Ok(to)) => {
                if to < from || (to - from).num_days() >= MAX_RANGE_DAYS {
                    Err(vec![FieldError::new("to", ErrorCode::DateRange)])
                } else {
                    Ok(Period { from, to })
                }
            }
            (a, b) => Err([a.err(), b.err()].into_iter().flatten().collect()),
        }
    }

    /// The last `days` days up to and including `today`.
    pub fn last_days(today: NaiveDate, days: i64) -> Period {
        Period { from: today - Duration::days(days - 1), to: today }
    }

    /// The instants the period spans in `tz`: [start of `from`, start of the day after `to`).
    pub fn bounds(&self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = |d: NaiveDate| {
            let midnight = d.and_hms_opt(0, 0, 0).expect("midnight exists");
            // A zone that skips midnight (a DST change at 00:00) starts the day at the first instant after it.
            tz.from_local_datetime(&midnight)
                .earliest()
                .unwrap_or_else(|| tz.from_utc_datetime(&midnight))
                .with_timezone(&Utc)
        };
        (start(self.from), start(self.to + Duration::days(1)))
    }

    /// Every day of the period, in order.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.from.iter_days().take_while(|d| *d <= self.to)
    }
}

super::enums::str_enum! {
    /// How the inquiry analysis is broken down: the CSV's `by`.
    By: "report breakdown" { Day = "day", Agent = "agent", Product = "product" }
}

/// One line of the inquiry analysis: a day (YYYY-MM-DD), an agent's login or a SKU, with
/// its figures. An empty key collects inquiries nobody answered or about no item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InquiryLine {
    pub key: String,
    pub inquiries: i64,
    pub converted: i64,
    /// Orders placed within the window of a converted inquiry.
    pub orders: i64,
    /// What those orders came to (goods and shipping), in fen.
    pub sales_fen: i64,
}

impl InquiryLine {
    /// Converted inquiries as a share of all, as the CSV writes it: four decimals, `0.0000`
    /// when there are none.
    pub fn conversion_rate(&self) -> String {
        if self.inquiries == 0 {
            return "0.0000".into();
        }
        // Whole ten-thousandths, rounded half up, without floating point.
        let per_10k = (self.converted * 20_000 + self.inquiries) / (2 * self.inquiries);
        format!("{}.{:04}", per_10k / 10_000, per_10k % 10_000)
    }

    /// The same as a percentage with one decimal, for the page.
    pub fn conversion_percent(&self) -> String {
        if self.inquiries == 0 {
            return "0.0 %".into();
        }
        let per_mille = (self.converted * 2_000 + self.inquiries) / (2 * self.inquiries);
        format!("{}.{} %", per_mille / 10, per_mille % 10)
    }

    /// Average order value of the converting orders, in fen (0 without orders).
    pub fn average_order_fen(&self) -> i64 {
        if self.orders == 0 { 0 } else { self.sales_fen / self.orders }
    }

    /// The sum of lines: the overall figures.
    pub fn total<'a>(lines: impl IntoIterator<Item = &'a InquiryLine>) -> InquiryLine {
        lines.into_iter().fold(InquiryLine::default(), |mut t, l| {
            t.inquiries += l.inquiries;
            t.converted += l.converted;
            t.orders += l.orders;
            t.sales_fen += l.sales_fen;
            t
        })
    }
}

/// One agent's performance (客服绩效) over a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgentLine {
    pub login: String,
    pub name: String,
    /// Buyers' tickets opened in the period that they answered first.
    pub tickets: i64,
    /// Replies to buyers written in the period.
    pub replies: i64,
    /// First-response and resolution times of those tickets, in seconds.
    pub first_median: Option<i64>,
    pub first_p90: Option<i64>,
    pub resolve_median: Option<i64>,
    /// Tickets whose SLA outcome is known, and those of them answered and resolved in time.
    pub sla_decided: i64,
    pub sla_met: i64,
    /// Their pre-sale inquiries (those they answered first) and what they converted.
    pub inquiries: InquiryLine,
    /// Service ratings given in the period, and the satisfied or very satisfied ones.
    pub ratings: i64,
    pub good_ratings: i64,
}

/// A share with four decimals, `0.0000` of nothing (as the CSVs write rates).
pub fn rate(part: i64, whole: i64) -> String {
    InquiryLine { inquiries: whole, converted: part, ..InquiryLine::default() }.conversion_rate()
}

/// A share as a percentage with one decimal, `—` of nothing.
pub fn percent(part: i64, whole: i64) -> String {
    if whole == 0 {
        return "—".into();
    }
    InquiryLine { inquiries: whole, converted: part, ..InquiryLine::default() }.conversion_percent()
}

/// A share given in ten-thousandths as a percentage with one decimal, `—` for none.
pub fn percent_of_10k(share: Option<i64>) -> String {
    match share {
        Some(s) => percent(s, 10_000),
        None => "—".into(),
    }
}

/// The median of some values: the middle one, or the mean of the two middle ones (rounded
/// half up); None of none.
pub fn median(mut values: Vec<i64>) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2] + 1).div_euclid(2) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![30, 10, 20]), Some(20));
        assert_eq!(median(vec![40, 10, 30, 20]), Some(25));
        assert_eq!(median(vec![10, 15]), Some(13), "half up");
        assert_eq!(percent(1, 3), "33.3 %");
        assert_eq!(percent(0, 0), "—");
        assert_eq!(rate(0, 0), "0.0000");
    }

    fn line(inquiries: i64, converted: i64) -> InquiryLine {
        InquiryLine { inquiries, converted, ..InquiryLine::default() }
    }

    #[test]
    fn rates_have_four_places_and_round_half_up() {
        assert_eq!(line(0, 0).conversion_rate(), "0.0000");
        assert_eq!(line(3, 1).conversion_rate(), "0.3333");
        assert_eq!(line(3, 2).conversion_rate(), "0.6667");
        assert_eq!(line(4, 4).conversion_rate(), "1.0000");
        assert_eq!(line(8, 1).conversion_rate(), "0.1250");
        assert_eq!(line(3, 2).conversion_percent(), "66.7 %");
    }

    #[test]
    fn periods_are_checked_and_bounded_in_the_shop_zone() {
        let p = Period::parse("2026-11-01", "2026-11-11").unwrap();
        let (start, end) = p.bounds(chrono_tz::Asia::Shanghai);
        assert_eq!(start.to_rfc3339(), "2026-10-31T16:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2026-11-11T16:00:00+00:00");
        assert_eq!(p.days().count(), 11);
        let fields = |e: Vec<FieldError>| e.into_iter().map(|f| f.field.to_string()).collect::<Vec<_>>();
        assert_eq!(fields(Period::parse("2026-11-11", "2026-11-01").unwrap_err()), ["to"]);
        assert_eq!(fields(Period::parse("2020-01-01", "2026-01-01").unwrap_err()), ["to"]);
        assert_eq!(fields(Period::parse("yesterday", "2026-13-01").unwrap_err()), ["from", "to"]);
        assert!(Period::parse("2026-02-28", "2026-02-28").is_ok(), "one day");
    }
}
