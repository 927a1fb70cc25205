//! Returns, exchanges and refunds on after-sale tickets: each step checked against the
//! workflow, recorded on the ticket and in its timeline, with fault and fee responsibility
//! worked out from the reason by the platform rules.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{FieldError, ServiceError, ServiceResult};
use crate::domain::returns::{self, ReturnState, Step};
use crate::domain::rules::{self, ReturnReason};
use crate::domain::{AuthorKind, ErrorCode, Stage, TicketEvent};
use crate::live::{Hub, LiveEvent};
use crate::store::{self, Db, StoreError, staff::Staff, tickets::ReturnUpdate};

/// A step as the form sends it.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct StepDraft {
    pub version: String,
    pub step: String,
    /// For `request`: a [`ReturnReason`].
    pub reason: String,
    /// For `track`: the return parcel's tracking number.
    pub tracking: String,
    /// For `reject`: why, told to the buyer with the shop's policy link.
    pub note: String,
}

/// Takes one step of the workflow.
pub async fn advance(
    db: &Db, hub: &Hub, staff: &Staff, ticket_id: Uuid, d: &StepDraft, now: DateTime<Utc>,
) -> ServiceResult<ReturnState> {
    let ticket = store::tickets::by_id(db, ticket_id).await?.ok_or(ServiceError::NotFound)?;
    let order_id = match (ticket.stage, ticket.order_id) {
        (Stage::Aftersale, Some(o)) => o,
        _ => return Err(ServiceError::field("step", ErrorCode::ReturnNeedsOrder)),
    };
    let order = store::orders::by_id(db, order_id).await?.ok_or(ServiceError::NotFound)?;
    let version: i64 = d.version.trim().parse().map_err(|_| ServiceError::field("version", ErrorCode::Invalid))?;
    let step: Step = d.step.trim().parse().map_err(|_| ServiceError::field("step", ErrorCode::Invalid))?;
    let current = ticket.return_state;
    let next = returns::next(current, step).ok_or_else(|| ServiceError::field("step", ErrorCode::StepNotNow))?;
    let mut update = ReturnUpdate {
        state: Some(next),
        reason: ticket.return_reason,
        fault: ticket.return_fault.clone(),
        fee_responsibility: ticket.fee_responsibility.clone(),
        tracking: ticket.return_tracking.clone(),
        arbitration: ticket.arbitration,
    };
    let mut errors = Vec::new();
    let mut event = TicketEvent::Return { state: next, reason: None, tracking: None };
    match step {
        Step::Request => match d.reason.trim().parse::<ReturnReason>() {
            Ok(reason) => {
                let fees = rules::return_shipping(reason, order.free_shipping);
                update.reason = Some(reason);
                update.fault = Some(
                    if reason == ReturnReason::Unknown {
                        "unknown"
                    } else if reason.seller_at_fault() {
                        "seller"
                    } else {
                        "buyer"
                    }
                    .into(),
                );
                update.fee_responsibility = Some(format!("{}/{}", fees.outbound, fees.return_));
                event = TicketEvent::Return { state: next, reason: Some(reason), tracking: None };
            }
            Err(_) => errors.push(FieldError::new("reason", ErrorCode::Required)),
        },
        Step::Track => {
            let t = d.tracking.trim();
            if t.is_empty() || t.chars().count() > 64 {
                errors.push(FieldError::new("tracking", ErrorCode::Required));
            }
            update.tracking = Some(t.to_string());
            event = TicketEvent::Return { state: next, reason: None, tracking: Some(t.to_string()) };
        }
        Step::Reject if d.note.trim().is_empty() => errors.push(FieldError::new("note", ErrorCode::Required)),
        _ => {}
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let policy_url = super::settings::load(db).await?.shop.policy_url;
    let mut tx = db.begin().await?;
    match store::tickets::set_return(&mut tx, ticket_id, version, &update, now).await {
        Ok(_) => {}
        Err(StoreError::Conflict) => return Err(ServiceError::Conflict),
        Err(e) => return Err(e.into()),
    }
    store::tickets::insert_event(&mut tx, ticket_id, Some(staff.id), &event, now).await?;
    let mut message = None;
    if step == Step::Reject {
        // The buyer hears why, with the shop's return policy to read.
        let body = if policy_url.is_empty() {
            format!("亲，很抱歉，这次的退换申请没能通过：{}。有疑问随时找我哦。", d.note.trim())
        } else {
            format!(
                "亲，很抱歉，这次的退换申请没能通过：{}。店铺退换货说明在这里：{policy_url} 有疑问随时找我哦。",
                d.note.trim()
            )
        };
        message = Some(
            store::tickets::insert_message(&mut tx, ticket_id, AuthorKind::Staff, Some(staff.id), &body, false, now)
                .await?,
        );
    }
    tx.commit().await?;
    if let Some(message_id) = message {
        hub.publish(LiveEvent::Message {
            ticket_id,
            buyer_id: ticket.buyer_id,
            message_id,
            stage: ticket.stage,
            author: AuthorKind::Staff,
            internal: false,
        })
        .await;
    }
    hub.publish(LiveEvent::Ticket { ticket_id, buyer_id: ticket.buyer_id, stage: ticket.stage }).await;
    Ok(next)
}

/// Flags (or unflags) a ticket as escalated to the platform's arbitration.
pub async fn set_arbitration(
    db: &Db, hub: &Hub, staff: &Staff, ticket_id: Uuid, version: &str, on: bool, now: DateTime<Utc>,
) -> ServiceResult<()> {
    let ticket = store::tickets::by_id(db, ticket_id).await?.ok_or(ServiceError::NotFound)?;
    let version: i64 = version.trim().parse().map_err(|_| ServiceError::field("version", ErrorCode::Invalid))?;
    let update = ReturnUpdate {
        state: ticket.return_state,
        reason: ticket.return_reason,
        fault: ticket.return_fault.clone(),
        fee_responsibility: ticket.fee_responsibility.clone(),
        tracking: ticket.return_tracking.clone(),
        arbitration: on,
    };
    let mut tx = db.begin().await?;
    match store::tickets::set_return(&mut tx, ticket_id, version, &update, now).await {
        Ok(_) => {}
        Err(StoreError::Conflict) => return Err(ServiceError::Conflict),
        Err(e) => return Err(e.into()),
    }
    store::tickets::insert_event(&mut tx, ticket_id, Some(staff.id), &TicketEvent::Arbitration { on }, now).await?;
    tx.commit().await?;
    hub.publish(LiveEvent::Ticket { ticket_id, buyer_id: ticket.buyer_id, stage: ticket.stage }).await;
    Ok(())
}
