//! Care campaigns (客户关怀): who gets what, how and when — the message template and its
//! variables, the channel, the schedule, and the delivery rules (retries with backoff).

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::enums::str_enum;

/// The longest template.
pub const MAX_TEMPLATE_CHARS: usize = 500;
/// Delivery attempts before a send is failed for good.
pub const MAX_ATTEMPTS: i64 = 5;

str_enum! {
    /// How a campaign message reaches the buyer.
    SendChannel: "channel" {
        /// Kept in Kefu: listed by `GET /api/v1/outbox` and shown in the buyer's chat.
        Outbox = "outbox",
        /// POSTed as JSON to the shop's gateway (an SMS service, a CRM).
        Webhook = "webhook",
        /// Mailed through the shop's SMTP server.
        Email = "email",
    }
}

str_enum! {
    /// Where a campaign is in its life.
    CampaignState: "campaign state" {
        /// Waiting for its (next) run.
        Scheduled = "scheduled",
        /// A run's messages are going out.
        Sending = "sending",
        /// Every message of its one run is decided.
        Done = "done",
        Cancelled = "cancelled",
    }
}

str_enum! {
    /// What became of one buyer's message.
    SendState: "send state" {
        Pending = "pending",
        Sent = "sent",
        Failed = "failed",
        /// The buyer opted out before it went.
        OptedOut = "opted_out",
        /// A high-end member's birthday: an agent calls instead (a task on the desk).
        CallTask = "call_task",
    }
}

/// When a campaign runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// Once, at this time (now when it was not given).
    Once(DateTime<Utc>),
    /// Every day at this shop time (birthday greetings).
    Daily(NaiveTime),
}

impl Schedule {
    /// The first run at or after `now`.
    pub fn first_run(self, now: DateTime<Utc>, zone: Tz) -> DateTime<Utc> {
        match self {
            Schedule::Once(at) => at,
            Schedule::Daily(at) => daily_after(at, now - Duration::seconds(1), zone),
        }
    }
}

/// The first time after `after` at which the shop's clock reads `at`. A time the clock skips
/// (a daylight-saving jump) runs at the first moment after it.
pub fn daily_after(at: NaiveTime, after: DateTime<Utc>, zone: Tz) -> DateTime<Utc> {
    let mut day = after.with_timezone(&zone).date_naive();
    loop {
        if let Some(t) = local(day, at, zone).filter(|t| *t > after) {
            return t;
        }
        day = day.succ_opt().expect("a date after today");
    }
}

/// The first moment of shop date `day`.
pub fn start_of_day(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    local(day, NaiveTime::MIN, zone).unwrap_or_else(|| day.and_time(NaiveTime::MIN).and_utc())
}

fn local(day: NaiveDate, at: NaiveTime, zone: Tz) -> Option<DateTime<Utc>> {
    let naive = day.and_time(at);
    zone.from_local_datetime(&naive)
        .earliest()
        .or_else(|| zone.from_local_datetime(&(naive + Duration::hours(1))).earliest())
        .map(|t| t.with_timezone(&Utc))
}

/// The key of the run that starts at `at`: the shop date for a daily campaign (one message
/// per buyer per day), `once` otherwise.
pub fn run_key(daily: bool, at: DateTime<Utc>, zone: Tz) -> String {
    if daily { at.with_timezone(&zone).date_naive().to_string() } else { "once".into() }
}

/// When to try again after `attempts` failed deliveries: 30 s, 1 min, 2 min, 4 min …;
/// None when the send has failed for good.
pub fn retry_after(attempts: i64) -> Option<Duration> {
    (attempts < MAX_ATTEMPTS).then(|| Duration::seconds(30 << (attempts - 1).clamp(0, 10)))
}

/// A template variable: its Chinese name, its English alias.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CareVar {
    Buyer,
    Shop,
    MemberLevel,
    Birthday,
    /// The buyer's own attribute-survey link.
    Survey,
}

impl CareVar {
    pub const ALL: &'static [CareVar] =
        &[CareVar::Buyer, CareVar::Shop, CareVar::MemberLevel, CareVar::Birthday, CareVar::Survey];

    pub fn zh(self) -> &'static str {
        match self {
            CareVar::Buyer => "买家",
            CareVar::Shop => "店铺",
            CareVar::MemberLevel => "会员等级",
            CareVar::Birthday => "生日",
            CareVar::Survey => "问卷",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            CareVar::Buyer => "buyer",
            CareVar::Shop => "shop",
            CareVar::MemberLevel => "member_level",
            CareVar::Birthday => "birthday",
            CareVar::Survey => "survey",
        }
    }

    fn parse(name: &str) -> Option<CareVar> {
        CareVar::ALL.iter().copied().find(|v| v.zh() == name || v.en() == name)
    }
}

/// What one buyer's message is filled with.
#[derive(Debug, Clone, Default)]
pub struct CareValues<'a> {
    /// The buyer's name when known, else their nick.
    pub buyer: &'a str,
    pub shop: &'a str,
    pub member_level: &'a str,
    pub birthday: Option<NaiveDate>,
    /// The buyer's survey link, when the template asks for one.
    pub survey: &'a str,
}

/// Whether `body` uses the survey link (then each message needs its own).
pub fn uses_survey(body: &str) -> bool {
    body.contains("{问卷}") || body.contains("{survey}")
}

/// Every `{name}` in `body` that is not a campaign variable, in order, once each. Order
/// variables (`{订单号}`) are unknown here: a campaign is about the buyer, not an order.
pub fn unknown_vars(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in super::template::braced_names(body).filter(|name| CareVar::parse(name).is_none()) {
        let raw = format!("{{{name}}}");
        if !out.contains(&raw) {
            out.push(raw);
        }
    }
    out
}

/// The message for one buyer. A value the buyer lacks (no member level) becomes empty text;
/// the template was checked for unknown variables when saved.
pub fn render(body: &str, v: &CareValues<'_>) -> String {
    super::template::scan(body, CareVar::parse, |var, _, out| match var {
        CareVar::Buyer => out.push_str(v.buyer),
        CareVar::Shop => out.push_str(v.shop),
        CareVar::MemberLevel => out.push_str(v.member_level),
        CareVar::Survey => out.push_str(v.survey),
        CareVar::Birthday => {
            if let Some(d) = v.birthday {
                use chrono::Datelike;
                out.push_str(&format!("{}月{}日", d.month(), d.day()));
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_fill_in_both_spellings() {
        let v = CareValues {
            buyer: "小王",
            shop: "暖暖女装",
            member_level: "金卡会员",
            birthday: NaiveDate::from_ymd_opt(1990, 11, 28),
            survey: "/survey/s1.x.y",
        };
        assert_eq!(
            render("亲爱的{买家}，{shop}祝{会员等级}您{birthday}生日快乐", &v),
            "亲爱的小王，暖暖女装祝金卡会员您11月28日生日快乐"
        );
        assert_eq!(render("{未知} {", &v), "{未知} {");
        assert_eq!(render("填问卷领券：{问卷}", &v), "填问卷领券：/survey/s1.x.y");
        assert!(uses_survey("{survey}") && !uses_survey("{买家}"));
    }

    #[test]
    fn unknown_and_order_variables_are_reported_once() {
        assert_eq!(unknown_vars("{买家} {订单号} {订单号} {x}"), ["{订单号}", "{x}"]);
        assert!(
            unknown_vars("{买家}{店铺}{会员等级}{生日}{问卷}{buyer}{shop}{member_level}{birthday}{survey}").is_empty()
        );
    }

    #[test]
    fn retries_back_off_then_stop() {
        assert_eq!(retry_after(1), Some(Duration::seconds(30)));
        assert_eq!(retry_after(2), Some(Duration::seconds(60)));
        assert_eq!(retry_after(4), Some(Duration::seconds(240)));
        assert_eq!(retry_after(MAX_ATTEMPTS), None);
    }

    #[test]
    fn daily_runs_follow_the_shop_clock() {
        let zone = chrono_tz::Asia::Shanghai;
        let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        // 2026-11-28 02:00 UTC is 10:00 in Shanghai: today's 09:00 has passed.
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 2, 0, 0).unwrap();
        assert_eq!(Schedule::Daily(nine).first_run(now, zone), Utc.with_ymd_and_hms(2026, 11, 29, 1, 0, 0).unwrap());
        let early = Utc.with_ymd_and_hms(2026, 11, 27, 23, 0, 0).unwrap();
        assert_eq!(Schedule::Daily(nine).first_run(early, zone), Utc.with_ymd_and_hms(2026, 11, 28, 1, 0, 0).unwrap());
        assert_eq!(run_key(true, early, zone), "2026-11-28");
        assert_eq!(run_key(false, early, zone), "once");
    }
}
