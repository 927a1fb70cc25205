//! Returns, exchanges and refunds on after-sale tickets: each step checked against the
//! workflow, recorded on the ticket and in its timeline, with fault and fee responsibility
//! worked out from the reason by the platform rules.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{FieldError, ServiceError, ServiceResult};
use crate::domain::returns::{self, ReturnState, Step};
use crate::domain::rules::{self, Party, ReturnReason};
use crate::domain::{AuthorKind, Stage};
use crate::live::{Hub, LiveEvent};
use crate::store::{self, Db, StoreError, staff::Staff, tickets::ReturnUpdate};

/// A step as the form sends it.
#[derive(Debug, Default, Clone)]
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

fn party(p: Party) -> &'static str {
    if p == Party::Seller { "seller" } else { "buyer" }
}

/// Takes one step of the workflow.
pub async fn advance(
    db: &Db,
    hub: &Hub,
    staff: &Staff,
    ticket_id: Uuid,
    d: &StepDraft,
    now: DateTime<Utc>,
) -> ServiceResult<ReturnState> {
    let ticket = store::tickets::by_id(db, ticket_id).await?.ok_or(ServiceError::NotFound)?;
    let order_id = match (ticket.stage, ticket.order_id) {
        (Stage::Aftersale, Some(o)) => o,
        _ => return Err(ServiceError::field("step", "return_needs_order")),
    };
    let order = store::orders::by_id(db, order_id).await?.ok_or(ServiceError::NotFound)?;
    let version: i64 = d.version.trim().parse().map_err(|_| ServiceError::field("version", "invalid"))?;
    let step = Step::parse(d.step.trim()).ok_or_else(|| ServiceError::field("step", "invalid"))?;
    let current = ticket.return_state.as_deref().and_then(ReturnState::parse);
    let next = returns::next(current, step).ok_or_else(|| ServiceError::field("step", "step_not_now"))?;
    let mut update = ReturnUpdate {
        state: Some(next.as_str().to_string()),
        reason: ticket.return_reason.clone(),
        fault: ticket.return_fault.clone(),
        fee_responsibility: ticket.fee_responsibility.clone(),
        tracking: ticket.return_tracking.clone(),
        arbitration: ticket.arbitration,
    };
    let mut errors = Vec::new();
    let mut detail = next.as_str().to_string();
    match step {
        Step::Request => match ReturnReason::parse(d.reason.trim()) {
            Some(reason) => {
                let fees = rules::return_shipping(reason, order.free_shipping);
                update.reason = Some(reason.as_str().into());
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
                update.fee_responsibility = Some(format!("{}/{}", party(fees.outbound), party(fees.return_)));
                detail = format!("requested:{}", reason.as_str());
            }
            None => errors.push(FieldError::new("reason", "required")),
        },
        Step::Track => {
            let t = d.tracking.trim();
            if t.is_empty() || t.chars().count() > 64 {
                errors.push(FieldError::new("tracking", "required"));
            }
            update.tracking = Some(t.to_string());
            detail = format!("in_transit:{t}");
        }
        Step::Reject if d.note.trim().is_empty() => errors.push(FieldError::new("note", "required")),
        _ => {}
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let policy_url = store::settings::get(db, "policy_url").await?.unwrap_or_default();
    let mut tx = db.begin().await?;
    match store::tickets::set_return(&mut tx, ticket_id, version, &update, now).await {
        Ok(_) => {}
        Err(StoreError::Conflict) => return Err(ServiceError::Conflict),
        Err(e) => return Err(e.into()),
    }
    store::tickets::insert_event(&mut tx, ticket_id, Some(staff.id), "return", &detail, now).await?;
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
    db: &Db,
    hub: &Hub,
    staff: &Staff,
    ticket_id: Uuid,
    version: &str,
    on: bool,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let ticket = store::tickets::by_id(db, ticket_id).await?.ok_or(ServiceError::NotFound)?;
    let version: i64 = version.trim().parse().map_err(|_| ServiceError::field("version", "invalid"))?;
    let update = ReturnUpdate {
        state: ticket.return_state.clone(),
        reason: ticket.return_reason.clone(),
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
    store::tickets::insert_event(&mut tx, ticket_id, Some(staff.id), "arbitration", if on { "on" } else { "off" }, now)
        .await?;
    tx.commit().await?;
    hub.publish(LiveEvent::Ticket { ticket_id, buyer_id: ticket.buyer_id, stage: ticket.stage }).await;
    Ok(())
}
