//! A realistic large data set for benchmarks (`kefu seed --scale N`): on top of the demo shop,
//! N × (200k buyers, 1M orders of every status with shipments, tracking and reviews, 1M
//! tickets with about 5M messages in the demo shop's words), spread over two years and all
//! agents, of which N × 50k tickets are an open backlog (the 双十一 case). The same seed gives
//! the same data. Rows go in through [`crate::store::bulk`], many per statement, in large
//! transactions; the search index is filled on the way.

use std::collections::HashMap;
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use super::Rng;
use super::catalog::{
    ADDRESSES, CONVERSATIONS, DemoConversation, GIVEN_NAMES, MEMBER_LEVELS, NICKS, PRODUCTS, SURNAMES,
};
use crate::domain::order::OrderTimes;
use crate::domain::{
    AuthorKind, Category, Channel, OrderStatus, Platform, Priority, Rating, Skill, Stage, TicketStatus, queue, sla,
};
use crate::store::bulk::{
    self, BuyerRow, ItemRow, MessageRow, OrderRow, ReviewRow, ShipmentRow, TicketRow, TrackingRow,
};
use crate::store::{self, Db, StoreError, StoreResult};

/// How much of each there is at N = 1.
pub const BUYERS: f64 = 200_000.0;
pub const ORDERS: f64 = 1_000_000.0;
pub const TICKETS: f64 = 1_000_000.0;
pub const ACTIVE: f64 = 50_000.0;

/// Rows generated and written per transaction.
const BATCH: usize = 10_000;

/// A UUID v7 for `at` with the random part from `rng`: ids are time-ordered as live ones
/// are, and rows created in time order go to the end of their indexes.
fn id_at(rng: &mut Rng, at: DateTime<Utc>) -> Uuid {
    let mut random = [0u8; 10];
    random[..8].copy_from_slice(&rng.next().to_le_bytes());
    random[8..].copy_from_slice(&rng.next().to_le_bytes()[..2]);
    uuid::Builder::from_unix_timestamp_millis(at.timestamp_millis().max(0) as u64, &random).into_uuid()
}

/// The `i`th of `n` moments spread evenly from `from` over `span` minutes, with a little
/// jitter: what is generated in order is also in time order.
fn moment(rng: &mut Rng, from: DateTime<Utc>, span: i64, i: usize, n: usize) -> DateTime<Utc> {
    let step = span as f64 / n.max(1) as f64;
    let jitter = rng.below((step.max(1.0)) as u64) as f64;
    from + Duration::seconds(((i as f64 * step + jitter) * 60.0) as i64)
}

/// What a scale load wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub buyers: usize,
    pub orders: usize,
    pub tickets: usize,
    pub messages: usize,
    pub active: usize,
}

impl Counts {
    /// The sizes for scale `n` (at least one of each).
    pub fn for_scale(n: f64) -> Counts {
        let of = |base: f64| ((base * n).round() as usize).max(1);
        Counts { buyers: of(BUYERS), orders: of(ORDERS), tickets: of(TICKETS), messages: 0, active: of(ACTIVE) }
    }
}

/// Progress lines on standard error: what is being written, how far, how long it has taken.
pub struct Progress {
    started: Instant,
    last: Instant,
    quiet: bool,
}

impl Progress {
    pub fn new(quiet: bool) -> Progress {
        Progress { started: Instant::now(), last: Instant::now(), quiet }
    }

    fn show(&mut self, what: &str, done: usize, total: usize) {
        if self.quiet || (self.last.elapsed().as_millis() < 250 && done < total) {
            return;
        }
        self.last = Instant::now();
        let pct = done as f64 * 100.0 / total.max(1) as f64;
        let bar: String = (0..30).map(|i| if (i as f64) < pct / 100.0 * 30.0 { '█' } else { '░' }).collect();
        eprint!("\r{what:<8} {bar} {done:>9}/{total:<9} {pct:5.1}%  {:6.1} s", self.started.elapsed().as_secs_f64());
        if done >= total {
            eprintln!();
        }
    }
}

/// The demo shop's people and products that the data set refers to.
struct Shop {
    agents: Vec<(Uuid, Vec<Skill>)>,
    products: Vec<(Uuid, &'static super::catalog::DemoProduct)>,
}

async fn shop(db: &Db) -> StoreResult<Shop> {
    let staff = store::staff::list(db).await?;
    let agents: Vec<(Uuid, Vec<Skill>)> =
        staff.into_iter().filter(|s| s.staff.active).map(|s| (s.staff.id, s.skills)).collect();
    let all = store::products::all(db).await?;
    let products: Vec<_> =
        PRODUCTS.iter().filter_map(|p| all.iter().find(|b| b.sku == p.sku).map(|b| (b.id, p))).collect();
    if agents.is_empty() || products.is_empty() {
        return Err(StoreError::Config("the demo shop must be loaded first (kefu seed --demo)".into()));
    }
    Ok(Shop { agents, products })
}

/// Loads scale `n` with `seed` as of `now`. The store must hold the demo shop and no earlier
/// scale data (nicks and order numbers would collide).
pub async fn load(db: &Db, n: f64, seed: u64, now: DateTime<Utc>, progress: &mut Progress) -> StoreResult<Counts> {
    let shop = shop(db).await?;
    // The big tables are filled without their secondary indexes, which are built once at
    // the end (store::bulk::set_indexes_aside says why); they come back whether the fill
    // went through or not.
    store::bulk::set_indexes_aside(db, store::bulk::LOADED_TABLES).await?;
    store::bulk::widen_writer_memory(db).await?;
    let loaded = load_into(db, &shop, n, seed, now, progress).await;
    // The load's own error, if any, is the one to report.
    let narrowed = store::bulk::narrow_writer_memory(db).await;
    let counts = loaded?;
    narrowed?;
    Ok(counts)
}

/// [`load`] once the indexes are set aside and the writer's memory is wide.
async fn load_into(
    db: &Db, shop: &Shop, n: f64, seed: u64, now: DateTime<Utc>, progress: &mut Progress,
) -> StoreResult<Counts> {
    let filled = fill(db, shop, n, seed, now, progress).await;
    progress.show("indexes", 0, 1);
    let restored = store::bulk::restore_indexes(db).await;
    let counts = filled?;
    restored?;
    progress.show("indexes", 1, 1);
    // The fill left the search index in a few segments, each of which a search probes: the
    // load hands it over merged into one (store::search::merge_step).
    progress.show("search", 0, 1);
    while store::search::merge_step(db, LOAD_MERGE_PAGES).await? {}
    progress.show("search", 1, 1);
    progress.show("breaches", 0, 1);
    flag_breaches(db, now).await?;
    progress.show("breaches", 1, 1);
    progress.show("automations", 0, 1);
    settle_automations(db, now).await?;
    progress.show("automations", 1, 1);
    // The orders went in directly: the buyers' paid-order figures are computed once now.
    progress.show("values", 0, 1);
    let mut tx = db.begin().await?;
    store::buyers::refresh_all_values(&mut tx).await?;
    tx.commit().await?;
    progress.show("values", 1, 1);
    // The links look up each buyer's orders and tickets: planned with statistics, they take
    // a minute at scale 1 on Postgres; without, the planner scans for each row.
    progress.show("stats", 0, 1);
    store::maintenance::analyze(db).await?;
    progress.show("stats", 1, 1);
    progress.show("links", 0, 1);
    let mut tx = db.begin().await?;
    store::reports::link_all(&mut tx).await?;
    store::reports::recount_replies(&mut tx).await?;
    tx.commit().await?;
    progress.show("links", 1, 1);
    // The links filled `orders.inquiry_id` (its index was empty when analysed above) and
    // `tickets.first_order_at`, which no index leads with.
    progress.show("stats", 0, 1);
    store::maintenance::after_bulk_load(db, &["orders"]).await?;
    progress.show("stats", 1, 1);
    Ok(counts)
}

/// Search-index pages a merge step of the load writes: big steps, as nobody waits for the
/// writer.
const LOAD_MERGE_PAGES: u32 = 2000;

/// Flags the backlog's tickets already past a due time, as the SLA timer would have. Left to
/// the desk's first start, the catch-up was tens of thousands of writes while it served (500
/// a round), and every benchmark run in that time measured readers whose page cache each
/// commit emptied.
async fn flag_breaches(db: &Db, now: DateTime<Utc>) -> StoreResult<()> {
    // Rounds of the timer's own step, without its live news (nobody is watching a load).
    loop {
        let flagged = crate::service::routing::flag_breaches(db, now, 1000)
            .await
            .map_err(|e| as_store_error(e, "flagging the backlog's breaches"))?;
        if flagged.is_empty() {
            return Ok(());
        }
    }
}

/// Records the order automations as done for every order already due, as the shop's own
/// history would have them (`service::automations::settle_history`), for the same reason.
async fn settle_automations(db: &Db, now: DateTime<Utc>) -> StoreResult<()> {
    crate::service::automations::settle_history(db, now)
        .await
        .map(drop)
        .map_err(|e| as_store_error(e, "settling the history's automations"))
}

/// A service's error during a load: the store's own as it is, any other with what the load
/// was doing.
fn as_store_error(e: crate::service::ServiceError, doing: &str) -> StoreError {
    match e {
        crate::service::ServiceError::Store(e) => e,
        e => StoreError::Config(format!("{doing}: {e}")),
    }
}

/// Buyers, orders and tickets, in transactions of [`BATCH`] rows.
async fn fill(
    db: &Db, shop: &Shop, n: f64, seed: u64, now: DateTime<Utc>, progress: &mut Progress,
) -> StoreResult<Counts> {
    let mut counts = Counts::for_scale(n);
    let mut rng = Rng(seed);
    let two_years = 730 * 24 * 60;

    // Buyers.
    let mut buyer_ids = Vec::with_capacity(counts.buyers);
    for start in (0..counts.buyers).step_by(BATCH) {
        let end = (start + BATCH).min(counts.buyers);
        let rows: Vec<BuyerRow> = (start..end)
            .map(|i| {
                let name = format!("{}{}", rng.word(SURNAMES), rng.word(GIVEN_NAMES));
                let created_at =
                    moment(&mut rng, now - Duration::minutes(3 * 365 * 24 * 60), 365 * 24 * 60, i, counts.buyers);
                BuyerRow {
                    id: id_at(&mut rng, created_at),
                    nick: format!("{}_{i:06}", rng.word(NICKS)),
                    name,
                    phone: format!("1{}{}", 3 + rng.below(6), rng.digits(9)),
                    address: rng.word(ADDRESSES),
                    gender: if rng.chance(70) { "f" } else { "m" },
                    birthday: NaiveDate::from_ymd_opt(
                        1975 + rng.below(30) as i32,
                        1 + rng.below(12) as u32,
                        1 + rng.below(28) as u32,
                    ),
                    member_level: rng.word(MEMBER_LEVELS),
                    created_at,
                }
            })
            .collect();
        buyer_ids.extend(rows.iter().map(|r| r.id));
        let mut tx = db.begin().await?;
        bulk::buyers(&mut tx, &rows).await?;
        tx.commit().await?;
        progress.show("buyers", end, counts.buyers);
    }

    // Orders with items, shipments, tracking and reviews.
    let mut orders: Vec<(Uuid, usize, OrderStatus, DateTime<Utc>)> = Vec::with_capacity(counts.orders);
    for start in (0..counts.orders).step_by(BATCH) {
        let end = (start + BATCH).min(counts.orders);
        let mut batch = OrderBatch::default();
        for i in start..end {
            let buyer = rng.below(buyer_ids.len() as u64) as usize;
            let created = moment(&mut rng, now - Duration::minutes(two_years), two_years, i, counts.orders);
            let o = order(&mut rng, shop, seed, i, buyer_ids[buyer], created, now, &mut batch);
            orders.push((o, buyer, batch.orders.last().expect("just pushed").status, created));
        }
        let mut tx = db.begin().await?;
        bulk::orders(&mut tx, &batch.orders).await?;
        bulk::items(&mut tx, &batch.items).await?;
        bulk::shipments(&mut tx, &batch.shipments, &batch.orders).await?;
        bulk::tracking(&mut tx, &batch.tracking).await?;
        bulk::reviews(&mut tx, &batch.reviews).await?;
        tx.commit().await?;
        progress.show("orders", end, counts.orders);
    }
    // Tickets and their messages; the last `active` of them are the open backlog.
    let by_stage: HashMap<Stage, Vec<&DemoConversation>> =
        Stage::ALL.iter().map(|s| (*s, CONVERSATIONS.iter().filter(|c| c.stage == s.as_str()).collect())).collect();
    let history = counts.tickets.saturating_sub(counts.active);
    for start in (0..counts.tickets).step_by(BATCH) {
        let end = (start + BATCH).min(counts.tickets);
        let mut tx = db.begin().await?;
        let numbers = bulk::reserve_ticket_numbers(&mut tx, (end - start) as i64).await?;
        let mut tickets = Vec::with_capacity(end - start);
        let mut messages = Vec::with_capacity((end - start) * 6);
        for i in start..end {
            let active = i >= history;
            let three_days = 3 * 24 * 60;
            let created = if active {
                // The backlog arrived over the last three days.
                moment(&mut rng, now - Duration::minutes(three_days), three_days - 1, i - history, counts.active)
            } else {
                moment(&mut rng, now - Duration::minutes(two_years), two_years - three_days, i, history)
            };
            let t = TicketPlan { id: id_at(&mut rng, created), number: numbers[i - start], active, created };
            // A question about one of the orders of the weeks before it.
            let upto = orders.partition_point(|o| o.3 <= created).max(1);
            let recent = upto.saturating_sub(20_000);
            let order = rng.chance(70).then(|| orders[recent + rng.below((upto - recent) as u64) as usize]);
            let buyer = match order {
                Some((_, b, _, _)) => buyer_ids[b],
                None => buyer_ids[rng.below(buyer_ids.len() as u64) as usize],
            };
            let stage = crate::domain::stage::infer(order.map(|o| o.2));
            let convo = *rng.pick(&by_stage[&stage]);
            ticket(&mut rng, shop, &t, buyer, order.map(|o| o.0), stage, convo, &mut tickets, &mut messages);
        }
        counts.messages += messages.len();
        bulk::tickets(&mut tx, &tickets).await?;
        bulk::messages(&mut tx, &messages).await?;
        tx.commit().await?;
        progress.show("tickets", end, counts.tickets);
    }
    Ok(counts)
}

#[derive(Default)]
struct OrderBatch {
    orders: Vec<OrderRow>,
    items: Vec<ItemRow>,
    shipments: Vec<ShipmentRow>,
    tracking: Vec<TrackingRow>,
    reviews: Vec<ReviewRow>,
}

const COURIERS: &[&str] = &["圆通速递", "申通快递", "顺丰速运", "中通快递", "韵达快递", "EMS"];
const PLACES: &[&str] =
    &["杭州转运中心", "上海转运中心", "广州转运中心", "成都转运中心", "北京转运中心", "武汉转运中心"];
const REVIEWS: &[&str] = &[
    "质量很好，版型也正",
    "尺码标准，穿着舒服",
    "物流很快，客服态度好",
    "颜色和图片一样",
    "一般般吧",
    "有点色差，不太满意",
];

/// One order of buyer `buyer` made at `created`, with what followed it up to `now`.
#[allow(clippy::too_many_arguments)]
fn order(
    rng: &mut Rng, shop: &Shop, seed: u64, i: usize, buyer: Uuid, created: DateTime<Utc>, now: DateTime<Utc>,
    out: &mut OrderBatch,
) -> Uuid {
    let id = id_at(rng, created);
    let age = now - created;
    // Recent orders can still be on their way; old ones have mostly finished.
    let status = match rng.below(100) {
        0..=4 => OrderStatus::Closed,
        _ if age < Duration::hours(2) && rng.chance(50) => OrderStatus::Created,
        _ if age < Duration::days(2) && rng.chance(50) => OrderStatus::Paid,
        _ if age < Duration::days(5) => OrderStatus::Shipped,
        _ if age < Duration::days(15) => OrderStatus::Signed,
        _ => OrderStatus::Completed,
    };
    let step = |rng: &mut Rng, from: DateTime<Utc>, max_hours: u64| {
        from + Duration::minutes(5 + rng.below(max_hours * 60) as i64)
    };
    let mut t = OrderTimes::created(created);
    let reached = |s: OrderStatus| status >= s && status != OrderStatus::Closed;
    if reached(OrderStatus::Paid) {
        let paid = step(rng, created, 2).min(now);
        t.paid_at = Some(paid);
        t.ship_by = Some(paid + Duration::hours(48));
    }
    if reached(OrderStatus::Shipped) {
        t.shipped_at = Some(step(rng, t.paid_at.expect("paid"), 40).min(now));
    }
    if reached(OrderStatus::Signed) {
        t.signed_at = Some(step(rng, t.shipped_at.expect("shipped"), 72).min(now));
    }
    if reached(OrderStatus::Completed) {
        t.completed_at = Some((t.signed_at.expect("signed") + Duration::days(10)).min(now));
    }
    if status == OrderStatus::Closed {
        t.closed_at = Some(step(rng, created, 24).min(now));
    }
    let lines = 1 + rng.below(3) as usize;
    let mut goods = 0;
    for _ in 0..lines {
        let (product_id, p) = *rng.pick(&shop.products);
        let quantity = 1 + rng.below(2) as i64;
        goods += quantity * p.price_fen;
        out.items.push(ItemRow {
            id: id_at(rng, created),
            order_id: id,
            product_id,
            sku: p.sku,
            title: p.title,
            variant: format!("{} {}", rng.word(p.colours), rng.word(p.sizes)),
            quantity,
            unit_price_fen: p.price_fen,
            seven_day_return: p.seven_day_return,
        });
    }
    if let Some(shipped) = t.shipped_at {
        let shipment = id_at(rng, shipped);
        out.shipments.push(ShipmentRow {
            id: shipment,
            order_id: id,
            courier: rng.word(COURIERS),
            tracking_no: format!("{}{:012}", 70 + (seed % 20), i),
            shipped_at: shipped,
        });
        let end = t.signed_at.unwrap_or(now);
        for (n, status) in ["快件已揽收", "快件已到达，正在分拣", "快件正在派送中"].iter().enumerate()
        {
            let at = shipped + Duration::hours(6 * (n as i64 + 1));
            if at < end {
                out.tracking.push(TrackingRow {
                    id: id_at(rng, at),
                    shipment_id: shipment,
                    at,
                    place: rng.word(PLACES),
                    status,
                });
            }
        }
    }
    if let (Some(signed), true) = (t.signed_at, rng.chance(60)) {
        let rating = match rng.below(100) {
            0..=91 => Rating::Good,
            92..=96 => Rating::Mid,
            _ => Rating::Bad,
        };
        out.reviews.push(ReviewRow {
            id: id_at(rng, signed),
            order_id: id,
            rating,
            first_rating: rating,
            body: if rating == Rating::Good { rng.word(&REVIEWS[..4]) } else { rng.word(&REVIEWS[4..]) },
            created_at: (signed + Duration::days(1)).min(now),
        });
    }
    out.orders.push(OrderRow {
        id,
        platform: if rng.chance(30) { Platform::Tmall } else { Platform::Taobao },
        order_no: format!("{}{:013}", 38 + (seed % 50), i),
        buyer_id: buyer,
        status,
        goods_fen: goods,
        shipping_fee_fen: 0,
        free_shipping: true,
        times: t,
    });
    id
}

struct TicketPlan {
    id: Uuid,
    number: i64,
    active: bool,
    created: DateTime<Utc>,
}

/// One ticket and its messages, from a demo conversation: finished history, or the open
/// backlog (new ones waiting for a first answer, some handed on, some waiting on the buyer).
#[allow(clippy::too_many_arguments)]
fn ticket(
    rng: &mut Rng, shop: &Shop, t: &TicketPlan, buyer: Uuid, order: Option<Uuid>, stage: Stage,
    convo: &DemoConversation, tickets: &mut Vec<TicketRow>, messages: &mut Vec<MessageRow>,
) {
    let team = match stage {
        Stage::Presale => Skill::Presale,
        Stage::Insale => Skill::Insale,
        Stage::Aftersale => Skill::Aftersale,
    };
    let able: Vec<Uuid> = shop.agents.iter().filter(|(_, s)| s.contains(&team)).map(|(id, _)| *id).collect();
    let agent = if able.is_empty() { shop.agents[0].0 } else { *rng.pick(&able) };
    let status = if !t.active {
        if rng.chance(85) { TicketStatus::Closed } else { TicketStatus::Resolved }
    } else {
        match rng.below(100) {
            0..=54 => TicketStatus::New,
            55..=79 => TicketStatus::Open,
            80..=91 => TicketStatus::WaitingBuyer,
            _ => TicketStatus::WaitingInternal,
        }
    };
    // The backlog's new tickets have only the buyer's words; the rest a whole conversation.
    let take = match status {
        TicketStatus::New => 1 + rng.below(2) as usize,
        // About five messages a conversation; a short one goes round again.
        _ => 4 + rng.below(3) as usize,
    };
    let assignee = match status {
        TicketStatus::New if rng.chance(60) => None,
        _ => Some(agent),
    };
    let mut at = t.created;
    let mut first_response = None;
    let mut last_buyer = None;
    let mut last_body = "";
    let mut written = 0;
    for (who, body) in convo.messages.iter().cycle().take(if status == TicketStatus::New { 8 } else { take }) {
        let author = if *who == 'b' { AuthorKind::Buyer } else { AuthorKind::Staff };
        if status == TicketStatus::New && author == AuthorKind::Staff {
            continue;
        }
        if written == take {
            break;
        }
        if author == AuthorKind::Staff {
            first_response.get_or_insert(at);
        } else {
            last_buyer = Some(at);
        }
        messages.push(MessageRow {
            id: id_at(rng, at),
            ticket_id: t.id,
            author,
            staff_id: (author == AuthorKind::Staff).then_some(agent),
            body,
            created_at: at,
        });
        last_body = body;
        written += 1;
        at += Duration::seconds(20 + rng.below(600) as i64);
    }
    let last_message_at = at - Duration::seconds(1);
    let waiting_since = match status {
        TicketStatus::New | TicketStatus::Open | TicketStatus::WaitingInternal => last_buyer.or(Some(t.created)),
        _ => None,
    };
    let priority = Priority::Normal;
    let targets = sla::targets(stage, priority);
    tickets.push(TicketRow {
        id: t.id,
        number: t.number,
        buyer_id: buyer,
        order_id: order,
        subject: convo.subject,
        stage,
        category: convo.category.parse().unwrap_or(Category::Inquiry),
        status,
        priority,
        channel: if rng.chance(80) { Channel::Chat } else { Channel::Platform },
        team,
        assignee_id: assignee,
        first_responder_id: first_response.map(|_| agent),
        created_at: t.created,
        last_message_at,
        waiting_since,
        first_response_at: first_response,
        first_response_due: t.active.then(|| t.created + targets.first_response),
        resolution_due: t.active.then(|| t.created + targets.resolution),
        resolved_at: (!t.active).then_some(last_message_at),
        urgency: queue::urgency(waiting_since, last_message_at),
        unread: t.active && status == TicketStatus::New,
        last_preview: store::tickets::preview(last_body),
    });
}
