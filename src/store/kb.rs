//! Knowledge articles: practical (about a product: selling points, sizing, care) and reserve
//! (platform rules, payment steps, shop policies, training).

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use super::search::{self, DocKind};
use super::{Db, StoreResult, Tx};
use crate::{exec_tx, on_pool};

#[derive(Debug, Clone, FromRow, serde::Deserialize)]
pub struct Article {
    pub id: Uuid,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub product_id: Option<Uuid>,
    pub product_sku: Option<String>,
    pub product_title: Option<String>,
    pub updated_at: DateTime<Utc>,
}

const SELECT: &str =
    "SELECT a.id, a.kind, a.title, a.body, a.product_id, p.sku AS product_sku, p.title AS product_title, a.updated_at
    FROM kb_articles a LEFT JOIN products p ON p.id = a.product_id";

pub async fn list(db: &Db, kind: Option<&str>) -> StoreResult<Vec<Article>> {
    let sql = format!("{SELECT} WHERE ($1 IS NULL OR a.kind = $1) ORDER BY a.kind, a.title LIMIT 500");
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(kind).fetch_all(p).await)?)
}

const FAQ_KEY: &str = "kb.faq";

/// Every article cut into the pieces the answers-when-nobody-is-there ranking reads, kept for
/// a second per instance (a rush of questions does not read and cut the articles each time).
pub async fn faq_index(db: &Db) -> StoreResult<std::sync::Arc<Vec<crate::domain::faq::Indexed>>> {
    db.memo
        .get(FAQ_KEY.to_string(), || async {
            let rows: Vec<(Uuid, String, String)> = on_pool!(db.read(), p => sqlx::query_as(
                "SELECT id, title, body FROM kb_articles ORDER BY title LIMIT 2000").fetch_all(p).await)?;
            let indexed = rows.iter().map(|(id, title, body)| crate::domain::faq::Indexed::new(*id, title, body));
            Ok(std::sync::Arc::new(indexed.collect()))
        })
        .await
}

/// Forgets the kept pieces after an article changed.
pub fn forget_faq(db: &Db) {
    db.memo.forget(FAQ_KEY);
}

pub async fn by_id(db: &Db, id: Uuid) -> StoreResult<Option<Article>> {
    let sql = format!("{SELECT} WHERE a.id = $1");
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?)
}

/// The articles with these ids (in no particular order; missing ones are left out).
pub async fn by_ids(db: &Db, ids: &[Uuid]) -> StoreResult<Vec<Article>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!("{SELECT} WHERE a.id IN ({})", marks.join(", "));
    Ok(on_pool!(db.read(), p => {
        let mut q = sqlx::query_as(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(p).await
    })?)
}

/// Practical articles about the products of an order (the ticket page shows them).
pub async fn for_order(on: impl Into<super::Exec<'_>>, order_id: Uuid) -> StoreResult<Vec<Article>> {
    let sql = for_order_sql();
    Ok(crate::on_exec!(on.into(), c => sqlx::query_as(&sql).bind(order_id).fetch_all(c).await)?)
}

fn for_order_sql() -> String {
    format!(
        "{SELECT} WHERE a.kind = 'practical' AND a.product_id IN
        (SELECT i.product_id FROM order_items i WHERE i.order_id = $1 AND i.product_id IS NOT NULL) ORDER BY a.title"
    )
}

/// [`for_order`] as a part of a combined read.
pub(crate) fn for_order_part(order_id: Uuid) -> super::json_rows::Part<'static> {
    super::json_rows::Part::new(for_order_sql(), order_id)
}

pub async fn update(
    tx: &mut Tx, id: Uuid, kind: &str, title: &str, body: &str, product_id: Option<Uuid>, now: DateTime<Utc>,
) -> StoreResult<bool> {
    let n = exec_tx!(tx, c => sqlx::query(
        "UPDATE kb_articles SET kind = $2, title = $3, body = $4, product_id = $5, updated_at = $6 WHERE id = $1")
        .bind(id).bind(kind).bind(title).bind(body).bind(product_id).bind(now).execute(c).await)?;
    search::index(tx, DocKind::Article, id, &format!("{title} {body}")).await?;
    Ok(n == 1)
}

pub async fn delete(tx: &mut Tx, id: Uuid) -> StoreResult<bool> {
    let n = exec_tx!(tx, c => sqlx::query("DELETE FROM kb_articles WHERE id = $1").bind(id).execute(c).await)?;
    search::remove(tx, DocKind::Article, id).await?;
    Ok(n == 1)
}

/// The product with this SKU, if any.
pub async fn product_by_sku(db: &Db, sku: &str) -> StoreResult<Option<Uuid>> {
    let row: Option<(Uuid,)> = on_pool!(db.read(), p => sqlx::query_as("SELECT id FROM products WHERE sku = $1").bind(sku).fetch_optional(p).await)?;
    Ok(row.map(|r| r.0))
}
