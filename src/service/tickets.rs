//! The agent workspace's use cases: buyer messages in, staff replies out, ticket changes.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{FieldError, ServiceError, ServiceResult};
use crate::domain::reply_check::{CheckMode, HitOutcome};
use crate::domain::routing::Plan;
use crate::domain::template::{self, Values};
use crate::domain::{
    AuthorKind, Category, Channel, ErrorCode, LossReason, OrderStatus, Outcome, Priority, Role, Settings, Stage,
    TicketEvent, TicketStatus, stage,
};
use crate::live::{Hub, LiveEvent};
use crate::store::{
    self, Db, StoreError,
    staff::Staff,
    tickets::{NewTicket, Ticket, TicketChange},
};

/// Longest message a buyer or staff member may send, in characters.
pub const MAX_MESSAGE_CHARS: usize = 10_000;

/// A message's text: trimmed, not too long, and not empty unless photos or a card carry it.
fn check_body(body: &str, carried: bool) -> ServiceResult<&str> {
    let body = body.trim();
    if body.is_empty() && !carried {
        return Err(ServiceError::field("body", ErrorCode::BodyEmpty));
    }
    if body.chars().count() > MAX_MESSAGE_CHARS {
        return Err(ServiceError::field("body", ErrorCode::BodyTooLong));
    }
    Ok(body)
}

/// Who wrote a buyer's message.
#[derive(Debug, Clone, Copy)]
pub enum Writer<'a> {
    /// Named by nick (the API: the shop's integration vouches for it); a new nick is a new buyer.
    Nick(&'a str),
    /// A chat session's buyer. Gone (a visitor merged into a buyer a moment ago) → NotFound,
    /// never a new buyer.
    Buyer(Uuid),
}

/// A buyer's message, from the chat page or the API.
pub struct Incoming<'a> {
    pub writer: Writer<'a>,
    /// The order the buyer named, if any.
    pub order_no: Option<&'a str>,
    /// The buyer picked that order to send as a card: the ticket is now about it.
    pub order_card: bool,
    /// The item the buyer is asking about (they came from its page), by SKU.
    pub product_sku: Option<&'a str>,
    /// When it was written, for conversations imported from before (not in the future);
    /// None: now.
    pub sent_at: Option<DateTime<Utc>>,
    pub body: &'a str,
    /// Photos sent with it, already checked ([`super::photos::prepare`]).
    pub photos: &'a [super::photos::Ready],
    pub channel: Channel,
}

/// Where a buyer's message landed.
#[derive(Debug, Clone)]
pub struct Received {
    pub ticket_id: Uuid,
    pub ticket_number: i64,
    pub message_id: Uuid,
    pub buyer_id: Uuid,
    /// A new ticket was opened (and the welcome message sent).
    pub opened: bool,
}

/// Opens a ticket inside the caller's transaction and routes it (team, agent, SLA due
/// times), with both steps in its timeline. Returns its id, number and where it went.
/// `first_message` is what routing rules with a keyword look at.
pub async fn open(
    tx: &mut store::Tx, settings: &Settings, plan: &Plan, t: &NewTicket<'_>, first_message: &str, now: DateTime<Utc>,
) -> ServiceResult<(Uuid, i64, super::routing::Routed)> {
    let (id, number) = insert(tx, t).await?;
    let routed = route(tx, settings, plan, id, t, None, first_message, now).await?;
    Ok((id, number, routed))
}

/// The first half of [`open`]: the ticket and its "opened" entry (dated with the ticket),
/// not routed yet.
async fn insert(tx: &mut store::Tx, t: &NewTicket<'_>) -> ServiceResult<(Uuid, i64)> {
    Ok(store::tickets::insert_opened(tx, t, &TicketEvent::Opened { channel: t.channel }).await?)
}

/// The second half of [`open`]: routes the new ticket. Giving it to an agent, routing holds
/// the team's lock until the transaction commits (so concurrent arrivals cannot overfill an
/// agent): callers route as late as they can. `buyer`: the ticket's buyer as the caller found or made them, if it did.
#[allow(clippy::too_many_arguments)]
async fn route(
    tx: &mut store::Tx, settings: &Settings, plan: &Plan, id: Uuid, t: &NewTicket<'_>,
    buyer: Option<&store::buyers::FoundBuyer>, first_message: &str, now: DateTime<Utc>,
) -> ServiceResult<super::routing::Routed> {
    let member_level = match buyer {
        Some(b) => b.member_level.clone(),
        None => store::buyers::member_level_tx(tx, t.buyer_id).await?,
    };
    let facts = super::routing::NewTicketFacts {
        ticket_id: id,
        buyer_id: t.buyer_id,
        stage: t.stage,
        category: t.category,
        channel: t.channel,
        priority: t.priority,
        member_level: &member_level,
        first_message,
        team: None,
        due: None,
        new_buyer: buyer.is_some_and(|b| b.created),
    };
    let routed = super::routing::route_tx(tx, &facts, settings, plan, now).await?;
    // What the shop opens itself (催付, 回访, a birthday call …) is a task: no buyer waits on
    // a first answer, so routing's first-response target becomes its due time.
    if t.channel == Channel::Automation {
        store::tickets::set_task_due(tx, id).await?;
    }
    Ok(routed)
}

/// Records a buyer's message: continues their active ticket, or opens one in the stage the
/// order implies, greeting the buyer at once with the shop's welcome message.
pub async fn receive(db: &Db, hub: &Hub, m: &Incoming<'_>, now: DateTime<Utc>) -> ServiceResult<Received> {
    let mut errors = Vec::new();
    if let Writer::Nick(nick) = m.writer {
        crate::domain::validation::required_text(&mut errors, "buyer_nick", nick, 64);
    }
    let order_no = m.order_no.map(str::trim).filter(|o| !o.is_empty());
    let order_card = m.order_card && order_no.is_some();
    let body = match check_body(m.body, !m.photos.is_empty() || order_card) {
        Ok(b) => Some(b),
        Err(ServiceError::Invalid(e)) => {
            errors.extend(e);
            None
        }
        Err(e) => return Err(e),
    };
    if order_no.is_some_and(|o| o.chars().count() > 64) {
        errors.push(FieldError::new("order_no", ErrorCode::TooLong));
    }
    let sku = m.product_sku.map(str::trim).filter(|s| !s.is_empty());
    // A clock a little ahead of ours is not the future.
    if m.sent_at.is_some_and(|at| at > now + chrono::Duration::minutes(1)) {
        errors.push(FieldError::new("sent_at", ErrorCode::InFuture));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    // An imported message happened when it was sent: the ticket, its clocks and its greetings
    // are dated then.
    let now = m.sent_at.unwrap_or(now);
    let body = body.expect("checked");
    // Read before the transaction: inside it, these would wait for a second connection.
    let product = async {
        match sku {
            Some(sku) => match store::products::by_sku(db, sku).await? {
                Some(p) => Ok(Some(p)),
                None => Err(ServiceError::field("product_sku", ErrorCode::SkuUnknown)),
            },
            None => Ok(None),
        }
    };
    let plan = async { Ok(store::routing::plan(db).await?) };
    let (settings, plan, articles, product) =
        tokio::try_join!(super::settings::load(db), plan, super::faq::articles(db), product)?;

    let mut tx = db.begin().await?;
    // Each statement inside the transaction is a turn on the one writer, which every arrival
    // waits for: what is already known is not asked again.
    let (buyer_id, found) = match m.writer {
        Writer::Nick(nick) => {
            let b = store::buyers::find_or_create_buyer(&mut tx, nick.trim(), now).await?;
            (b.id, Some(b))
        }
        Writer::Buyer(id) => (store::buyers::lock(&mut tx, id).await?.ok_or(ServiceError::NotFound)?, None),
    };
    let new_buyer = found.as_ref().is_some_and(|b| b.created);
    let order = match order_no {
        Some(no) => match store::orders::of_buyer_by_no(&mut tx, buyer_id, no).await? {
            Some(o) => Some(o),
            None => return Err(ServiceError::field("order_no", ErrorCode::OrderUnknown)),
        },
        None => None,
    };
    // Nobody there (off shift) or a long queue: the buyer gets the shop's own articles.
    let (mut away, mut long_queue) = (false, false);
    // A card-only message (photos or an order) reads as what it carries in lists.
    let preview = match (order_card, order_no) {
        (true, Some(no)) => format!("[订单] {no}"),
        _ => super::photos::PREVIEW.to_string(),
    };
    // A buyer this message made has no ticket to continue and no order to confirm.
    let continued = if new_buyer { None } else { store::tickets::open_for_buyer(&mut tx, buyer_id).await? };
    // A confirmation this buyer may be answering (核对): a new conversation is about that paid
    // order unless the buyer named another.
    let confirming = if new_buyer { None } else { store::orders::open_confirmation(&mut tx, buyer_id).await? };
    let named_order = order.map(|o| o.0);
    let continued_order = continued.as_ref().and_then(|t| t.order_id);
    let order = order.or(confirming.as_ref().filter(|_| continued.is_none()).map(|c| (c.order_id, OrderStatus::Paid)));
    let asked_before = continued.as_ref().and_then(|t| t.product_id);
    // A new conversation, if this message starts one.
    let subject: String = if body.is_empty() { preview.clone() } else { body.chars().take(40).collect() };
    let new = NewTicket {
        buyer_id,
        order_id: order.map(|o| o.0),
        subject: &subject,
        stage: stage::infer(order.map(|o| o.1)),
        category: Category::Inquiry,
        status: TicketStatus::New,
        priority: Priority::Normal,
        channel: m.channel,
        assignee_id: None,
        created_at: now,
    };
    let (ticket_id, number, stage, opened) = match continued {
        Some(t) => (t.id, t.number, t.stage, false),
        None => {
            let (id, number) = insert(&mut tx, &new).await?;
            // An imported conversation may come after the buyer's orders: the report's
            // links are made now. A live one opens after all of them and changes no link.
            if m.sent_at.is_some() {
                store::reports::link_buyer(&mut tx, new.buyer_id).await?;
            }
            (id, number, new.stage, true)
        }
    };
    let message_id =
        store::tickets::insert_message(&mut tx, ticket_id, AuthorKind::Buyer, None, body, false, now).await?;
    super::photos::store_with(&mut tx, ticket_id, message_id, m.photos, body.is_empty(), now).await?;
    // Cards: the item is shown once, when the buyer starts asking about it (not on every
    // message from its page); an order sent as a card makes a ticket about no order yet about
    // that one (a ticket already about an order keeps it: its returns and rules hang on it).
    let new_item = product.as_ref().map(|p| p.id).filter(|id| asked_before != Some(*id));
    let sent_order = order.filter(|_| order_card).map(|o| o.0);
    if new_item.is_some() || sent_order.is_some() {
        store::tickets::set_cards(&mut tx, message_id, new_item, sent_order).await?;
    }
    if let Some(item) = new_item {
        store::tickets::set_product(&mut tx, ticket_id, item).await?;
    }
    if let Some(order_id) = sent_order {
        if continued_order.is_none() {
            store::tickets::set_order(&mut tx, ticket_id, order_id).await?;
        }
        if body.is_empty() && m.photos.is_empty() {
            store::tickets::set_preview(&mut tx, ticket_id, &preview).await?;
        }
    }
    // Routed once everything that does not depend on the agent is written: giving the ticket
    // to an agent, routing holds the team's lock until commit, and the team's next new
    // conversation that finds someone free waits for it.
    if opened {
        let routed = route(&mut tx, &settings, &plan, ticket_id, &new, found.as_ref(), body, now).await?;
        away = routed.away();
        long_queue = settings.faq_wait().is_some_and(|w| routed.agent.is_none() && routed.queue_wait >= w);
    }
    // An answer to the order confirmation sent after payment (核对).
    let conversation = super::confirm::Conversation {
        ticket_id,
        number,
        buyer_id,
        stage,
        order_id: if opened { order.map(|o| o.0) } else { continued_order.or(sent_order) },
        named_order,
    };
    let work_order = match (&confirming, body.is_empty()) {
        (Some(c), false) => {
            super::confirm::on_buyer_message(&mut tx, &settings, &plan, &conversation, c, body, now).await?
        }
        _ => None,
    };
    // The shop's welcome on a new conversation; when nobody of the team is on shift and
    // online, the away message with the hours, at once. (A full team is not away: the
    // buyer waits in the queue.)
    let welcome = settings.welcome().filter(|_| opened).map(str::to_string);
    let away_text = settings.away().filter(|_| away).map(|a| match settings.shop.business_hours {
        Some(hours) => format!("{a}（客服在线时间 {hours}）"),
        None => a.to_string(),
    });
    // Nobody there, or a long wait: the shop's own articles that answer the question, if any
    // match well.
    let offer = if (away || long_queue) && !body.is_empty() { super::faq::offer(&articles, body, away) } else { None };
    // A millisecond or two apart, so they sort after the buyer's first words and in order.
    let (offer_text, offers) = offer.as_ref().map(|(t, ids)| (*t, ids.as_slice())).unzip();
    let notices: Vec<store::tickets::Notice> =
        [(1, welcome.as_deref(), None), (2, away_text.as_deref(), None), (3, offer_text, offers)]
            .into_iter()
            .filter_map(|(ms, text, offers)| {
                let at = now + chrono::Duration::milliseconds(ms);
                text.map(|body| store::tickets::Notice { body, at, offers })
            })
            .collect();
    let greetings = store::tickets::insert_notices(&mut tx, ticket_id, &notices).await?;
    tx.commit().await?;

    if opened {
        hub.publish(LiveEvent::Ticket { ticket_id, buyer_id, stage }).await;
    }
    if let Some(id) = work_order {
        hub.publish(LiveEvent::Ticket { ticket_id: id, buyer_id, stage }).await;
    }
    hub.publish(LiveEvent::Message {
        ticket_id,
        buyer_id,
        message_id,
        stage,
        author: AuthorKind::Buyer,
        internal: false,
    })
    .await;
    for id in greetings {
        hub.publish(LiveEvent::Message {
            ticket_id,
            buyer_id,
            message_id: id,
            stage,
            author: AuthorKind::System,
            internal: false,
        })
        .await;
    }
    Ok(Received { ticket_id, ticket_number: number, message_id, buyer_id, opened })
}

/// Its order's first product and latest (courier, tracking number), as `reply_facts` reads them.
pub type OrderFacts = (Option<String>, Option<(String, String)>);

/// The variables' values from what is known of the ticket (the ticket page reads these parts
/// anyway and builds them here too).
pub fn values_of(
    buyer_nick: Option<String>, order_no: Option<String>, facts: OrderFacts, settings: &Settings,
) -> Values {
    let (product, shipment) = facts;
    let (courier, tracking_no) = shipment.map_or((None, None), |(c, t)| (Some(c), Some(t)));
    Values { buyer: buyer_nick, order_no, courier, tracking_no, product, shop: Some(settings.shop_name().to_string()) }
}

/// What a canned reply's variables are filled with on this ticket, its parts read together.
pub async fn reply_values(db: &Db, ticket: &Ticket, settings: &Settings) -> ServiceResult<Values> {
    let order = async {
        match ticket.order_id {
            Some(o) => {
                let (order, facts) = tokio::try_join!(store::orders::by_id(db, o), store::orders::reply_facts(db, o))?;
                Ok::<_, StoreError>((order.map(|o| o.order_no), facts))
            }
            None => Ok((None, (None, None))),
        }
    };
    let (buyer, (order_no, facts)) = tokio::try_join!(store::buyers::by_id(db, ticket.buyer_id), order)?;
    Ok(values_of(buyer.map(|b| b.called().to_string()), order_no, facts, settings))
}

/// A reply or internal note by a staff member.
pub struct Outgoing<'a> {
    pub body: &'a str,
    /// Photos sent with it, already checked ([`super::photos::prepare`]).
    pub photos: &'a [super::photos::Ready],
    pub internal: bool,
    /// The agent saw the reply check's warning and sends anyway.
    pub confirmed: bool,
    /// The canned reply it was built from, to count its use.
    pub canned_id: Option<Uuid>,
}

/// Sends a staff reply (or adds a note). A reply with a variable still in it is refused, so
/// a buyer never receives a raw `{订单号}`.
pub async fn reply(
    db: &Db, hub: &Hub, staff: &Staff, ticket_id: Uuid, out: &Outgoing<'_>, now: DateTime<Utc>,
) -> ServiceResult<Uuid> {
    let body = check_body(out.body, !out.photos.is_empty())?;
    let missing = template::unfilled(body);
    if !missing.is_empty() && !out.internal {
        return Err(ServiceError::Unfilled(missing));
    }
    // The reply check: words the platform penalises, in what the buyer will read.
    let check = super::settings::load(db).await?.reply_check;
    let words = if out.internal { Vec::new() } else { check.hits(body) };
    let refused = match check.mode {
        _ if words.is_empty() => None,
        CheckMode::Block => Some(HitOutcome::Blocked),
        CheckMode::Warn if !out.confirmed => Some(HitOutcome::Warned),
        CheckMode::Warn => None,
    };
    if let Some(outcome) = refused {
        let mut tx = db.begin().await?;
        store::phrase_hits::insert(&mut tx, staff.id, Some(ticket_id), &words, outcome, now).await?;
        tx.commit().await?;
        return Err(ServiceError::Banned { words, blocked: outcome == HitOutcome::Blocked });
    }
    // Read before the transaction, on a reader: most replies go to a ticket that is open and
    // has its agent, and change nothing of it but its clock, so the single writer need not
    // read it again. A ticket still to be taken on is read again inside.
    let seen = store::tickets::by_id(db, ticket_id).await?.ok_or(ServiceError::NotFound)?;
    let to_take_on = |t: &Ticket| !out.internal && (t.status == TicketStatus::New || t.assignee_id.is_none());
    let mut tx = db.begin().await?;
    if !words.is_empty() {
        store::phrase_hits::insert(&mut tx, staff.id, Some(ticket_id), &words, HitOutcome::Sent, now).await?;
    }
    let ticket = if to_take_on(&seen) {
        // Two replies to a new ticket at once (two tabs, a double click) must both land:
        // the second waits for the first and then sees the ticket as the first left it.
        store::tickets::lock(&mut tx, ticket_id).await?;
        store::tickets::by_id(&mut tx, ticket_id).await?.ok_or(ServiceError::NotFound)?
    } else {
        seen
    };
    let id =
        store::tickets::insert_message(&mut tx, ticket_id, AuthorKind::Staff, Some(staff.id), body, out.internal, now)
            .await?;
    let public_without_text = body.is_empty() && !out.internal;
    super::photos::store_with(&mut tx, ticket_id, id, out.photos, public_without_text, now).await?;
    if !out.internal {
        // Answering a new ticket takes it on: it becomes open, and the replier's if unowned.
        if to_take_on(&ticket) {
            let change = TicketChange {
                status: if ticket.status == TicketStatus::New { TicketStatus::Open } else { ticket.status },
                assignee_id: ticket.assignee_id.or(Some(staff.id)),
                ..change_of(&ticket)
            };
            store::tickets::update(&mut tx, ticket_id, ticket.version, &change, now).await?;
            record_changes(&mut tx, &ticket, &change, staff.id, now).await?;
        }
        if let Some(canned) = out.canned_id {
            store::replies::record_use(&mut tx, canned, staff.id, now).await?;
        }
    }
    tx.commit().await?;
    hub.publish(LiveEvent::Message {
        ticket_id,
        buyer_id: ticket.buyer_id,
        message_id: id,
        stage: ticket.stage,
        author: AuthorKind::Staff,
        internal: out.internal,
    })
    .await;
    Ok(id)
}

fn change_of(t: &Ticket) -> TicketChange {
    TicketChange {
        stage: t.stage,
        category: t.category,
        status: t.status,
        priority: t.priority,
        assignee_id: t.assignee_id,
        outcome: t.outcome,
        loss_reason: t.loss_reason,
    }
}

/// One timeline event per field that changed.
async fn record_changes(
    tx: &mut store::Tx, before: &Ticket, after: &TicketChange, by: Uuid, at: DateTime<Utc>,
) -> ServiceResult<()> {
    let mut events = Vec::new();
    if before.stage != after.stage {
        events.push(TicketEvent::Stage { stage: after.stage });
    }
    if before.category != after.category {
        events.push(TicketEvent::Category { category: after.category });
    }
    if before.status != after.status {
        events.push(TicketEvent::Status { status: after.status });
    }
    if before.priority != after.priority {
        events.push(TicketEvent::Priority { priority: after.priority });
    }
    if before.assignee_id != after.assignee_id {
        events.push(TicketEvent::Assigned { to: after.assignee_id });
    }
    if before.outcome != after.outcome || before.loss_reason != after.loss_reason {
        events.push(TicketEvent::Outcome { outcome: after.outcome, loss_reason: after.loss_reason });
    }
    for event in events {
        store::tickets::insert_event(tx, before.id, Some(by), &event, at).await?;
    }
    Ok(())
}

/// What the ticket form asks to change, still as typed.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct ChangeDraft {
    pub version: String,
    pub stage: String,
    pub category: String,
    pub status: String,
    pub priority: String,
    /// A staff id, "me", or "" for nobody.
    pub assignee: String,
    /// "", "converted" or "lost".
    pub outcome: String,
    pub loss_reason: String,
}

/// Applies staff changes to a ticket, checking the version the person saw and the rights of
/// their role: agents may take a ticket or give it up, but only supervisors hand tickets to
/// someone else or reopen a closed one.
pub async fn change(
    db: &Db, hub: &Hub, staff: &Staff, ticket_id: Uuid, d: &ChangeDraft, now: DateTime<Utc>,
) -> ServiceResult<()> {
    let ticket = store::tickets::by_id(db, ticket_id).await?.ok_or(ServiceError::NotFound)?;
    let mut errors = Vec::new();
    let mut parse = |field: &'static str, text: &str| -> Option<String> {
        if text.trim().is_empty() { None } else { Some(text.trim().to_string()) }.or_else(|| {
            errors.push(FieldError::new(field, ErrorCode::Required));
            None
        })
    };
    let (stage, category, status, priority) = (
        parse("stage", &d.stage),
        parse("category", &d.category),
        parse("status", &d.status),
        parse("priority", &d.priority),
    );
    let mut invalid = |field: &'static str| errors.push(FieldError::new(field, ErrorCode::Invalid));
    let stage: Option<Stage> = stage.and_then(|s| s.parse().map_err(|_| invalid("stage")).ok());
    let category: Option<Category> = category.and_then(|s| s.parse().map_err(|_| invalid("category")).ok());
    let status: Option<TicketStatus> = status.and_then(|s| s.parse().map_err(|_| invalid("status")).ok());
    let priority: Option<Priority> = priority.and_then(|s| s.parse().map_err(|_| invalid("priority")).ok());
    let version: Option<i64> = d.version.trim().parse().map_err(|_| invalid("version")).ok();
    let assignee = match d.assignee.trim() {
        "" => None,
        "me" => Some(staff.id),
        other => match Uuid::parse_str(other) {
            Ok(id) => match store::staff::by_id(db, id).await? {
                Some(s) if s.active => Some(id),
                _ => {
                    invalid("assignee");
                    None
                }
            },
            Err(_) => {
                invalid("assignee");
                None
            }
        },
    };
    let (outcome, loss_reason) = match d.outcome.trim().parse::<Outcome>() {
        _ if d.outcome.trim().is_empty() => (None, None),
        Ok(Outcome::Converted) => (Some(Outcome::Converted), None),
        Ok(Outcome::Lost) => match d.loss_reason.trim().parse::<LossReason>() {
            Ok(r) => (Some(Outcome::Lost), Some(r)),
            Err(_) if d.loss_reason.trim().is_empty() => {
                errors.push(FieldError::new("loss_reason", ErrorCode::LossReason));
                (None, None)
            }
            _ => {
                invalid("loss_reason");
                (None, None)
            }
        },
        _ => {
            invalid("outcome");
            (None, None)
        }
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let change = TicketChange {
        stage: stage.expect("checked"),
        category: category.expect("checked"),
        status: status.expect("checked"),
        priority: priority.expect("checked"),
        assignee_id: assignee,
        outcome,
        loss_reason,
    };
    let version = version.expect("checked");
    // Working from an old version (another agent took the ticket a moment ago, say): that is
    // what they are told, not a refusal judged on a state of the ticket they never saw.
    if version != ticket.version {
        return Err(ServiceError::Conflict);
    }
    let supervisor = staff.role.at_least(Role::Supervisor);
    let hands_over = change.assignee_id.is_some_and(|a| a != staff.id) && change.assignee_id != ticket.assignee_id;
    let takes_from_other =
        ticket.assignee_id.is_some_and(|a| a != staff.id) && change.assignee_id != ticket.assignee_id;
    let reopens = ticket.status == TicketStatus::Closed && change.status != TicketStatus::Closed;
    if !supervisor && (hands_over || takes_from_other || reopens) {
        return Err(ServiceError::Forbidden);
    }
    let settings = super::settings::load(db).await?;
    let mut tx = db.begin().await?;
    match store::tickets::update(&mut tx, ticket_id, version, &change, now).await {
        Ok(_) => {}
        Err(StoreError::Conflict) => return Err(ServiceError::Conflict),
        Err(e) => return Err(e.into()),
    }
    pause_or_resume(&mut tx, &ticket, change.status, &settings, now).await?;
    // Into or out of pre-sale: which inquiry the buyer's orders are credited to changes.
    if ticket.stage != change.stage {
        store::reports::link_buyer(&mut tx, ticket.buyer_id).await?;
    }
    record_changes(&mut tx, &ticket, &change, staff.id, now).await?;
    if ticket.status.is_active() && !change.status.is_active() {
        super::workorders::report_done(&mut tx, &ticket, now).await?;
    }
    // Resolving a buyer's conversation invites them to rate it (once per ticket).
    let invitation = if change.status == TicketStatus::Resolved
        && ticket.status != TicketStatus::Resolved
        && ticket.parent_id.is_none()
    {
        super::ratings::invite_tx(&mut tx, ticket_id, None, now).await?
    } else {
        None
    };
    tx.commit().await?;
    hub.publish(LiveEvent::Ticket { ticket_id, buyer_id: ticket.buyer_id, stage: change.stage }).await;
    if let Some(message_id) = invitation {
        let author = AuthorKind::System;
        let ev = LiveEvent::Message {
            ticket_id,
            buyer_id: ticket.buyer_id,
            message_id,
            stage: change.stage,
            author,
            internal: false,
        };
        hub.publish(ev).await;
    }
    if change.stage != ticket.stage {
        hub.publish(LiveEvent::Ticket { ticket_id, buyer_id: ticket.buyer_id, stage: ticket.stage }).await;
    }
    Ok(())
}

/// The SLA clock stops while a ticket waits on the buyer or an internal party, and the time
/// that was left counts again from when it resumes.
async fn pause_or_resume(
    tx: &mut store::Tx, t: &Ticket, new_status: TicketStatus, s: &Settings, now: DateTime<Utc>,
) -> ServiceResult<()> {
    let waits = matches!(new_status, TicketStatus::WaitingBuyer | TicketStatus::WaitingInternal);
    match (t.sla_paused_at, waits) {
        (None, true) => {
            store::routing::set_pause_tx(tx, t.id, Some(now), t.first_response_due, t.resolution_due).await?
        }
        (Some(paused), false) => {
            let resume = |due: Option<DateTime<Utc>>| {
                due.map(|d| crate::domain::sla::resume(d, paused, now, s.sla_hours(), s.shop.time_zone))
            };
            store::routing::set_pause_tx(tx, t.id, None, resume(t.first_response_due), resume(t.resolution_due)).await?
        }
        _ => {}
    }
    Ok(())
}

/// "Assign to me": the one-click version of [`change`].
pub async fn take(
    db: &Db, hub: &Hub, staff: &Staff, ticket_id: Uuid, version: &str, now: DateTime<Utc>,
) -> ServiceResult<()> {
    let t = store::tickets::by_id(db, ticket_id).await?.ok_or(ServiceError::NotFound)?;
    let draft = ChangeDraft {
        version: version.to_string(),
        stage: t.stage.as_str().into(),
        category: t.category.as_str().into(),
        status: if t.status == TicketStatus::New { "open".into() } else { t.status.as_str().into() },
        priority: t.priority.as_str().into(),
        assignee: "me".into(),
        outcome: t.outcome.map(|o| o.as_str().to_string()).unwrap_or_default(),
        loss_reason: t.loss_reason.map(|r| r.as_str().to_string()).unwrap_or_default(),
    };
    change(db, hub, staff, ticket_id, &draft, now).await
}
