//! The shop's settings as one typed value: read from the stored key/value pairs in one place,
//! validated in one place (with the ranges below), and used by every page, service and job.
//!
//! Stored values were validated when they were saved; reading is lenient all the same (a value
//! that no longer parses keeps its default), so a hand-edited row can never stop the desk.

use std::collections::HashMap;
use std::ops::RangeInclusive;

use chrono::Duration;
use chrono_tz::Tz;

use super::reply_check::{self, CheckMode, ReplyCheck};
use super::sla::{self, BusinessHours, Targets};
use super::validation::{ErrorCode, Errors, FieldError};
use super::{Platform, Priority, Stage};

/// How long a returning buyer goes back to their previous agent, in hours (0 = never).
pub const STICKY_HOURS: RangeInclusive<i64> = 0..=720;
/// After how many idle minutes an online agent is set away.
pub const IDLE_MINUTES: RangeInclusive<i64> = 1..=480;
/// How long the queue's oldest buyer may have waited before new questions are answered from
/// the knowledge base while they wait, in minutes (0 = only when nobody is on shift).
pub const FAQ_WAIT_MINUTES: RangeInclusive<i64> = 0..=240;
/// A stage's first-response target, in minutes.
pub const FIRST_MINUTES: RangeInclusive<i64> = 1..=1440;
/// A stage's resolution target, in hours.
pub const RESOLVE_HOURS: RangeInclusive<i64> = 1..=720;
/// Automation delays: a typo cannot switch an automation into spam or silence.
pub const URGE_MINUTES: RangeInclusive<i64> = 5..=7 * 24 * 60;
pub const STUCK_HOURS: RangeInclusive<i64> = 6..=30 * 24;
pub const FOLLOW_DAYS: RangeInclusive<i64> = 1..=60;

/// Every setting of the shop.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub shop: Shop,
    pub routing: Routing,
    pub automations: Automations,
    pub reply_check: ReplyCheck,
    pub care: Care,
}

/// Care campaigns: the shop's member levels, who gets a call on their birthday, the gateway
/// for the webhook channel and how fast each channel may send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Care {
    /// The member levels buyers can have, lowest first (segments may only name these).
    pub member_levels: Vec<String>,
    /// High-end levels: their birthday campaign becomes a call task for an agent.
    pub call_levels: Vec<String>,
    /// Where the webhook channel POSTs each message (empty: the channel is off).
    pub webhook_url: String,
    /// Messages per minute and channel, shared by every instance.
    pub outbox_per_minute: i64,
    pub webhook_per_minute: i64,
    pub email_per_minute: i64,
    /// The email channel's SMTP relay; empty host: the channel is off.
    pub smtp: Smtp,
    /// The attribute survey: its questions, whether it asks the birthday, the coupon text
    /// shown when it is answered, and how long its links last.
    pub survey_questions: Vec<super::survey::Question>,
    pub survey_birthday: bool,
    pub survey_coupon: String,
    pub survey_days: i64,
}

/// How long a survey link lasts, in days.
pub const SURVEY_DAYS: RangeInclusive<i64> = 1..=90;

impl Default for Care {
    fn default() -> Care {
        Care {
            member_levels: ["普通会员", "银卡会员", "金卡会员", "钻石会员"].map(String::from).to_vec(),
            call_levels: vec!["钻石会员".into()],
            webhook_url: String::new(),
            outbox_per_minute: 600,
            webhook_per_minute: 60,
            email_per_minute: 30,
            smtp: Smtp::default(),
            survey_questions: super::survey::parse_questions(
                "尺码：XS/S/M/L/XL/XXL\n肤质：干性/油性/混合/敏感\n喜欢的风格",
            ),
            survey_birthday: true,
            survey_coupon: "感谢填写！送您一张 5 元无门槛券，下单时报暗号「问卷5元」就能用～".into(),
            survey_days: 30,
        }
    }
}

super::enums::str_enum! {
    /// How Kefu talks to the shop's SMTP relay.
    SmtpSecurity: "SMTP security" {
        /// TLS from the first byte (port 465).
        Tls = "tls",
        /// Plain, then STARTTLS before anything is sent (port 587).
        Starttls = "starttls",
        /// No encryption: only for a relay on the same machine or private network.
        None = "none",
    }
}

/// The email channel's relay and sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub user: String,
    pub password: String,
    /// The sender: `service@shop.com` or `暖暖女装 <service@shop.com>`.
    pub from: String,
}

impl Default for Smtp {
    fn default() -> Smtp {
        Smtp {
            host: String::new(),
            port: 465,
            security: SmtpSecurity::Tls,
            user: String::new(),
            password: String::new(),
            from: String::new(),
        }
    }
}

impl Smtp {
    /// Whether mail can be sent at all.
    pub fn is_set(&self) -> bool {
        !self.host.is_empty() && !self.from.is_empty()
    }
}

/// The address inside a sender (`暖暖女装 <service@shop.com>` → `service@shop.com`).
pub fn sender_address(from: &str) -> &str {
    match (from.rfind('<'), from.rfind('>')) {
        (Some(a), Some(b)) if a < b => from[a + 1..b].trim(),
        _ => from.trim(),
    }
}

/// A channel's messages per minute.
pub const PER_MINUTE: RangeInclusive<i64> = 1..=100_000;

impl Care {
    pub fn per_minute(&self, channel: super::campaign::SendChannel) -> i64 {
        use super::campaign::SendChannel;
        match channel {
            SendChannel::Outbox => self.outbox_per_minute,
            SendChannel::Webhook => self.webhook_per_minute,
            SendChannel::Email => self.email_per_minute,
        }
    }

    pub fn pairs(&self) -> Vec<(String, String)> {
        vec![
            ("care.member_levels".into(), self.member_levels.join("\n")),
            ("care.call_levels".into(), self.call_levels.join("\n")),
            ("care.webhook_url".into(), self.webhook_url.clone()),
            ("care.outbox_per_minute".into(), self.outbox_per_minute.to_string()),
            ("care.webhook_per_minute".into(), self.webhook_per_minute.to_string()),
            ("care.email_per_minute".into(), self.email_per_minute.to_string()),
            ("care.smtp_host".into(), self.smtp.host.clone()),
            ("care.smtp_port".into(), self.smtp.port.to_string()),
            ("care.smtp_security".into(), self.smtp.security.as_str().into()),
            ("care.smtp_user".into(), self.smtp.user.clone()),
            ("care.smtp_password".into(), self.smtp.password.clone()),
            ("care.smtp_from".into(), self.smtp.from.clone()),
            ("care.survey_questions".into(), super::survey::questions_text(&self.survey_questions)),
            ("care.survey_birthday".into(), flag(self.survey_birthday)),
            ("care.survey_coupon".into(), self.survey_coupon.clone()),
            ("care.survey_days".into(), self.survey_days.to_string()),
        ]
    }
}

/// The care settings form as typed: the level lists one a line, the rest as text.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct CareForm {
    pub member_levels: String,
    pub call_levels: String,
    pub webhook_url: String,
    pub outbox_per_minute: String,
    pub webhook_per_minute: String,
    pub email_per_minute: String,
    pub survey_questions: String,
    pub survey_birthday: String,
    pub survey_coupon: String,
    pub survey_days: String,
    pub smtp_host: String,
    pub smtp_port: String,
    pub smtp_security: String,
    pub smtp_user: String,
    /// Empty keeps the stored password (it is never shown back).
    pub smtp_password: String,
    pub smtp_from: String,
}

impl From<&Care> for CareForm {
    fn from(c: &Care) -> CareForm {
        CareForm {
            member_levels: c.member_levels.join("\n"),
            call_levels: c.call_levels.join("\n"),
            webhook_url: c.webhook_url.clone(),
            outbox_per_minute: c.outbox_per_minute.to_string(),
            webhook_per_minute: c.webhook_per_minute.to_string(),
            email_per_minute: c.email_per_minute.to_string(),
            survey_questions: super::survey::questions_text(&c.survey_questions),
            survey_birthday: flag(c.survey_birthday),
            survey_coupon: c.survey_coupon.clone(),
            survey_days: c.survey_days.to_string(),
            smtp_host: c.smtp.host.clone(),
            smtp_port: c.smtp.port.to_string(),
            smtp_security: c.smtp.security.as_str().into(),
            smtp_user: c.smtp.user.clone(),
            smtp_password: String::new(),
            smtp_from: c.smtp.from.clone(),
        }
    }
}

impl CareForm {
    fn smtp(&self, current: &Care, e: &mut Errors) -> Option<Smtp> {
        let host = self.smtp_host.trim().to_string();
        let from = self.smtp_from.trim().to_string();
        if host.is_empty() {
            // Mail switched off: nothing else is needed.
            return Some(Smtp { from, ..Smtp::default() });
        }
        let valid_host = host.len() <= 253 && host.chars().all(|c| c.is_ascii_alphanumeric() || ".-".contains(c));
        if !valid_host {
            e.push("smtp_host", ErrorCode::Invalid);
        }
        let port = e.number("smtp_port", &self.smtp_port, 1..=65535);
        let security = self.smtp_security.parse::<SmtpSecurity>().ok();
        if security.is_none() {
            e.push("smtp_security", ErrorCode::Invalid);
        }
        if !super::validation::looks_like_email(sender_address(&from)) {
            e.push("smtp_from", ErrorCode::Invalid);
        }
        let password =
            if self.smtp_password.is_empty() { current.smtp.password.clone() } else { self.smtp_password.clone() };
        Some(Smtp {
            host,
            port: port? as u16,
            security: security?,
            user: self.smtp_user.trim().to_string(),
            password,
            from,
        })
    }
}

/// The most survey questions, and the longest coupon text.
pub const MAX_QUESTIONS: usize = 20;
pub const MAX_COUPON_CHARS: usize = 200;

/// The most member levels a shop may define, and the longest name.
pub const MAX_LEVELS: usize = 20;
pub const MAX_LEVEL_CHARS: usize = 20;

impl CareForm {
    /// The settings; an empty SMTP password keeps `current`'s.
    pub fn parse(&self, current: &Care) -> Result<Care, Vec<FieldError>> {
        let mut e = Errors::default();
        let lines = |text: &str| -> Vec<String> {
            let mut out: Vec<String> = Vec::new();
            for l in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                if !out.iter().any(|o| o == l) {
                    out.push(l.to_string());
                }
            }
            out
        };
        let member_levels = lines(&self.member_levels);
        if member_levels.len() > MAX_LEVELS || member_levels.iter().any(|l| l.chars().count() > MAX_LEVEL_CHARS) {
            e.push("member_levels", ErrorCode::TooLong);
        }
        let call_levels = lines(&self.call_levels);
        if call_levels.iter().any(|l| !member_levels.contains(l)) {
            e.push("call_levels", ErrorCode::MemberLevel);
        }
        let webhook_url = self.webhook_url.trim().to_string();
        if !webhook_url.is_empty() && !is_http_url(&webhook_url) {
            e.push("webhook_url", ErrorCode::Url);
        }
        let outbox = e.number("outbox_per_minute", &self.outbox_per_minute, PER_MINUTE);
        let webhook = e.number("webhook_per_minute", &self.webhook_per_minute, PER_MINUTE);
        let email = e.number("email_per_minute", &self.email_per_minute, PER_MINUTE);
        let survey_questions = super::survey::parse_questions(&self.survey_questions);
        if survey_questions.len() > MAX_QUESTIONS
            || survey_questions.iter().any(|q| q.key.chars().count() > MAX_LEVEL_CHARS)
        {
            e.push("survey_questions", ErrorCode::TooLong);
        }
        let survey_coupon = self.survey_coupon.trim().to_string();
        if survey_coupon.chars().count() > MAX_COUPON_CHARS {
            e.push("survey_coupon", ErrorCode::TooLong);
        }
        let survey_days = e.number("survey_days", &self.survey_days, SURVEY_DAYS);
        let smtp = self.smtp(current, &mut e);
        e.or_value(|| Care {
            member_levels,
            call_levels,
            webhook_url,
            outbox_per_minute: outbox.expect("checked"),
            webhook_per_minute: webhook.expect("checked"),
            email_per_minute: email.expect("checked"),
            smtp: smtp.expect("checked"),
            survey_questions,
            survey_birthday: self.survey_birthday == "on",
            survey_coupon,
            survey_days: survey_days.expect("checked"),
        })
    }
}

/// Whether `url` is an absolute http(s) address with a host.
pub fn is_http_url(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !host.starts_with(':') && !r.chars().any(char::is_whitespace)
    })
}

/// The shop itself: name, platform, clock, hours, policy link and greetings.
#[derive(Debug, Clone, PartialEq)]
pub struct Shop {
    /// Empty until the admin names the shop; pages then show "Kefu".
    pub name: String,
    pub platform: Platform,
    pub time_zone: Tz,
    pub business_hours: Option<BusinessHours>,
    pub policy_url: String,
    /// Sent when a buyer opens a conversation (empty: none).
    pub welcome_text: String,
    /// Sent when nobody of the team is available (empty: none).
    pub away_text: String,
    /// Days after an inquiry within which the buyer's order converts it (询单转化).
    pub conversion_days: i64,
}

/// Routing and SLA options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routing {
    pub sticky_hours: i64,
    pub idle_minutes: i64,
    /// Offer knowledge articles to new buyers when the queue's oldest has waited this many
    /// minutes (0: only when nobody is on shift).
    pub faq_wait_minutes: i64,
    /// Count SLA time in business hours only.
    pub business_hours_only: bool,
    /// Normal-priority targets per stage, in the order of [`Stage::ALL`].
    pub targets: Vec<(Stage, Targets)>,
}

/// The order automations' switches and delays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Automations {
    pub urge_payment: bool,
    pub urge_payment_minutes: i64,
    pub delayed_shipment: bool,
    pub stuck_parcel: bool,
    pub stuck_parcel_hours: i64,
    pub shipping_notice: bool,
    pub care_push: bool,
    pub follow_up: bool,
    pub follow_up_days: i64,
    pub bad_review: bool,
    /// 核对订单: send the buyer the items, size and address to confirm after payment.
    pub confirm_order: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings::from_pairs(&[])
    }
}

impl Default for Automations {
    fn default() -> Self {
        Automations {
            urge_payment: true,
            urge_payment_minutes: 30,
            delayed_shipment: true,
            stuck_parcel: true,
            stuck_parcel_hours: 48,
            shipping_notice: true,
            care_push: true,
            follow_up: true,
            follow_up_days: 3,
            bad_review: true,
            confirm_order: true,
        }
    }
}

/// The stored key of a stage's first-response and resolution targets.
fn target_keys(stage: Stage) -> (String, String) {
    (format!("sla.{}.first_minutes", stage.as_str()), format!("sla.{}.resolve_hours", stage.as_str()))
}

fn flag(on: bool) -> String {
    if on { "on" } else { "off" }.to_string()
}

impl Settings {
    /// Reads the stored pairs; a missing or unreadable value keeps its default.
    pub fn from_pairs(pairs: &[(String, String)]) -> Settings {
        let map: HashMap<&str, &str> = pairs.iter().map(|(k, v)| (k.as_str(), v.trim())).collect();
        let text = |k: &str| map.get(k).copied().unwrap_or("");
        let num = |k: &str, range: RangeInclusive<i64>, default: i64| {
            map.get(k).and_then(|v| v.parse().ok()).filter(|n| range.contains(n)).unwrap_or(default)
        };
        let on = |k: &str, default: bool| map.get(k).map_or(default, |v| *v != "off");
        let shop = Shop {
            name: text("shop_name").to_string(),
            platform: text("platform").parse().unwrap_or(Platform::Taobao),
            time_zone: text("time_zone").parse().unwrap_or(chrono_tz::Asia::Shanghai),
            business_hours: BusinessHours::parse(text("business_hours")),
            policy_url: text("policy_url").to_string(),
            welcome_text: text("welcome_text").to_string(),
            away_text: text("away_text").to_string(),
            conversion_days: num("reports.conversion_days", super::reports::CONVERSION_DAYS, 3),
        };
        let targets = Stage::ALL
            .iter()
            .map(|stage| {
                let d = sla::default_targets(*stage);
                let (fk, rk) = target_keys(*stage);
                let first = num(&fk, FIRST_MINUTES, d.first_response.num_minutes());
                let resolve = num(&rk, RESOLVE_HOURS, d.resolution.num_hours());
                (*stage, Targets { first_response: Duration::minutes(first), resolution: Duration::hours(resolve) })
            })
            .collect();
        let routing = Routing {
            sticky_hours: num("routing.sticky_hours", STICKY_HOURS, 48),
            idle_minutes: num("presence.idle_minutes", IDLE_MINUTES, 15),
            faq_wait_minutes: num("routing.faq_wait_minutes", FAQ_WAIT_MINUTES, 5),
            business_hours_only: text("sla.business_hours_only") == "on",
            targets,
        };
        let d = Automations::default();
        let automations = Automations {
            urge_payment: on("automation.urge_payment", d.urge_payment),
            urge_payment_minutes: num("automation.urge_payment_minutes", URGE_MINUTES, d.urge_payment_minutes),
            delayed_shipment: on("automation.delayed_shipment", d.delayed_shipment),
            stuck_parcel: on("automation.stuck_parcel", d.stuck_parcel),
            stuck_parcel_hours: num("automation.stuck_parcel_hours", STUCK_HOURS, d.stuck_parcel_hours),
            shipping_notice: on("automation.shipping_notice", d.shipping_notice),
            care_push: on("automation.care_push", d.care_push),
            follow_up: on("automation.follow_up", d.follow_up),
            follow_up_days: num("automation.follow_up_days", FOLLOW_DAYS, d.follow_up_days),
            bad_review: on("automation.bad_review", d.bad_review),
            confirm_order: on("automation.confirm_order", d.confirm_order),
        };
        let d = ReplyCheck::default();
        // An emptied list is kept empty; only a list never saved has the defaults.
        let list = |k: &str, default: Vec<String>| map.get(k).map_or(default, |v| reply_check::parse_list(v));
        let reply_check = ReplyCheck {
            banned: list("reply_check.banned", d.banned),
            allowed: list("reply_check.allowed", d.allowed),
            mode: text("reply_check.mode").parse().unwrap_or(d.mode),
        };
        let d = Care::default();
        let lines = |k: &str, default: Vec<String>| {
            map.get(k)
                .map_or(default, |v| v.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect())
        };
        let care = Care {
            member_levels: lines("care.member_levels", d.member_levels),
            call_levels: lines("care.call_levels", d.call_levels),
            webhook_url: Some(text("care.webhook_url")).filter(|u| is_http_url(u)).unwrap_or("").to_string(),
            outbox_per_minute: num("care.outbox_per_minute", PER_MINUTE, d.outbox_per_minute),
            webhook_per_minute: num("care.webhook_per_minute", PER_MINUTE, d.webhook_per_minute),
            email_per_minute: num("care.email_per_minute", PER_MINUTE, d.email_per_minute),
            smtp: Smtp {
                host: text("care.smtp_host").to_string(),
                port: num("care.smtp_port", 1..=65535, 465) as u16,
                security: text("care.smtp_security").parse().unwrap_or(SmtpSecurity::Tls),
                user: text("care.smtp_user").to_string(),
                password: text("care.smtp_password").to_string(),
                from: text("care.smtp_from").to_string(),
            },
            survey_questions: map
                .get("care.survey_questions")
                .map_or(d.survey_questions, |v| super::survey::parse_questions(v)),
            survey_birthday: on("care.survey_birthday", d.survey_birthday),
            survey_coupon: map.get("care.survey_coupon").map_or(d.survey_coupon, |v| v.to_string()),
            survey_days: num("care.survey_days", SURVEY_DAYS, d.survey_days),
        };
        Settings { shop, routing, automations, reply_check, care }
    }

    /// The shop's name for headers and the buyer's chat.
    pub fn shop_name(&self) -> &str {
        if self.shop.name.is_empty() { "Kefu" } else { &self.shop.name }
    }

    /// How long the queue may have kept its oldest buyer waiting before new questions get
    /// knowledge articles while they wait; None when only an empty shift brings them.
    pub fn faq_wait(&self) -> Option<Duration> {
        Some(self.routing.faq_wait_minutes).filter(|m| *m > 0).map(Duration::minutes)
    }

    /// Business hours when SLA time counts them only, else `None` (all hours count).
    pub fn sla_hours(&self) -> Option<BusinessHours> {
        self.shop.business_hours.filter(|_| self.routing.business_hours_only)
    }

    /// A stage's targets at a priority.
    pub fn targets_for(&self, stage: Stage, priority: Priority) -> Targets {
        let base = self.routing.targets.iter().find(|(s, _)| *s == stage).map_or(sla::default_targets(stage), |t| t.1);
        sla::scaled(base, priority)
    }

    pub fn sticky(&self) -> Duration {
        Duration::hours(self.routing.sticky_hours)
    }

    pub fn welcome(&self) -> Option<&str> {
        Some(self.shop.welcome_text.as_str()).filter(|t| !t.is_empty())
    }

    pub fn away(&self) -> Option<&str> {
        Some(self.shop.away_text.as_str()).filter(|t| !t.is_empty())
    }
}

impl Shop {
    /// The pairs to store.
    pub fn pairs(&self) -> Vec<(String, String)> {
        vec![
            ("shop_name".into(), self.name.clone()),
            ("platform".into(), self.platform.as_str().into()),
            ("time_zone".into(), self.time_zone.name().into()),
            ("business_hours".into(), self.business_hours.map(|h| h.to_string()).unwrap_or_default()),
            ("policy_url".into(), self.policy_url.clone()),
            ("welcome_text".into(), self.welcome_text.clone()),
            ("away_text".into(), self.away_text.clone()),
            ("reports.conversion_days".into(), self.conversion_days.to_string()),
        ]
    }
}

impl Routing {
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut pairs = vec![
            ("routing.sticky_hours".into(), self.sticky_hours.to_string()),
            ("presence.idle_minutes".into(), self.idle_minutes.to_string()),
            ("routing.faq_wait_minutes".into(), self.faq_wait_minutes.to_string()),
            ("sla.business_hours_only".into(), flag(self.business_hours_only)),
        ];
        for (stage, t) in &self.targets {
            let (fk, rk) = target_keys(*stage);
            pairs.push((fk, t.first_response.num_minutes().to_string()));
            pairs.push((rk, t.resolution.num_hours().to_string()));
        }
        pairs
    }
}

impl Automations {
    pub fn pairs(&self) -> Vec<(String, String)> {
        vec![
            ("automation.urge_payment".into(), flag(self.urge_payment)),
            ("automation.urge_payment_minutes".into(), self.urge_payment_minutes.to_string()),
            ("automation.delayed_shipment".into(), flag(self.delayed_shipment)),
            ("automation.stuck_parcel".into(), flag(self.stuck_parcel)),
            ("automation.stuck_parcel_hours".into(), self.stuck_parcel_hours.to_string()),
            ("automation.shipping_notice".into(), flag(self.shipping_notice)),
            ("automation.care_push".into(), flag(self.care_push)),
            ("automation.follow_up".into(), flag(self.follow_up)),
            ("automation.follow_up_days".into(), self.follow_up_days.to_string()),
            ("automation.bad_review".into(), flag(self.bad_review)),
            ("automation.confirm_order".into(), flag(self.confirm_order)),
        ]
    }
}

impl ReplyCheck {
    pub fn pairs(&self) -> Vec<(String, String)> {
        vec![
            ("reply_check.banned".into(), self.banned.join("\n")),
            ("reply_check.allowed".into(), self.allowed.join("\n")),
            ("reply_check.mode".into(), self.mode.as_str().into()),
        ]
    }
}

/// The reply-check form as typed: the two lists (one phrase a line) and the mode.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ReplyCheckForm {
    pub banned: String,
    pub allowed: String,
    pub mode: String,
}

impl From<&ReplyCheck> for ReplyCheckForm {
    fn from(c: &ReplyCheck) -> ReplyCheckForm {
        ReplyCheckForm { banned: c.banned.join("\n"), allowed: c.allowed.join("\n"), mode: c.mode.as_str().into() }
    }
}

impl ReplyCheckForm {
    pub fn parse(&self) -> Result<ReplyCheck, Vec<FieldError>> {
        let mut e = Errors::default();
        let banned = reply_check::parse_list(&self.banned);
        let allowed = reply_check::parse_list(&self.allowed);
        for (field, list) in [("banned", &banned), ("allowed", &allowed)] {
            if list.len() > reply_check::MAX_PHRASES
                || list.iter().any(|p| p.chars().count() > reply_check::MAX_PHRASE_CHARS)
            {
                e.push(field, ErrorCode::PhraseList);
            }
        }
        let mode = self.mode.trim().parse::<CheckMode>().map_err(|_| e.push("mode", ErrorCode::Invalid));
        e.or_value(|| ReplyCheck { banned, allowed, mode: mode.expect("checked") })
    }
}

/// The shop settings form as typed (shown again, as typed, after an error).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ShopForm {
    pub shop_name: String,
    pub platform: String,
    pub time_zone: String,
    pub business_hours: String,
    pub policy_url: String,
    pub welcome_text: String,
    pub away_text: String,
    pub conversion_days: String,
}

impl From<&Shop> for ShopForm {
    fn from(s: &Shop) -> ShopForm {
        ShopForm {
            shop_name: s.name.clone(),
            platform: s.platform.as_str().into(),
            time_zone: s.time_zone.name().into(),
            business_hours: s.business_hours.map(|h| h.to_string()).unwrap_or_default(),
            policy_url: s.policy_url.clone(),
            welcome_text: s.welcome_text.clone(),
            away_text: s.away_text.clone(),
            conversion_days: s.conversion_days.to_string(),
        }
    }
}

impl ShopForm {
    pub fn parse(&self) -> Result<Shop, Vec<FieldError>> {
        let mut e = Errors::default();
        let name = self.shop_name.trim();
        if name.is_empty() {
            e.push("shop_name", ErrorCode::Required);
        } else if name.chars().count() > 40 {
            e.push("shop_name", ErrorCode::TooLong);
        }
        let platform = self.platform.trim().parse::<Platform>().map_err(|_| e.push("platform", ErrorCode::Invalid));
        let tz = self.time_zone.trim().parse::<Tz>().map_err(|_| e.push("time_zone", ErrorCode::TimeZone));
        let hours_text = self.business_hours.trim();
        let hours = BusinessHours::parse(hours_text);
        if !hours_text.is_empty() && hours.is_none() {
            e.push("business_hours", ErrorCode::Hours);
        }
        let url = self.policy_url.trim();
        let url_ok = url.is_empty() || url.starts_with("https://") || url.starts_with("http://");
        if !url_ok || url.chars().count() > 300 {
            e.push("policy_url", ErrorCode::Url);
        }
        for (field, text) in [("welcome_text", &self.welcome_text), ("away_text", &self.away_text)] {
            if text.trim().chars().count() > 500 {
                e.push(field, ErrorCode::TooLong);
            }
        }
        // A form without the field (an older page) keeps the default window.
        let days_text = Some(self.conversion_days.trim()).filter(|d| !d.is_empty()).unwrap_or("3");
        let days = e.number("conversion_days", days_text, super::reports::CONVERSION_DAYS);
        e.or_value(|| Shop {
            name: name.to_string(),
            platform: platform.expect("checked"),
            time_zone: tz.expect("checked"),
            business_hours: hours,
            policy_url: url.to_string(),
            welcome_text: self.welcome_text.trim().to_string(),
            away_text: self.away_text.trim().to_string(),
            conversion_days: days.expect("checked"),
        })
    }
}

/// The routing options form as typed: sticky hours, idle minutes, business-hours-only and
/// each stage's targets (`first_<stage>` minutes, `resolve_<stage>` hours).
#[derive(Debug, Clone, Default)]
pub struct RoutingForm {
    pub sticky_hours: String,
    pub idle_minutes: String,
    pub faq_wait_minutes: String,
    pub business_only: bool,
    /// (stage, first-response minutes, resolution hours).
    pub targets: Vec<(Stage, String, String)>,
}

impl From<&Routing> for RoutingForm {
    fn from(r: &Routing) -> RoutingForm {
        RoutingForm {
            sticky_hours: r.sticky_hours.to_string(),
            idle_minutes: r.idle_minutes.to_string(),
            faq_wait_minutes: r.faq_wait_minutes.to_string(),
            business_only: r.business_hours_only,
            targets: r
                .targets
                .iter()
                .map(|(s, t)| (*s, t.first_response.num_minutes().to_string(), t.resolution.num_hours().to_string()))
                .collect(),
        }
    }
}

impl RoutingForm {
    pub fn parse(&self) -> Result<Routing, Vec<FieldError>> {
        let mut e = Errors::default();
        let sticky = e.number("sticky_hours", &self.sticky_hours, STICKY_HOURS);
        let mut targets = Vec::new();
        for stage in Stage::ALL {
            let (first, resolve) =
                self.targets.iter().find(|t| t.0 == *stage).map_or(("", ""), |t| (t.1.as_str(), t.2.as_str()));
            let first = e.number(format!("first_{}", stage.as_str()), first, FIRST_MINUTES);
            let resolve = e.number(format!("resolve_{}", stage.as_str()), resolve, RESOLVE_HOURS);
            if let (Some(a), Some(b)) = (first, resolve) {
                targets
                    .push((*stage, Targets { first_response: Duration::minutes(a), resolution: Duration::hours(b) }));
            }
        }
        let idle = e.number("idle_minutes", &self.idle_minutes, IDLE_MINUTES);
        let faq_wait = e.number("faq_wait_minutes", &self.faq_wait_minutes, FAQ_WAIT_MINUTES);
        e.or_value(|| Routing {
            sticky_hours: sticky.expect("checked"),
            idle_minutes: idle.expect("checked"),
            faq_wait_minutes: faq_wait.expect("checked"),
            business_hours_only: self.business_only,
            targets,
        })
    }
}

/// The automations form as typed: a checkbox per automation (`on` when ticked) and the delays.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct AutomationsForm {
    pub urge_payment: String,
    pub urge_payment_minutes: String,
    pub delayed_shipment: String,
    pub stuck_parcel: String,
    pub stuck_parcel_hours: String,
    pub shipping_notice: String,
    pub care_push: String,
    pub follow_up: String,
    pub follow_up_days: String,
    pub bad_review: String,
    pub confirm_order: String,
}

impl From<&Automations> for AutomationsForm {
    fn from(a: &Automations) -> AutomationsForm {
        AutomationsForm {
            urge_payment: flag(a.urge_payment),
            urge_payment_minutes: a.urge_payment_minutes.to_string(),
            delayed_shipment: flag(a.delayed_shipment),
            stuck_parcel: flag(a.stuck_parcel),
            stuck_parcel_hours: a.stuck_parcel_hours.to_string(),
            shipping_notice: flag(a.shipping_notice),
            care_push: flag(a.care_push),
            follow_up: flag(a.follow_up),
            follow_up_days: a.follow_up_days.to_string(),
            bad_review: flag(a.bad_review),
            confirm_order: flag(a.confirm_order),
        }
    }
}

impl AutomationsForm {
    /// Whether a checkbox is ticked.
    pub fn on(value: &str) -> bool {
        value == "on"
    }

    pub fn parse(&self) -> Result<Automations, Vec<FieldError>> {
        let mut e = Errors::default();
        let urge = e.number("urge_payment_minutes", &self.urge_payment_minutes, URGE_MINUTES);
        let stuck = e.number("stuck_parcel_hours", &self.stuck_parcel_hours, STUCK_HOURS);
        let follow = e.number("follow_up_days", &self.follow_up_days, FOLLOW_DAYS);
        let on = |v: &String| AutomationsForm::on(v);
        e.or_value(|| Automations {
            urge_payment: on(&self.urge_payment),
            urge_payment_minutes: urge.expect("checked"),
            delayed_shipment: on(&self.delayed_shipment),
            stuck_parcel: on(&self.stuck_parcel),
            stuck_parcel_hours: stuck.expect("checked"),
            shipping_notice: on(&self.shipping_notice),
            care_push: on(&self.care_push),
            follow_up: on(&self.follow_up),
            follow_up_days: follow.expect("checked"),
            bad_review: on(&self.bad_review),
            confirm_order: on(&self.confirm_order),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(kv: &[(&str, &str)]) -> Vec<(String, String)> {
        kv.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn an_empty_store_gives_the_defaults() {
        let s = Settings::default();
        assert_eq!(s.shop_name(), "Kefu");
        assert_eq!(s.shop.time_zone, chrono_tz::Asia::Shanghai);
        assert_eq!(s.routing.sticky_hours, 48);
        assert_eq!(s.routing.idle_minutes, 15);
        assert_eq!(s.targets_for(Stage::Presale, Priority::Normal), sla::default_targets(Stage::Presale));
        assert_eq!(s.automations, Automations::default());
        assert_eq!(s.sla_hours(), None);
    }

    #[test]
    fn stored_values_are_read_and_bad_ones_keep_their_default() {
        let s = Settings::from_pairs(&pairs(&[
            ("time_zone", "Europe/Berlin"),
            ("business_hours", "09:00-18:00"),
            ("sla.business_hours_only", "on"),
            ("routing.sticky_hours", "999"),
            ("presence.idle_minutes", "30"),
            ("sla.insale.first_minutes", "7"),
            ("automation.follow_up_days", "x"),
            ("automation.stuck_parcel_hours", "0"),
            ("automation.care_push", "off"),
        ]));
        assert_eq!(s.shop.time_zone, chrono_tz::Europe::Berlin);
        assert!(s.sla_hours().is_some());
        assert_eq!(s.routing.sticky_hours, 48, "out of range");
        assert_eq!(s.routing.idle_minutes, 30);
        assert_eq!(s.targets_for(Stage::Insale, Priority::Normal).first_response, Duration::minutes(7));
        assert_eq!(s.automations.follow_up_days, 3);
        assert_eq!(s.automations.stuck_parcel_hours, 48);
        assert!(!s.automations.care_push);
    }

    #[test]
    fn what_is_saved_reads_back_the_same() {
        let mut s = Settings::default();
        s.shop.name = "暖暖小店".into();
        s.shop.business_hours = BusinessHours::parse("08:30-22:00");
        s.routing.business_hours_only = true;
        s.routing.targets[2].1.first_response = Duration::minutes(12);
        s.automations.follow_up = false;
        let mut stored = s.shop.pairs();
        stored.extend(s.routing.pairs());
        stored.extend(s.automations.pairs());
        assert_eq!(Settings::from_pairs(&stored), s);
    }

    #[test]
    fn forms_name_every_bad_field() {
        let shop =
            ShopForm { time_zone: "Mars/Base".into(), business_hours: "23:00-09:00".into(), ..Default::default() };
        let errors = shop.parse().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_ref()).collect();
        assert_eq!(fields, ["shop_name", "platform", "time_zone", "business_hours"]);

        let mut routing = RoutingForm::from(&Settings::default().routing);
        routing.idle_minutes = "0".into();
        routing.targets[0].1 = "1441".into();
        let errors = routing.parse().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_ref()).collect();
        assert_eq!(fields, ["first_presale", "idle_minutes"]);

        let mut auto = AutomationsForm::from(&Automations::default());
        auto.urge_payment_minutes = "4".into();
        assert_eq!(auto.parse().unwrap_err()[0].field, "urge_payment_minutes");
        auto.urge_payment_minutes = "5".into();
        auto.care_push = String::new();
        assert!(!auto.parse().unwrap().care_push);
    }
}
