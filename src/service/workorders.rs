//! Work orders (工单 for handling staff): a task one team hands another from a ticket —
//! reship a missing item, verify a returned parcel, chase the courier, process a refund —
//! routed like a ticket, due by a set time, and reported back to the parent when done.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::routing::{NewTicketFacts, RoutingSettings, route_tx};
use super::{FieldError, ServiceError, ServiceResult};
use crate::domain::{AuthorKind, Category, Channel, Priority, Skill, TicketStatus};
use crate::live::{Hub, LiveEvent};
use crate::store::{self, Db, staff::Staff, tickets::NewTicket};

/// The tasks, their ticket category and the team they usually go to.
pub const KINDS: &[(&str, Category, Skill)] = &[
    ("reship", Category::MissingItem, Skill::Aftersale),
    ("verify_return", Category::Return, Skill::Refund),
    ("chase_courier", Category::StuckParcel, Skill::Logistics),
    ("refund", Category::Refund, Skill::Refund),
];

#[derive(Debug, Default, Clone)]
pub struct WorkOrderDraft {
    pub kind: String,
    pub team: String,
    pub due_hours: String,
    pub note: String,
}

pub async fn create(
    db: &Db,
    hub: &Hub,
    staff: &Staff,
    parent_id: Uuid,
    d: &WorkOrderDraft,
    now: DateTime<Utc>,
) -> ServiceResult<Uuid> {
    let parent = store::tickets::by_id(db, parent_id).await?.ok_or(ServiceError::NotFound)?;
    let mut errors = Vec::new();
    let kind = KINDS.iter().find(|(k, _, _)| *k == d.kind.trim());
    if kind.is_none() {
        errors.push(FieldError::new("kind", "invalid"));
    }
    let team = match d.team.trim() {
        "" => kind.map(|k| k.2),
        t => t.parse::<Skill>().map_err(|_| errors.push(FieldError::new("team", "invalid"))).ok(),
    };
    let hours = match d.due_hours.trim().parse::<i64>() {
        Ok(h) if (1..=168).contains(&h) => h,
        _ => {
            errors.push(FieldError::new("due_hours", "due_hours"));
            0
        }
    };
    if d.note.chars().count() > 500 {
        errors.push(FieldError::new("note", "too_long"));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let (kind, category, _) = *kind.expect("checked");
    let team = team.expect("checked");
    let settings = RoutingSettings::load(db).await?;
    let label = crate::i18n::messages(crate::domain::Lang::Zh).work_kind(kind);
    let subject = format!("{label}（来自 #{}）", parent.number);
    let mut tx = db.begin().await?;
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
    let (id, number) = store::tickets::insert_child(&mut tx, parent_id, &new).await?;
    let note = if d.note.trim().is_empty() { format!("{label}。") } else { format!("{label}：{}", d.note.trim()) };
    store::tickets::insert_message(&mut tx, id, AuthorKind::Staff, Some(staff.id), &note, true, now).await?;
    let facts = NewTicketFacts {
        ticket_id: id,
        buyer_id: parent.buyer_id,
        stage: parent.stage,
        category,
        channel: Channel::Internal,
        priority: Priority::Normal,
        member_level: "",
        first_message: &note,
        team: Some(team),
    };
    let routed = route_tx(&mut tx, &facts, &settings, now).await?;
    let due = now + Duration::hours(hours);
    store::routing::set_due_tx(&mut tx, id, due, due).await?;
    store::tickets::insert_event(&mut tx, parent_id, Some(staff.id), "work_order", &format!("{number};{kind}"), now)
        .await?;
    tx.commit().await?;
    hub.publish(LiveEvent::Ticket { ticket_id: id, buyer_id: parent.buyer_id, stage: parent.stage }).await;
    hub.publish(LiveEvent::Ticket { ticket_id: parent_id, buyer_id: parent.buyer_id, stage: parent.stage }).await;
    let _ = routed;
    Ok(id)
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
        store::tickets::insert_event(tx, parent, None, "work_order_done", &child.number.to_string(), now).await?;
    }
    Ok(())
}
