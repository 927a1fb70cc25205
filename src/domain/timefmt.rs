//! Showing times to people: in the shop's time zone, and relative ("3分钟前").

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;

use super::Lang;

// The times below are written out field by field: chrono's `format` parses its pattern on
// every call, and a desk page shows a hundred times (4 % of its CPU at a million tickets).

/// `14:05`.
fn hour_minute(at: &DateTime<Tz>) -> String {
    format!("{:02}:{:02}", at.hour(), at.minute())
}

/// `2026-03-01 14:05` in the shop's zone.
pub fn local(at: DateTime<Utc>, tz: Tz) -> String {
    let at = at.with_timezone(&tz);
    format!("{:04}-{:02}-{:02} {}", at.year(), at.month(), at.day(), hour_minute(&at))
}

/// A message's time as chat apps show it, in the shop's zone: `18:41` today, `昨天 18:41`,
/// `11-26 18:41` earlier this year, `2025-12-31 18:41` before that.
pub fn clock(at: DateTime<Utc>, now: DateTime<Utc>, tz: Tz, lang: Lang) -> String {
    let (at, now) = (at.with_timezone(&tz), now.with_timezone(&tz));
    let (day, today) = (at.date_naive(), now.date_naive());
    if day == today {
        hour_minute(&at)
    } else if today.pred_opt() == Some(day) {
        let word = if lang == Lang::Zh { "昨天" } else { "Yesterday" };
        format!("{word} {}", hour_minute(&at))
    } else if day.year() == today.year() {
        format!("{:02}-{:02} {}", day.month(), day.day(), hour_minute(&at))
    } else {
        format!("{:04}-{:02}-{:02} {}", day.year(), day.month(), day.day(), hour_minute(&at))
    }
}

/// How long ago `at` was, as staff say it: 刚刚 / 3分钟前 / 2小时前 / 5天前 (or English).
pub fn ago(at: DateTime<Utc>, now: DateTime<Utc>, lang: Lang) -> String {
    let secs = (now - at).num_seconds().max(0);
    let (n, unit_zh, unit_en) = match secs {
        0..=59 => return if lang == Lang::Zh { "刚刚".into() } else { "just now".into() },
        60..=3599 => (secs / 60, "分钟", "min"),
        3600..=86399 => (secs / 3600, "小时", "h"),
        _ => (secs / 86400, "天", "d"),
    };
    match lang {
        Lang::Zh => format!("{n}{unit_zh}前"),
        Lang::En => format!("{n} {unit_en} ago"),
    }
}

/// A span of time as staff say it: 45秒 / 41分钟 / 2小时5分 / 3天 (or English).
pub fn span(secs: i64, lang: Lang) -> String {
    let secs = secs.max(0);
    let (d, h, m) = (secs / 86400, (secs % 86400) / 3600, (secs % 3600) / 60);
    match (lang, d, h, m) {
        (Lang::Zh, 0, 0, 0) => format!("{secs}秒"),
        (Lang::Zh, 0, 0, m) => format!("{m}分钟"),
        (Lang::Zh, 0, h, 0) => format!("{h}小时"),
        (Lang::Zh, 0, h, m) => format!("{h}小时{m}分"),
        (Lang::Zh, d, _, _) => format!("{d}天"),
        (Lang::En, 0, 0, 0) => format!("{secs}s"),
        (Lang::En, 0, 0, m) => format!("{m} min"),
        (Lang::En, 0, h, 0) => format!("{h} h"),
        (Lang::En, 0, h, m) => format!("{h} h {m} min"),
        (Lang::En, d, _, _) => format!("{d} d"),
    }
}

/// Time left, to the hour when days remain: 2天3小时 / 5小时20分 / 12分钟.
pub fn remaining(secs: i64, lang: Lang) -> String {
    let secs = secs.max(0);
    let (d, h, m) = (secs / 86400, (secs % 86400) / 3600, (secs % 3600) / 60);
    match (lang, d) {
        (Lang::Zh, 0) if h == 0 => format!("{m}分钟"),
        (Lang::Zh, 0) => format!("{h}小时{m}分"),
        (Lang::Zh, d) => format!("{d}天{h}小时"),
        (Lang::En, 0) if h == 0 => format!("{m} min"),
        (Lang::En, 0) => format!("{h} h {m} min"),
        (Lang::En, d) => format!("{d} d {h} h"),
    }
}

#[cfg(test)]
mod clock_tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn message_times_read_like_a_chat() {
        let tz = chrono_tz::Asia::Shanghai;
        // 2026-11-28 10:00 in Shanghai.
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 2, 0, 0).unwrap();
        let at = |y, mo, d, h, mi| tz.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap().with_timezone(&Utc);
        assert_eq!(clock(at(2026, 11, 28, 0, 5), now, tz, Lang::Zh), "00:05");
        // 23:59 yesterday in Shanghai is still "today" in UTC: the shop's day decides.
        assert_eq!(clock(at(2026, 11, 27, 23, 59), now, tz, Lang::Zh), "昨天 23:59");
        assert_eq!(clock(at(2026, 11, 27, 8, 0), now, tz, Lang::En), "Yesterday 08:00");
        assert_eq!(clock(at(2026, 11, 26, 18, 41), now, tz, Lang::Zh), "11-26 18:41");
        assert_eq!(clock(at(2025, 12, 31, 18, 41), now, tz, Lang::Zh), "2025-12-31 18:41");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn relative_times() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        let cases = [(30, "刚刚"), (180, "3分钟前"), (7200, "2小时前"), (3 * 86400, "3天前")];
        for (secs, text) in cases {
            assert_eq!(ago(now - chrono::Duration::seconds(secs), now, Lang::Zh), text);
        }
        assert_eq!(ago(now - chrono::Duration::seconds(180), now, Lang::En), "3 min ago");
    }

    #[test]
    fn remaining_time() {
        assert_eq!(remaining(2 * 86400 + 3 * 3600 + 59, Lang::Zh), "2天3小时");
        assert_eq!(remaining(5 * 3600 + 20 * 60, Lang::Zh), "5小时20分");
        assert_eq!(remaining(12 * 60, Lang::Zh), "12分钟");
        assert_eq!(remaining(2 * 86400 + 3 * 3600, Lang::En), "2 d 3 h");
    }

    #[test]
    fn spans() {
        for (secs, zh, en) in [
            (45, "45秒", "45s"),
            (41 * 60, "41分钟", "41 min"),
            (7200, "2小时", "2 h"),
            (7500, "2小时5分", "2 h 5 min"),
            (3 * 86400 + 5, "3天", "3 d"),
        ] {
            assert_eq!(span(secs, Lang::Zh), zh);
            assert_eq!(span(secs, Lang::En), en);
        }
    }

    #[test]
    fn local_time_uses_the_shop_zone() {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 6, 0, 0).unwrap();
        assert_eq!(local(at, chrono_tz::Asia::Shanghai), "2026-03-01 14:00");
    }
}
