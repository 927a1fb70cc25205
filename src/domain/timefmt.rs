//! Showing times to people: in the shop's time zone, and relative ("3分钟前").

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::Lang;

/// `2026-03-01 14:05` in the shop's zone.
pub fn local(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
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
    fn local_time_uses_the_shop_zone() {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 6, 0, 0).unwrap();
        assert_eq!(local(at, chrono_tz::Asia::Shanghai), "2026-03-01 14:00");
    }
}
