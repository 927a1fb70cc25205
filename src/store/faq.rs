//! Knowledge articles offered when nobody is there, and the buyer's answer (migration 0014).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Db, StoreResult, Tx};
use crate::domain::faq::FaqOutcome;
use crate::{exec_tx, on_pool};

/// The offer on a ticket.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub ticket_id: Uuid,
    pub message_id: Uuid,
    pub article_ids: Vec<Uuid>,
    pub outcome: Option<FaqOutcome>,
}

pub async fn insert(
    tx: &mut Tx, ticket_id: Uuid, message_id: Uuid, article_ids: &[Uuid], now: DateTime<Utc>,
) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query(&insert_sql("$1", "$2", "$3", "$4"))
        .bind(ticket_id).bind(message_id).bind(ids_text(article_ids)).bind(now).execute(c).await)?;
    Ok(())
}

/// The offer's insert, its values named by parameter (for a batch, see
/// [`super::tickets::insert_notices`]). One offer per ticket: a second is not recorded.
pub(super) fn insert_sql(ticket: &str, message: &str, articles: &str, at: &str) -> String {
    format!(
        "INSERT INTO faq_suggestions (ticket_id, message_id, article_ids, created_at) VALUES ({ticket}, {message}, {articles}, {at})
         ON CONFLICT (ticket_id) DO NOTHING"
    )
}

/// The offered articles as stored: their ids in one text.
pub(super) fn ids_text(article_ids: &[Uuid]) -> String {
    article_ids.iter().map(Uuid::to_string).collect::<Vec<_>>().join(",")
}

const OF_TICKET: &str = "SELECT ticket_id, message_id, article_ids, outcome FROM faq_suggestions WHERE ticket_id = $1";

/// An offer as stored: its articles' ids in one text.
#[derive(sqlx::FromRow, serde::Deserialize)]
pub(crate) struct SuggestionRow {
    ticket_id: Uuid,
    message_id: Uuid,
    article_ids: String,
    outcome: Option<FaqOutcome>,
}

impl From<SuggestionRow> for Suggestion {
    fn from(r: SuggestionRow) -> Suggestion {
        Suggestion {
            ticket_id: r.ticket_id,
            message_id: r.message_id,
            article_ids: r.article_ids.split(',').filter_map(|i| Uuid::parse_str(i).ok()).collect(),
            outcome: r.outcome,
        }
    }
}

pub async fn of_ticket(db: &Db, ticket_id: Uuid) -> StoreResult<Option<Suggestion>> {
    let row: Option<SuggestionRow> =
        on_pool!(db.read(), p => sqlx::query_as(OF_TICKET).bind(ticket_id).fetch_optional(p).await)?;
    Ok(row.map(Suggestion::from))
}

/// [`of_ticket`] as a part of a combined read (rows: [`SuggestionRow`]).
pub(crate) fn of_ticket_part(ticket_id: Uuid) -> super::json_rows::Part<'static> {
    super::json_rows::Part::new(OF_TICKET, ticket_id)
}

/// Records the buyer's answer, once: false when the offer was already answered (or absent).
pub async fn answer(tx: &mut Tx, ticket_id: Uuid, outcome: FaqOutcome, now: DateTime<Utc>) -> StoreResult<bool> {
    let n = exec_tx!(tx, c => sqlx::query(
        "UPDATE faq_suggestions SET outcome = $2, answered_at = $3 WHERE ticket_id = $1 AND outcome IS NULL")
        .bind(ticket_id).bind(outcome).bind(now).execute(c).await)?;
    Ok(n == 1)
}

/// How many offers were made (for tests and figures).
pub async fn count(db: &Db) -> StoreResult<i64> {
    let (n,): (i64,) =
        on_pool!(db.read(), p => sqlx::query_as("SELECT COUNT(*) FROM faq_suggestions").fetch_one(p).await)?;
    Ok(n)
}
