//! Loading search hits for display: one batched query per kind (never one per hit).

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use super::{Db, StoreResult};
use crate::domain::{OrderStatus, Stage, TicketStatus};
use crate::on_pool;

fn placeholders(n: usize) -> String {
    (1..=n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Runs `select … WHERE id IN (ids)` for up to 100 ids.
macro_rules! by_ids {
    ($db:expr, $ty:ty, $sql:expr, $ids:expr) => {{
        let ids: &[Uuid] = $ids;
        if ids.is_empty() {
            Ok(Vec::new())
        } else {
            let sql = format!($sql, placeholders(ids.len()));
            let rows: Vec<$ty> = on_pool!($db.read(), p => {
                let mut q = sqlx::query_as(&sql);
                for id in ids {
                    q = q.bind(*id);
                }
                q.fetch_all(p).await
            })?;
            StoreResult::Ok(rows)
        }
    }};
}

#[derive(Debug, Clone, FromRow)]
pub struct TicketHit {
    pub id: Uuid,
    pub number: i64,
    pub subject: String,
    pub stage: Stage,
    pub status: TicketStatus,
    pub buyer_nick: String,
    pub last_message_at: DateTime<Utc>,
}

pub async fn tickets(db: &Db, ids: &[Uuid]) -> StoreResult<Vec<TicketHit>> {
    by_ids!(
        db,
        TicketHit,
        "SELECT t.id, t.number, t.subject, t.stage, t.status, b.nick AS buyer_nick, t.last_message_at
        FROM tickets t JOIN buyers b ON b.id = t.buyer_id WHERE t.id IN ({})",
        ids
    )
}

/// (message id, ticket id, body) of messages.
pub async fn messages(db: &Db, ids: &[Uuid]) -> StoreResult<Vec<(Uuid, Uuid, String)>> {
    by_ids!(db, (Uuid, Uuid, String), "SELECT id, ticket_id, body FROM ticket_messages WHERE id IN ({})", ids)
}

#[derive(Debug, Clone, FromRow)]
pub struct OrderHit {
    pub id: Uuid,
    pub order_no: String,
    pub status: OrderStatus,
    pub buyer_nick: String,
    pub goods_fen: i64,
    pub shipping_fee_fen: i64,
    pub tracking: Option<String>,
}

pub async fn orders(db: &Db, ids: &[Uuid]) -> StoreResult<Vec<OrderHit>> {
    by_ids!(
        db,
        OrderHit,
        "SELECT o.id, o.order_no, o.status, b.nick AS buyer_nick, o.goods_fen, o.shipping_fee_fen,
            (SELECT MIN(s.tracking_no) FROM shipments s WHERE s.order_id = o.id) AS tracking
        FROM orders o JOIN buyers b ON b.id = o.buyer_id WHERE o.id IN ({})",
        ids
    )
}

#[derive(Debug, Clone, FromRow)]
pub struct BuyerHit {
    pub id: Uuid,
    pub nick: String,
    pub name: String,
    pub phone: String,
    pub member_level: String,
}

pub async fn buyers(db: &Db, ids: &[Uuid]) -> StoreResult<Vec<BuyerHit>> {
    by_ids!(db, BuyerHit, "SELECT id, nick, name, phone, member_level FROM buyers WHERE id IN ({})", ids)
}

#[derive(Debug, Clone, FromRow)]
pub struct ReplyHit {
    pub id: Uuid,
    pub shortcut: String,
    pub title: String,
    pub body: String,
    pub owner_id: Option<Uuid>,
}

pub async fn replies(db: &Db, ids: &[Uuid]) -> StoreResult<Vec<ReplyHit>> {
    by_ids!(db, ReplyHit, "SELECT id, shortcut, title, body, owner_id FROM canned_replies WHERE id IN ({})", ids)
}

#[derive(Debug, Clone, FromRow)]
pub struct ArticleHit {
    pub id: Uuid,
    pub kind: String,
    pub title: String,
    pub body: String,
}

pub async fn articles(db: &Db, ids: &[Uuid]) -> StoreResult<Vec<ArticleHit>> {
    by_ids!(db, ArticleHit, "SELECT id, kind, title, body FROM kb_articles WHERE id IN ({})", ids)
}
