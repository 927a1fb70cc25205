//! The reports' aggregate queries. Each reads a range of pre-sale tickets through
//! `tickets_inquiries` and, per inquiry, the buyer's orders through `orders_by_buyer`; only
//! the aggregates leave the database. Date arithmetic is the one thing the two stores spell
//! differently: SQLite works on the stored text (days by a fixed UTC offset, windows in Julian
//! days), Postgres on real times and the zone's rules.

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use super::{Db, Pool, StoreResult};
use crate::domain::LossReason;
use crate::domain::reports::{By, InquiryLine};

/// What an inquiry report reads.
#[derive(Debug, Clone)]
pub struct InquiryQuery {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The shop's zone: its name (Postgres) and its UTC offset in minutes at `start` (SQLite).
    pub zone: String,
    pub offset_minutes: i32,
    pub conversion_days: i64,
    pub agent: Option<Uuid>,
    pub product: Option<Uuid>,
}

/// The inquiries of the range in one statement's FROM: each with its key columns and its
/// converting orders (count and sum). `{key}` is the breakdown's expression.
fn inquiries_sql(pg: bool, key: &str) -> String {
    let window = if pg {
        "o.created_at >= t.created_at AND o.created_at <= t.created_at + make_interval(days => $5::int)"
    } else {
        "o.created_at >= t.created_at AND julianday(o.created_at) <= julianday(t.created_at) + $5"
    };
    format!(
        "SELECT {key} AS key,
            (SELECT COUNT(*) FROM orders o WHERE o.buyer_id = t.buyer_id AND {window}) AS orders,
            (SELECT COALESCE(SUM(o.goods_fen + o.shipping_fee_fen), 0) FROM orders o
              WHERE o.buyer_id = t.buyer_id AND {window}) AS fen
         FROM tickets t
         LEFT JOIN staff s ON s.id = t.first_responder_id
         LEFT JOIN products p ON p.id = t.product_id
         WHERE t.stage = 'presale' AND t.parent_id IS NULL AND t.created_at >= $1 AND t.created_at < $2
           AND ($6 IS NULL OR t.first_responder_id = $6) AND ($7 IS NULL OR t.product_id = $7)"
    )
}

#[derive(FromRow)]
struct LineRow {
    key: String,
    inquiries: i64,
    converted: i64,
    orders: i64,
    sales_fen: i64,
}

/// The inquiry analysis broken down `by` day (in the shop's zone), agent or product, one
/// line per key in key order.
pub async fn inquiries(db: &Db, q: &InquiryQuery, by: By) -> StoreResult<Vec<InquiryLine>> {
    let pg = matches!(db.read(), Pool::Pg(_));
    let key = match (by, pg) {
        (By::Day, true) => "to_char(t.created_at AT TIME ZONE $3, 'YYYY-MM-DD')",
        // The stored text is UTC; the modifier moves it to the shop's clock before the date.
        (By::Day, false) => "date(t.created_at, $4 || ' minutes')",
        (By::Agent, _) => "COALESCE(s.username, '')",
        (By::Product, _) => "COALESCE(p.sku, '')",
    };
    let (zone_bind, offset_bind) = (q.zone.clone(), if pg { 0 } else { q.offset_minutes });
    let sql = format!(
        "SELECT i.key, COUNT(*) AS inquiries,
                CAST(COALESCE(SUM(CASE WHEN i.orders > 0 THEN 1 ELSE 0 END), 0) AS BIGINT) AS converted,
                CAST(COALESCE(SUM(i.orders), 0) AS BIGINT) AS orders,
                CAST(COALESCE(SUM(i.fen), 0) AS BIGINT) AS sales_fen
         FROM ({}) i GROUP BY i.key ORDER BY i.key",
        inquiries_sql(pg, key)
    );
    let rows: Vec<LineRow> = match db.read() {
        Pool::Sqlite(p) => {
            sqlx::query_as(&sql)
                .bind(q.start)
                .bind(q.end)
                .bind(zone_bind)
                .bind(format!("{offset_bind:+}"))
                .bind(q.conversion_days)
                .bind(q.agent)
                .bind(q.product)
                .fetch_all(p)
                .await?
        }
        Pool::Pg(p) => {
            sqlx::query_as(&sql)
                .bind(q.start)
                .bind(q.end)
                .bind(zone_bind)
                .bind(format!("{offset_bind:+}"))
                .bind(q.conversion_days as i32)
                .bind(q.agent)
                .bind(q.product)
                .fetch_all(p)
                .await?
        }
    };
    Ok(rows
        .into_iter()
        .map(|r| InquiryLine {
            key: r.key,
            inquiries: r.inquiries,
            converted: r.converted,
            orders: r.orders,
            sales_fen: r.sales_fen,
        })
        .collect())
}

/// Lost inquiries of the range per recorded reason, most frequent first.
pub async fn loss_reasons(db: &Db, q: &InquiryQuery) -> StoreResult<Vec<(LossReason, i64)>> {
    let sql = "SELECT t.loss_reason, COUNT(*) FROM tickets t
         WHERE t.stage = 'presale' AND t.parent_id IS NULL AND t.created_at >= $1 AND t.created_at < $2
           AND t.outcome = 'lost' AND t.loss_reason IS NOT NULL
           AND ($3 IS NULL OR t.first_responder_id = $3) AND ($4 IS NULL OR t.product_id = $4)
         GROUP BY t.loss_reason ORDER BY COUNT(*) DESC, t.loss_reason";
    Ok(crate::on_pool!(db.read(), p => sqlx::query_as(sql)
        .bind(q.start).bind(q.end).bind(q.agent).bind(q.product).fetch_all(p).await)?)
}

/// A returning buyer who asked and did not buy.
#[derive(Debug, Clone, FromRow)]
pub struct LostReturning {
    pub ticket_id: Uuid,
    pub number: i64,
    pub buyer_nick: String,
    pub asked_at: DateTime<Utc>,
    /// Their orders before this inquiry.
    pub earlier_orders: i64,
}

/// Buyers with earlier orders whose inquiry in the range did not convert, latest first.
pub async fn lost_returning(db: &Db, q: &InquiryQuery, limit: i64) -> StoreResult<Vec<LostReturning>> {
    let window = match db.read() {
        Pool::Pg(_) => "o.created_at <= t.created_at + make_interval(days => $5::int)",
        Pool::Sqlite(_) => "julianday(o.created_at) <= julianday(t.created_at) + $5",
    };
    let sql = format!(
        "SELECT * FROM (
           SELECT t.id AS ticket_id, t.number, b.nick AS buyer_nick, t.created_at AS asked_at,
             (SELECT COUNT(*) FROM orders o WHERE o.buyer_id = t.buyer_id AND o.created_at < t.created_at)
               AS earlier_orders
           FROM tickets t JOIN buyers b ON b.id = t.buyer_id
           WHERE t.stage = 'presale' AND t.parent_id IS NULL AND t.created_at >= $1 AND t.created_at < $2
             AND ($3 IS NULL OR t.first_responder_id = $3) AND ($4 IS NULL OR t.product_id = $4)
             AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.buyer_id = t.buyer_id
                             AND o.created_at >= t.created_at AND {window})
         ) x WHERE x.earlier_orders > 0 ORDER BY x.asked_at DESC LIMIT $6"
    );
    Ok(match db.read() {
        Pool::Sqlite(p) => {
            sqlx::query_as(&sql)
                .bind(q.start)
                .bind(q.end)
                .bind(q.agent)
                .bind(q.product)
                .bind(q.conversion_days)
                .bind(limit)
                .fetch_all(p)
                .await?
        }
        Pool::Pg(p) => {
            sqlx::query_as(&sql)
                .bind(q.start)
                .bind(q.end)
                .bind(q.agent)
                .bind(q.product)
                .bind(q.conversion_days as i32)
                .bind(limit)
                .fetch_all(p)
                .await?
        }
    })
}
