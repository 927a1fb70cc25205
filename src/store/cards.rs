//! Item and order cards: what a conversation shows of the product a buyer is asking about
//! (title, price, stock by size) and of an order they sent (number, status, total, items).
//! Cards show the product and the order as they are now, as the platform's cards do.

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use super::{Db, StoreResult};
use crate::domain::OrderStatus;
use crate::on_pool;

/// A product card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductCard {
    pub id: Uuid,
    pub sku: String,
    pub title: String,
    pub price_fen: i64,
    /// Still on sale.
    pub active: bool,
    /// Stock per size, all colours together, in the catalogue's order of sizes; a product
    /// without sizes has one entry with an empty size.
    pub stock: Vec<(String, i64)>,
}

/// An order card.
#[derive(Debug, Clone, FromRow, serde::Deserialize)]
pub struct OrderCard {
    pub id: Uuid,
    pub order_no: String,
    pub status: OrderStatus,
    pub total_fen: i64,
    pub created_at: DateTime<Utc>,
    /// The first item's title (empty for an order without items).
    pub first_title: String,
    /// Pieces in the order.
    pub pieces: i64,
}

#[derive(FromRow, serde::Deserialize)]
pub(crate) struct ProductRow {
    id: Uuid,
    sku: String,
    title: String,
    price_fen: i64,
    active: bool,
    size: Option<String>,
    stock: Option<i64>,
}

/// Folds product rows joined with their variants (ordered by product, then variant) into cards.
pub(crate) fn fold(rows: Vec<ProductRow>) -> Vec<ProductCard> {
    let mut cards: Vec<ProductCard> = Vec::new();
    for r in rows {
        if cards.last().is_none_or(|c| c.id != r.id) {
            cards.push(ProductCard {
                id: r.id,
                sku: r.sku,
                title: r.title,
                price_fen: r.price_fen,
                active: r.active,
                stock: Vec::new(),
            });
        }
        let card = cards.last_mut().expect("pushed above");
        if let (Some(size), Some(n)) = (r.size, r.stock) {
            match card.stock.iter_mut().find(|(s, _)| *s == size) {
                Some((_, total)) => *total += n,
                None => card.stock.push((size, n)),
            }
        }
    }
    cards
}

/// Variant ids are UUID v7, so ordering by them keeps the catalogue's order of sizes.
const PRODUCT: &str = "SELECT p.id, p.sku, p.title, p.price_fen, p.active, v.size, v.stock
     FROM products p LEFT JOIN product_variants v ON v.product_id = p.id";

/// The card of the product with this SKU, if there is one.
pub async fn product_by_sku(db: &Db, sku: &str) -> StoreResult<Option<ProductCard>> {
    let sql = format!("{PRODUCT} WHERE p.sku = $1 ORDER BY v.id");
    let rows: Vec<ProductRow> = on_pool!(db.read(), p => sqlx::query_as(&sql).bind(sku).fetch_all(p).await)?;
    Ok(fold(rows).pop())
}

/// The product cards sent in a ticket's messages (each product once).
pub async fn products_of_ticket(db: &Db, ticket_id: Uuid) -> StoreResult<Vec<ProductCard>> {
    let sql = products_of_ticket_sql();
    let rows: Vec<ProductRow> = on_pool!(db.read(), p => sqlx::query_as(&sql).bind(ticket_id).fetch_all(p).await)?;
    Ok(fold(rows))
}

fn products_of_ticket_sql() -> String {
    format!(
        "{PRODUCT} WHERE p.id IN (SELECT m.product_id FROM ticket_messages m
                                  WHERE m.ticket_id = $1 AND m.product_id IS NOT NULL)
         ORDER BY p.id, v.id"
    )
}

/// [`products_of_ticket`] as a part of a combined read (rows: [`ProductRow`], to [`fold`]).
pub(crate) fn products_of_ticket_part(ticket_id: Uuid) -> super::json_rows::Part<'static> {
    super::json_rows::Part::new(products_of_ticket_sql(), ticket_id).with_bools(&["active"])
}

const ORDER: &str = "SELECT o.id, o.order_no, o.status, o.goods_fen + o.shipping_fee_fen AS total_fen, o.created_at,
       COALESCE((SELECT i.title FROM order_items i WHERE i.order_id = o.id ORDER BY i.position LIMIT 1), '') AS first_title,
       (SELECT CAST(COALESCE(SUM(i.quantity), 0) AS BIGINT) FROM order_items i WHERE i.order_id = o.id) AS pieces
     FROM orders o";

/// The order cards sent in a ticket's messages.
pub async fn orders_of_ticket(db: &Db, ticket_id: Uuid) -> StoreResult<Vec<OrderCard>> {
    let sql = orders_of_ticket_sql();
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(ticket_id).fetch_all(p).await)?)
}

fn orders_of_ticket_sql() -> String {
    format!(
        "{ORDER} WHERE o.id IN (SELECT m.order_id FROM ticket_messages m
                                WHERE m.ticket_id = $1 AND m.order_id IS NOT NULL)"
    )
}

/// [`orders_of_ticket`] as a part of a combined read.
pub(crate) fn orders_of_ticket_part(ticket_id: Uuid) -> super::json_rows::Part<'static> {
    super::json_rows::Part::new(orders_of_ticket_sql(), ticket_id)
}

/// A buyer's most recent orders, as cards to pick one from.
pub async fn orders_of_buyer(db: &Db, buyer_id: Uuid, limit: i64) -> StoreResult<Vec<OrderCard>> {
    let sql = format!("{ORDER} WHERE o.buyer_id = $1 ORDER BY o.created_at DESC, o.id DESC LIMIT $2");
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(buyer_id).bind(limit).fetch_all(p).await)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: u128, size: Option<&str>, stock: Option<i64>) -> ProductRow {
        ProductRow {
            id: Uuid::from_u128(id),
            sku: format!("SKU{id}"),
            title: "连衣裙".into(),
            price_fen: 12_900,
            active: true,
            size: size.map(str::to_string),
            stock,
        }
    }

    #[test]
    fn stock_is_summed_per_size_across_colours_in_catalogue_order() {
        let cards = fold(vec![
            row(1, Some("S"), Some(3)),
            row(1, Some("M"), Some(0)),
            row(1, Some("S"), Some(2)),
            row(1, Some("L"), Some(7)),
            row(2, None, None),
        ]);
        assert_eq!(cards.len(), 2);
        assert_eq!(cards[0].stock, vec![("S".to_string(), 5), ("M".to_string(), 0), ("L".to_string(), 7)]);
        assert!(cards[1].stock.is_empty(), "a product without variants has no stock lines");
    }
}
