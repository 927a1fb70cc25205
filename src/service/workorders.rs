//! Work orders (工单 for handling staff): a task one team hands another from a ticket —
//! reship a missing item, verify a returned parcel, chase the courier, process a refund —
//! routed like a ticket, due by a set time, and reported back to the parent when done.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::routing::{NewTicketFacts, route_tx};
use super::{FieldError, ServiceError, ServiceResult};
use crate::domain::order::{AddressAction, address_action_allowed};
use crate::domain::routing::Plan;
use crate::domain::{AuthorKind, Category, Channel, ErrorCode, Priority, Skill, TicketEvent, TicketStatus, WorkKind};
use crate::live::{Hub, LiveEvent};
use crate::store::{self, Db, staff::Staff, tickets::NewTicket};

/// What each kind of work order is filed as, and which team does it unless chosen.
pub fn defaults(kind: WorkKind) -> (Category, Skill) {
    match kind {
        WorkKind::Reship => (Category::MissingItem, Skill::Aftersale),
        WorkKind::VerifyReturn => (Category::Return, Skill::Refund),
        WorkKind::ChaseCourier => (Category::StuckParcel, Skill::Logistics),
        WorkKind::Refund => (Category::Refund, Skill::Refund),
        WorkKind::ChangeAddress => (Category::AddressChange, Skill::Logistics),
        WorkKind::Intercept => (Category::AddressChange, Skill::Logistics),
        WorkKind::AmendOrder => (Category::AddressChange, Skill::Logistics),
    }
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct WorkOrderDraft {
    pub kind: String,
    pub team: String,
    pub due_hours: String,
    pub note: String,
}

pub async fn create(
    db: &Db, hub: &Hub, staff: &Staff, parent_id: Uuid, d: &WorkOrderDraft, now: DateTime<Utc>,
) -> ServiceResult<Uuid> {
    let parent = store::tickets::by_id(db, parent_id).await?.ok_or(ServiceError::NotFound)?;
    let mut errors = Vec::new();
    let kind =
        d.kind.trim().parse::<WorkKind>().map_err(|_| errors.push(FieldError::new("kind", ErrorCode::Invalid))).ok();
    let team = match d.team.trim() {
        "" => kind.map(|k| defaults(k).1),
        t => t.parse::<Skill>().map_err(|_| errors.push(FieldError::new("team", ErrorCode::Invalid))).ok(),
    };
    let hours = match d.due_hours.trim().parse::<i64>() {
        Ok(h) if (1..=168).contains(&h) => h,
        _ => {
            errors.push(FieldError::new("due_hours", ErrorCode::DueHours));
            0
        }
    };
    if d.note.chars().count() > 500 {
        errors.push(FieldError::new("note", ErrorCode::TooLong));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let kind = kind.expect("checked");
    let team = team.expect("checked");
    let plan = async { Ok(store::routing::plan(db).await?) };
    let (settings, plan) = tokio::try_join!(super::settings::load(db), plan)?;
    let parent_of = Parent {
        id: parent.id,
        number: parent.number,
        buyer_id: parent.buyer_id,
        order_id: parent.order_id,
        stage: parent.stage,
    };
    let mut tx = db.begin().await?;
    let order = Order { kind, team, hours, note: d.note.trim() };
    let id = open_tx(&mut tx, &settings, &plan, &parent_of, &order, Some(staff.id), now).await?;
    tx.commit().await?;
    hub.publish(LiveEvent::Ticket { ticket_id: id, buyer_id: parent.buyer_id, stage: parent.stage }).await;
    hub.publish(LiveEvent::Ticket { ticket_id: parent_id, buyer_id: parent.buyer_id, stage: parent.stage }).await;
    Ok(id)
}

/// The ticket a work order comes from, as much of it as the work order copies.
#[derive(Debug, Clone, Copy)]
pub struct Parent {
    pub id: Uuid,
    pub number: i64,
    pub buyer_id: Uuid,
    pub order_id: Option<Uuid>,
    pub stage: crate::domain::Stage,
}

/// A checked work order: what, for which team, due in how many hours, with what note.
#[derive(Debug, Clone, Copy)]
pub struct Order<'a> {
    pub kind: WorkKind,
    pub team: Skill,
    pub hours: i64,
    pub note: &'a str,
}

/// Opens a work order under `parent` inside the caller's transaction: routed to its team,
/// due in its hours, with its note (by `author`, or the system when None) and an event on the
/// parent. The caller publishes both tickets after commit.
pub async fn open_tx(
    tx: &mut store::Tx, settings: &crate::domain::Settings, plan: &Plan, parent: &Parent, w: &Order<'_>,
    author: Option<Uuid>, now: DateTime<Utc>,
) -> ServiceResult<Uuid> {
    let (category, _) = defaults(w.kind);
    // Work orders are written for the shop's staff, in Chinese like the rest of the records.
    let label = crate::i18n::messages(crate::domain::Lang::Zh).work_kind(w.kind);
    let subject = format!("{label}（来自 #{}）", parent.number);
    let new = NewTicket {
        buyer_id: parent.buyer_id,
        order_id: parent.order_id,
        subject: &subject,
        stage: parent.stage,
        category,
        status: TicketStatus::New,
        priority: Priority::Normal,
        channel: Channel::Internal,
        assignee_id: None,
        created_at: now,
    };
    let (id, number) = store::tickets::insert_child(tx, parent.id, &new).await?;
    let note = if w.note.is_empty() { format!("{label}。") } else { format!("{label}：{}", w.note) };
    let kind = if author.is_some() { AuthorKind::Staff } else { AuthorKind::System };
    store::tickets::insert_message(tx, id, kind, author, &note, true, now).await?;
    let facts = NewTicketFacts {
        ticket_id: id,
        buyer_id: parent.buyer_id,
        stage: parent.stage,
        category,
        channel: Channel::Internal,
        priority: Priority::Normal,
        member_level: "",
        first_message: &note,
        team: Some(w.team),
        due: Some(now + Duration::hours(w.hours)),
        new_buyer: false,
    };
    route_tx(tx, &facts, settings, plan, now).await?;
    let event = TicketEvent::WorkOrder { number, work: w.kind };
    store::tickets::insert_event(tx, parent.id, author, &event, now).await?;
    Ok(id)
}

/// An address change asked from the order card: change it before shipping (改址) or stop
/// the parcel once shipped (拦截), with the new address.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct AddressDraft {
    pub action: String,
    pub address: String,
    pub note: String,
}

/// Hands an address change to the logistics team as a work order, due within the hours a
/// warehouse needs before the parcel leaves (2 h) or the courier needs to stop it (4 h).
/// Refused with the reason when the order's state no longer allows it; nothing is written.
pub async fn address_change(
    db: &Db, hub: &Hub, staff: &Staff, ticket_id: Uuid, d: &AddressDraft, now: DateTime<Utc>,
) -> ServiceResult<Uuid> {
    let ticket = store::tickets::by_id(db, ticket_id).await?.ok_or(ServiceError::NotFound)?;
    let mut errors = Vec::new();
    let action = d
        .action
        .trim()
        .parse::<AddressAction>()
        .map_err(|_| errors.push(FieldError::new("action", ErrorCode::Invalid)))
        .ok();
    let address = d.address.trim();
    if action == Some(AddressAction::Change) && address.is_empty() {
        errors.push(FieldError::new("address", ErrorCode::Required));
    }
    if address.chars().count() > 200 {
        errors.push(FieldError::new("address", ErrorCode::TooLong));
    }
    if d.note.trim().chars().count() > 200 {
        errors.push(FieldError::new("note", ErrorCode::TooLong));
    }
    let order = match ticket.order_id {
        Some(o) => store::orders::by_id(db, o).await?,
        None => None,
    };
    match (&order, action) {
        (None, _) => errors.push(FieldError::new("action", ErrorCode::NeedsOrder)),
        (Some(o), Some(a)) => {
            if let Err(why) = address_action_allowed(o.status, a) {
                errors.push(FieldError::new("action", why.code()));
            }
        }
        (Some(_), None) => {}
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let (order, action) = (order.expect("checked"), action.expect("checked"));
    let (kind, hours) = match action {
        AddressAction::Change => (WorkKind::ChangeAddress, 2),
        AddressAction::Intercept => (WorkKind::Intercept, 4),
    };
    let mut note = format!("订单 {}", order.order_no);
    if !address.is_empty() {
        note.push_str(&format!("，新地址：{address}"));
    }
    if !d.note.trim().is_empty() {
        note.push_str(&format!("，{}", d.note.trim()));
    }
    let draft = WorkOrderDraft { kind: kind.as_str().into(), team: String::new(), due_hours: hours.to_string(), note };
    create(db, hub, staff, ticket_id, &draft, now).await
}

/// When a work order is done, its parent hears about it (an internal note and an event).
pub async fn report_done(tx: &mut store::Tx, child: &store::tickets::Ticket, now: DateTime<Utc>) -> ServiceResult<()> {
    if let Some(parent) = child.parent_id {
        let text = format!(
            "{}#{} {}",
            crate::i18n::messages(crate::domain::Lang::Zh).wo_done_note,
            child.number,
            child.subject
        );
        store::tickets::insert_message(tx, parent, AuthorKind::System, None, &text, true, now).await?;
        let event = TicketEvent::WorkOrderDone { number: child.number };
        store::tickets::insert_event(tx, parent, None, &event, now).await?;
    }
    Ok(())
}
