//! The reports' aggregate queries. The inquiry analysis reads a range of pre-sale tickets
//! from the covering `tickets_inquiries` and the orders credited to them through
//! `orders_by_inquiry` (both links kept by [`link_buyer`]); only the aggregates leave the
//! database. Date arithmetic is the one thing the two stores spell
//! differently: SQLite works on the stored text (days by a fixed UTC offset, windows in Julian
//! days), Postgres on real times and the zone's rules.

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use super::{Db, Pool, StoreResult, Tx, json_rows};
use crate::domain::reports::{By, InquiryLine};
use crate::domain::rules::ReturnReason;
use crate::domain::{LossReason, Platform, Stage};
use crate::exec_tx;

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

/// The two inquiry links of one buyer's tickets and orders, recomputed from scratch (a
/// buyer has a handful of each): when they first ordered after each ticket opened, and the
/// inquiry each order is credited to. Run whenever a buyer's orders or pre-sale tickets
/// change in a way the links depend on: an order placed or moved, a ticket opened in the
/// past (an imported conversation) or moved into or out of pre-sale, tickets merged. Only
/// rows whose link changes are written. `one_buyer`: only buyer `$1`'s.
fn link_sql(one_buyer: bool) -> [String; 2] {
    let (tickets, orders) = if one_buyer { ("t.buyer_id = $1", "o.buyer_id = $1") } else { ("TRUE", "TRUE") };
    [
        format!(
            "UPDATE tickets SET first_order_at = x.at FROM (
               SELECT t.id, (SELECT MIN(o.created_at) FROM orders o
                             WHERE o.buyer_id = t.buyer_id AND o.created_at >= t.created_at) AS at
               FROM tickets t WHERE {tickets}) x
             WHERE tickets.id = x.id AND tickets.first_order_at IS DISTINCT FROM x.at"
        ),
        format!(
            "UPDATE orders SET inquiry_id = x.inquiry FROM (
               SELECT o.id, (SELECT t.id FROM tickets t
                             WHERE t.buyer_id = o.buyer_id AND t.stage = 'presale' AND t.parent_id IS NULL
                               AND t.created_at <= o.created_at
                             ORDER BY t.created_at DESC, t.id DESC LIMIT 1) AS inquiry
               FROM orders o WHERE {orders}) x
             WHERE orders.id = x.id AND orders.inquiry_id IS DISTINCT FROM x.inquiry"
        ),
    ]
}

pub async fn link_buyer(tx: &mut Tx, buyer: Uuid) -> StoreResult<()> {
    for sql in link_sql(true) {
        exec_tx!(tx, c => sqlx::query(&sql).bind(buyer).execute(c).await)?;
    }
    Ok(())
}

/// Every buyer's links at once, after a bulk load.
pub async fn link_all(tx: &mut Tx) -> StoreResult<()> {
    for sql in link_sql(false) {
        exec_tx!(tx, c => sqlx::query(&sql).execute(c).await)?;
    }
    Ok(())
}

/// `later` is at most `$5` days after `earlier`, in each store's arithmetic.
fn within_days(pg: bool, later: &str, earlier: &str) -> String {
    if pg {
        format!("{later} <= {earlier} + make_interval(days => $5::int)")
    } else {
        format!("julianday({later}) <= julianday({earlier}) + $5")
    }
}

/// Per key (`{key}`, the breakdown's expression): the range's inquiries, those the buyer
/// followed with an order within the window (converted), and the orders credited to them
/// within it with their amount. One pass over the covering `tickets_inquiries`; only a
/// converted inquiry looks up its credited orders (`orders_by_inquiry`). Joining the range's
/// converted inquiries to the orders instead let Postgres, which expects a third of them to
/// convert where a few percent do, read every order of the shop (a year at scale 1: 400 →
/// 160 ms).
fn inquiries_sql(pg: bool, key: &str) -> String {
    let converted = format!("t.first_order_at IS NOT NULL AND {}", within_days(pg, "t.first_order_at", "t.created_at"));
    let credited = within_days(pg, "o.created_at", "t.created_at");
    let orders = |what: &str| {
        format!(
            "CAST(COALESCE(SUM(CASE WHEN {converted}
                                   THEN (SELECT {what} FROM orders o WHERE o.inquiry_id = t.id AND {credited}) END), 0)
                  AS BIGINT)"
        )
    };
    format!(
        "SELECT {key} AS key, COUNT(*) AS inquiries,
                CAST(SUM(CASE WHEN {converted} THEN 1 ELSE 0 END) AS BIGINT) AS converted,
                {count} AS orders, {fen} AS sales_fen
         FROM tickets t
         LEFT JOIN staff s ON s.id = t.first_responder_id
         LEFT JOIN products p ON p.id = t.product_id
         WHERE t.stage = 'presale' AND t.parent_id IS NULL AND t.created_at >= $1 AND t.created_at < $2
           AND ($6 IS NULL OR t.first_responder_id = $6) AND ($7 IS NULL OR t.product_id = $7)
         GROUP BY 1 ORDER BY 1",
        count = orders("COUNT(*)"),
        fen = orders("SUM(o.goods_fen + o.shipping_fee_fen)"),
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
    let sql = inquiries_sql(pg, key);
    let rows: Vec<LineRow> = match db.read() {
        sqlite @ (Pool::Sqlite(_) | Pool::SqliteHeld(_) | Pool::SqliteWriter(_)) => crate::on_sqlite!(sqlite, p => {
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
        }),
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

/// Buyers with earlier orders whose inquiry in the range did not convert, latest first:
/// walks the range's inquiries newest first and stops at `limit`.
pub async fn lost_returning(db: &Db, q: &InquiryQuery, limit: i64) -> StoreResult<Vec<LostReturning>> {
    let pg = matches!(db.read(), Pool::Pg(_));
    let converted = within_days(pg, "t.first_order_at", "t.created_at");
    let sql = format!(
        "SELECT t.id AS ticket_id, t.number, b.nick AS buyer_nick, t.created_at AS asked_at,
           (SELECT COUNT(*) FROM orders o WHERE o.buyer_id = t.buyer_id AND o.created_at < t.created_at)
             AS earlier_orders
         FROM tickets t JOIN buyers b ON b.id = t.buyer_id
         WHERE t.stage = 'presale' AND t.parent_id IS NULL AND t.created_at >= $1 AND t.created_at < $2
           AND ($3 IS NULL OR t.first_responder_id = $3) AND ($4 IS NULL OR t.product_id = $4)
           AND NOT (t.first_order_at IS NOT NULL AND {converted})
           AND EXISTS (SELECT 1 FROM orders o WHERE o.buyer_id = t.buyer_id AND o.created_at < t.created_at)
         ORDER BY t.created_at DESC LIMIT $6"
    );
    Ok(match db.read() {
        sqlite @ (Pool::Sqlite(_) | Pool::SqliteHeld(_) | Pool::SqliteWriter(_)) => crate::on_sqlite!(sqlite, p => {
            sqlx::query_as(&sql)
                .bind(q.start)
                .bind(q.end)
                .bind(q.agent)
                .bind(q.product)
                .bind(q.conversion_days)
                .bind(limit)
                .fetch_all(p)
                .await?
        }),
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

/// Seconds between two stored times on SQLite, written as its index `tickets_times` writes
/// them (Postgres stores each ticket's durations: migration 0032).
fn sqlite_seconds(later: &str, earlier: &str) -> String {
    format!("CAST(ROUND((julianday({later}) - julianday({earlier})) * 86400.0) AS BIGINT)")
}

/// How service times are grouped.
#[derive(Clone, Copy)]
enum TimesKey {
    Stage,
    /// The shop's date of opening.
    Day,
    /// The agent who answered first (only the tickets someone answered).
    Agent,
}

/// Per key: tickets, first-response and resolution quantiles, SLA met, over the buyers'
/// tickets opened in [$1, $2); `$3` is now (an open ticket past its resolution due time has
/// missed it); `$4` the shop's zone (Postgres: its name; SQLite: its UTC offset in minutes).
///
/// Postgres has the quantiles built in (`percentile_disc`: each group's values sorted on their
/// own — a year by day in 0.18 s at scale 1 where ranking every row took 1.4 s). The median of
/// an even count is the mean of the middle two, rounded half away from zero; the 90th
/// percentile is the nearest rank, ceil(0.9 n).
///
/// What the statement groups by decides its shape, because sorting a year's rows by the key
/// before the groups' own sorts was a third of its time (scale 1, a year: stage 500 → 350 ms,
/// day 530 → 285 ms):
/// - stage: one pass with each stage's aggregates filtered to its rows (a handful of stages);
/// - day: one small aggregate per day of the shop's calendar, each reading its own stretch of
///   `tickets_times`, the day's bounds converted once instead of every ticket's time;
/// - agent: grouped (dozens of keys; the agents report is under its budget).
fn times_sql_pg(by: TimesKey) -> String {
    // The durations and whether both targets were met are stored with each ticket
    // (migration 0032) and read from `tickets_times`.
    let rows = |key: &str, range: &str, filter: &str| {
        format!(
            "SELECT {key} t.first_response_secs AS first_secs, t.resolution_secs AS resolve_secs,
                    CASE WHEN t.first_response_due IS NOT NULL AND (t.resolution_secs IS NOT NULL OR t.resolution_due < $3)
                         THEN 1 ELSE 0 END AS decided,
                    CASE WHEN t.sla_met THEN 1 ELSE 0 END AS met
             FROM tickets t WHERE t.parent_id IS NULL AND {range} AND {filter}"
        )
    };
    // One sort per column for all three ranks: the median is the mean of the two middle
    // values (rank ⌈n/2⌉ and, for an even n, the one after it; for an odd n the same one
    // twice), which is what `percentile_cont(0.5)` interpolates; the 90th percentile is rank
    // ⌈0.9n⌉ (`percentile_disc(0.9)`). Separate `percentile_cont` and `percentile_disc` calls
    // sorted each group once per call: 600 → 420 ms for a year at scale 1. The nudge above
    // 0.5 reaches the next rank while a group has under 500 million tickets.
    // `filter` limits the aggregates to some rows, `name` prefixes their names.
    let figures = |filter: &str, name: &str| {
        let ranks =
            |col: &str| format!("percentile_disc(ARRAY[0.5, 0.500000001, 0.9]) WITHIN GROUP (ORDER BY {col}){filter}");
        format!(
            "COUNT(*){filter} AS {name}tickets, {f} AS {name}f, {r} AS {name}r,
             CAST(COALESCE(SUM(decided){filter}, 0) AS BIGINT) AS {name}sla_decided,
             CAST(COALESCE(SUM(met){filter}, 0) AS BIGINT) AS {name}sla_met",
            f = ranks("first_secs"),
            r = ranks("resolve_secs"),
        )
    };
    let median = |r: &str| format!("CAST(ROUND((x.{r}[1] + x.{r}[2]) / 2.0) AS BIGINT)");
    let select = |label: &str| {
        format!(
            "SELECT {label} AS key, x.tickets, {fm} AS first_median, x.f[3] AS first_p90, {rm} AS resolve_median,
                    x.r[3] AS resolve_p90, x.sla_decided, x.sla_met",
            fm = median("f"),
            rm = median("r"),
        )
    };
    let in_range = "t.created_at >= $1 AND t.created_at < $2";
    match by {
        TimesKey::Stage => {
            // Each stage's figures as columns of one row, turned into a row per stage.
            let columns = Stage::ALL
                .iter()
                .map(|s| figures(&format!(" FILTER (WHERE stage = '{s}')"), &format!("{s}_")))
                .collect::<Vec<_>>()
                .join(",\n");
            let values = Stage::ALL
                .iter()
                .map(|s| format!("('{s}', a.{s}_tickets, a.{s}_f, a.{s}_r, a.{s}_sla_decided, a.{s}_sla_met)"))
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "{select}
                 FROM (SELECT {columns} FROM ({rows}) b) a
                 CROSS JOIN LATERAL (VALUES {values}) AS x(key, tickets, f, r, sla_decided, sla_met)
                 WHERE x.tickets > 0 ORDER BY x.key",
                select = select("x.key"),
                rows = rows("t.stage,", in_range, "TRUE"),
            )
        }
        TimesKey::Day => {
            // The shop's days that meet the range, each bounded by its midnights in the zone
            // (a day that changes clocks is as long as it is) and clipped to the range.
            let day_range = "t.created_at >= GREATEST($1, d.day AT TIME ZONE $4)
                             AND t.created_at < LEAST($2, (d.day + INTERVAL '1 day') AT TIME ZONE $4)";
            format!(
                "{select}
                 FROM generate_series(CAST(CAST($1 AT TIME ZONE $4 AS DATE) AS TIMESTAMP),
                                      CAST(CAST(($2 - INTERVAL '1 microsecond') AT TIME ZONE $4 AS DATE) AS TIMESTAMP),
                                      INTERVAL '1 day') AS d(day)
                 CROSS JOIN LATERAL (SELECT {figures} FROM ({rows}) b) x
                 WHERE x.tickets > 0 ORDER BY d.day",
                select = select("to_char(d.day, 'YYYY-MM-DD')"),
                figures = figures("", ""),
                rows = rows("", day_range, "TRUE"),
            )
        }
        TimesKey::Agent => format!(
            "{select}
             FROM (SELECT key, {figures} FROM ({rows}) b GROUP BY key) x
             ORDER BY x.key",
            select = select("CAST(x.key AS TEXT)"),
            figures = figures("", ""),
            rows = rows("t.first_responder_id AS key,", in_range, "t.first_responder_id IS NOT NULL"),
        ),
    }
}

/// The same figures on SQLite, as one JSON value from our aggregate `kefu_times_by`
/// (`store::sqlite_functions`): no percentile functions there, and grouping in SQL sorted the
/// whole range first. Every expression below is written exactly as in the covering index
/// `tickets_times` (migration 0028), so SQLite reads the durations from the index instead of
/// parsing three timestamps per ticket.
fn times_sql_sqlite(by: TimesKey) -> String {
    let (key, filter) = match by {
        TimesKey::Stage => ("stage", "TRUE"),
        // The Julian day number of the shop's date ($4: its UTC offset in minutes).
        TimesKey::Day => ("CAST(julianday(created_at) + $4 / 1440.0 + 0.5 AS INTEGER)", "TRUE"),
        TimesKey::Agent => ("first_responder_id", "first_responder_id IS NOT NULL"),
    };
    let first = format!(
        "(CASE WHEN first_response_at IS NOT NULL THEN {} END)",
        sqlite_seconds("first_response_at", "created_at")
    );
    let resolve =
        format!("(CASE WHEN resolved_at IS NOT NULL THEN {} END)", sqlite_seconds("resolved_at", "created_at"));
    format!(
        "SELECT kefu_times_by({key}, {first}, {resolve},
                              (first_response_due IS NOT NULL) AND ({resolve} IS NOT NULL OR resolution_due < $3),
                              (first_response_due IS NOT NULL AND first_response_at <= first_response_due
                               AND resolved_at IS NOT NULL AND resolved_at <= resolution_due))
         FROM tickets WHERE parent_id IS NULL AND created_at >= $1 AND created_at < $2 AND {filter}"
    )
}

/// Reads `kefu_times_by`'s JSON into lines, keyed as on Postgres: a stage, a date (from its
/// Julian day number), an agent's id (its hex).
fn times_from_json(json: &str) -> StoreResult<Vec<TimesLine>> {
    use super::sqlite_functions::Key;
    type Line = (Key, i64, Option<i64>, Option<i64>, Option<i64>, Option<i64>, i64, i64);
    let lines: Vec<Line> = json_rows::array(json)?;
    Ok(lines
        .into_iter()
        .map(|(key, tickets, first_median, first_p90, resolve_median, resolve_p90, sla_decided, sla_met)| {
            let key = match key {
                // Julian day 2440588 is 1970-01-01.
                Key::Int(jdn) => (chrono::DateTime::UNIX_EPOCH.date_naive()
                    + chrono::Days::new((jdn - 2_440_588).max(0) as u64))
                .format("%Y-%m-%d")
                .to_string(),
                Key::Text(text) => text,
            };
            TimesLine { key, tickets, first_median, first_p90, resolve_median, resolve_p90, sla_decided, sla_met }
        })
        .collect())
}

/// Service times of the buyers' tickets opened in a range, grouped `by`; keys in order.
async fn times(db: &Db, q: &InquiryQuery, now: DateTime<Utc>, by: TimesKey) -> StoreResult<Vec<TimesLine>> {
    Ok(match db.read() {
        sqlite @ (Pool::Sqlite(_) | Pool::SqliteHeld(_) | Pool::SqliteWriter(_)) => crate::on_sqlite!(sqlite, p => {
            let json: Option<String> = sqlx::query_scalar(&times_sql_sqlite(by))
                .bind(q.start)
                .bind(q.end)
                .bind(now)
                .bind(q.offset_minutes)
                .fetch_one(p)
                .await?;
            times_from_json(json.as_deref().unwrap_or("[]"))?
        }),
        Pool::Pg(p) => {
            sqlx::query_as(&times_sql_pg(by)).bind(q.start).bind(q.end).bind(now).bind(&q.zone).fetch_all(p).await?
        }
    })
}

/// Per agent: tickets answered first, first-response and resolution quantiles, SLA met.
pub async fn agent_figures(db: &Db, q: &InquiryQuery, now: DateTime<Utc>) -> StoreResult<Vec<AgentFigures>> {
    let lines = times(db, q, now, TimesKey::Agent).await?;
    lines
        .into_iter()
        .map(|l| {
            Ok(AgentFigures {
                agent_id: json_rows::id(&l.key)?,
                tickets: l.tickets,
                first_median: l.first_median,
                first_p90: l.first_p90,
                resolve_median: l.resolve_median,
                sla_decided: l.sla_decided,
                sla_met: l.sla_met,
            })
        })
        .collect()
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
    times(db, q, now, if by_day { TimesKey::Day } else { TimesKey::Stage }).await
}

/// Buyers' tickets opened in a range per weekday (0 = Sunday) and hour, in the shop's zone.
pub async fn arrivals(db: &Db, q: &InquiryQuery) -> StoreResult<Vec<(i64, i64, i64)>> {
    let (sql, zone) = match db.read() {
        // Both stores count per hour of the shop's clock first and fold the hours into the
        // week afterwards. Postgres counts each hour of the shop's calendar in the range as
        // its own stretch of `tickets_times`, the hour's bounds converted once instead of
        // every ticket's time (a year at scale 1: 265 → 130 ms; grouping the tickets by
        // their converted hour took 175–265 ms). Where clocks go back, Postgres reads the
        // repeated local hour as its second pass, so the first pass counts in the hour
        // before: one hour a year in such zones, none in China's.
        Pool::Pg(_) => (
            "SELECT CAST(EXTRACT(DOW FROM g.h) AS BIGINT), CAST(EXTRACT(HOUR FROM g.h) AS BIGINT), CAST(SUM(c.n) AS BIGINT)
             FROM generate_series(date_trunc('hour', $1 AT TIME ZONE $3),
                                  date_trunc('hour', ($2 - INTERVAL '1 microsecond') AT TIME ZONE $3),
                                  INTERVAL '1 hour') AS g(h)
             CROSS JOIN LATERAL (
               SELECT COUNT(*) AS n FROM tickets t
               WHERE t.parent_id IS NULL AND t.created_at >= GREATEST($1, g.h AT TIME ZONE $3)
                 AND t.created_at < LEAST($2, (g.h + INTERVAL '1 hour') AT TIME ZONE $3)) c
             WHERE c.n > 0
             GROUP BY 1, 2",
            q.zone.clone(),
        ),
        Pool::Sqlite(_) | Pool::SqliteHeld(_) | Pool::SqliteWriter(_) => (
            "SELECT (h / 24 + 4) % 7, h % 24, CAST(SUM(n) AS BIGINT) FROM (
               SELECT (unixepoch(t.created_at) + CAST($3 AS INTEGER) * 60) / 3600 AS h, COUNT(*) AS n
               FROM tickets t WHERE t.parent_id IS NULL AND t.created_at >= $1 AND t.created_at < $2
               GROUP BY 1
             ) hours GROUP BY 1, 2",
            format!("{}", q.offset_minutes),
        ),
    };
    Ok(crate::on_pool!(db.read(), p => sqlx::query_as(sql).bind(q.start).bind(q.end).bind(&zone).fetch_all(p).await)?)
}

/// Counts one reply to a buyer in its agent's day (`reply_days`, UTC days).
pub async fn count_reply(tx: &mut Tx, staff: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query(&count_reply_sql("$1", "$2")).bind(at.date_naive()).bind(staff).execute(c).await)?;
    Ok(())
}

/// [`count_reply`]'s statement, `day` and `staff` naming its parameters: on its own, or in
/// the SQLite batch that stores the reply (`tickets::insert_message`).
pub(crate) fn count_reply_sql(day: &str, staff: &str) -> String {
    format!(
        "INSERT INTO reply_days (day, staff_id, replies) VALUES ({day}, {staff}, 1)
         ON CONFLICT (day, staff_id) DO UPDATE SET replies = reply_days.replies + 1;"
    )
}

/// Counts every reply again, after a bulk load wrote messages past [`count_reply`].
pub async fn recount_replies(tx: &mut Tx) -> StoreResult<()> {
    let day = match tx {
        Tx::Sqlite(_) => "substr(created_at, 1, 10)",
        Tx::Pg(_) => "CAST(created_at AT TIME ZONE 'UTC' AS DATE)",
    };
    exec_tx!(tx, c => sqlx::query("DELETE FROM reply_days").execute(c).await)?;
    let sql = format!(
        "INSERT INTO reply_days (day, staff_id, replies)
         SELECT {day}, staff_id, COUNT(*) FROM ticket_messages
         WHERE author_kind = 'staff' AND NOT internal AND staff_id IS NOT NULL GROUP BY 1, 2"
    );
    exec_tx!(tx, c => sqlx::query(&sql).execute(c).await)?;
    Ok(())
}

/// The whole UTC days inside [start, end) as the instants [a, b) they span; when there are
/// none, the empty span at `end` (everything is then a partial day).
fn whole_days(start: DateTime<Utc>, end: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let midnight = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc();
    let floor = midnight(start.date_naive());
    let a = if floor == start { start } else { floor + chrono::Duration::days(1) };
    let b = midnight(end.date_naive());
    if a < b { (a, b) } else { (end, end) }
}

/// Replies to buyers written in a range, per agent: the whole UTC days inside it from
/// `reply_days`, the partial days at either end from the messages.
pub async fn replies_per_agent(db: &Db, start: DateTime<Utc>, end: DateTime<Utc>) -> StoreResult<Vec<(Uuid, i64)>> {
    let (a, b) = whole_days(start, end);
    const LIVE: &str = "SELECT staff_id, COUNT(*) AS n FROM ticket_messages
         WHERE author_kind = 'staff' AND NOT internal AND staff_id IS NOT NULL";
    let sql = format!(
        "SELECT staff_id, CAST(SUM(n) AS BIGINT) FROM (
           SELECT staff_id, replies AS n FROM reply_days WHERE day >= $5 AND day < $6
           UNION ALL {LIVE} AND created_at >= $1 AND created_at < $3 GROUP BY staff_id
           UNION ALL {LIVE} AND created_at >= $4 AND created_at < $2 GROUP BY staff_id
         ) r GROUP BY staff_id"
    );
    Ok(crate::on_pool!(db.read(), p => sqlx::query_as(&sql)
        .bind(start).bind(end).bind(a).bind(b).bind(a.date_naive()).bind(b.date_naive()).fetch_all(p).await)?)
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
    // Shipped late (orders_shipped_late), and paid but still unshipped past the ship-by time
    // (orders_to_ship): two small index reads instead of every order of the range.
    let late = async {
        Ok(crate::on_pool!(db.read(), p => sqlx::query_as(
            "SELECT platform, goods_fen, CAST(SUM(n) AS BIGINT) FROM (
               SELECT o.platform, o.goods_fen, COUNT(*) AS n FROM orders o
               WHERE o.shipped_at > o.ship_by AND o.created_at >= $1 AND o.created_at < $2
               GROUP BY o.platform, o.goods_fen
               UNION ALL
               SELECT o.platform, o.goods_fen, COUNT(*) FROM orders o
               WHERE o.status = 'paid' AND o.ship_by < $3 AND o.shipped_at IS NULL
                 AND o.created_at >= $1 AND o.created_at < $2
               GROUP BY o.platform, o.goods_fen
             ) late GROUP BY platform, goods_fen")
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
               (SELECT sh.courier, COUNT(*) AS n FROM shipments sh
                WHERE sh.shipped_at >= $1 AND sh.shipped_at < $2 GROUP BY sh.courier) s ON s.courier = c.courier
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

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeZone, Utc};

    use super::whole_days;

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap()
    }

    #[test]
    fn a_range_splits_into_whole_utc_days_and_partial_ends() {
        // A shop day at UTC+8: 16:00 to 16:00 UTC holds no whole UTC day.
        assert_eq!(whole_days(at(1, 16), at(2, 16)), (at(2, 16), at(2, 16)));
        // Three shop days: the two UTC days between them are whole.
        assert_eq!(whole_days(at(1, 16), at(4, 16)), (at(2, 0), at(4, 0)));
        // A range on UTC midnights is whole days only.
        assert_eq!(whole_days(at(1, 0), at(3, 0)), (at(1, 0), at(3, 0)));
        // Shorter than a day.
        assert_eq!(whole_days(at(1, 3), at(1, 9)), (at(1, 9), at(1, 9)));
    }
}
