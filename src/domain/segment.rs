//! Segments (客户分组): saved filters over buyers that care campaigns are sent to — members of
//! a level, buyers of the last six months, big spenders, this week's birthdays, buyers with a
//! tag or an attribute. The same fields in the editor and in the API's JSON; every field left
//! out matches everyone, and a buyer who opted out is never in a segment.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::enums::str_enum;
use super::validation::{ErrorCode, FieldError};

/// The longest look-back for "bought within", in days (ten years).
pub const MAX_DAYS: i64 = 3650;
/// The most tags or attributes one segment may require.
pub const MAX_TERMS: usize = 20;
/// The longest tag, attribute key or value.
pub const MAX_TERM_CHARS: usize = 40;

str_enum! {
    /// Whose birthday a segment picks, in the shop's time zone.
    BirthdayWhen: "birthday" {
        Today = "today",
        /// Monday to Sunday of the current week.
        ThisWeek = "this_week",
    }
}

/// A segment as the API and the editor send it: every field as written, checked by
/// [`Segment::parse`]. Unknown fields are refused, so a typo cannot widen a segment to every
/// buyer.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentIn {
    #[serde(default)]
    pub member_levels: Vec<String>,
    #[serde(default)]
    pub bought_within_days: Option<i64>,
    #[serde(default)]
    pub min_orders: Option<i64>,
    #[serde(default)]
    pub min_total_spent_fen: Option<i64>,
    #[serde(default)]
    pub birthday: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

/// A checked segment. Serialises to the same JSON it is read from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub member_levels: Vec<String>,
    /// Buyers with a paid order in the last N days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bought_within_days: Option<i64>,
    /// Paid, not closed orders, at least.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_orders: Option<i64>,
    /// Spent on paid, not closed orders (goods and shipping), at least.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_total_spent_fen: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthday: Option<BirthdayWhen>,
    /// All of these tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// All of these attributes, with exactly these values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
}

fn term_ok(text: &str) -> bool {
    !text.is_empty() && text.chars().count() <= MAX_TERM_CHARS
}

impl Segment {
    /// Checks a segment against the shop's member levels; every bad field is named.
    pub fn parse(raw: &SegmentIn, levels: &[String]) -> Result<Segment, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut member_levels: Vec<String> = Vec::new();
        for (i, level) in raw.member_levels.iter().enumerate() {
            let level = level.trim();
            if !levels.iter().any(|l| l == level) {
                errors.push(FieldError::new(format!("member_levels[{i}]"), ErrorCode::MemberLevel));
            } else if !member_levels.iter().any(|l| l == level) {
                member_levels.push(level.to_string());
            }
        }
        let mut number = |field: &'static str, value: Option<i64>, range: std::ops::RangeInclusive<i64>| {
            if value.is_some_and(|v| !range.contains(&v)) {
                errors.push(FieldError::new(field, ErrorCode::Range));
            }
            value
        };
        let bought_within_days = number("bought_within_days", raw.bought_within_days, 1..=MAX_DAYS);
        let min_orders = number("min_orders", raw.min_orders, 0..=1_000_000);
        let min_total_spent_fen = number("min_total_spent_fen", raw.min_total_spent_fen, 0..=i64::MAX / 2);
        let birthday = match raw.birthday.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => match text.parse::<BirthdayWhen>() {
                Ok(when) => Some(when),
                Err(_) => {
                    errors.push(FieldError::new("birthday", ErrorCode::Invalid));
                    None
                }
            },
        };
        let mut tags: Vec<String> = Vec::new();
        for (i, tag) in raw.tags.iter().enumerate() {
            let tag = tag.trim();
            if !term_ok(tag) {
                errors.push(FieldError::new(format!("tags[{i}]"), ErrorCode::Invalid));
            } else if !tags.iter().any(|t| t == tag) {
                tags.push(tag.to_string());
            }
        }
        if tags.len() > MAX_TERMS {
            errors.push(FieldError::new("tags", ErrorCode::TooLong));
        }
        let mut attributes = BTreeMap::new();
        for (key, value) in &raw.attributes {
            let (key, value) = (key.trim(), value.trim());
            if !term_ok(key) || !term_ok(value) {
                errors.push(FieldError::new(format!("attributes.{key}"), ErrorCode::Invalid));
            } else {
                attributes.insert(key.to_string(), value.to_string());
            }
        }
        if attributes.len() > MAX_TERMS {
            errors.push(FieldError::new("attributes", ErrorCode::TooLong));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Segment { member_levels, bought_within_days, min_orders, min_total_spent_fen, birthday, tags, attributes })
    }

    /// The segment's JSON, as stored and as the API returns it.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a segment serialises")
    }

    /// A stored segment; a row that no longer reads (edited by hand) matches nobody rather
    /// than everybody.
    pub fn from_json(text: &str) -> Option<Segment> {
        serde_json::from_str(text).ok()
    }

    /// Whether a paid-order figure is needed (the store then reads the buyer's orders).
    pub fn needs_orders(&self) -> bool {
        self.min_orders.is_some_and(|n| n > 0) || self.min_total_spent_fen.is_some_and(|n| n > 0)
    }
}

/// The birthdays (month, day) a segment picks on shop date `today`. A buyer born on 29
/// February is greeted on the 28th in a year without one.
pub fn birthday_days(when: BirthdayWhen, today: NaiveDate) -> Vec<(u32, u32)> {
    let days: Vec<NaiveDate> = match when {
        BirthdayWhen::Today => vec![today],
        BirthdayWhen::ThisWeek => {
            let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
            (0..7).map(|i| monday + Duration::days(i)).collect()
        }
    };
    let mut out: Vec<(u32, u32)> = days.iter().map(|d| (d.month(), d.day())).collect();
    let leap = |y: i32| NaiveDate::from_ymd_opt(y, 2, 29).is_some();
    if days.iter().any(|d| d.month() == 2 && d.day() == 28 && !leap(d.year())) {
        out.push((2, 29));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels() -> Vec<String> {
        vec!["普通会员".into(), "金卡会员".into()]
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn every_bad_field_is_named() {
        let raw = SegmentIn {
            member_levels: vec!["黑卡会员".into()],
            bought_within_days: Some(-1),
            min_orders: Some(-2),
            birthday: Some("tomorrow".into()),
            tags: vec!["".into()],
            ..SegmentIn::default()
        };
        let fields: Vec<String> =
            Segment::parse(&raw, &levels()).unwrap_err().into_iter().map(|e| e.field.into_owned()).collect();
        assert_eq!(fields, ["member_levels[0]", "bought_within_days", "min_orders", "birthday", "tags[0]"]);
    }

    #[test]
    fn a_good_segment_reads_back_from_its_json() {
        let raw: SegmentIn = serde_json::from_str(
            r#"{"member_levels":["金卡会员"],"bought_within_days":180,"birthday":"this_week","tags":["老客"],"attributes":{"尺码":"M"}}"#,
        )
        .unwrap();
        let s = Segment::parse(&raw, &levels()).unwrap();
        assert_eq!(s.birthday, Some(BirthdayWhen::ThisWeek));
        assert_eq!(Segment::from_json(&s.to_json()), Some(s));
    }

    #[test]
    fn unknown_fields_are_refused() {
        assert!(serde_json::from_str::<SegmentIn>(r#"{"member_level":"金卡会员"}"#).is_err());
    }

    #[test]
    fn this_week_runs_monday_to_sunday() {
        // 2026-11-28 is a Saturday.
        let days = birthday_days(BirthdayWhen::ThisWeek, date(2026, 11, 28));
        assert_eq!(days.first(), Some(&(11, 23)));
        assert_eq!(days.last(), Some(&(11, 29)));
        assert_eq!(days.len(), 7);
        assert_eq!(birthday_days(BirthdayWhen::Today, date(2026, 11, 28)), [(11, 28)]);
    }

    #[test]
    fn leap_day_birthdays_fall_on_the_28th_in_other_years() {
        assert_eq!(birthday_days(BirthdayWhen::Today, date(2027, 2, 28)), [(2, 28), (2, 29)]);
        assert_eq!(birthday_days(BirthdayWhen::Today, date(2028, 2, 28)), [(2, 28)]);
    }
}
