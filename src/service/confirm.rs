//! 核对订单: the buyer's answer to the confirmation sent after payment
//! ([`crate::service::automations`] sends it), and an agent marking it confirmed.
//!
//! A buyer's message is read as the answer only when it can be one: written after the
//! confirmation went out, in a conversation about that order (or about none), with no agent
//! reply in between (a "好的" then answers the agent). A yes marks the order 已核对. A
//! correction — also one that follows a yes — while the order has not shipped goes to the
//! logistics team as a work order due in 2 hours (发货前改单), so the parcel does not leave
//! with the old address or size, and the agent in the conversation is told in a note.
//! Anything else is left to the agent, and the order stays as it was.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::workorders::{self, Parent};
use super::{ServiceError, ServiceResult};
use crate::domain::confirm::{self, Answer, ConfirmStatus};
use crate::domain::routing::Plan;
use crate::domain::{AuthorKind, ErrorCode, OrderStatus, Settings, Skill, Stage, WorkKind};
use crate::live::{Hub, LiveEvent};
use crate::store::orders::OpenConfirmation;
use crate::store::{self, Db, staff::Staff};

/// The hours the warehouse has to change a parcel before it leaves (as the order card's 改址).
const CHANGE_HOURS: i64 = 2;

/// The conversation a buyer's message landed in.
#[derive(Debug, Clone, Copy)]
pub struct Conversation {
    pub ticket_id: Uuid,
    pub number: i64,
    pub buyer_id: Uuid,
    pub stage: Stage,
    /// The order the ticket is about after this message, if any.
    pub order_id: Option<Uuid>,
    /// The buyer named an order with this message.
    pub named_order: Option<Uuid>,
}

/// Reads a buyer's message, written at `at`, as the answer to their open confirmation
/// ([`store::orders::open_confirmation`]) inside the transaction that stores the message.
/// Returns the work order opened for a correction, for the caller to publish after commit.
pub async fn on_buyer_message(
    tx: &mut store::Tx, settings: &Settings, plan: &Plan, c: &Conversation, open: &OpenConfirmation, body: &str,
    at: DateTime<Utc>,
) -> ServiceResult<Option<Uuid>> {
    let about_other = |o: Option<Uuid>| o.is_some_and(|o| o != open.order_id);
    if at < open.sent_at || about_other(c.order_id) || about_other(c.named_order) {
        return Ok(None);
    }
    let answer = confirm::classify(body);
    let to = match answer {
        Answer::Unclear => return Ok(None),
        // A yes after a yes changes nothing.
        Answer::Confirmed if open.status == ConfirmStatus::Confirmed => return Ok(None),
        Answer::Confirmed => ConfirmStatus::Confirmed,
        Answer::Correction => ConfirmStatus::Corrected,
    };
    if store::tickets::staff_replied_since(tx, c.ticket_id, open.sent_at).await? {
        return Ok(None);
    }
    // Two messages at once settle it once; an order shipped meanwhile is left alone.
    if !store::orders::answer_confirmation(tx, open.order_id, to, at).await? {
        return Ok(None);
    }
    let no = &open.order_no;
    if answer == Answer::Confirmed {
        let note = format!("买家已核对订单 {no}：宝贝、尺码和地址都没问题。");
        store::tickets::insert_message(tx, c.ticket_id, AuthorKind::System, None, &note, true, at).await?;
        return Ok(None);
    }
    let parent = Parent {
        id: c.ticket_id,
        number: c.number,
        buyer_id: c.buyer_id,
        order_id: Some(open.order_id),
        stage: c.stage,
    };
    let text = format!("订单 {no}，买家核对时要修改：「{}」。发货前按新信息改好，改不了及时告诉客服。", body.trim());
    let work =
        workorders::Order { kind: WorkKind::AmendOrder, team: Skill::Logistics, hours: CHANGE_HOURS, note: &text };
    let id = workorders::open_tx(tx, settings, plan, &parent, &work, None, at).await?;
    let note = format!(
        "买家核对订单 {no} 时要修改，已转物流组发货前改单（{CHANGE_HOURS} 小时内）。请和买家确认新的地址或尺码，补充到改单工单里。"
    );
    store::tickets::insert_message(tx, c.ticket_id, AuthorKind::System, None, &note, true, at).await?;
    Ok(Some(id))
}

/// An agent marks the ticket's order confirmed (the buyer said so on the phone, or in words
/// the desk did not read as a yes). Refused, with the reason, unless the order is paid and not
/// shipped, or when the ticket has no order.
pub async fn mark_confirmed(
    db: &Db, hub: &Hub, staff: &Staff, ticket_id: Uuid, now: DateTime<Utc>,
) -> ServiceResult<()> {
    let ticket = store::tickets::by_id(db, ticket_id).await?.ok_or(ServiceError::NotFound)?;
    let order_id = ticket.order_id.ok_or_else(|| ServiceError::field("confirm", ErrorCode::NeedsOrder))?;
    let order = store::orders::by_id(db, order_id).await?.ok_or(ServiceError::NotFound)?;
    let refused = |code| Err(ServiceError::field("confirm", code));
    match order.status {
        OrderStatus::Paid => {}
        OrderStatus::Created | OrderStatus::Closed => return refused(ErrorCode::ConfirmNotPaid),
        OrderStatus::Shipped => return refused(ErrorCode::ConfirmShipped),
        OrderStatus::Signed | OrderStatus::Completed => return refused(ErrorCode::ConfirmTooLate),
    }
    if order.confirm_status == Some(ConfirmStatus::Confirmed) {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    // The status is checked again in the write: an order that shipped a moment ago stays as it is.
    if !store::orders::mark_confirmed(&mut tx, order_id, now).await? {
        return refused(ErrorCode::ConfirmShipped);
    }
    let note = format!("{} 把订单 {} 标为已核对。", staff.display_name, order.order_no);
    store::tickets::insert_message(&mut tx, ticket_id, AuthorKind::System, None, &note, true, now).await?;
    tx.commit().await?;
    hub.publish(LiveEvent::Ticket { ticket_id, buyer_id: ticket.buyer_id, stage: ticket.stage }).await;
    Ok(())
}
