//! Item and order cards in a conversation: the product a buyer asks about (they came from
//! its page, `/chat?sku=…`, or an integration said so) and the orders they send. Both the
//! chat and the ticket page show them; the ticket keeps the item asked about.

use uuid::Uuid;

use super::ServiceResult;
use crate::domain::Copied;
use crate::store::{self, Db};

pub use crate::store::cards::{OrderCard, ProductCard};

/// How many of their latest orders a buyer picks from.
const ORDERS_TO_PICK: i64 = 10;

/// The cards sent in one conversation.
#[derive(Debug, Clone, Default)]
pub struct Cards {
    pub products: Vec<ProductCard>,
    pub orders: Vec<OrderCard>,
}

impl Cards {
    /// The product card a message carries.
    pub fn product(&self, id: impl Copied<Option<Uuid>>) -> Option<&ProductCard> {
        id.copied().and_then(|id| self.products.iter().find(|p| p.id == id))
    }
    /// The order card a message carries.
    pub fn order(&self, id: impl Copied<Option<Uuid>>) -> Option<&OrderCard> {
        id.copied().and_then(|id| self.orders.iter().find(|o| o.id == id))
    }
}

/// Every card sent in the ticket's messages.
/// `items`: whether the ticket records an item asked about. Every product card sets it, so a
/// ticket without one has no product cards to read (most tickets; the ticket page knows).
pub async fn of_ticket(db: &Db, ticket_id: Uuid, items: bool) -> ServiceResult<Cards> {
    let products = async { if items { store::cards::products_of_ticket(db, ticket_id).await } else { Ok(Vec::new()) } };
    let (products, orders) = tokio::try_join!(products, store::cards::orders_of_ticket(db, ticket_id))?;
    Ok(Cards { products, orders })
}

/// The card of an item a buyer opens the chat from; none for an unknown SKU or an item no
/// longer on sale (an old link should still open the chat).
pub async fn on_sale(db: &Db, sku: &str) -> ServiceResult<Option<ProductCard>> {
    let sku = sku.trim();
    if sku.is_empty() || sku.chars().count() > 64 {
        return Ok(None);
    }
    Ok(store::cards::product_by_sku(db, sku).await?.filter(|p| p.active))
}

/// The buyer's latest orders, to pick one to send.
pub async fn orders_to_pick(db: &Db, buyer_id: Uuid) -> ServiceResult<Vec<OrderCard>> {
    Ok(store::cards::orders_of_buyer(db, buyer_id, ORDERS_TO_PICK).await?)
}
