//! 核对订单: the buyer's answer to the confirmation sent after payment
//! ([`crate::service::automations`] sends it), and an agent marking it confirmed.
//!
//! A yes marks the order 已核对. A correction, while the order has not shipped, goes to the
//! logistics team as an address-change work order due in 2 hours, so the parcel does not
//! leave with the old address or size; the agent in the conversation is told in a note.
//! Anything else is left to the agent, and the order stays 待核对.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::workorders::{self, Parent};
use super::{ServiceError, ServiceResult};
use crate::domain::confirm::{self, Answer, ConfirmStatus};
use crate::domain::{AuthorKind, ErrorCode, OrderStatus, Settings, Skill, Stage, WorkKind};
use crate::live::{Hub, LiveEvent};
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
    /// The ticket is about an order already (then it keeps that one).
    pub has_order: bool,
}

/// Reads a buyer's message as the answer to their open confirmation (`pending`, the order's
/// id and number, from [`store::orders::pending_confirmation`]) inside the transaction that
/// stores the message. Returns the work order opened for a correction, for the caller to
/// publish after commit.
pub async fn on_buyer_message(
    tx: &mut store::Tx, settings: &Settings, c: &Conversation, pending: (Uuid, String), body: &str, now: DateTime<Utc>,
) -> ServiceResult<Option<Uuid>> {
    let (order_id, order_no) = pending;
    let answer = confirm::classify(body);
    let to = match answer {
        Answer::Unclear => return Ok(None),
        Answer::Confirmed => ConfirmStatus::Confirmed,
        Answer::Correction => ConfirmStatus::Corrected,
    };
    // Two messages at once settle it once.
    if !store::orders::set_confirm(tx, order_id, to, Some(ConfirmStatus::Pending), now).await? {
        return Ok(None);
    }
    // The conversation is now about that order: its card shows beside the chat.
    if !c.has_order {
        store::tickets::set_order(tx, c.ticket_id, order_id).await?;
    }
    if answer == Answer::Confirmed {
        let note = format!("买家已核对订单 {order_no}：宝贝、尺码和地址都没问题。");
        store::tickets::insert_message(tx, c.ticket_id, AuthorKind::System, None, &note, true, now).await?;
        return Ok(None);
    }
    let parent =
        Parent { id: c.ticket_id, number: c.number, buyer_id: c.buyer_id, order_id: Some(order_id), stage: c.stage };
    let text =
        format!("订单 {order_no}，买家核对时要修改：「{}」。发货前按新信息改好，改不了及时告诉客服。", body.trim());
    let work =
        workorders::Order { kind: WorkKind::ChangeAddress, team: Skill::Logistics, hours: CHANGE_HOURS, note: &text };
    let id = workorders::open_tx(tx, settings, &parent, &work, None, now).await?;
    let note = format!(
        "买家核对订单 {order_no} 时要修改，已转物流组改址（{CHANGE_HOURS} 小时内）。请和买家确认新的地址或尺码，写进改址工单。"
    );
    store::tickets::insert_message(tx, c.ticket_id, AuthorKind::System, None, &note, true, now).await?;
    Ok(Some(id))
}

/// An agent marks the ticket's order confirmed (the buyer said so on the phone, or in words
/// the desk did not read as a yes). Refused once the order has shipped or when the ticket has
/// no order.
pub async fn mark_confirmed(
    db: &Db, hub: &Hub, staff: &Staff, ticket_id: Uuid, now: DateTime<Utc>,
) -> ServiceResult<()> {
    let ticket = store::tickets::by_id(db, ticket_id).await?.ok_or(ServiceError::NotFound)?;
    let order_id = ticket.order_id.ok_or_else(|| ServiceError::field("confirm", ErrorCode::NeedsOrder))?;
    let order = store::orders::by_id(db, order_id).await?.ok_or(ServiceError::NotFound)?;
    match order.status {
        OrderStatus::Paid => {}
        OrderStatus::Created | OrderStatus::Closed => {
            return Err(ServiceError::field("confirm", ErrorCode::ConfirmNotPaid));
        }
        _ => return Err(ServiceError::field("confirm", ErrorCode::ConfirmShipped)),
    }
    if order.confirm_status == Some(ConfirmStatus::Confirmed) {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    store::orders::set_confirm(&mut tx, order_id, ConfirmStatus::Confirmed, None, now).await?;
    let note = format!("{} 把订单 {} 标为已核对。", staff.display_name, order.order_no);
    store::tickets::insert_message(&mut tx, ticket_id, AuthorKind::System, None, &note, true, now).await?;
    tx.commit().await?;
    hub.publish(LiveEvent::Ticket { ticket_id, buyer_id: ticket.buyer_id, stage: ticket.stage }).await;
    Ok(())
}
