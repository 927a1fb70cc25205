//! The task lane: automatic tasks (催付, 物流停滞, 签收回访, 差评挽回 …) an agent works through
//! in batches — send each the suggested reply, or close them — with every ticket judged on
//! its own: one that is not the agent's task is refused and named, the rest are done.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::tickets::{self, ChangeDraft, Outgoing};
use super::{ServiceError, ServiceResult, ticket_view};
use crate::domain::{ErrorCode, Settings, TicketStatus, suggest};
use crate::live::Hub;
use crate::store::{self, Db, staff::Staff};

/// What to do with the selected tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Batch {
    /// Send each the reply the picker suggests first for it (filled for that ticket).
    SendSuggested,
    /// Resolve each.
    Close,
}

/// What a batch did: how many were done, and each refused ticket's number with the reason.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct BatchReport {
    pub done: usize,
    pub refused: Vec<(i64, ErrorCode)>,
}

/// Applies `batch` to each of `ids` as `staff`. Each ticket commits on its own: a refusal
/// (not a task of this agent, nothing suitable to send, a reply the shop refuses) leaves that
/// ticket as it was and the others done.
pub async fn batch(
    db: &Db, hub: &Hub, staff: &Staff, settings: &Settings, ids: &[Uuid], batch: Batch, now: DateTime<Utc>,
) -> ServiceResult<BatchReport> {
    if ids.is_empty() {
        return Err(ServiceError::field("tickets", ErrorCode::NoneSelected));
    }
    let mut report = BatchReport::default();
    for id in ids {
        let Some(ticket) = store::tickets::by_id(db, *id).await? else { continue };
        if !ticket.is_task || ticket.assignee_id != Some(staff.id) || !ticket.status.is_active() {
            report.refused.push((ticket.number, ErrorCode::NotYourTask));
            continue;
        }
        let outcome = match batch {
            Batch::SendSuggested => send_suggested(db, hub, staff, settings, &ticket, now).await,
            Batch::Close => close(db, hub, staff, &ticket, now).await,
        };
        match outcome {
            Ok(()) => report.done += 1,
            Err(ServiceError::Invalid(errors)) => {
                report.refused.push((ticket.number, errors.first().map_or(ErrorCode::Invalid, |e| e.code)))
            }
            Err(ServiceError::Unfilled(_)) => report.refused.push((ticket.number, ErrorCode::Unfilled)),
            Err(ServiceError::Banned { .. }) => report.refused.push((ticket.number, ErrorCode::BannedWords)),
            Err(ServiceError::Conflict) => report.refused.push((ticket.number, ErrorCode::BulkStale)),
            Err(e) => return Err(e),
        }
    }
    Ok(report)
}

/// Sends the reply the picker offers first on this ticket, when it is filled completely.
async fn send_suggested(
    db: &Db, hub: &Hub, staff: &Staff, settings: &Settings, ticket: &store::tickets::Ticket, now: DateTime<Utc>,
) -> ServiceResult<()> {
    let replies = ticket_view::picker_replies(db, staff, ticket.id, settings, "").await?;
    let fits = |r: &ticket_view::PickerReply| {
        let group = r.group.parse().ok();
        (r.stage == ticket.stage.as_str() || r.stage == "any")
            && group.is_some_and(|g| suggest::groups_for(ticket.category).contains(&g))
    };
    let Some(first) = replies.into_iter().find(fits) else {
        return Err(ServiceError::field("tickets", ErrorCode::NoSuggestion));
    };
    if !first.missing.is_empty() {
        return Err(ServiceError::Unfilled(first.missing));
    }
    let out = Outgoing { body: &first.text, photos: &[], internal: false, confirmed: false, canned_id: Some(first.id) };
    tickets::reply(db, hub, staff, ticket.id, &out, now).await.map(|_| ())
}

/// Resolves the task through the ticket form's own path (rights, events, live updates).
async fn close(db: &Db, hub: &Hub, staff: &Staff, t: &store::tickets::Ticket, now: DateTime<Utc>) -> ServiceResult<()> {
    let draft = ChangeDraft {
        version: t.version.to_string(),
        stage: t.stage.as_str().into(),
        category: t.category.as_str().into(),
        status: TicketStatus::Resolved.as_str().into(),
        priority: t.priority.as_str().into(),
        assignee: staff.id.to_string(),
        outcome: t.outcome.map(|o| o.as_str().to_string()).unwrap_or_default(),
        loss_reason: t.loss_reason.map(|r| r.as_str().to_string()).unwrap_or_default(),
    };
    tickets::change(db, hub, staff, t.id, &draft, now).await
}
