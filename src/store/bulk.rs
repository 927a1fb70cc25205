//! Bulk loading for large data sets (`kefu seed --scale`): many rows per statement inside the
//! caller's transaction, the search index filled in the same pass. Each function writes what
//! the one-row writers elsewhere in the store write, without the per-row bookkeeping (ticket
//! numbers are reserved in one step, message times are given rather than recomputed).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::QueryBuilder;
use uuid::Uuid;

use super::search::DocKind;
use super::{StoreResult, Tx};
use crate::domain::order::OrderTimes;
use crate::domain::search as tokens;
use crate::domain::{
    AuthorKind, Category, Channel, OrderStatus, Platform, Priority, Rating, Skill, Stage, TicketStatus,
};
use crate::exec_tx;

/// Rows per statement: far below both backends' limits on bound values (SQLite 32,766,
/// Postgres 65,535) at our widest table.
pub const CHUNK: usize = 500;

pub struct BuyerRow {
    pub id: Uuid,
    pub nick: String,
    pub name: String,
    pub phone: String,
    pub address: &'static str,
    pub gender: &'static str,
    pub birthday: Option<NaiveDate>,
    pub member_level: &'static str,
    pub created_at: DateTime<Utc>,
}

pub struct OrderRow {
    pub id: Uuid,
    pub platform: Platform,
    pub order_no: String,
    pub buyer_id: Uuid,
    pub status: OrderStatus,
    pub goods_fen: i64,
    pub shipping_fee_fen: i64,
    pub free_shipping: bool,
    pub times: OrderTimes,
}

pub struct ItemRow {
    pub id: Uuid,
    pub order_id: Uuid,
    pub product_id: Uuid,
    pub sku: &'static str,
    pub title: &'static str,
    pub variant: String,
    pub quantity: i64,
    pub unit_price_fen: i64,
    pub seven_day_return: bool,
}

pub struct ShipmentRow {
    pub id: Uuid,
    pub order_id: Uuid,
    pub courier: &'static str,
    pub tracking_no: String,
    pub shipped_at: DateTime<Utc>,
}

pub struct TrackingRow {
    pub id: Uuid,
    pub shipment_id: Uuid,
    pub at: DateTime<Utc>,
    pub place: &'static str,
    pub status: &'static str,
}

pub struct ReviewRow {
    pub id: Uuid,
    pub order_id: Uuid,
    pub rating: Rating,
    pub first_rating: Rating,
    pub body: &'static str,
    pub created_at: DateTime<Utc>,
}

pub struct TicketRow {
    pub id: Uuid,
    pub number: i64,
    pub buyer_id: Uuid,
    pub order_id: Option<Uuid>,
    pub subject: &'static str,
    pub stage: Stage,
    pub category: Category,
    pub status: TicketStatus,
    pub priority: Priority,
    pub channel: Channel,
    pub team: Skill,
    pub assignee_id: Option<Uuid>,
    /// Who wrote the first reply.
    pub first_responder_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub last_message_at: DateTime<Utc>,
    pub waiting_since: Option<DateTime<Utc>>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub first_response_due: Option<DateTime<Utc>>,
    pub resolution_due: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub urgency: i64,
    pub unread: bool,
    pub last_preview: String,
}

pub struct MessageRow {
    pub id: Uuid,
    pub ticket_id: Uuid,
    pub author: AuthorKind,
    pub staff_id: Option<Uuid>,
    pub body: &'static str,
    pub created_at: DateTime<Utc>,
}

/// Takes `n` ticket numbers at once, in order. On Postgres they come from the sequence the
/// desk uses (migration 0024), one by one, so a desk serving meanwhile can take numbers in
/// between without a clash.
pub async fn reserve_ticket_numbers(tx: &mut Tx, n: i64) -> StoreResult<Vec<i64>> {
    match tx {
        Tx::Sqlite(t) => {
            let (last,): (i64,) =
                sqlx::query_as("UPDATE counters SET value = value + $1 WHERE name = 'ticket_number' RETURNING value")
                    .bind(n)
                    .fetch_one(&mut **t)
                    .await?;
            Ok((last - n + 1..=last).collect())
        }
        Tx::Pg(t) => {
            let rows: Vec<(i64,)> =
                sqlx::query_as("SELECT nextval('ticket_numbers') FROM generate_series(1, $1) ORDER BY 1")
                    .bind(n)
                    .fetch_all(&mut **t)
                    .await?;
            Ok(rows.into_iter().map(|r| r.0).collect())
        }
    }
}

/// Runs `INSERT INTO {head} VALUES (…), (…)` for `rows`, `CHUNK` at a time, binding each row's
/// values with `push` (the same closure serves both backends' builders).
macro_rules! insert_rows {
    ($tx:expr, $head:expr, $rows:expr, |$b:ident, $r:ident| $push:block) => {{
        for chunk in $rows.chunks(CHUNK) {
            exec_tx!($tx, c => {
                let mut q = QueryBuilder::new(concat!("INSERT INTO ", $head, " "));
                q.push_values(chunk, |mut $b, $r| $push);
                q.build().execute(c).await
            })?;
        }
    }};
}

pub async fn buyers(tx: &mut Tx, rows: &[BuyerRow]) -> StoreResult<()> {
    insert_rows!(
        tx,
        "buyers (id, nick, name, phone, address, gender, birthday, member_level, created_at, updated_at)",
        rows,
        |b, r| {
            b.push_bind(r.id).push_bind(&r.nick).push_bind(&r.name).push_bind(&r.phone).push_bind(r.address);
            b.push_bind(r.gender)
                .push_bind(r.birthday)
                .push_bind(r.member_level)
                .push_bind(r.created_at)
                .push_bind(r.created_at);
        }
    );
    let docs: Vec<(Uuid, String)> = rows.iter().map(|r| (r.id, format!("{} {} {}", r.nick, r.name, r.phone))).collect();
    index(tx, DocKind::Buyer, &docs).await
}

pub async fn orders(tx: &mut Tx, rows: &[OrderRow]) -> StoreResult<()> {
    insert_rows!(
        tx,
        "orders (id, platform, order_no, buyer_id, status, goods_fen, shipping_fee_fen, free_shipping,
        created_at, paid_at, ship_by, shipped_at, signed_at, completed_at, closed_at, updated_at)",
        rows,
        |b, r| {
            b.push_bind(r.id).push_bind(r.platform).push_bind(&r.order_no).push_bind(r.buyer_id).push_bind(r.status);
            b.push_bind(r.goods_fen).push_bind(r.shipping_fee_fen).push_bind(r.free_shipping);
            let t = &r.times;
            b.push_bind(t.created_at).push_bind(t.paid_at).push_bind(t.ship_by).push_bind(t.shipped_at);
            b.push_bind(t.signed_at).push_bind(t.completed_at).push_bind(t.closed_at).push_bind(t.created_at);
        }
    );
    Ok(())
}

pub async fn items(tx: &mut Tx, rows: &[ItemRow]) -> StoreResult<()> {
    insert_rows!(
        tx,
        "order_items (id, order_id, product_id, sku, title, variant, quantity, unit_price_fen, seven_day_return, position)",
        rows,
        |b, r| {
            b.push_bind(r.id).push_bind(r.order_id).push_bind(r.product_id).push_bind(r.sku).push_bind(r.title);
            b.push_bind(&r.variant).push_bind(r.quantity).push_bind(r.unit_price_fen).push_bind(r.seven_day_return);
            b.push_bind(0i64);
        }
    );
    Ok(())
}

/// Shipments, and each order's search entry: its number and tracking numbers.
pub async fn shipments(tx: &mut Tx, rows: &[ShipmentRow], orders: &[OrderRow]) -> StoreResult<()> {
    insert_rows!(tx, "shipments (id, order_id, courier, tracking_no, shipped_at)", rows, |b, r| {
        b.push_bind(r.id).push_bind(r.order_id).push_bind(r.courier).push_bind(&r.tracking_no).push_bind(r.shipped_at);
    });
    let mut text: HashMap<Uuid, String> = orders.iter().map(|o| (o.id, o.order_no.clone())).collect();
    for s in rows {
        if let Some(t) = text.get_mut(&s.order_id) {
            t.push(' ');
            t.push_str(&s.tracking_no);
        }
    }
    let docs: Vec<(Uuid, String)> = orders.iter().map(|o| (o.id, text.remove(&o.id).unwrap_or_default())).collect();
    index(tx, DocKind::Order, &docs).await
}

pub async fn tracking(tx: &mut Tx, rows: &[TrackingRow]) -> StoreResult<()> {
    insert_rows!(tx, "tracking_events (id, shipment_id, at, place, status)", rows, |b, r| {
        b.push_bind(r.id).push_bind(r.shipment_id).push_bind(r.at).push_bind(r.place).push_bind(r.status);
    });
    Ok(())
}

pub async fn reviews(tx: &mut Tx, rows: &[ReviewRow]) -> StoreResult<()> {
    insert_rows!(tx, "reviews (id, order_id, rating, body, first_rating, created_at)", rows, |b, r| {
        b.push_bind(r.id).push_bind(r.order_id).push_bind(r.rating).push_bind(r.body).push_bind(r.first_rating);
        b.push_bind(r.created_at);
    });
    Ok(())
}

pub async fn tickets(tx: &mut Tx, rows: &[TicketRow]) -> StoreResult<()> {
    insert_rows!(
        tx,
        "tickets (id, number, buyer_id, order_id, subject, stage, category, status, priority, channel, team,
        assignee_id, first_responder_id, created_at, updated_at, last_message_at, waiting_since, first_response_at,
        first_response_due, resolution_due, resolved_at, urgency, unread, last_preview)",
        rows,
        |b, r| {
            b.push_bind(r.id).push_bind(r.number).push_bind(r.buyer_id).push_bind(r.order_id).push_bind(r.subject);
            b.push_bind(r.stage).push_bind(r.category).push_bind(r.status).push_bind(r.priority).push_bind(r.channel);
            b.push_bind(r.team).push_bind(r.assignee_id).push_bind(r.first_responder_id).push_bind(r.created_at);
            b.push_bind(r.last_message_at);
            b.push_bind(r.last_message_at).push_bind(r.waiting_since).push_bind(r.first_response_at);
            b.push_bind(r.first_response_due).push_bind(r.resolution_due).push_bind(r.resolved_at);
            b.push_bind(r.urgency).push_bind(r.unread).push_bind(&r.last_preview);
        }
    );
    let docs: Vec<(Uuid, String)> = rows.iter().map(|r| (r.id, format!("{} {}", r.number, r.subject))).collect();
    index(tx, DocKind::Ticket, &docs).await
}

pub async fn messages(tx: &mut Tx, rows: &[MessageRow]) -> StoreResult<()> {
    insert_rows!(
        tx,
        "ticket_messages (id, ticket_id, author_kind, staff_id, body, internal, created_at)",
        rows,
        |b, r| {
            b.push_bind(r.id).push_bind(r.ticket_id).push_bind(r.author).push_bind(r.staff_id).push_bind(r.body);
            b.push_bind(false).push_bind(r.created_at);
        }
    );
    // As `tickets::insert_message`: the shop's own notices are not indexed.
    let docs: Vec<(Uuid, &str)> =
        rows.iter().filter(|r| r.author != crate::domain::AuthorKind::System).map(|r| (r.id, r.body)).collect();
    index(tx, DocKind::Message, &docs).await
}

/// Adds documents to the full-text index (they must not be indexed yet).
///
/// Each distinct text is tokenised once per call: a load's messages come from a vocabulary of
/// a few hundred sentences, and tokenising each of them again (and writing its index text)
/// took three quarters of the loading thread's time while the writer waited (`perf`, seed at
/// scale 0.1).
pub(crate) async fn index<S: AsRef<str>>(tx: &mut Tx, kind: DocKind, docs: &[(Uuid, S)]) -> StoreResult<()> {
    let sqlite = matches!(tx, Tx::Sqlite(_));
    // The index text of each distinct document text, and which one each document has.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut texts: Vec<String> = Vec::new();
    let of_doc: Vec<usize> = docs
        .iter()
        .map(|(_, text)| {
            *seen.entry(text.as_ref()).or_insert_with(|| {
                let toks = tokens::index_tokens(text.as_ref());
                texts.push(if sqlite { super::search::fts_text(kind, &toks) } else { tokens::tsvector(&toks) });
                texts.len() - 1
            })
        })
        .collect();
    let rows: Vec<(Uuid, &str)> = docs.iter().zip(&of_doc).map(|((id, _), &i)| (*id, texts[i].as_str())).collect();
    match tx {
        Tx::Sqlite(t) => {
            // Rowids are given, so the FTS rows can be written without reading them back.
            let (last,): (i64,) =
                sqlx::query_as("SELECT COALESCE(MAX(rowid), 0) FROM search_docs").fetch_one(&mut **t).await?;
            for (c, chunk) in rows.chunks(CHUNK).enumerate() {
                let first = last + 1 + (c * CHUNK) as i64;
                let mut q = QueryBuilder::new("INSERT INTO search_docs (rowid, kind, doc_id) ");
                q.push_values(chunk.iter().enumerate(), |mut b, (i, (id, _))| {
                    b.push_bind(first + i as i64).push_bind(kind.as_str()).push_bind(*id);
                });
                q.build().execute(&mut **t).await?;
                // Into the rows waiting for the commit, not the index itself: FTS5 writes what
                // it holds as a new segment of its index whenever a statement that may need
                // undoing begins, which is every one of these, so a load made a segment per
                // 500 documents and spent its time merging them. The commit moves a batch's
                // rows in with one statement (`store::search::SQLITE_PENDING`).
                let mut q = QueryBuilder::new("INSERT INTO temp.fts_pending (rowid, tokens) ");
                q.push_values(chunk.iter().enumerate(), |mut b, (i, (_, text))| {
                    b.push_bind(first + i as i64).push_bind(*text);
                });
                q.build().execute(&mut **t).await?;
            }
        }
        Tx::Pg(t) => {
            for chunk in rows.chunks(CHUNK) {
                let mut q = QueryBuilder::new("INSERT INTO search_docs (kind, doc_id, tokens) ");
                q.push_values(chunk, |mut b, (id, vector)| {
                    b.push_bind(kind.as_str()).push_bind(*id).push_bind(*vector).push_unseparated("::tsvector");
                });
                q.build().execute(&mut **t).await?;
            }
        }
    }
    Ok(())
}

/// The tables a scaled seed fills by the hundred thousand.
pub const LOADED_TABLES: &[&str] =
    &["buyers", "orders", "order_items", "shipments", "tracking_events", "reviews", "tickets", "ticket_messages"];

/// Drops the non-unique indexes of `tables` for a bulk load, keeping each one's own `CREATE`
/// statement in `indexes_set_aside` (in the same transaction) for [`restore_indexes`].
///
/// Why: each row inserted updates every index of its table, and in a large table most of
/// those updates land on a page not in the cache (a buyer's, an order's place in the index is
/// anywhere). At scale 1 the tickets table has ten indexes over every row, and SQLite's
/// writer spent most of the seed inserting into b-trees. `CREATE INDEX` afterwards sorts the
/// table once. Unique indexes stay: the load's `ON CONFLICT` clauses rely on them, and so
/// does a desk serving meanwhile (which only gets slower).
///
/// If the process dies before the restore, the statements are still in the table, and the
/// next start of Kefu creates the indexes again ([`restore_indexes`] from `Db::connect`).
pub async fn set_indexes_aside(db: &super::Db, tables: &[&str]) -> StoreResult<usize> {
    assert!(tables.iter().all(|t| t.chars().all(|c| c.is_ascii_lowercase() || c == '_')), "table names are ours");
    let names = tables.iter().map(|t| format!("'{t}'")).collect::<Vec<_>>().join(", ");
    let listed = match db.write() {
        super::Pool::Pg(_) => format!(
            "SELECT indexname, indexdef FROM pg_indexes
             WHERE schemaname = current_schema() AND tablename IN ({names}) AND indexdef NOT LIKE 'CREATE UNIQUE%'"
        ),
        _ => format!(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL
             AND tbl_name IN ({names}) AND sql NOT LIKE 'CREATE UNIQUE%'"
        ),
    };
    let mut tx = db.begin().await?;
    let indexes: Vec<(String, String)> = crate::on_tx!(&mut tx, c => sqlx::query_as(&listed).fetch_all(c).await)?;
    for (name, sql) in &indexes {
        exec_tx!(&mut tx, c => sqlx::query("INSERT INTO indexes_set_aside (name, sql) VALUES ($1, $2)")
            .bind(name).bind(sql).execute(c).await)?;
        exec_tx!(&mut tx, c => sqlx::query(&format!("DROP INDEX \"{name}\"")).execute(c).await)?;
    }
    tx.commit().await?;
    Ok(indexes.len())
}

/// The writer's page cache while a bulk load runs, in KiB (SQLite). Its usual 8 MB is sized
/// for a server's short transactions; a load's are ten thousand tickets with their messages,
/// and the cleanup after it updates a million orders in one. With the small cache the writer
/// kept spilling changed pages into the log and reading them back, each look-up searching a
/// log grown to gigabytes (`walFindFrame` and `pread` took most of the seed's last minute).
/// The memory is the loading process's, given back by [`narrow_writer_memory`].
const LOAD_CACHE_KIB: i64 = 2 * 1024 * 1024;

/// How much of the search index FTS5 builds in memory before it writes it out as a segment,
/// while a bulk load runs (SQLite; FTS5's own is 1 MB, kept in the index's configuration).
/// A load's batch moves some 50,000 documents in at its commit: at 1 MB they made five
/// segments, each merged again and again as the index grew.
const LOAD_FTS_HASH_BYTES: i64 = 64 * 1024 * 1024;
/// FTS5's own figure, given back after a load.
const FTS_HASH_BYTES: i64 = 1024 * 1024;

/// Gives the writer the memory of a bulk load ([`LOAD_CACHE_KIB`], [`LOAD_FTS_HASH_BYTES`]);
/// Postgres: nothing.
pub async fn widen_writer_memory(db: &super::Db) -> StoreResult<()> {
    writer_memory(db, LOAD_CACHE_KIB, LOAD_FTS_HASH_BYTES).await
}

/// Gives the writer back its usual page cache and search-index memory.
pub async fn narrow_writer_memory(db: &super::Db) -> StoreResult<()> {
    writer_memory(db, super::CACHE_KIB, FTS_HASH_BYTES).await
}

async fn writer_memory(db: &super::Db, cache_kib: i64, fts_hash_bytes: i64) -> StoreResult<()> {
    if let super::Pool::SqliteWriter(_) = db.write() {
        crate::exec_pool!(db.write(), p => sqlx::query(&format!("PRAGMA cache_size = -{cache_kib}")).execute(p).await)?;
        crate::exec_pool!(db.write(), p => sqlx::query("INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', $1)")
            .bind(fts_hash_bytes).execute(p).await)?;
    }
    Ok(())
}

/// Creates again every index [`set_indexes_aside`] dropped, each in its own transaction with
/// the removal of its record; returns how many. Nothing to do on most starts.
pub async fn restore_indexes(db: &super::Db) -> StoreResult<usize> {
    let aside: Vec<(String, String)> = crate::on_pool!(db.write(), p =>
        sqlx::query_as("SELECT name, sql FROM indexes_set_aside ORDER BY name").fetch_all(p).await)?;
    for (name, sql) in &aside {
        // Two Postgres instances starting together may both find the record: the second to
        // get there finds the index made.
        let sql = match sql.get(..13) {
            Some(head) if head.eq_ignore_ascii_case("CREATE INDEX ") => {
                format!("CREATE INDEX IF NOT EXISTS {}", &sql[13..])
            }
            _ => sql.clone(),
        };
        let mut tx = db.begin().await?;
        exec_tx!(&mut tx, c => sqlx::query(&sql).execute(c).await)?;
        exec_tx!(&mut tx, c => sqlx::query("DELETE FROM indexes_set_aside WHERE name = $1").bind(name).execute(c).await)?;
        tx.commit().await?;
    }
    Ok(aside.len())
}
