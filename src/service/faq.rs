//! Answers when nobody is there: a buyer who writes while no one of the team is on shift is
//! offered up to three of the shop's knowledge articles that match the question (the same
//! Chinese tokens as the search; [`crate::domain::faq`]). The ticket keeps what was offered
//! and the buyer's answer: 解决了 resolves it, 转人工 leaves it in the queue as usual.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::chat::ChatSession;
use super::{FieldError, ServiceError, ServiceResult};
use crate::domain::faq::{self, FaqOutcome};
use crate::domain::{AuthorKind, ErrorCode, TicketEvent, TicketStatus};
use crate::live::{Hub, LiveEvent};
use crate::store::{self, Db};

pub use crate::store::kb::Article;

/// What the buyer reads above the articles when nobody is on shift…
pub const OFFER: &str = "亲，客服暂时不在线，先看看下面这几条能不能帮到您～";
/// …and when everyone on shift is busy and the queue is long.
pub const OFFER_BUSY: &str = "亲，现在咨询的人比较多，排队的时候先看看下面这几条能不能帮到您～";
/// After 转人工.
pub const TO_HUMAN: &str = "好的，已经帮您转人工客服，客服会第一时间回复您～";
/// After 解决了.
pub const SOLVED: &str = "太好了～还有别的问题随时找我们哦";

/// The shop's articles, cut for ranking: read before a transaction begins (a transaction
/// must never wait for a second connection from the pool it holds one of).
pub(crate) async fn articles(db: &Db) -> ServiceResult<Arc<Vec<faq::Indexed>>> {
    Ok(store::kb::faq_index(db).await?)
}

/// What a new ticket is offered of `articles` for the question, saying why (nobody on
/// shift: `away`; else a long queue): the offer's words and the articles, or None when
/// nothing matched well. The caller stores it with the ticket's other notices
/// ([`store::tickets::insert_notices`]).
pub(crate) fn offer(articles: &[faq::Indexed], question: &str, away: bool) -> Option<(&'static str, Vec<Uuid>)> {
    let ids = faq::rank(question, articles);
    if ids.is_empty() {
        return None;
    }
    Some((if away { OFFER } else { OFFER_BUSY }, ids))
}

/// The offer on a ticket as the chat and the desk show it.
#[derive(Debug, Clone)]
pub struct Card {
    pub message_id: Uuid,
    pub articles: Vec<Article>,
    pub outcome: Option<FaqOutcome>,
}

pub async fn card(db: &Db, ticket_id: Uuid) -> ServiceResult<Option<Card>> {
    card_of(db, store::faq::of_ticket(db, ticket_id).await?).await
}

/// The card of an offer read already (none: no offer on the ticket).
pub async fn card_of(db: &Db, offer: Option<store::faq::Suggestion>) -> ServiceResult<Option<Card>> {
    let Some(s) = offer else { return Ok(None) };
    // One read for all the articles, shown in the order offered; one deleted since is simply
    // no longer shown.
    let mut found = store::kb::by_ids(db, &s.article_ids).await?;
    let articles = s
        .article_ids
        .iter()
        .filter_map(|id| found.iter().position(|a| a.id == *id).map(|i| found.swap_remove(i)))
        .collect();
    Ok(Some(Card { message_id: s.message_id, articles, outcome: s.outcome }))
}

/// The buyer of `session` answers the offer on their conversation: 解决了 (`solved`) or 转人工
/// (`human`). Once per offer; anything else is refused with the reason.
pub async fn answer(db: &Db, hub: &Hub, session: &ChatSession, answer: &str, now: DateTime<Utc>) -> ServiceResult<()> {
    let outcome: FaqOutcome = answer
        .trim()
        .parse()
        .map_err(|_| ServiceError::Invalid(vec![FieldError::new("answer", ErrorCode::Invalid)]))?;
    let ticket_id = store::tickets::latest_for_buyer(db, session.buyer_id).await?.ok_or(ServiceError::NotFound)?;
    let mut tx = db.begin().await?;
    store::tickets::lock(&mut tx, ticket_id).await?;
    let ticket = store::tickets::by_id(&mut tx, ticket_id).await?.ok_or(ServiceError::NotFound)?;
    if ticket.buyer_id != session.buyer_id {
        return Err(ServiceError::Forbidden);
    }
    if !store::faq::answer(&mut tx, ticket_id, outcome, now).await? {
        return Err(ServiceError::field("answer", ErrorCode::AlreadyAnswered));
    }
    let resolves = outcome == FaqOutcome::Solved && ticket.status.is_active();
    if resolves {
        store::tickets::set_state(&mut tx, ticket_id, TicketStatus::Resolved, ticket.assignee_id, Some(now), now)
            .await?;
        let event = TicketEvent::Status { status: TicketStatus::Resolved };
        store::tickets::insert_event(&mut tx, ticket_id, None, &event, now).await?;
    }
    let text = if outcome == FaqOutcome::Solved { SOLVED } else { TO_HUMAN };
    let message_id =
        store::tickets::insert_message(&mut tx, ticket_id, AuthorKind::System, None, text, false, now).await?;
    tx.commit().await?;
    let (buyer_id, stage) = (ticket.buyer_id, ticket.stage);
    hub.publish(LiveEvent::Ticket { ticket_id, buyer_id, stage }).await;
    let author = AuthorKind::System;
    hub.publish(LiveEvent::Message { ticket_id, buyer_id, message_id, stage, author, internal: false }).await;
    Ok(())
}
