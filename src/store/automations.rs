//! Bookkeeping of the order-lifecycle automations, and the orders each one is due for.

use crate::domain::Automation;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::orders::Order;
use super::{Db, StoreResult, Tx};
use crate::{exec_tx, on_pool};

/// Claims (order, reason) inside the caller's transaction; false if it already fired.
pub async fn claim(tx: &mut Tx, order_id: Uuid, reason: Automation, now: DateTime<Utc>) -> StoreResult<bool> {
    let n = exec_tx!(tx, c => sqlx::query(
        "INSERT INTO automation_runs (order_id, reason, fired_at) VALUES ($1, $2, $3) ON CONFLICT (order_id, reason) DO NOTHING")
        .bind(order_id).bind(reason).bind(now).execute(c).await)?;
    Ok(n == 1)
}

pub async fn set_ticket(tx: &mut Tx, order_id: Uuid, reason: Automation, ticket_id: Uuid) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query("UPDATE automation_runs SET ticket_id = $3 WHERE order_id = $1 AND reason = $2")
        .bind(order_id).bind(reason).bind(ticket_id).execute(c).await)?;
    Ok(())
}

/// The ticket an earlier automation opened for this order.
pub async fn ticket_of(tx: &mut Tx, order_id: Uuid, reason: Automation) -> StoreResult<Option<Uuid>> {
    let row: Option<(Option<Uuid>,)> = crate::on_tx!(tx, c => sqlx::query_as(
        "SELECT ticket_id FROM automation_runs WHERE order_id = $1 AND reason = $2")
        .bind(order_id).bind(reason).fetch_optional(c).await)?;
    Ok(row.and_then(|r| r.0))
}

pub async fn count(db: &Db, reason: Automation) -> StoreResult<i64> {
    let (n,): (i64,) = on_pool!(db.read(), p => sqlx::query_as("SELECT COUNT(*) FROM automation_runs WHERE reason = $1")
        .bind(reason).fetch_one(p).await)?;
    Ok(n)
}

/// An order's columns, as `orders::Order` reads them.
const ORDER: &str = super::orders::COLUMNS;

/// Which orders an automation is due for. `$1`, `$2` are the time bounds, `$3` the reason.
#[derive(Debug, Clone, Copy)]
pub enum Due {
    /// Unpaid, created before `$1`.
    Unpaid,
    /// Paid between `$2` and `$1`, not shipped yet.
    Paid,
    /// Paid, not shipped, ship-by before `$1`.
    NotShipped,
    /// Shipped, no tracking event (nor the shipping itself) since `$1`.
    Stuck,
    /// Shipped between `$2` and `$1` (recent shipments only, so a history import does not
    /// message every old buyer).
    Shipped,
    /// Signed between `$2` and `$1`.
    Signed,
    /// Reviewed mid/bad between `$2` and `$1`.
    BadReview,
    /// A mid/bad review since changed to good.
    Rescued,
}

/// The condition of [`Due`] on `orders o`, and the column its index leads with.
fn condition(which: Due) -> (&'static str, &'static str) {
    match which {
        Due::Unpaid => ("o.status = 'created' AND o.created_at < $1 AND o.created_at >= $2", "o.created_at"),
        Due::Paid => ("o.status = 'paid' AND o.paid_at < $1 AND o.paid_at >= $2", "o.paid_at"),
        Due::NotShipped => {
            ("o.status = 'paid' AND o.ship_by < $1 AND o.ship_by >= $2 AND o.shipped_at IS NULL", "o.ship_by")
        }
        Due::Stuck => (
            "o.status = 'shipped' AND o.shipped_at < $1 AND o.shipped_at >= $2 AND COALESCE((SELECT MAX(e.at) FROM tracking_events e
                JOIN shipments s ON s.id = e.shipment_id WHERE s.order_id = o.id), o.shipped_at) < $1",
            "o.shipped_at",
        ),
        Due::Shipped => (
            "o.shipped_at < $1 AND o.shipped_at >= $2 AND o.status IN ('shipped', 'signed', 'completed')
                AND EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id)",
            "o.shipped_at",
        ),
        Due::Signed => {
            ("o.signed_at < $1 AND o.signed_at >= $2 AND o.status IN ('signed', 'completed')", "o.signed_at")
        }
        Due::BadReview => (
            "o.id IN (SELECT r.order_id FROM reviews r WHERE r.first_rating IN ('mid', 'bad')
                AND r.created_at < $1 AND r.created_at >= $2)",
            "o.created_at",
        ),
        Due::Rescued => (
            "o.id IN (SELECT r.order_id FROM reviews r WHERE r.first_rating IN ('mid', 'bad')
                AND r.rating = 'good' AND r.changed_at < $1 AND r.changed_at >= $2)",
            "o.created_at",
        ),
    }
}

pub async fn due(
    db: &Db, which: Due, reason: Automation, until: DateTime<Utc>, since: DateTime<Utc>, limit: i64,
) -> StoreResult<Vec<Order>> {
    // Each condition leads with the column of its own index (migration 0010) and orders by
    // it, so a run reads only the orders that are due, however many orders the shop has.
    let (cond, order) = condition(which);
    let sql = format!(
        "SELECT {ORDER} FROM orders o WHERE {cond}
           AND NOT EXISTS (SELECT 1 FROM automation_runs a WHERE a.order_id = o.id AND a.reason = $3)
         ORDER BY {order} LIMIT $4"
    );
    Ok(
        on_pool!(db.read(), p => sqlx::query_as(&sql).bind(until).bind(since).bind(reason).bind(limit).fetch_all(p).await)?,
    )
}

/// Records every order `which` finds due as handled at `at`, without acting on any: for a
/// loaded history, whose orders were looked after before Kefu saw them. Returns how many.
pub async fn mark_handled(
    tx: &mut Tx, which: Due, reason: Automation, until: DateTime<Utc>, since: DateTime<Utc>, at: DateTime<Utc>,
) -> StoreResult<u64> {
    let (cond, _) = condition(which);
    let sql = format!(
        "INSERT INTO automation_runs (order_id, reason, fired_at)
         SELECT o.id, $3, $4 FROM orders o WHERE {cond}
           AND NOT EXISTS (SELECT 1 FROM automation_runs a WHERE a.order_id = o.id AND a.reason = $3)"
    );
    Ok(exec_tx!(tx, c => sqlx::query(&sql).bind(until).bind(since).bind(reason).bind(at).execute(c).await)?)
}
