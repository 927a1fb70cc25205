//! Demo data: a small Tmall clothing shop with staff, buyers, orders and conversations, so a
//! new desk can be tried at once. Deterministic: the same store gets the same shop every time.

pub mod catalog;
pub mod scale;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use crate::domain::order::{MemoFlag, OrderTimes};
use crate::domain::returns::RefundStatus;
use crate::domain::{
    AuthorKind, Category, Channel, OrderStatus, Platform, Priority, Rating, Role, Skill, Stage, TicketEvent,
    TicketStatus,
};
use crate::service::auth::hash_password;
use crate::store::{
    self, Db, StoreResult, Tx,
    buyers::{BuyerInput, ProfileFields},
    catalog as cat, orders,
    staff::NewStaff,
    tickets,
};
use catalog::*;

/// The demo accounts: (username, display name, role, skills). All share [`DEMO_PASSWORD`].
pub const DEMO_STAFF: &[(&str, &str, Role, &[Skill])] = &[
    ("admin", "店长老周", Role::Admin, &[Skill::Presale, Skill::Insale, Skill::Aftersale]),
    ("zhuguan", "客服主管阿敏", Role::Supervisor, &[Skill::Presale, Skill::Insale, Skill::Aftersale, Skill::Complaint]),
    ("xiaonuan", "售前小暖", Role::Agent, &[Skill::Presale, Skill::Insale]),
    ("ajie", "售后阿杰", Role::Agent, &[Skill::Aftersale, Skill::Logistics]),
    ("tuikuan", "退款专员小林", Role::Agent, &[Skill::Refund, Skill::Aftersale]),
    ("tousu", "投诉专员晓雯", Role::Agent, &[Skill::Complaint, Skill::Aftersale]),
];

/// Password of every demo account; printed at start and in the README. Change it, or start
/// with `KEFU_DEMO=0` for a real shop.
pub const DEMO_PASSWORD: &str = "kefu-demo-2026";

/// Whether the store has no staff yet (a brand-new desk).
pub async fn is_empty(db: &Db) -> StoreResult<bool> {
    Ok(store::staff::count(db).await? == 0)
}

/// A small deterministic random source (SplitMix64), so demo data is the same on every run
/// without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    /// One of a list of words.
    fn word(&mut self, words: &[&'static str]) -> &'static str {
        words[self.below(words.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(b'0' + self.below(10) as u8)).collect()
    }
}

const COURIERS: &[(&str, &str)] = &[("圆通速递", "YT"), ("申通快递", "77"), ("顺丰速运", "SF"), ("EMS", "11")];
const PLACES: &[&str] =
    &["杭州转运中心", "上海转运中心", "广州转运中心", "成都转运中心", "北京转运中心", "武汉转运中心"];

struct SeedProduct {
    id: Uuid,
    p: &'static DemoProduct,
}

struct SeedOrder {
    id: Uuid,
    buyer: usize,
    status: OrderStatus,
}

/// Loads the demo shop in one transaction: all of it or nothing.
pub async fn load_demo(db: &Db, now: DateTime<Utc>) -> StoreResult<()> {
    let mut rng = Rng(20261123);
    let mut tx = db.begin().await?;

    for (k, v) in [
        ("shop_name", SHOP_NAME),
        ("platform", "tmall"),
        ("time_zone", "Asia/Shanghai"),
        ("business_hours", "09:00-23:00"),
        // No agent's name: whoever picks the chat up, the welcome stays true.
        ("welcome_text", "亲，欢迎光临暖阳衣橱～有什么可以帮您的呢？"),
        ("away_text", "亲，现在客服不在线哦，留言后上线第一时间回复您～"),
        ("policy_url", "https://example.com/policy"),
    ] {
        store::settings::set(&mut tx, k, v).await?;
    }

    let mut staff_ids = Vec::new();
    let hash = hash_password(DEMO_PASSWORD);
    for (username, name, role, skills) in DEMO_STAFF {
        let new = NewStaff { username, display_name: name, password_hash: &hash, role: *role, capacity: 20, skills };
        staff_ids.push(store::staff::insert(&mut tx, &new, now - Duration::days(90)).await?);
    }

    // Everyone works 08:00–23:00 (shop time) from yesterday for a week, so routing has
    // people on shift when the demo is opened during the day.
    let tz = chrono_tz::Asia::Shanghai;
    let today = now.with_timezone(&tz).date_naive();
    for id in &staff_ids {
        for day in -1..7 {
            let date = today + Duration::days(day);
            let at = |h: u32| {
                date.and_hms_opt(h, 0, 0)
                    .and_then(|t| chrono::TimeZone::from_local_datetime(&tz, &t).earliest())
                    .map(|t| t.with_timezone(&Utc))
            };
            if let (Some(start), Some(end)) = (at(8), at(23)) {
                store::shifts::insert(&mut tx, *id, start, end).await?;
            }
        }
    }
    let products = load_products(&mut tx, &mut rng, now).await?;
    let (buyers, receivers) = load_buyers(&mut tx, &mut rng, now).await?;
    let orders = load_orders(&mut tx, &mut rng, now, &products, &buyers, &receivers).await?;
    load_tickets(&mut tx, &mut rng, now, &buyers, &orders, &staff_ids).await?;
    // The demo's conversations are dated in the past, some before their buyers' orders.
    store::reports::link_all(&mut tx).await?;

    for (i, r) in CANNED_REPLIES.iter().enumerate() {
        let new = store::replies::NewReply {
            group: r.group,
            stage: r.stage,
            title: r.title,
            shortcut: r.shortcut,
            body: r.body,
            owner_id: None,
            position: i as i64,
        };
        store::replies::insert_reply(&mut tx, &new, now).await?;
    }
    for a in ARTICLES {
        let product = a.product_sku.and_then(|sku| products.iter().find(|p| p.p.sku == sku)).map(|p| p.id);
        cat::insert_article(&mut tx, a.kind, a.title, a.body_markdown, product, now).await?;
    }
    care(&mut tx, now).await?;
    tx.commit().await
}

/// The demo's customer care: saved segments and templates, a greeting to the regulars that
/// goes out when the desk starts, and the daily birthday greeting.
async fn care(tx: &mut store::Tx, now: DateTime<Utc>) -> StoreResult<()> {
    use crate::domain::campaign::SendChannel;
    use crate::domain::segment::{BirthdayWhen, Segment};
    use store::campaigns::{self as camp, SavedKind};
    let regulars = Segment {
        member_levels: vec!["金卡会员".into(), "钻石会员".into()],
        bought_within_days: Some(180),
        ..Segment::default()
    };
    let birthdays = Segment { birthday: Some(BirthdayWhen::Today), ..Segment::default() };
    for (name, seg) in [("半年内买过的金卡/钻石会员", &regulars), ("今天过生日的买家", &birthdays)]
    {
        camp::save(tx, SavedKind::Segment, None, name, &seg.to_json(), now).await?;
    }
    let greeting = "{买家}亲，天冷了记得添衣～{店铺}给{会员等级}准备了新款羽绒服，进店报会员名享专属价哦";
    let birthday = "{买家}亲，{店铺}祝您{生日}生日快乐！生日当周下单送您一份小礼物～";
    for (name, body) in [
        ("换季问候", greeting),
        ("生日祝福", birthday),
        ("问卷领券", "{买家}亲，花半分钟填个小问卷，送您5元无门槛券：{问卷}"),
    ] {
        camp::save(tx, SavedKind::Template, None, name, body, now).await?;
    }
    let campaigns =
        [("换季问候：金卡/钻石会员", &regulars, greeting, None), ("每日生日祝福", &birthdays, birthday, Some("09:00"))];
    for (name, segment, template, daily_at) in campaigns {
        let first_run = match daily_at {
            Some(_) => crate::domain::campaign::daily_after(
                chrono::NaiveTime::from_hms_opt(9, 0, 0).expect("a time"),
                now,
                chrono_tz::Asia::Shanghai,
            ),
            None => now,
        };
        let new = camp::NewCampaign {
            id: store::new_id(),
            name,
            segment,
            template,
            channel: SendChannel::Outbox,
            daily_at: daily_at.map(String::from),
            first_run,
            created_by: None,
        };
        camp::insert(tx, &new, now).await?;
    }
    Ok(())
}

async fn load_products(tx: &mut Tx, rng: &mut Rng, now: DateTime<Utc>) -> StoreResult<Vec<SeedProduct>> {
    let mut out = Vec::new();
    for p in PRODUCTS {
        let new = cat::NewProduct {
            sku: p.sku,
            title: p.title,
            category: p.category,
            price_fen: p.price_fen,
            seven_day_return: p.seven_day_return,
            care_tips: p.care_tips,
            size_advice: p.size_advice,
        };
        let mut variants = Vec::new();
        for colour in p.colours {
            for size in p.sizes {
                // About one variant in eight is sold out (断码), so substitutes matter.
                let stock = if rng.chance(12) { 0 } else { 5 + rng.below(80) as i64 };
                variants.push((*colour, *size, stock));
            }
        }
        // Related links are added below, once every product exists.
        let (id, _) = cat::upsert_product(tx, &new, &variants, &[], now - Duration::days(120)).await?;
        out.push(SeedProduct { id, p });
    }
    for sp in &out {
        for sku in sp.p.related {
            if let Some(other) = out.iter().find(|o| o.p.sku == *sku) {
                cat::link_products(tx, sp.id, other.id, "related").await?;
            }
        }
        for other in out.iter().filter(|o| o.p.category == sp.p.category && o.id != sp.id) {
            cat::link_products(tx, sp.id, other.id, "substitute").await?;
        }
    }
    Ok(out)
}

/// A demo buyer's name, phone and address: who their parcels go to.
type SeedReceiver = (String, String, &'static str);

async fn load_buyers(tx: &mut Tx, rng: &mut Rng, now: DateTime<Utc>) -> StoreResult<(Vec<Uuid>, Vec<SeedReceiver>)> {
    let (mut ids, mut receivers) = (Vec::new(), Vec::new());
    for (i, nick) in NICKS.iter().take(60).enumerate() {
        let name = format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN_NAMES));
        let phone = format!("1{}{}", rng.pick(&["35", "38", "39", "58", "86", "88", "77"]), rng.digits(8));
        let email = if rng.chance(40) { format!("{}@example.com", rng.digits(9)) } else { String::new() };
        let gender = if rng.chance(75) { "f" } else { "m" };
        let birthday =
            NaiveDate::from_ymd_opt(1978 + rng.below(28) as i32, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32);
        let level = MEMBER_LEVELS[[0, 0, 0, 1, 1, 2, 3][rng.below(7) as usize]];
        let notes = if rng.chance(30) { *rng.pick(BUYER_NOTES) } else { "" };
        let address = rng.word(ADDRESSES);
        let profile = ProfileFields { name: &name, phone: &phone, email: &email, address, member_level: level };
        let input = BuyerInput { nick, profile, gender: Some(gender), birthday, notes };
        // Buyers arrive over the last half year, oldest first, so ids follow their age.
        let since = now - Duration::days(180 - (i as i64 * 3));
        let id = store::buyers::upsert(tx, &input, since).await?;
        let tag_count = rng.below(3) as usize;
        let tags: Vec<&str> = (0..tag_count).map(|_| *rng.pick(BUYER_TAGS)).collect();
        store::buyers::set_tags(tx, id, &tags).await?;
        for (key, values) in ATTRIBUTES {
            if rng.chance(45) {
                store::buyers::set_attribute(tx, id, key, rng.pick::<&str>(values)).await?;
            }
        }
        ids.push(id);
        receivers.push((name, phone, address));
    }
    Ok((ids, receivers))
}

fn ago(now: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
    now - Duration::minutes(minutes)
}

async fn load_orders(
    tx: &mut Tx, rng: &mut Rng, now: DateTime<Utc>, products: &[SeedProduct], buyers: &[Uuid],
    receivers: &[SeedReceiver],
) -> StoreResult<Vec<SeedOrder>> {
    use OrderStatus::*;
    // 150 orders in every status, weighted the way a shop's order list looks.
    let plan: Vec<OrderStatus> =
        [(Created, 12), (Paid, 22), (Shipped, 30), (Signed, 24), (Completed, 50), (Closed, 12)]
            .iter()
            .flat_map(|(s, n)| std::iter::repeat_n(*s, *n))
            .collect();
    let mut out = Vec::new();
    for (n, status) in plan.into_iter().enumerate() {
        // A third of the orders go to a dozen loyal buyers, so repeat purchases exist.
        let buyer = if rng.chance(35) { rng.below(12) as usize } else { rng.below(buyers.len() as u64) as usize };
        let platform = if rng.chance(80) { Platform::Tmall } else { Platform::Taobao };
        // How long ago the order was created depends on how far along it is.
        let age_min: i64 = match status {
            Created => 20 + rng.below(600) as i64,
            Paid => 60 + rng.below(60 * 40) as i64,
            Shipped => 60 * 24 + rng.below(60 * 24 * 4) as i64,
            Signed => 60 * 24 * 4 + rng.below(60 * 24 * 5) as i64,
            Completed => 60 * 24 * 12 + rng.below(60 * 24 * 150) as i64,
            Closed => 60 * 24 + rng.below(60 * 24 * 60) as i64,
        };
        let created = ago(now, age_min);
        let paid = (status != Created && !(status == Closed && rng.chance(70)))
            .then(|| created + Duration::minutes(3 + rng.below(40) as i64));
        let ship_by = paid.map(|p| p + Duration::hours(48));
        let shipped = match status {
            Shipped | Signed | Completed => paid.map(|p| p + Duration::hours(4 + rng.below(40) as i64)),
            _ => None,
        };
        let signed = match status {
            Signed | Completed => shipped.map(|s| s + Duration::hours(40 + rng.below(72) as i64)),
            _ => None,
        };
        let completed = (status == Completed)
            .then(|| signed.expect("completed orders were signed") + Duration::days(7 + rng.below(3) as i64));
        let closed = (status == Closed).then(|| created + Duration::hours(24 + rng.below(48) as i64));
        let item_count = 1 + rng.below(3) as usize;
        let picks: Vec<&SeedProduct> = (0..item_count).map(|_| rng.pick(products)).collect();
        let variants: Vec<String> =
            picks.iter().map(|sp| format!("{} / {}", rng.pick(sp.p.colours), rng.pick(sp.p.sizes))).collect();
        let items: Vec<orders::NewItem> = picks
            .iter()
            .zip(&variants)
            .map(|(sp, v)| orders::NewItem {
                product_id: Some(sp.id),
                sku: sp.p.sku,
                title: sp.p.title,
                variant: v,
                quantity: 1 + (rng.chance(15) as i64),
                unit_price_fen: sp.p.price_fen,
                seven_day_return: sp.p.seven_day_return,
            })
            .collect();
        let free_shipping = rng.chance(70);
        let order_no = format!("{}{}", 38 + n % 4, rng.digits(17));
        let new = orders::NewOrder {
            platform,
            order_no: &order_no,
            buyer_id: buyers[buyer],
            receiver: {
                let (name, phone, address) = &receivers[buyer];
                orders::Receiver { name, phone, address }
            },
            status,
            free_shipping,
            shipping_fee_fen: if free_shipping { 0 } else { 800 },
            times: OrderTimes {
                created_at: created,
                paid_at: paid,
                ship_by,
                shipped_at: shipped,
                signed_at: signed,
                completed_at: completed,
                closed_at: closed,
            },
            refund: Default::default(),
            // A few orders carry the shop's own notes, as a real backlog does.
            memo: match n % 13 {
                3 => Some(("买家要求发顺丰，已补运费差价，发货前核对地址", Some(MemoFlag::Yellow))),
                7 => Some(("老客户，随包裹送一份小礼品", Some(MemoFlag::Red))),
                _ => None,
            },
        };
        let id = orders::insert(tx, &new, &items, created).await?;
        if let Some(shipped_at) = shipped {
            let (courier, prefix) = rng.pick(COURIERS);
            let tracking = format!("{prefix}{}", rng.digits(12));
            let sid = orders::upsert_shipment(tx, id, courier, &tracking, shipped_at).await?;
            let from = rng.pick(PLACES);
            orders::insert_tracking_event(tx, sid, shipped_at + Duration::minutes(30), "杭州市余杭区", "快件已揽收")
                .await?;
            orders::insert_tracking_event(tx, sid, shipped_at + Duration::hours(8), from, "快件已到达，正在分拣")
                .await?;
            if let Some(signed_at) = signed {
                orders::insert_tracking_event(
                    tx,
                    sid,
                    signed_at - Duration::hours(3),
                    "派送网点",
                    "快件正在派送中，快递员会尽快送达",
                )
                .await?;
                orders::insert_tracking_event(tx, sid, signed_at, "收件地址", "已签收，签收人：本人").await?;
            }
        }
        if status == Completed && rng.chance(60) {
            let at = completed.expect("set above") - Duration::days(2);
            let roll = rng.below(100);
            let (rating, first, body, changed) = match roll {
                0..=79 => (Rating::Good, Rating::Good, "衣服质量很好，和图片一样，客服小暖很耐心，推荐！", None),
                80..=87 => (
                    Rating::Good,
                    Rating::Mid,
                    "一开始有点色差，客服帮忙处理了，追评改好评。",
                    Some(at + Duration::days(2)),
                ),
                88..=94 => (Rating::Mid, Rating::Mid, "尺码偏小一点，面料还可以。", None),
                _ => (Rating::Bad, Rating::Bad, "物流太慢了，等了一个星期，包装也破了。", None),
            };
            orders::insert_review(tx, id, rating, first, body, at, changed).await?;
        }
        out.push(SeedOrder { id, buyer, status });
    }
    Ok(out)
}

/// Which orders fit a conversation of this stage.
fn fits(stage: Stage, status: OrderStatus) -> bool {
    use OrderStatus::*;
    match stage {
        Stage::Presale => status == Created,
        Stage::Insale => matches!(status, Paid | Shipped),
        Stage::Aftersale => matches!(status, Signed | Completed),
    }
}

async fn load_tickets(
    tx: &mut Tx, rng: &mut Rng, now: DateTime<Utc>, buyers: &[Uuid], orders: &[SeedOrder], staff: &[Uuid],
) -> StoreResult<()> {
    // staff indices follow DEMO_STAFF: 2 = pre-sale, 3 = after-sale, 4 = refunds, 5 = complaints.
    for (i, c) in CONVERSATIONS.iter().enumerate() {
        let stage: Stage = c.stage.parse().expect("catalogue stages are valid");
        let category: Category = c.category.parse().expect("catalogue categories are valid");
        let status: TicketStatus = c.status.parse().expect("catalogue statuses are valid");
        let priority: Priority = c.priority.parse().expect("catalogue priorities are valid");
        let fitting: Vec<&SeedOrder> = orders.iter().filter(|o| fits(stage, o.status)).collect();
        let (buyer, order) = if c.needs_order && !fitting.is_empty() {
            let o = fitting[(i * 7) % fitting.len()];
            (buyers[o.buyer], Some(o.id))
        } else {
            (buyers[(i * 11 + 5) % buyers.len()], None)
        };
        let assignee = match (status, category, stage) {
            (TicketStatus::New, _, _) => None,
            (_, Category::Refund | Category::Return, _) => Some(staff[4]),
            (_, Category::BadReview | Category::QualityComplaint, _) => Some(staff[5]),
            (_, _, Stage::Aftersale) => Some(staff[3]),
            _ => Some(staff[2]),
        };
        // Open work is recent (minutes to hours); finished work is days old.
        let start = if status.is_active() {
            ago(now, 3 + rng.below(if status == TicketStatus::New { 40 } else { 600 }) as i64)
        } else {
            ago(now, 60 * 24 * (1 + rng.below(20) as i64))
        };
        let new = tickets::NewTicket {
            buyer_id: buyer,
            order_id: order,
            subject: c.subject,
            stage,
            category,
            status: TicketStatus::New,
            priority,
            channel: Channel::Chat,
            assignee_id: None,
            created_at: start,
        };
        let (id, _) = tickets::insert(tx, &new).await?;
        // Demo tickets belong to their stage's team, as routing would have decided.
        store::routing::assign_tx(tx, id, crate::domain::routing::stage_team(stage), None, None, start).await?;
        let mut at = start;
        for (who, body) in c.messages {
            let (author, staff_id, internal) = match who {
                'b' => (AuthorKind::Buyer, None, false),
                's' => (AuthorKind::Staff, assignee.or(Some(staff[2])), false),
                'n' => (AuthorKind::Staff, assignee.or(Some(staff[2])), true),
                _ => (AuthorKind::System, None, false),
            };
            tickets::insert_message(tx, id, author, staff_id, body, internal, at).await?;
            at += Duration::seconds(20 + rng.below(150) as i64);
        }
        finish_ticket(tx, id, status, assignee, at.min(now)).await?;
        if let (Some(order), Some((_, refund))) = (order, DEMO_REFUNDS.iter().find(|(s, _)| *s == c.subject)) {
            let fen = orders_total(tx, order).await?;
            let deadline = (!matches!(refund, RefundStatus::Refunded)).then(|| now + Duration::days(3));
            orders::set_refund(tx, order, orders::Refund { status: Some(*refund), fen: Some(fen), deadline }).await?;
        }
    }
    Ok(())
}

/// What the platform says about the refunds the demo conversations talk about. The last one
/// disagrees with its ticket (the shop signed for the parcel, nobody recorded the return), so
/// the conflict shows on the demo desk.
const DEMO_REFUNDS: &[(&str, RefundStatus)] = &[
    ("上身不喜欢，七天无理由退货", RefundStatus::Refunded),
    ("牛仔裤腰大想退", RefundStatus::Requested),
    ("退货寄回后退款什么时候到", RefundStatus::Returning),
    ("退货签收三天未退款", RefundStatus::Returning),
];

async fn orders_total(tx: &mut Tx, order: Uuid) -> StoreResult<i64> {
    let o = orders::by_id(&mut *tx, order).await?;
    Ok(o.map_or(0, |o| o.total_fen()))
}

/// Puts a seeded ticket into its final status and assignment, with matching events.
async fn finish_ticket(
    tx: &mut Tx, id: Uuid, status: TicketStatus, assignee: Option<Uuid>, at: DateTime<Utc>,
) -> StoreResult<()> {
    let resolved_at = (!status.is_active()).then_some(at);
    tickets::set_state(tx, id, status, assignee, resolved_at, at).await?;
    if let Some(a) = assignee {
        tickets::insert_event(tx, id, None, &TicketEvent::Assigned { to: Some(a) }, at).await?;
    }
    if status != TicketStatus::New {
        tickets::insert_event(tx, id, assignee, &TicketEvent::Status { status }, at).await?;
    }
    Ok(())
}
