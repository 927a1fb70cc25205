//! Order-lifecycle automations (RULES.md §4–5): urge the unpaid (催付), ask the paid to
//! confirm items, size and address (核对, [`crate::domain::confirm`]), flag late shipping
//! with its penalty, chase a stuck parcel, tell the buyer it shipped, push care tips after
//! signing, follow up a few days later (回访), and take up mid/bad reviews.
//!
//! Each automation fires at most once per order: it claims (order, reason) in
//! `automation_runs` in the same transaction as its ticket or outbox message, so a restart,
//! a second instance or an overlapping run can never fire it twice.

use chrono::{DateTime, Duration, Utc};

use super::ServiceResult;
use crate::domain::routing::Plan as RoutingPlan;
use crate::domain::settings::Automations;
use crate::domain::{
    AuthorKind, Automation, Category, Channel, Priority, Rating, Settings, Stage, TicketEvent, TicketStatus,
};
use crate::domain::{confirm, rules};
use crate::live::{Hub, LiveEvent};
use crate::store::automations::Due;
use crate::store::orders::Order;
use crate::store::tickets::NewTicket;
use crate::store::{self, Db, Tx};

/// How far back "recent" reaches for notices, so importing order history does not message
/// every past buyer.
const RECENT: Duration = Duration::days(3);
/// How far back an overdue order is still acted on (urged, flagged late, chased as stuck): by
/// then the platform has closed, refunded or confirmed it. Without a bound each run read
/// every order ever overdue to skip those already handled — at a million orders 2.9 s a
/// minute, growing with the shop's history.
const ACTIONABLE: Duration = Duration::days(30);
/// Orders handled per automation per run; the next run continues.
const BATCH: i64 = 200;
/// Orders acted on per transaction. One each was a commit each: a round catching up (after
/// a restart, the morning's unpaid orders) made two hundred in a burst, and on SQLite every
/// commit empties each reader's page cache while the agents' pages are being served.
const PER_COMMIT: usize = 50;

/// What one run did, per reason.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub fired: Vec<(Automation, usize)>,
}

impl Report {
    pub fn count(&self, which: Automation) -> usize {
        self.fired.iter().find(|(r, _)| *r == which).map_or(0, |(_, n)| *n)
    }
}

/// The ticket an automation opens: what it is about, where it goes, and the internal note
/// that tells the agent why it exists and what to do.
struct Opening {
    subject: String,
    stage: Stage,
    category: Category,
    priority: Priority,
    note: String,
}

impl Opening {
    fn new(subject: String, stage: Stage, category: Category, priority: Priority, note: String) -> Opening {
        Opening { subject, stage, category, priority, note }
    }
}

/// Opens the automation's ticket for the order, routed like any other, with its note.
async fn open_ticket(
    tx: &mut Tx, settings: &Settings, plan: &RoutingPlan, order: &Order, o: &Opening, now: DateTime<Utc>,
) -> ServiceResult<uuid::Uuid> {
    let new = NewTicket {
        buyer_id: order.buyer_id,
        order_id: Some(order.id),
        subject: &o.subject,
        stage: o.stage,
        category: o.category,
        status: TicketStatus::New,
        priority: o.priority,
        channel: Channel::Automation,
        assignee_id: None,
        created_at: now,
    };
    let (id, _, _) = super::tickets::open(tx, settings, plan, &new, &o.subject, now).await?;
    store::tickets::insert_message(tx, id, AuthorKind::System, None, &o.note, true, now).await?;
    Ok(id)
}

fn hours(d: Duration) -> i64 {
    d.num_hours()
}

/// One automation's run: which, whether switched on, which orders are due, and the window
/// (due before the first time, and after the second).
type Plan = (Automation, bool, Due, DateTime<Utc>, DateTime<Utc>);

/// Every automation's run as of `now` under `settings`.
fn plans(settings: &Automations, now: DateTime<Utc>) -> Vec<Plan> {
    let actionable = now - ACTIONABLE;
    vec![
        (
            Automation::UrgePayment,
            settings.urge_payment,
            Due::Unpaid,
            now - Duration::minutes(settings.urge_payment_minutes),
            actionable,
        ),
        (Automation::ConfirmOrder, settings.confirm_order, Due::Paid, now, now - RECENT),
        (Automation::DelayedShipment, settings.delayed_shipment, Due::NotShipped, now, actionable),
        (
            Automation::StuckParcel,
            settings.stuck_parcel,
            Due::Stuck,
            now - Duration::hours(settings.stuck_parcel_hours),
            actionable,
        ),
        (Automation::ShippingNotice, settings.shipping_notice, Due::Shipped, now, now - RECENT),
        (Automation::CarePush, settings.care_push, Due::Signed, now, now - RECENT),
        (
            Automation::FollowUp,
            settings.follow_up,
            Due::Signed,
            now - Duration::days(settings.follow_up_days),
            now - Duration::days(settings.follow_up_days) - RECENT,
        ),
        (Automation::BadReview, settings.bad_review, Due::BadReview, now, now - Duration::days(30)),
        (Automation::ReviewRescued, settings.bad_review, Due::Rescued, now, now - Duration::days(30)),
    ]
}

/// Records every order an automation is due for as handled, without acting: for a loaded
/// history (`kefu seed`), whose orders were looked after before Kefu saw them. Left to the
/// desk's first start, the catch-up at scale 1 was 12,500 actions, 200 per automation a
/// minute for some twenty minutes, each commit emptying the readers' page caches while the
/// desk served (BENCHMARKS.md, session of 2026-12-06 g). One transaction per automation.
/// Returns how many orders in all.
pub async fn settle_history(db: &Db, now: DateTime<Utc>) -> ServiceResult<u64> {
    let all = super::settings::load(db).await?;
    let mut settled = 0;
    for (reason, enabled, which, until, since) in plans(&all.automations, now) {
        if !enabled {
            continue;
        }
        let mut tx = db.begin().await?;
        settled += store::automations::mark_handled(&mut tx, which, reason, until, since, now).await?;
        tx.commit().await?;
    }
    Ok(settled)
}

/// Runs every enabled automation once, as of `now`.
pub async fn run_once(db: &Db, hub: &Hub, now: DateTime<Utc>) -> ServiceResult<Report> {
    let routing = async { Ok(store::routing::plan(db).await?) };
    let (all, routing) = tokio::try_join!(super::settings::load(db), routing)?;
    let settings = &all.automations;
    let mut report = Report::default();
    let plans = plans(settings, now);
    for (reason, enabled, which, until, since) in plans {
        if !enabled {
            continue;
        }
        let mut fired = 0;
        let due = store::automations::due(db, which, reason, until, since, BATCH).await?;
        for chunk in due.chunks(PER_COMMIT) {
            let mut tx = db.begin().await?;
            let mut opened = Vec::new();
            for order in chunk {
                if !store::automations::claim(&mut tx, order.id, reason, now).await? {
                    continue; // another instance got there first
                }
                if let Some((ticket_id, stage)) = act(&mut tx, &all, &routing, reason, order, now).await? {
                    store::automations::set_ticket(&mut tx, order.id, reason, ticket_id).await?;
                    opened.push(LiveEvent::Ticket { ticket_id, buyer_id: order.buyer_id, stage });
                }
                fired += 1;
            }
            tx.commit().await?;
            for event in opened {
                hub.publish(event).await;
            }
        }
        report.fired.push((reason, fired));
    }
    Ok(report)
}

/// Does what `reason` calls for; returns the ticket it opened (or touched) and its stage.
async fn act(
    tx: &mut Tx, settings: &Settings, routing: &RoutingPlan, reason: Automation, order: &Order, now: DateTime<Utc>,
) -> ServiceResult<Option<(uuid::Uuid, Stage)>> {
    let no = &order.order_no;
    let shop = settings.shop_name();
    let s: &Automations = &settings.automations;
    let opening = match reason {
        Automation::UrgePayment => {
            let waited = now - order.times.created_at;
            let waited = if hours(waited) >= 1 {
                format!("{} 小时", hours(waited))
            } else {
                format!("{} 分钟", waited.num_minutes().max(0))
            };
            let note = format!(
                "订单 {no} 下单后 {waited} 还没付款。建议回复：亲，您在{shop}拍下的宝贝还没付款哦，库存有限，付款后我们会尽快为您安排发货～有任何问题随时问我哦。"
            );
            Opening::new(
                format!("催付：订单 {no} 未付款"),
                Stage::Insale,
                Category::UrgePayment,
                Priority::Normal,
                note,
            )
        }
        Automation::DelayedShipment => {
            let penalty = crate::domain::money::yuan(rules::delayed_shipment_penalty(order.platform, order.goods_fen));
            let rule = if order.platform == crate::domain::Platform::Tmall {
                "天猫：成交金额 30%，最高 ¥500"
            } else {
                "淘宝：成交金额 5%，最低 ¥1，最高 ¥30"
            };
            let note = format!(
                "订单 {no} 已过最晚发货时间，还没发货。按平台规则违约金 {penalty}（{rule}）。请尽快发货，并主动联系买家说明情况。"
            );
            let subject = format!("延迟发货：订单 {no}，违约金 {penalty}");
            Opening::new(subject, Stage::Insale, Category::DelayedShipment, Priority::High, note)
        }
        Automation::StuckParcel => {
            let hours = s.stuck_parcel_hours;
            let note = format!("订单 {no} 超过 {hours} 小时没有新的物流信息。请联系快递网点核实，再告诉买家处理进度。");
            Opening::new(format!("物流停滞：订单 {no}"), Stage::Insale, Category::StuckParcel, Priority::High, note)
        }
        Automation::FollowUp => {
            let days = s.follow_up_days;
            let note = format!("订单 {no} 签收 {days} 天了，回访一下买家穿着感受；有不满意的地方及时处理，争取好评。");
            Opening::new(format!("签收回访：订单 {no}"), Stage::Aftersale, Category::Other, Priority::Low, note)
        }
        Automation::BadReview => {
            let review = store::orders::review(&mut *tx, order.id).await?;
            let (rating, body) = review.map_or((Rating::Bad, String::new()), |r| (r.first_rating, r.body));
            let label = if rating == Rating::Mid { "中评" } else { "差评" };
            let note = format!("买家给了{label}：「{body}」。耐心了解原因，不推卸责任；问题解决后可以礼貌请买家追评。");
            Opening::new(format!("{label}处理：订单 {no}"), Stage::Aftersale, Category::BadReview, Priority::High, note)
        }
        Automation::ShippingNotice => {
            let body = match store::orders::latest_shipment_tx(tx, order.id).await? {
                Some((courier, tracking)) => {
                    format!("亲，您的订单 {no} 已经发货啦，{courier}，运单号 {tracking}，请留意查收～")
                }
                None => format!("亲，您的订单 {no} 已经发货啦，请留意查收～"),
            };
            store::outbox::insert(tx, order.buyer_id, Some(order.id), reason.as_str(), &body, now).await?;
            return Ok(None);
        }
        Automation::CarePush => {
            // The knowledge base's practical articles first; a product's own care tips
            // when nobody has written an article about it yet.
            let articles = store::kb::for_order(&mut *tx, order.id).await?;
            let bodies: Vec<String> = if articles.is_empty() {
                let tips = store::orders::care_tips_tx(tx, order.id).await?;
                let tip = |(title, tips): (String, String)| {
                    format!("亲，您买的「{title}」已经签收啦，分享几个小贴士：{tips}")
                };
                tips.into_iter().map(tip).collect()
            } else {
                let share =
                    |a: store::kb::Article| format!("亲，您的宝贝已经签收啦～给您分享「{}」：\n{}", a.title, a.body);
                articles.into_iter().map(share).collect()
            };
            for body in bodies {
                store::outbox::insert(tx, order.buyer_id, Some(order.id), reason.as_str(), &body, now).await?;
            }
            return Ok(None);
        }
        Automation::ConfirmOrder => {
            let items = store::orders::items(&mut *tx, order.id).await?;
            let lines: Vec<confirm::Line> = items
                .iter()
                .map(|i| confirm::Line { title: &i.title, variant: &i.variant, quantity: i.quantity })
                .collect();
            let body =
                confirm::message(no, &lines, &order.receiver_name, &order.receiver_phone, &order.receiver_address);
            store::outbox::insert(tx, order.buyer_id, Some(order.id), reason.as_str(), &body, now).await?;
            store::orders::confirm_sent(tx, order.id, now).await?;
            return Ok(None);
        }
        Automation::ReviewRescued => {
            let Some(ticket) = store::automations::ticket_of(tx, order.id, Automation::BadReview).await? else {
                return Ok(None);
            };
            store::tickets::insert_event(tx, ticket, None, &TicketEvent::ReviewRescued, now).await?;
            let note = "买家已追评改为好评，挽回成功。";
            store::tickets::insert_message(tx, ticket, AuthorKind::System, None, note, true, now).await?;
            return Ok(Some((ticket, Stage::Aftersale)));
        }
    };
    let id = open_ticket(tx, settings, routing, order, &opening, now).await?;
    Ok(Some((id, opening.stage)))
}
