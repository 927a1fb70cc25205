//! Photos of conversation messages, kept in the database (see migration 0011).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Db, StoreResult, Tx};
use crate::domain::photo::PhotoType;
use crate::{exec_tx, on_pool};

/// A photo to store with its message.
pub struct NewAttachment<'a> {
    pub filename: &'a str,
    pub content_type: PhotoType,
    pub width: u32,
    pub height: u32,
    pub data: &'a [u8],
    pub thumb: &'a [u8],
}

/// What a conversation shows of a photo (not its bytes).
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct Attachment {
    pub id: Uuid,
    pub message_id: Uuid,
    pub filename: String,
    pub content_type: PhotoType,
    pub size: i64,
    pub width: i64,
    pub height: i64,
}

impl Attachment {
    /// The thumbnail's size, for `<img>` to keep its place while it loads.
    pub fn thumb_width(&self) -> i64 {
        crate::domain::photo::thumb_size(self.width, self.height).0
    }
    pub fn thumb_height(&self) -> i64 {
        crate::domain::photo::thumb_size(self.width, self.height).1
    }
}

pub async fn insert(
    tx: &mut Tx, ticket_id: Uuid, message_id: Uuid, position: usize, a: &NewAttachment<'_>, now: DateTime<Utc>,
) -> StoreResult<Uuid> {
    let id = super::new_id();
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO attachments (id, ticket_id, message_id, position, filename, content_type, size, width, height,
            data, thumb, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
        .bind(id).bind(ticket_id).bind(message_id).bind(position as i64).bind(a.filename).bind(a.content_type)
        .bind(a.data.len() as i64).bind(i64::from(a.width)).bind(i64::from(a.height)).bind(a.data).bind(a.thumb)
        .bind(now).execute(c).await)?;
    Ok(id)
}

/// The photos of a ticket's messages, in message order (index `attachments_by_ticket`).
pub async fn of_ticket(db: &Db, ticket_id: Uuid) -> StoreResult<Vec<Attachment>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(OF_TICKET).bind(ticket_id).fetch_all(p).await)?)
}

const OF_TICKET: &str = "SELECT id, message_id, filename, content_type, size, width, height FROM attachments
    WHERE ticket_id = $1 ORDER BY message_id, position LIMIT 2000";

/// [`of_ticket`] as a part of a combined read.
pub(crate) fn of_ticket_part(ticket_id: Uuid) -> super::json_rows::Part<'static> {
    super::json_rows::Part::new(OF_TICKET, ticket_id)
}

/// A photo's bytes (or its thumbnail's), its type, and whose conversation it is in: the
/// ticket's buyer, and whether its message is an internal note.
pub struct Stored {
    pub content_type: PhotoType,
    pub bytes: Vec<u8>,
    pub buyer_id: Uuid,
    pub internal: bool,
}

pub async fn bytes(db: &Db, id: Uuid, thumb: bool) -> StoreResult<Option<Stored>> {
    let sql = format!(
        "SELECT a.content_type, a.{} AS bytes, t.buyer_id, m.internal FROM attachments a
         JOIN tickets t ON t.id = a.ticket_id JOIN ticket_messages m ON m.id = a.message_id WHERE a.id = $1",
        if thumb { "thumb" } else { "data" }
    );
    let row: Option<(PhotoType, Vec<u8>, Uuid, bool)> =
        on_pool!(db.read(), p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
    Ok(row.map(|(content_type, bytes, buyer_id, internal)| Stored { content_type, bytes, buyer_id, internal }))
}
