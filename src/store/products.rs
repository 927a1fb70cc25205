//! Products as the desk needs them: picking one, and what to recommend with or instead of it.

use std::sync::Arc;

use sqlx::FromRow;
use uuid::Uuid;

use super::{Db, StoreResult};
use crate::on_pool;

#[derive(Debug, Clone, FromRow)]
pub struct ProductBrief {
    pub id: Uuid,
    pub sku: String,
    pub title: String,
    pub category: String,
    pub price_fen: i64,
}

const BRIEF: &str = "SELECT p.id, p.sku, p.title, p.category, p.price_fen FROM products p";

/// The products on sale, by category and title. Every pre-sale ticket page offers them, so
/// they are read at most once a second per instance (a change on this instance is seen at
/// once: [`forget`]).
pub async fn all(db: &Db) -> StoreResult<Arc<Vec<ProductBrief>>> {
    db.memo
        .get(MEMO_KEY.to_string(), || async {
            let sql = format!("{BRIEF} WHERE p.active ORDER BY p.category, p.title LIMIT 1000");
            let rows: Vec<ProductBrief> = on_pool!(db.read(), p => sqlx::query_as(&sql).fetch_all(p).await)?;
            Ok(Arc::new(rows))
        })
        .await
}

const MEMO_KEY: &str = "products";

/// Drops the remembered products after one was added or changed.
pub fn forget(db: &Db) {
    db.memo.forget(MEMO_KEY);
}

pub async fn by_id(db: &Db, id: Uuid) -> StoreResult<Option<ProductBrief>> {
    let sql = format!("{BRIEF} WHERE p.id = $1");
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?)
}

pub async fn by_sku(db: &Db, sku: &str) -> StoreResult<Option<ProductBrief>> {
    let sql = format!("{BRIEF} WHERE p.sku = $1");
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(sku).fetch_optional(p).await)?)
}

/// The first product of an order.
pub async fn first_of_order(db: &Db, order_id: Uuid) -> StoreResult<Option<ProductBrief>> {
    let sql =
        format!("{BRIEF} JOIN order_items i ON i.product_id = p.id WHERE i.order_id = $1 ORDER BY i.position LIMIT 1");
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(order_id).fetch_optional(p).await)?)
}

/// The shop's own picks for this product (关联推荐).
pub async fn related(db: &Db, product_id: Uuid, limit: i64) -> StoreResult<Vec<ProductBrief>> {
    let sql = format!(
        "{BRIEF} JOIN product_links l ON l.other_id = p.id WHERE l.product_id = $1 AND l.kind = 'related' AND p.active ORDER BY p.title LIMIT $2"
    );
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(product_id).bind(limit).fetch_all(p).await)?)
}

/// How many of a product's most recent order lines "bought together" looks at: enough to see
/// what goes with it, and a cost that stays the same however many orders the shop has.
const RECENT_LINES: i64 = 500;

/// Products most often bought in the same order as this one, among its recent orders.
pub async fn bought_together(db: &Db, product_id: Uuid, limit: i64) -> StoreResult<Vec<ProductBrief>> {
    let sql = format!(
        "{BRIEF} JOIN (SELECT j.product_id AS pid, COUNT(DISTINCT j.order_id) AS n
                       FROM (SELECT order_id FROM order_items WHERE product_id = $1 ORDER BY id DESC LIMIT $3) i
                       JOIN order_items j ON j.order_id = i.order_id
                       WHERE j.product_id IS NOT NULL AND j.product_id <> $1
                       GROUP BY j.product_id) t ON t.pid = p.id
         WHERE p.active ORDER BY t.n DESC, p.title LIMIT $2"
    );
    Ok(
        on_pool!(db.read(), p => sqlx::query_as(&sql).bind(product_id).bind(limit).bind(RECENT_LINES).fetch_all(p).await)?,
    )
}

/// Stock of a size (all colours) of a product; None when the product has no such size.
pub async fn size_stock(db: &Db, product_id: Uuid, size: &str) -> StoreResult<Option<i64>> {
    let (n, total): (i64, i64) = on_pool!(db.read(), p => sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(stock), 0) AS BIGINT) FROM product_variants WHERE product_id = $1 AND size = $2")
        .bind(product_id).bind(size).fetch_one(p).await)?;
    Ok((n > 0).then_some(total))
}

/// Substitutes: other products of the same category with this size in stock (断码 → 替代款).
pub async fn substitutes(db: &Db, product_id: Uuid, size: &str, limit: i64) -> StoreResult<Vec<ProductBrief>> {
    let sql = format!(
        "{BRIEF} WHERE p.active AND p.id <> $1
           AND p.category = (SELECT category FROM products WHERE id = $1)
           AND EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND v.size = $2 AND v.stock > 0)
         ORDER BY p.title LIMIT $3"
    );
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(product_id).bind(size).bind(limit).fetch_all(p).await)?)
}

/// The sizes a product comes in.
pub async fn sizes(db: &Db, product_id: Uuid) -> StoreResult<Vec<String>> {
    let rows: Vec<(String,)> = on_pool!(db.read(), p => sqlx::query_as(
        "SELECT DISTINCT size FROM product_variants WHERE product_id = $1 AND size <> '' ORDER BY size")
        .bind(product_id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
