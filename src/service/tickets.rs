//! The agent workspace's use cases: buyer messages in, staff replies out, ticket changes.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{FieldError, ServiceError, ServiceResult};
use crate::domain::template::{self, Values};
use crate::domain::{AuthorKind, Category, Channel, Priority, Role, Stage, TicketStatus, stage};
use crate::live::{Hub, LiveEvent};
use crate::store::{
    self, Db, StoreError,
    staff::Staff,
    tickets::{Ticket, TicketChange},
};

/// Longest message a buyer or staff member may send, in characters.
pub const MAX_MESSAGE_CHARS: usize = 10_000;

/// Reasons a pre-sale inquiry was lost (询单流失原因).
pub const LOSS_REASONS: &[&str] =
    &["price", "service", "no_free_shipping", "out_of_stock", "size_unavailable", "other"];

fn check_body(body: &str) -> ServiceResult<&str> {
    let body = body.trim();
    if body.is_empty() {
        return Err(ServiceError::field("body", "body_empty"));
    }
    if body.chars().count() > MAX_MESSAGE_CHARS {
        return Err(ServiceError::field("body", "body_too_long"));
    }
    Ok(body)
}

/// A buyer's message, from the chat page or the API.
pub struct Incoming<'a> {
    pub buyer_nick: &'a str,
    /// The order the buyer named, if any.
    pub order_no: Option<&'a str>,
    pub body: &'a str,
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

/// Records a buyer's message: continues their active ticket, or opens one in the stage the
/// order implies, greeting the buyer at once with the shop's welcome message.
pub async fn receive(db: &Db, hub: &Hub, m: &Incoming<'_>, now: DateTime<Utc>) -> ServiceResult<Received> {
    let nick = m.buyer_nick.trim();
    let mut errors = Vec::new();
    if nick.is_empty() {
        errors.push(FieldError::new("buyer_nick", "required"));
    } else if nick.chars().count() > 64 {
        errors.push(FieldError::new("buyer_nick", "too_long"));
    }
    let body = match check_body(m.body) {
        Ok(b) => Some(b),
        Err(ServiceError::Invalid(e)) => {
            errors.extend(e);
            None
        }
        Err(e) => return Err(e),
    };
    let order_no = m.order_no.map(str::trim).filter(|o| !o.is_empty());
    if order_no.is_some_and(|o| o.chars().count() > 64) {
        errors.push(FieldError::new("order_no", "too_long"));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let body = body.expect("checked");
    let routing = super::routing::RoutingSettings::load(db).await?;

    let mut tx = db.begin().await?;
    let buyer_id = store::buyers::find_or_create(&mut tx, nick, now).await?;
    let order = match order_no {
        Some(no) => match store::orders::of_buyer_by_no(&mut tx, buyer_id, no).await? {
            Some(o) => Some(o),
            None => return Err(ServiceError::field("order_no", "order_unknown")),
        },
        None => None,
    };
    let mut nobody_available = false;
    let (ticket_id, number, stage, opened) = match store::tickets::open_for_buyer(&mut tx, buyer_id).await? {
        Some(t) => (t.id, t.number, t.stage, false),
        None => {
            let stage = stage::infer(order.map(|o| o.1));
            let subject: String = body.chars().take(40).collect();
            let new = store::tickets::NewTicket {
                buyer_id,
                order_id: order.map(|o| o.0),
                subject: &subject,
                stage,
                category: Category::Inquiry,
                status: TicketStatus::New,
                priority: Priority::Normal,
                channel: m.channel,
                assignee_id: None,
                created_at: now,
            };
            let (id, number) = store::tickets::insert(&mut tx, &new).await?;
            store::tickets::insert_event(&mut tx, id, None, "opened", m.channel.as_str(), now).await?;
            let member_level = store::buyers::member_level_tx(&mut tx, buyer_id).await?;
            let facts = super::routing::NewTicketFacts {
                ticket_id: id,
                buyer_id,
                stage,
                category: Category::Inquiry,
                channel: m.channel,
                priority: Priority::Normal,
                member_level: &member_level,
                first_message: body,
                team: None,
            };
            let routed = super::routing::route_tx(&mut tx, &facts, &routing, now).await?;
            nobody_available = routed.agent.is_none();
            (id, number, stage, true)
        }
    };
    let message_id =
        store::tickets::insert_message(&mut tx, ticket_id, AuthorKind::Buyer, None, body, false, now).await?;
    let mut greetings = Vec::new();
    if let Some(w) = routing.welcome.as_deref().filter(|_| opened) {
        // One millisecond later, so the greeting sorts after the buyer's first words.
        greetings.push(
            store::tickets::insert_message(
                &mut tx,
                ticket_id,
                AuthorKind::System,
                None,
                w,
                false,
                now + chrono::Duration::milliseconds(1),
            )
            .await?,
        );
    }
    if let Some(a) = routing.away.as_deref().filter(|_| nobody_available) {
        // Nobody of the team is on shift and online: say so at once, with the hours.
        let text = if routing.business_hours_text.is_empty() {
            a.to_string()
        } else {
            format!("{a}（客服在线时间 {}）", routing.business_hours_text)
        };
        greetings.push(
            store::tickets::insert_message(
                &mut tx,
                ticket_id,
                AuthorKind::System,
                None,
                &text,
                false,
                now + chrono::Duration::milliseconds(2),
            )
            .await?,
        );
    }
    tx.commit().await?;

    if opened {
        hub.publish(LiveEvent::Ticket { ticket_id, buyer_id, stage }).await;
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

/// What a canned reply's variables are filled with on this ticket.
pub async fn reply_values(db: &Db, ticket: &Ticket) -> ServiceResult<Values> {
    let buyer = store::buyers::by_id(db, ticket.buyer_id).await?;
    let shop = store::settings::get(db, "shop_name").await?;
    let mut v = Values { buyer: buyer.map(|b| b.nick), shop, ..Default::default() };
    if let Some(order_id) = ticket.order_id {
        if let Some(order) = store::orders::by_id(db, order_id).await? {
            v.order_no = Some(order.order_no);
        }
        let (product, shipment) = store::orders::reply_facts(db, order_id).await?;
        v.product = product;
        if let Some((courier, tracking)) = shipment {
            v.courier = Some(courier);
            v.tracking_no = Some(tracking);
        }
    }
    Ok(v)
}

/// A reply or internal note by a staff member.
pub struct Outgoing<'a> {
    pub body: &'a str,
    pub internal: bool,
    /// The canned reply it was built from, to count its use.
    pub canned_id: Option<Uuid>,
}

/// Sends a staff reply (or adds a note). A reply with a variable still in it is refused, so
/// a buyer never receives a raw `{订单号}`.
pub async fn reply(
    db: &Db,
    hub: &Hub,
    staff: &Staff,
    ticket_id: Uuid,
    out: &Outgoing<'_>,
    now: DateTime<Utc>,
) -> ServiceResult<Uuid> {
    let body = check_body(out.body)?;
    let missing = template::unfilled(body);
    if !missing.is_empty() && !out.internal {
        return Err(ServiceError::Unfilled(missing));
    }
    let mut tx = db.begin().await?;
    let ticket = store::tickets::by_id_tx(&mut tx, ticket_id).await?.ok_or(ServiceError::NotFound)?;
    let id =
        store::tickets::insert_message(&mut tx, ticket_id, AuthorKind::Staff, Some(staff.id), body, out.internal, now)
            .await?;
    if !out.internal {
        // Answering a new ticket takes it on: it becomes open, and the replier's if unowned.
        if ticket.status == TicketStatus::New || ticket.assignee_id.is_none() {
            let change = TicketChange {
                status: if ticket.status == TicketStatus::New { TicketStatus::Open } else { ticket.status },
                assignee_id: ticket.assignee_id.or(Some(staff.id)),
                ..change_of(&ticket)
            };
            store::tickets::update(&mut tx, ticket_id, ticket.version, &change, now).await?;
            record_changes(&mut tx, &ticket, &change, staff.id, now).await?;
        }
        if let Some(canned) = out.canned_id {
            store::replies::record_use(&mut tx, canned, now).await?;
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
        outcome: t.outcome.clone(),
        loss_reason: t.loss_reason.clone(),
    }
}

/// One timeline event per field that changed.
async fn record_changes(
    tx: &mut store::Tx,
    before: &Ticket,
    after: &TicketChange,
    by: Uuid,
    at: DateTime<Utc>,
) -> ServiceResult<()> {
    let mut events: Vec<(&str, String)> = Vec::new();
    if before.stage != after.stage {
        events.push(("stage", after.stage.as_str().into()));
    }
    if before.category != after.category {
        events.push(("category", after.category.as_str().into()));
    }
    if before.status != after.status {
        events.push(("status", after.status.as_str().into()));
    }
    if before.priority != after.priority {
        events.push(("priority", after.priority.as_str().into()));
    }
    if before.assignee_id != after.assignee_id {
        events.push(("assigned", after.assignee_id.map(|a| a.to_string()).unwrap_or_default()));
    }
    if before.outcome != after.outcome || before.loss_reason != after.loss_reason {
        let detail = match (&after.outcome, &after.loss_reason) {
            (Some(o), Some(r)) => format!("{o}:{r}"),
            (Some(o), None) => o.clone(),
            _ => String::new(),
        };
        events.push(("outcome", detail));
    }
    for (kind, detail) in events {
        store::tickets::insert_event(tx, before.id, Some(by), kind, &detail, at).await?;
    }
    Ok(())
}

/// What the ticket form asks to change, still as typed.
#[derive(Debug, Default, Clone)]
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
    db: &Db,
    hub: &Hub,
    staff: &Staff,
    ticket_id: Uuid,
    d: &ChangeDraft,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let ticket = store::tickets::by_id(db, ticket_id).await?.ok_or(ServiceError::NotFound)?;
    let mut errors = Vec::new();
    let mut parse = |field: &'static str, text: &str| -> Option<String> {
        if text.trim().is_empty() { None } else { Some(text.trim().to_string()) }.or_else(|| {
            errors.push(FieldError::new(field, "required"));
            None
        })
    };
    let (stage, category, status, priority) = (
        parse("stage", &d.stage),
        parse("category", &d.category),
        parse("status", &d.status),
        parse("priority", &d.priority),
    );
    let mut invalid = |field: &'static str| errors.push(FieldError::new(field, "invalid"));
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
    let (outcome, loss_reason) = match d.outcome.trim() {
        "" => (None, None),
        "converted" => (Some("converted".to_string()), None),
        "lost" => match d.loss_reason.trim() {
            r if LOSS_REASONS.contains(&r) => (Some("lost".to_string()), Some(r.to_string())),
            "" => {
                errors.push(FieldError::new("loss_reason", "loss_reason"));
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
    let supervisor = staff.role.at_least(Role::Supervisor);
    let hands_over = change.assignee_id.is_some_and(|a| a != staff.id) && change.assignee_id != ticket.assignee_id;
    let takes_from_other =
        ticket.assignee_id.is_some_and(|a| a != staff.id) && change.assignee_id != ticket.assignee_id;
    let reopens = ticket.status == TicketStatus::Closed && change.status != TicketStatus::Closed;
    if !supervisor && (hands_over || takes_from_other || reopens) {
        return Err(ServiceError::Forbidden);
    }
    let sla = super::routing::RoutingSettings::load(db).await?;
    let mut tx = db.begin().await?;
    match store::tickets::update(&mut tx, ticket_id, version.expect("checked"), &change, now).await {
        Ok(_) => {}
        Err(StoreError::Conflict) => return Err(ServiceError::Conflict),
        Err(e) => return Err(e.into()),
    }
    pause_or_resume(&mut tx, &ticket, change.status, &sla, now).await?;
    record_changes(&mut tx, &ticket, &change, staff.id, now).await?;
    if ticket.status.is_active() && !change.status.is_active() {
        super::workorders::report_done(&mut tx, &ticket, now).await?;
    }
    tx.commit().await?;
    hub.publish(LiveEvent::Ticket { ticket_id, buyer_id: ticket.buyer_id, stage: change.stage }).await;
    if change.stage != ticket.stage {
        hub.publish(LiveEvent::Ticket { ticket_id, buyer_id: ticket.buyer_id, stage: ticket.stage }).await;
    }
    Ok(())
}

/// The SLA clock stops while a ticket waits on the buyer or an internal party, and the time
/// that was left counts again from when it resumes.
async fn pause_or_resume(
    tx: &mut store::Tx,
    t: &Ticket,
    new_status: TicketStatus,
    s: &super::routing::RoutingSettings,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let waits = matches!(new_status, TicketStatus::WaitingBuyer | TicketStatus::WaitingInternal);
    match (t.sla_paused_at, waits) {
        (None, true) => {
            store::routing::set_pause_tx(tx, t.id, Some(now), t.first_response_due, t.resolution_due).await?
        }
        (Some(paused), false) => {
            let resume =
                |due: Option<DateTime<Utc>>| due.map(|d| crate::domain::sla::resume(d, paused, now, s.hours, s.tz));
            store::routing::set_pause_tx(tx, t.id, None, resume(t.first_response_due), resume(t.resolution_due)).await?
        }
        _ => {}
    }
    Ok(())
}

/// "Assign to me": the one-click version of [`change`].
pub async fn take(
    db: &Db,
    hub: &Hub,
    staff: &Staff,
    ticket_id: Uuid,
    version: &str,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let t = store::tickets::by_id(db, ticket_id).await?.ok_or(ServiceError::NotFound)?;
    let draft = ChangeDraft {
        version: version.to_string(),
        stage: t.stage.as_str().into(),
        category: t.category.as_str().into(),
        status: if t.status == TicketStatus::New { "open".into() } else { t.status.as_str().into() },
        priority: t.priority.as_str().into(),
        assignee: "me".into(),
        outcome: t.outcome.clone().unwrap_or_default(),
        loss_reason: t.loss_reason.clone().unwrap_or_default(),
    };
    change(db, hub, staff, ticket_id, &draft, now).await
}
