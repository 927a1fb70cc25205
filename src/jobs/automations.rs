//! Order-lifecycle automations (RULES.md §4–5): urge the unpaid (催付), flag late shipping
//! with its penalty, chase a stuck parcel, tell the buyer it shipped, push care tips after
//! signing, follow up a few days later (回访), and take up mid/bad reviews.
//!
//! Each automation fires at most once per order: it claims (order, reason) in
//! `automation_runs` in the same transaction as its ticket or outbox message, so a restart,
//! a second instance or an overlapping run can never fire it twice.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use crate::domain::rules;
use crate::domain::{AuthorKind, Category, Channel, Priority, Rating, Stage, TicketStatus};
use crate::live::{Hub, LiveEvent};
use crate::store::automations::Due;
use crate::store::orders::Order;
use crate::store::{self, Db, StoreResult, Tx};

/// The automations' switches and delays (admin settings page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
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
        }
    }
}

/// Limits of the delays, so a typo cannot switch an automation into spam or silence.
pub const URGE_MINUTES: (i64, i64) = (5, 7 * 24 * 60);
pub const STUCK_HOURS: (i64, i64) = (6, 30 * 24);
pub const FOLLOW_DAYS: (i64, i64) = (1, 60);

impl Settings {
    /// Reads the `automation.*` settings; missing or unreadable values keep their default.
    pub fn from_pairs(pairs: &[(String, String)]) -> Settings {
        let map: HashMap<&str, &str> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let d = Settings::default();
        let on = |key: &str, default: bool| map.get(key).map_or(default, |v| *v != "off");
        let num = |key: &str, default: i64, (lo, hi): (i64, i64)| {
            map.get(key).and_then(|v| v.parse().ok()).filter(|n| (lo..=hi).contains(n)).unwrap_or(default)
        };
        Settings {
            urge_payment: on("automation.urge_payment", d.urge_payment),
            urge_payment_minutes: num("automation.urge_payment_minutes", d.urge_payment_minutes, URGE_MINUTES),
            delayed_shipment: on("automation.delayed_shipment", d.delayed_shipment),
            stuck_parcel: on("automation.stuck_parcel", d.stuck_parcel),
            stuck_parcel_hours: num("automation.stuck_parcel_hours", d.stuck_parcel_hours, STUCK_HOURS),
            shipping_notice: on("automation.shipping_notice", d.shipping_notice),
            care_push: on("automation.care_push", d.care_push),
            follow_up: on("automation.follow_up", d.follow_up),
            follow_up_days: num("automation.follow_up_days", d.follow_up_days, FOLLOW_DAYS),
            bad_review: on("automation.bad_review", d.bad_review),
        }
    }

    /// The settings as key/value pairs to store.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let flag = |b: bool| if b { "on".to_string() } else { "off".to_string() };
        vec![
            ("automation.urge_payment", flag(self.urge_payment)),
            ("automation.urge_payment_minutes", self.urge_payment_minutes.to_string()),
            ("automation.delayed_shipment", flag(self.delayed_shipment)),
            ("automation.stuck_parcel", flag(self.stuck_parcel)),
            ("automation.stuck_parcel_hours", self.stuck_parcel_hours.to_string()),
            ("automation.shipping_notice", flag(self.shipping_notice)),
            ("automation.care_push", flag(self.care_push)),
            ("automation.follow_up", flag(self.follow_up)),
            ("automation.follow_up_days", self.follow_up_days.to_string()),
            ("automation.bad_review", flag(self.bad_review)),
        ]
    }
}

/// How far back "recent" reaches for notices, so importing order history does not message
/// every past buyer.
const RECENT: Duration = Duration::days(3);
/// Orders handled per automation per run; the next run continues.
const BATCH: i64 = 200;

/// What one run did, per reason.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub fired: Vec<(&'static str, usize)>,
}

impl Report {
    pub fn count(&self, reason: &str) -> usize {
        self.fired.iter().find(|(r, _)| *r == reason).map_or(0, |(_, n)| *n)
    }
}

/// A new automation ticket for the order, with an internal note explaining it.
#[allow(clippy::too_many_arguments)]
async fn open_ticket(
    tx: &mut Tx,
    routing: &crate::service::routing::RoutingSettings,
    order: &Order,
    subject: &str,
    stage: Stage,
    category: Category,
    priority: Priority,
    note: &str,
    now: DateTime<Utc>,
) -> StoreResult<uuid::Uuid> {
    let t = store::tickets::NewTicket {
        buyer_id: order.buyer_id,
        order_id: Some(order.id),
        subject,
        stage,
        category,
        status: TicketStatus::New,
        priority,
        channel: Channel::Automation,
        assignee_id: None,
        created_at: now,
    };
    let (id, _) = store::tickets::insert(tx, &t).await?;
    store::tickets::insert_event(tx, id, None, "opened", Channel::Automation.as_str(), now).await?;
    store::tickets::insert_message(tx, id, AuthorKind::System, None, note, true, now).await?;
    let member_level = store::buyers::member_level_tx(tx, order.buyer_id).await?;
    let facts = crate::service::routing::NewTicketFacts {
        ticket_id: id,
        buyer_id: order.buyer_id,
        stage,
        category,
        channel: Channel::Automation,
        priority,
        member_level: &member_level,
        first_message: subject,
        team: None,
    };
    crate::service::routing::route_tx(tx, &facts, routing, now).await.map_err(|e| match e {
        crate::service::ServiceError::Store(s) => s,
        other => store::StoreError::Config(other.to_string()),
    })?;
    Ok(id)
}

fn hours(d: Duration) -> i64 {
    d.num_hours()
}

/// Runs every enabled automation once, as of `now`.
pub async fn run_once(db: &Db, hub: &Hub, now: DateTime<Utc>) -> StoreResult<Report> {
    let settings = Settings::from_pairs(&store::settings::all(db).await?);
    let shop = store::settings::get(db, "shop_name").await?.unwrap_or_default();
    let routing = crate::service::routing::RoutingSettings::load(db).await.map_err(|e| match e {
        crate::service::ServiceError::Store(s) => s,
        other => store::StoreError::Config(other.to_string()),
    })?;
    let mut report = Report::default();
    let far_past = now - Duration::days(3650);

    let plans: Vec<(&'static str, bool, Due, DateTime<Utc>, DateTime<Utc>)> = vec![
        (
            "urge_payment",
            settings.urge_payment,
            Due::Unpaid,
            now - Duration::minutes(settings.urge_payment_minutes),
            far_past,
        ),
        ("delayed_shipment", settings.delayed_shipment, Due::NotShipped, now, far_past),
        (
            "stuck_parcel",
            settings.stuck_parcel,
            Due::Stuck,
            now - Duration::hours(settings.stuck_parcel_hours),
            far_past,
        ),
        ("shipping_notice", settings.shipping_notice, Due::Shipped, now, now - RECENT),
        ("care_push", settings.care_push, Due::Signed, now, now - RECENT),
        (
            "follow_up",
            settings.follow_up,
            Due::Signed,
            now - Duration::days(settings.follow_up_days),
            now - Duration::days(settings.follow_up_days) - RECENT,
        ),
        ("bad_review", settings.bad_review, Due::BadReview, now, now - Duration::days(30)),
        ("review_rescued", settings.bad_review, Due::Rescued, now, now - Duration::days(30)),
    ];
    for (reason, enabled, which, until, since) in plans {
        if !enabled {
            continue;
        }
        let mut fired = 0;
        for order in store::automations::due(db, which, reason, until, since, BATCH).await? {
            let mut tx = db.begin().await?;
            if !store::automations::claim(&mut tx, order.id, reason, now).await? {
                continue; // another instance got there first
            }
            let ticket = act(&mut tx, &routing, reason, &order, &settings, &shop, now).await?;
            if let Some(t) = ticket {
                store::automations::set_ticket(&mut tx, order.id, reason, t.0).await?;
            }
            tx.commit().await?;
            if let Some((ticket_id, stage)) = ticket {
                hub.publish(LiveEvent::Ticket { ticket_id, buyer_id: order.buyer_id, stage }).await;
            }
            fired += 1;
        }
        report.fired.push((reason, fired));
    }
    Ok(report)
}

/// Does what `reason` calls for; returns the ticket it opened (or touched) and its stage.
async fn act(
    tx: &mut Tx,
    routing: &crate::service::routing::RoutingSettings,
    reason: &str,
    order: &Order,
    s: &Settings,
    shop: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<(uuid::Uuid, Stage)>> {
    let no = &order.order_no;
    let opened = |id, stage| Ok(Some((id, stage)));
    match reason {
        "urge_payment" => {
            let waited = hours(now - order.created_at).max(0);
            let note = format!(
                "订单 {no} 下单后 {} 还没付款。建议回复：亲，您在{shop}拍下的宝贝还没付款哦，库存有限，付款后我们会尽快为您安排发货～有任何问题随时问我哦。",
                if waited >= 1 {
                    format!("{waited} 小时")
                } else {
                    format!("{} 分钟", (now - order.created_at).num_minutes())
                }
            );
            let id = open_ticket(
                tx,
                routing,
                order,
                &format!("催付：订单 {no} 未付款"),
                Stage::Insale,
                Category::UrgePayment,
                Priority::Normal,
                &note,
                now,
            )
            .await?;
            opened(id, Stage::Insale)
        }
        "delayed_shipment" => {
            let penalty = rules::delayed_shipment_penalty(order.platform, order.goods_fen);
            let note = format!(
                "订单 {no} 已过最晚发货时间，还没发货。按平台规则违约金 {}（{}）。请尽快发货，并主动联系买家说明情况。",
                crate::domain::money::yuan(penalty),
                if order.platform == crate::domain::Platform::Tmall {
                    "天猫：成交金额 30%，最高 ¥500"
                } else {
                    "淘宝：成交金额 5%，最低 ¥1，最高 ¥30"
                }
            );
            let id = open_ticket(
                tx,
                routing,
                order,
                &format!("延迟发货：订单 {no}，违约金 {}", crate::domain::money::yuan(penalty)),
                Stage::Insale,
                Category::DelayedShipment,
                Priority::High,
                &note,
                now,
            )
            .await?;
            opened(id, Stage::Insale)
        }
        "stuck_parcel" => {
            let note = format!(
                "订单 {no} 超过 {} 小时没有新的物流信息。请联系快递网点核实，再告诉买家处理进度。",
                s.stuck_parcel_hours
            );
            let id = open_ticket(
                tx,
                routing,
                order,
                &format!("物流停滞：订单 {no}"),
                Stage::Insale,
                Category::StuckParcel,
                Priority::High,
                &note,
                now,
            )
            .await?;
            opened(id, Stage::Insale)
        }
        "shipping_notice" => {
            let ship = store::orders::latest_shipment_tx(tx, order.id).await?;
            let body = match ship {
                Some((courier, tracking)) => {
                    format!("亲，您的订单 {no} 已经发货啦，{courier}，运单号 {tracking}，请留意查收～")
                }
                None => format!("亲，您的订单 {no} 已经发货啦，请留意查收～"),
            };
            store::outbox::insert(tx, order.buyer_id, Some(order.id), reason, &body, now).await?;
            Ok(None)
        }
        "care_push" => {
            // The knowledge base's practical articles first; a product's own care tips
            // when nobody has written an article about it yet.
            let articles = store::kb::for_order_tx(tx, order.id).await?;
            if articles.is_empty() {
                for (title, tips) in store::orders::care_tips_tx(tx, order.id).await? {
                    let body = format!("亲，您买的「{title}」已经签收啦，分享几个小贴士：{tips}");
                    store::outbox::insert(tx, order.buyer_id, Some(order.id), reason, &body, now).await?;
                }
            }
            for (title, text) in articles {
                let body = format!("亲，您的宝贝已经签收啦～给您分享「{title}」：\n{text}");
                store::outbox::insert(tx, order.buyer_id, Some(order.id), reason, &body, now).await?;
            }
            Ok(None)
        }
        "follow_up" => {
            let note = format!(
                "订单 {no} 签收 {} 天了，回访一下买家穿着感受；有不满意的地方及时处理，争取好评。",
                s.follow_up_days
            );
            let id = open_ticket(
                tx,
                routing,
                order,
                &format!("签收回访：订单 {no}"),
                Stage::Aftersale,
                Category::Other,
                Priority::Low,
                &note,
                now,
            )
            .await?;
            opened(id, Stage::Aftersale)
        }
        "bad_review" => {
            let (rating, body) = store::orders::review_tx(tx, order.id).await?.unwrap_or((Rating::Bad, String::new()));
            let label = if rating == Rating::Mid { "中评" } else { "差评" };
            let note = format!("买家给了{label}：「{body}」。耐心了解原因，不推卸责任；问题解决后可以礼貌请买家追评。");
            let id = open_ticket(
                tx,
                routing,
                order,
                &format!("{label}处理：订单 {no}"),
                Stage::Aftersale,
                Category::BadReview,
                Priority::High,
                &note,
                now,
            )
            .await?;
            opened(id, Stage::Aftersale)
        }
        "review_rescued" => match store::automations::ticket_of(tx, order.id, "bad_review").await? {
            Some(ticket) => {
                store::tickets::insert_event(tx, ticket, None, "review_rescued", "good", now).await?;
                store::tickets::insert_message(
                    tx,
                    ticket,
                    AuthorKind::System,
                    None,
                    "买家已追评改为好评，挽回成功。",
                    true,
                    now,
                )
                .await?;
                opened(ticket, Stage::Aftersale)
            }
            None => Ok(None),
        },
        other => unreachable!("no automation named {other}"),
    }
}

/// Runs the automations every `every` until the process ends. Errors are logged; the next
/// round tries again.
pub fn spawn(db: Db, hub: Hub, every: std::time::Duration) {
    super::every(every, move || {
        let (db, hub) = (db.clone(), hub.clone());
        async move {
            match run_once(&db, &hub, Utc::now()).await {
                Ok(r) if r.fired.iter().any(|(_, n)| *n > 0) => tracing::info!(?r.fired, "automations fired"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "automation run failed"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_default_and_parse() {
        assert_eq!(Settings::from_pairs(&[]), Settings::default());
        let pairs: Vec<(String, String)> = Settings { urge_payment: false, follow_up_days: 7, ..Settings::default() }
            .to_pairs()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let s = Settings::from_pairs(&pairs);
        assert!(!s.urge_payment);
        assert_eq!(s.follow_up_days, 7);
        // Out-of-range or unreadable values fall back to the default.
        let bad = vec![
            ("automation.stuck_parcel_hours".to_string(), "0".to_string()),
            ("automation.follow_up_days".to_string(), "x".to_string()),
        ];
        let s = Settings::from_pairs(&bad);
        assert_eq!((s.stuck_parcel_hours, s.follow_up_days), (48, 3));
    }
}
