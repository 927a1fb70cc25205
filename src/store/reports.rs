//! The reports' aggregate queries. Each reads a range of pre-sale tickets through
//! `tickets_inquiries` and, per inquiry, the buyer's orders through `orders_by_buyer`; only
//! the aggregates leave the database. Date arithmetic is the one thing the two stores spell
//! differently: SQLite works on the stored text (days by a fixed UTC offset, windows in Julian
//! days), Postgres on real times and the zone's rules.

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use super::{Db, Pool, StoreResult};
use crate::domain::reports::{By, InquiryLine};
use crate::domain::rules::ReturnReason;
use crate::domain::{LossReason, Platform};

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

/// The inquiries of the range in one statement's FROM: each with its key, whether any order
/// of the buyer followed within the window (converted), and the orders it is credited with.
/// An order is credited once, to the latest inquiry of the buyer before it (so sales are not
/// counted twice when a buyer asked twice). `{key}` is the breakdown's expression.
fn inquiries_sql(pg: bool, key: &str) -> String {
    let window = if pg {
        "o.created_at >= t.created_at AND o.created_at <= t.created_at + make_interval(days => $5::int)"
    } else {
        "o.created_at >= t.created_at AND julianday(o.created_at) <= julianday(t.created_at) + $5"
    };
    let latest = "NOT EXISTS (SELECT 1 FROM tickets l WHERE l.buyer_id = t.buyer_id AND l.stage = 'presale'
        AND l.parent_id IS NULL AND l.created_at > t.created_at AND l.created_at <= o.created_at)";
    format!(
        "SELECT {key} AS key,
            CASE WHEN EXISTS (SELECT 1 FROM orders o WHERE o.buyer_id = t.buyer_id AND {window}) THEN 1 ELSE 0 END
              AS converted,
            (SELECT COUNT(*) FROM orders o WHERE o.buyer_id = t.buyer_id AND {window} AND {latest}) AS orders,
            (SELECT COALESCE(SUM(o.goods_fen + o.shipping_fee_fen), 0) FROM orders o
              WHERE o.buyer_id = t.buyer_id AND {window} AND {latest}) AS fen
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
                CAST(COALESCE(SUM(i.converted), 0) AS BIGINT) AS converted,
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

/// One agent's service figures for tickets opened in a range that they answered first.
#[derive(Debug, Clone, Default, FromRow)]
pub struct AgentFigures {
    pub agent_id: Uuid,
    pub tickets: i64,
    /// Seconds from the buyer's first message to the first reply.
    pub first_median: Option<i64>,
    pub first_p90: Option<i64>,
    /// Seconds from opening to resolution, of the resolved ones.
    pub resolve_median: Option<i64>,
    /// Tickets whose SLA outcome is known (resolved, or past their resolution due time) and
    /// those of them answered and resolved in time. Paused clocks moved the due times already.
    pub sla_decided: i64,
    pub sla_met: i64,
}

/// Seconds between two stored times, in each store's arithmetic.
fn seconds(pg: bool, later: &str, earlier: &str) -> String {
    if pg {
        format!("CAST(EXTRACT(EPOCH FROM ({later} - {earlier})) AS BIGINT)")
    } else {
        format!("CAST(ROUND((julianday({later}) - julianday({earlier})) * 86400.0) AS BIGINT)")
    }
}

/// Median (the mean of the two middle values for an even count) and 90th percentile (nearest
/// rank) of `secs` per agent, from ranked rows `r(agent, secs, rn, n)`.
const QUANTILES: &str = "CAST(ROUND(AVG(CASE WHEN rn IN ((n + 1) / 2, n / 2 + 1) THEN secs END)) AS BIGINT) AS median,
       MAX(CASE WHEN rn = (9 * n + 9) / 10 THEN secs END) AS p90";

/// Per `key`: tickets, first-response and resolution quantiles, SLA met, over the buyers'
/// tickets opened in [$1, $2) that pass `filter`; `$3` is now (an open ticket past its
/// resolution due time has missed it).
fn times_sql(pg: bool, key: &str, filter: &str) -> String {
    let first = seconds(pg, "t.first_response_at", "t.created_at");
    let resolve = seconds(pg, "t.resolved_at", "t.created_at");
    format!(
        "WITH base AS (
           SELECT {key} AS key,
                  CASE WHEN t.first_response_at IS NOT NULL THEN {first} END AS first_secs,
                  CASE WHEN t.resolved_at IS NOT NULL THEN {resolve} END AS resolve_secs,
                  CASE WHEN t.first_response_due IS NOT NULL AND (t.resolved_at IS NOT NULL OR t.resolution_due < $3)
                       THEN 1 ELSE 0 END AS decided,
                  CASE WHEN t.first_response_due IS NOT NULL AND t.first_response_at <= t.first_response_due
                        AND t.resolved_at IS NOT NULL AND t.resolved_at <= t.resolution_due THEN 1 ELSE 0 END AS met
           FROM tickets t WHERE t.parent_id IS NULL AND t.created_at >= $1 AND t.created_at < $2 AND {filter}
         ),
         f AS (
           SELECT key, first_secs AS secs, ROW_NUMBER() OVER (PARTITION BY key ORDER BY first_secs) AS rn,
                  COUNT(*) OVER (PARTITION BY key) AS n FROM base WHERE first_secs IS NOT NULL
         ),
         fq AS (SELECT key, {QUANTILES} FROM f GROUP BY key),
         r AS (
           SELECT key, resolve_secs AS secs, ROW_NUMBER() OVER (PARTITION BY key ORDER BY resolve_secs) AS rn,
                  COUNT(*) OVER (PARTITION BY key) AS n FROM base WHERE resolve_secs IS NOT NULL
         ),
         rq AS (SELECT key, {QUANTILES} FROM r GROUP BY key),
         totals AS (
           SELECT key, COUNT(*) AS tickets, CAST(SUM(decided) AS BIGINT) AS decided, CAST(SUM(met) AS BIGINT) AS met
           FROM base GROUP BY key
         )
         SELECT x.key, x.tickets, fq.median AS first_median, fq.p90 AS first_p90,
                rq.median AS resolve_median, rq.p90 AS resolve_p90, x.decided AS sla_decided, x.met AS sla_met
         FROM totals x LEFT JOIN fq ON fq.key = x.key LEFT JOIN rq ON rq.key = x.key ORDER BY x.key"
    )
}

#[derive(FromRow)]
struct AgentRow {
    key: Uuid,
    tickets: i64,
    first_median: Option<i64>,
    first_p90: Option<i64>,
    resolve_median: Option<i64>,
    sla_decided: i64,
    sla_met: i64,
}

/// Per agent: tickets answered first, first-response and resolution quantiles, SLA met.
pub async fn agent_figures(
    db: &Db, start: DateTime<Utc>, end: DateTime<Utc>, now: DateTime<Utc>,
) -> StoreResult<Vec<AgentFigures>> {
    let pg = matches!(db.read(), Pool::Pg(_));
    let sql = times_sql(pg, "t.first_responder_id", "t.first_responder_id IS NOT NULL");
    let rows: Vec<AgentRow> =
        crate::on_pool!(db.read(), p => sqlx::query_as(&sql).bind(start).bind(end).bind(now).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|r| AgentFigures {
            agent_id: r.key,
            tickets: r.tickets,
            first_median: r.first_median,
            first_p90: r.first_p90,
            resolve_median: r.resolve_median,
            sla_decided: r.sla_decided,
            sla_met: r.sla_met,
        })
        .collect())
}

/// Service times of one stage or one day (the key).
#[derive(Debug, Clone, Default, PartialEq, Eq, FromRow)]
pub struct TimesLine {
    pub key: String,
    pub tickets: i64,
    pub first_median: Option<i64>,
    pub first_p90: Option<i64>,
    pub resolve_median: Option<i64>,
    pub resolve_p90: Option<i64>,
    pub sla_decided: i64,
    pub sla_met: i64,
}

/// Service times of the buyers' tickets opened in a range, per stage or per day in the shop's
/// zone (`by_day`).
pub async fn service_times(db: &Db, q: &InquiryQuery, now: DateTime<Utc>, by_day: bool) -> StoreResult<Vec<TimesLine>> {
    let pg = matches!(db.read(), Pool::Pg(_));
    let key = match (by_day, pg) {
        (false, _) => "t.stage",
        (true, true) => "to_char(t.created_at AT TIME ZONE $4, 'YYYY-MM-DD')",
        (true, false) => "date(t.created_at, $4 || ' minutes')",
    };
    let sql = times_sql(pg, key, "TRUE");
    let zone = if pg { q.zone.clone() } else { format!("{:+}", q.offset_minutes) };
    Ok(
        crate::on_pool!(db.read(), p => sqlx::query_as(&sql).bind(q.start).bind(q.end).bind(now).bind(&zone).fetch_all(p).await)?,
    )
}

/// Buyers' tickets opened in a range per weekday (0 = Sunday) and hour, in the shop's zone.
pub async fn arrivals(db: &Db, q: &InquiryQuery) -> StoreResult<Vec<(i64, i64, i64)>> {
    let (sql, zone) = match db.read() {
        Pool::Pg(_) => (
            "SELECT CAST(EXTRACT(DOW FROM t.created_at AT TIME ZONE $3) AS BIGINT),
                    CAST(EXTRACT(HOUR FROM t.created_at AT TIME ZONE $3) AS BIGINT), COUNT(*)
             FROM tickets t WHERE t.parent_id IS NULL AND t.created_at >= $1 AND t.created_at < $2
             GROUP BY 1, 2",
            q.zone.clone(),
        ),
        Pool::Sqlite(_) => (
            "SELECT CAST(strftime('%w', t.created_at, $3 || ' minutes') AS INTEGER),
                    CAST(strftime('%H', t.created_at, $3 || ' minutes') AS INTEGER), COUNT(*)
             FROM tickets t WHERE t.parent_id IS NULL AND t.created_at >= $1 AND t.created_at < $2
             GROUP BY 1, 2",
            format!("{:+}", q.offset_minutes),
        ),
    };
    Ok(crate::on_pool!(db.read(), p => sqlx::query_as(sql).bind(q.start).bind(q.end).bind(&zone).fetch_all(p).await)?)
}

/// Replies to buyers written in a range, per agent.
pub async fn replies_per_agent(db: &Db, start: DateTime<Utc>, end: DateTime<Utc>) -> StoreResult<Vec<(Uuid, i64)>> {
    Ok(crate::on_pool!(db.read(), p => sqlx::query_as(
        "SELECT staff_id, COUNT(*) FROM ticket_messages
         WHERE author_kind = 'staff' AND NOT internal AND created_at >= $1 AND created_at < $2 AND staff_id IS NOT NULL
         GROUP BY staff_id")
        .bind(start).bind(end).fetch_all(p).await)?)
}

/// Service ratings given in a range, per agent: (agent, ratings, satisfied or very satisfied).
pub async fn ratings_per_agent(
    db: &Db, start: DateTime<Utc>, end: DateTime<Utc>,
) -> StoreResult<Vec<(Uuid, i64, i64)>> {
    Ok(crate::on_pool!(db.read(), p => sqlx::query_as(
        "SELECT agent_id, COUNT(*),
                CAST(SUM(CASE WHEN rating IN ('very_satisfied', 'satisfied') THEN 1 ELSE 0 END) AS BIGINT)
         FROM ticket_ratings WHERE agent_id IS NOT NULL AND created_at >= $1 AND created_at < $2
         GROUP BY agent_id")
        .bind(start).bind(end).fetch_all(p).await)?)
}

/// After-sale figures of a range: what the store counts, for the service to put words and
/// rules to.
#[derive(Debug, Clone, Default)]
pub struct AfterSaleCounts {
    /// Returns (after-sale tickets with a return reason) opened in the range, per reason.
    pub by_reason: Vec<(ReturnReason, i64)>,
    /// The same per product of their orders: (SKU, title, returns), most returned first.
    pub by_product: Vec<(String, String, i64)>,
    /// Who pays (outbound/return) as decided on those returns, with counts.
    pub fees: Vec<(String, i64)>,
    /// Returns that ended refunded, and orders placed in the range.
    pub refunds: i64,
    pub orders: i64,
    /// Orders of the range shipped late (or not yet shipped past their ship-by time), per
    /// platform and goods amount: the penalty rule applies per group.
    pub late: Vec<(Platform, i64, i64)>,
    /// Mid and bad reviews received in the range, and those of them later changed to good.
    pub mid_reviews: i64,
    pub bad_reviews: i64,
    pub rescued: i64,
    /// Per courier: parcels shipped in the range, and parcels the stuck-parcel automation
    /// flagged in the range (no tracking update for too long), most stuck first.
    pub couriers: Vec<(String, i64, i64)>,
}

pub async fn after_sale(
    db: &Db, start: DateTime<Utc>, end: DateTime<Utc>, now: DateTime<Utc>,
) -> StoreResult<AfterSaleCounts> {
    const RETURNS: &str =
        "t.parent_id IS NULL AND t.created_at >= $1 AND t.created_at < $2 AND t.return_reason IS NOT NULL";
    let by_reason = async {
        let sql = format!(
            "SELECT t.return_reason, COUNT(*) FROM tickets t WHERE {RETURNS} GROUP BY t.return_reason ORDER BY COUNT(*) DESC, t.return_reason"
        );
        Ok::<Vec<(ReturnReason, i64)>, super::StoreError>(
            crate::on_pool!(db.read(), p => sqlx::query_as(&sql).bind(start).bind(end).fetch_all(p).await)?,
        )
    };
    let by_product = async {
        let sql = format!(
            "SELECT i.sku, MIN(i.title), COUNT(DISTINCT t.id) FROM tickets t JOIN order_items i ON i.order_id = t.order_id
             WHERE {RETURNS} GROUP BY i.sku ORDER BY COUNT(DISTINCT t.id) DESC, i.sku LIMIT 20"
        );
        Ok(crate::on_pool!(db.read(), p => sqlx::query_as(&sql).bind(start).bind(end).fetch_all(p).await)?)
    };
    let fees = async {
        let sql = format!(
            "SELECT t.fee_responsibility, COUNT(*) FROM tickets t WHERE {RETURNS} AND t.fee_responsibility IS NOT NULL
             GROUP BY t.fee_responsibility ORDER BY t.fee_responsibility"
        );
        Ok(crate::on_pool!(db.read(), p => sqlx::query_as(&sql).bind(start).bind(end).fetch_all(p).await)?)
    };
    let refunds = async {
        let sql = format!("SELECT COUNT(*) FROM tickets t WHERE {RETURNS} AND t.return_state = 'refunded'");
        let (n,): (i64,) =
            crate::on_pool!(db.read(), p => sqlx::query_as(&sql).bind(start).bind(end).fetch_one(p).await)?;
        Ok(n)
    };
    let orders = async {
        let (n,): (i64,) = crate::on_pool!(db.read(), p => sqlx::query_as(
            "SELECT COUNT(*) FROM orders o WHERE o.created_at >= $1 AND o.created_at < $2")
            .bind(start).bind(end).fetch_one(p).await)?;
        Ok(n)
    };
    let late = async {
        Ok(crate::on_pool!(db.read(), p => sqlx::query_as(
            "SELECT o.platform, o.goods_fen, COUNT(*) FROM orders o
             WHERE o.created_at >= $1 AND o.created_at < $2 AND o.ship_by IS NOT NULL
               AND ((o.shipped_at IS NOT NULL AND o.shipped_at > o.ship_by)
                    OR (o.shipped_at IS NULL AND o.status = 'paid' AND o.ship_by < $3))
             GROUP BY o.platform, o.goods_fen")
            .bind(start).bind(end).bind(now).fetch_all(p).await)?)
    };
    let reviews = async {
        let row: (i64, i64, i64) = crate::on_pool!(db.read(), p => sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(CASE WHEN first_rating = 'mid' THEN 1 ELSE 0 END), 0) AS BIGINT),
                    CAST(COALESCE(SUM(CASE WHEN first_rating = 'bad' THEN 1 ELSE 0 END), 0) AS BIGINT),
                    CAST(COALESCE(SUM(CASE WHEN rating = 'good' THEN 1 ELSE 0 END), 0) AS BIGINT)
             FROM reviews WHERE first_rating IN ('mid', 'bad') AND created_at >= $1 AND created_at < $2")
            .bind(start).bind(end).fetch_one(p).await)?;
        Ok(row)
    };
    let couriers = async {
        Ok(crate::on_pool!(db.read(), p => sqlx::query_as(
            "SELECT c.courier, COALESCE(s.n, 0), COALESCE(c.n, 0) FROM
               (SELECT sh.courier, COUNT(DISTINCT r.order_id) AS n FROM automation_runs r
                  JOIN shipments sh ON sh.order_id = r.order_id
                WHERE r.reason = 'stuck_parcel' AND r.fired_at >= $1 AND r.fired_at < $2 GROUP BY sh.courier) c
             LEFT JOIN
               (SELECT sh.courier, COUNT(*) AS n FROM orders o JOIN shipments sh ON sh.order_id = o.id
                WHERE o.shipped_at >= $1 AND o.shipped_at < $2 GROUP BY sh.courier) s ON s.courier = c.courier
             ORDER BY c.n DESC, c.courier")
            .bind(start).bind(end).fetch_all(p).await)?)
    };
    let (by_reason, by_product, fees, refunds, orders, late, (mid_reviews, bad_reviews, rescued), couriers) =
        tokio::try_join!(by_reason, by_product, fees, refunds, orders, late, reviews, couriers)?;
    Ok(AfterSaleCounts {
        by_reason,
        by_product,
        fees,
        refunds,
        orders,
        late,
        mid_reviews,
        bad_reviews,
        rescued,
        couriers,
    })
}
