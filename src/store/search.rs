//! The full-text index, the one place where SQL differs per backend.
//!
//! Documents are (kind, id) pairs with text; [`crate::domain::search`] turns text into tokens.
//! SQLite indexes them with FTS5, Postgres with a GIN-indexed `tsvector`. Callers keep the
//! index in step by calling [`index`] in the same transaction that writes the document.

use uuid::Uuid;

use super::{Db, Pool, StoreResult, Tx};
use crate::domain::search::{self as tokens, QueryTerm};

/// What kind of document an index entry points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Buyer,
    /// A ticket's subject.
    Ticket,
    /// One message of a ticket (the result points at its ticket).
    Message,
    /// An order: number, tracking numbers.
    Order,
    Reply,
    Article,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Buyer => "buyer",
            DocKind::Ticket => "ticket",
            DocKind::Message => "message",
            DocKind::Order => "order",
            DocKind::Reply => "reply",
            DocKind::Article => "article",
        }
    }
}

impl DocKind {
    /// On SQLite each document also carries a token naming its kind (`kindmessagezz`): what
    /// the index holds of each kind can be counted.
    pub fn token(self) -> String {
        format!("kind{}zz", self.as_str())
    }

    /// On SQLite each kind's tokens are written in a space of their own
    /// ([`tokens::spaced`]), so a search of one kind reads only that kind's entries for a
    /// word, in row order, and stops at the page's end. Before, it ANDed the word with the
    /// kind's token: a search of the orders for 退货 walked the word's 419k message entries
    /// at a million tickets to find no order (0.71 ms against 0.11 ms at a hundredth).
    pub fn space(self) -> &'static str {
        match self {
            DocKind::Buyer => "kb",
            DocKind::Ticket => "kt",
            DocKind::Message => "km",
            DocKind::Order => "ko",
            DocKind::Reply => "kr",
            DocKind::Article => "ka",
        }
    }
}

/// The FTS5 text of a document: its tokens in its kind's space, and its kind's token.
pub(crate) fn fts_text(kind: DocKind, toks: &[String]) -> String {
    let mut text: String = toks.iter().map(|t| tokens::spaced(kind.space(), t) + " ").collect();
    text.push_str(&kind.token());
    text
}

/// SQLite: the table where a document's FTS5 row waits, on the writer's connection, until
/// the batch that wrote it commits ([`sqlite_fts_flush!`]). FTS5 keeps the rows of a
/// transaction in memory and writes them out as a new segment of its index whenever a
/// savepoint opens or ends, and every job of the writer's group commit runs in a savepoint:
/// a segment per message, merged again and again. Written at the commit, a batch's rows make
/// one segment. A temporary table takes part in the transaction and its savepoints like any
/// other, so a job rolled back takes its pending rows with it; should moving them fail, the
/// batch fails as a whole, as with any failed commit, and none of it is acknowledged.
pub(super) const SQLITE_PENDING: &str =
    "CREATE TEMP TABLE IF NOT EXISTS fts_pending (rowid INTEGER PRIMARY KEY, tokens TEXT NOT NULL)";

/// The statements that move the pending FTS5 rows ([`SQLITE_PENDING`]) into the index, run
/// by the writer just before each commit. A macro so it can be spliced into the writer's
/// statements with `concat!`.
#[macro_export]
macro_rules! sqlite_fts_flush {
    () => {
        "INSERT INTO search_fts (rowid, tokens) SELECT rowid, tokens FROM temp.fts_pending;
         DELETE FROM temp.fts_pending;"
    };
}

/// SQLite: the statements that index a new document, to be sent in one batch with others
/// (sqlx runs every statement of a query string in one hand-off to the connection's thread,
/// binding `$n` by number across them). `doc_id` and `fts` name the parameters that hold the
/// document's id and its [`fts_text`]. The entry's row and its FTS5 row share a rowid.
pub(super) fn sqlite_index_new(kind: DocKind, doc_id: &str, fts: &str) -> String {
    sqlite_index_new_if(kind, doc_id, fts, "TRUE")
}

/// [`sqlite_index_new`] when the statement just before in the batch changed a row (an
/// `INSERT … ON CONFLICT DO NOTHING` that inserted one): `changes()` counts the rows of the
/// statement that completed last, which for the second statement is the first one's.
pub(super) fn sqlite_index_inserted(kind: DocKind, doc_id: &str, fts: &str) -> String {
    sqlite_index_new_if(kind, doc_id, fts, "changes() = 1")
}

fn sqlite_index_new_if(kind: DocKind, doc_id: &str, fts: &str, condition: &str) -> String {
    format!(
        "INSERT INTO search_docs (kind, doc_id) SELECT '{}', {doc_id} WHERE {condition};
         INSERT INTO temp.fts_pending (rowid, tokens) SELECT last_insert_rowid(), {fts} WHERE {condition};",
        kind.as_str()
    )
}

/// The FTS5 text of `"{lead} {rest}"` as an SQL expression, for a document whose first word
/// is known only inside the batch (a ticket's number, from the counter): `lead` is an SQL
/// expression giving that word (letters and digits only), `rest` names the parameter bound
/// to [`sqlite_fts_text`] of the remainder. A word ends at a space, so the lead's token
/// comes first and the rest's follow unchanged (tested below).
pub(super) fn sqlite_fts_led_by(kind: DocKind, lead: &str, rest: &str) -> String {
    format!("'{}' || {lead} || ' ' || {rest}", kind.space())
}

/// The FTS5 text of a document's `text` (SQLite), for [`sqlite_index_new`].
pub(super) fn sqlite_fts_text(kind: DocKind, text: &str) -> String {
    fts_text(kind, &tokens::index_tokens(text))
}

/// The FTS5 row of a document on SQLite, if it is indexed.
async fn sqlite_rowid(t: &mut sqlx::SqliteConnection, kind: DocKind, doc_id: Uuid) -> StoreResult<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT rowid FROM search_docs WHERE kind = $1 AND doc_id = $2")
        .bind(kind.as_str())
        .bind(doc_id)
        .fetch_optional(t)
        .await?;
    Ok(row.map(|r| r.0))
}

/// (Re)indexes one document with `text`.
pub async fn index(tx: &mut Tx, kind: DocKind, doc_id: Uuid, text: &str) -> StoreResult<()> {
    write(tx, kind, doc_id, text, true).await
}

/// Indexes a document inserted in this same transaction (a new message or ticket): it has
/// no entry to replace, so SQLite does not look for one, a statement fewer in the writer's
/// transaction for every message.
pub async fn index_new(tx: &mut Tx, kind: DocKind, doc_id: Uuid, text: &str) -> StoreResult<()> {
    write(tx, kind, doc_id, text, false).await
}

async fn write(tx: &mut Tx, kind: DocKind, doc_id: Uuid, text: &str, may_exist: bool) -> StoreResult<()> {
    let toks = tokens::index_tokens(text);
    match tx {
        Tx::Sqlite(t) => {
            let earlier = if may_exist { sqlite_rowid(t, kind, doc_id).await? } else { None };
            match earlier {
                Some(r) => {
                    // The row in the index, if it was committed; one still pending (the
                    // document is new in this batch) is replaced.
                    sqlx::query("DELETE FROM search_fts WHERE rowid = $1").bind(r).execute(&mut **t).await?;
                    sqlx::query("INSERT OR REPLACE INTO temp.fts_pending (rowid, tokens) VALUES ($1, $2)")
                        .bind(r)
                        .bind(fts_text(kind, &toks))
                        .execute(&mut **t)
                        .await?;
                }
                None => {
                    sqlx::query(&sqlite_index_new(kind, "$1", "$2"))
                        .bind(doc_id)
                        .bind(fts_text(kind, &toks))
                        .execute(&mut **t)
                        .await?;
                }
            }
        }
        Tx::Pg(t) => {
            sqlx::query(
                "INSERT INTO search_docs (kind, doc_id, tokens) VALUES ($1, $2, $3::tsvector)
                 ON CONFLICT (kind, doc_id) DO UPDATE SET tokens = excluded.tokens",
            )
            .bind(kind.as_str())
            .bind(doc_id)
            .bind(tokens::tsvector(&toks))
            .execute(&mut **t)
            .await?;
        }
    }
    Ok(())
}

/// Removes a document from the index (it was deleted).
pub async fn remove(tx: &mut Tx, kind: DocKind, doc_id: Uuid) -> StoreResult<()> {
    match tx {
        Tx::Sqlite(t) => {
            if let Some(r) = sqlite_rowid(t, kind, doc_id).await? {
                sqlx::query("DELETE FROM search_fts WHERE rowid = $1").bind(r).execute(&mut **t).await?;
                sqlx::query("DELETE FROM temp.fts_pending WHERE rowid = $1").bind(r).execute(&mut **t).await?;
                sqlx::query("DELETE FROM search_docs WHERE rowid = $1").bind(r).execute(&mut **t).await?;
            }
        }
        Tx::Pg(t) => {
            sqlx::query("DELETE FROM search_docs WHERE kind = $1 AND doc_id = $2")
                .bind(kind.as_str())
                .bind(doc_id)
                .execute(&mut **t)
                .await?;
        }
    }
    Ok(())
}

/// Ids of documents of `kind` matching every term, newest first, below the keyset cursor
/// `before` (a document id) when given. An empty term list matches nothing.
///
/// SQLite reads the kind's entries for the query ([`DocKind::space`]) newest row first and
/// stops at `limit` (rows are numbered as documents are indexed, so newer documents have
/// higher rows, as their UUID v7 ids are higher). Postgres: see below.
pub async fn find(
    db: &Db, kind: DocKind, terms: &[QueryTerm], before: Option<Uuid>, limit: i64,
) -> StoreResult<Vec<Uuid>> {
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Uuid,)> = match db.read() {
        sqlite @ (Pool::Sqlite(_) | Pool::SqliteHeld(_) | Pool::SqliteWriter(_)) => {
            let matching = tokens::fts5_match(terms, kind.space());
            // The cursor is a document of any kind the caller merged (a ticket or a message).
            let below: Option<(Option<i64>,)> = match before {
                Some(id) => crate::on_sqlite!(sqlite, p => {
                    sqlx::query_as(
                        "SELECT MAX(rowid) FROM search_docs
                         WHERE kind IN ('buyer', 'ticket', 'message', 'order', 'reply', 'article') AND doc_id = $1",
                    )
                    .bind(id)
                    .fetch_optional(p)
                    .await?
                }),
                None => None,
            };
            crate::on_sqlite!(sqlite, p => sqlx::query_as(
                "SELECT d.doc_id FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH $1 AND rowid < $2
                                       ORDER BY rowid DESC LIMIT $3) f
                 JOIN search_docs d ON d.rowid = f.rowid ORDER BY f.rowid DESC",
            )
            .bind(matching)
            .bind(below.and_then(|b| b.0).unwrap_or(i64::MAX))
            .bind(limit)
            .fetch_all(p)
            .await?)
        }
        Pool::Pg(p) => {
            // Buyers, orders, replies and articles are looked up: a query matches a few of
            // them or none, so every match is taken from the GIN index and sorted. Left to
            // itself the planner guesses a word is in 0.5 % of them and walks the newest-first
            // key to fill the page, reading all million orders to find none (475 ms for 退货
            // at scale 1). Subjects and messages keep the planner's choice, each kind with its
            // own statistics (migration 0023): a common word is read newest first.
            let sql = match kind {
                DocKind::Buyer | DocKind::Order | DocKind::Reply | DocKind::Article => {
                    "WITH m AS MATERIALIZED (SELECT doc_id FROM search_docs
                         WHERE tokens @@ $1::tsquery AND kind = $2 AND ($3::uuid IS NULL OR doc_id < $3))
                     SELECT doc_id FROM m ORDER BY doc_id DESC LIMIT $4"
                }
                DocKind::Ticket | DocKind::Message => {
                    "SELECT doc_id FROM search_docs
                     WHERE tokens @@ $1::tsquery AND kind = $2 AND ($3::uuid IS NULL OR doc_id < $3)
                     ORDER BY doc_id DESC LIMIT $4"
                }
            };
            sqlx::query_as(sql)
                .bind(tokens::tsquery(terms))
                .bind(kind.as_str())
                .bind(before)
                .bind(limit)
                .fetch_all(p)
                .await?
        }
    };
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The statement that yields (id, text) of every document of a kind, oldest id first, after a
/// keyset cursor (SQLite; used to rebuild the index).
fn sqlite_source(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Buyer => {
            "SELECT id, nick || ' ' || name || ' ' || phone || ' ' || email FROM buyers WHERE id > $1 ORDER BY id LIMIT $2"
        }
        DocKind::Ticket => "SELECT id, number || ' ' || subject FROM tickets WHERE id > $1 ORDER BY id LIMIT $2",
        DocKind::Message => {
            "SELECT id, body FROM ticket_messages WHERE id > $1 AND author_kind <> 'system' ORDER BY id LIMIT $2"
        }
        DocKind::Order => {
            "SELECT o.id, o.order_no || COALESCE(' ' || (SELECT group_concat(s.tracking_no, ' ') FROM shipments s
                WHERE s.order_id = o.id), '') FROM orders o WHERE o.id > $1 ORDER BY o.id LIMIT $2"
        }
        DocKind::Reply => {
            "SELECT id, shortcut || ' ' || title || ' ' || body FROM canned_replies WHERE id > $1 ORDER BY id LIMIT $2"
        }
        DocKind::Article => "SELECT id, title || ' ' || body FROM kb_articles WHERE id > $1 ORDER BY id LIMIT $2",
    }
}

/// SQLite: one step of merging the search index's segments into one (FTS5's `merge` command
/// with a negative count: segments of every level, at most `pages` leaf pages written), in a
/// writer transaction of its own; true if it found work, so the caller may take another.
///
/// A bulk load ends with these steps until none finds work. Each commit that indexes
/// something adds a segment, and a search probes each segment for each of its words: the
/// scale-1 store had 47 after a few benchmark runs, and merged into one it served 退货 50 %
/// and 发货了吗 190 % more searches a second (BENCHMARKS.md, session of 2026-12-06 f). Not
/// run on a live desk: a step merges whatever segments there are, so once the index is one
/// big segment, the next merge rewrites all of it for a few new messages.
/// Postgres keeps its index in a GIN index that vacuum maintains: nothing to do.
pub async fn merge_step(db: &Db, pages: u32) -> StoreResult<bool> {
    if db.is_postgres() {
        return Ok(false);
    }
    let mut tx = db.begin().await?;
    let mut worked = false;
    if let Tx::Sqlite(t) = &mut tx {
        // FTS5's own test of whether a merge did anything: the command counts one change,
        // and each segment it writes or rewrites more.
        let changes = "SELECT total_changes()";
        let before: i64 = sqlx::query_scalar(changes).fetch_one(&mut **t).await?;
        sqlx::query("INSERT INTO search_fts (search_fts, rank) VALUES ('merge', $1)")
            .bind(-i64::from(pages))
            .execute(&mut **t)
            .await?;
        let after: i64 = sqlx::query_scalar(changes).fetch_one(&mut **t).await?;
        worked = after - before >= 2;
    }
    tx.commit().await?;
    Ok(worked)
}

/// Rebuilds the SQLite index from the documents themselves when a migration asked for it
/// (setting `search.rebuild`), oldest first so row order follows time again. Postgres keeps
/// its index in the same table as the documents' ids and needs no rebuild.
pub async fn rebuild_if_asked(db: &Db) -> StoreResult<()> {
    let Pool::Sqlite(read) = db.read() else { return Ok(()) };
    let asked: Option<(String,)> =
        sqlx::query_as("SELECT value FROM settings WHERE key = 'search.rebuild'").fetch_optional(read).await?;
    if asked.is_none() {
        return Ok(());
    }
    tracing::info!("rebuilding the search index (once, after an upgrade)");
    let mut tx = db.begin().await?;
    if let Tx::Sqlite(t) = &mut tx {
        sqlx::query("DELETE FROM search_fts").execute(&mut **t).await?;
        sqlx::query("DELETE FROM temp.fts_pending").execute(&mut **t).await?;
        sqlx::query("DELETE FROM search_docs").execute(&mut **t).await?;
    }
    tx.commit().await?;
    let kinds = [DocKind::Buyer, DocKind::Ticket, DocKind::Message, DocKind::Order, DocKind::Reply, DocKind::Article];
    for kind in kinds {
        let mut after = Uuid::nil();
        loop {
            let docs: Vec<(Uuid, String)> =
                sqlx::query_as(sqlite_source(kind)).bind(after).bind(10_000i64).fetch_all(read).await?;
            let Some(last) = docs.last() else { break };
            after = last.0;
            let mut tx = db.begin().await?;
            super::bulk::index(&mut tx, kind, &docs).await?;
            tx.commit().await?;
        }
    }
    let mut tx = db.begin().await?;
    crate::exec_tx!(&mut tx, c => sqlx::query("DELETE FROM settings WHERE key = 'search.rebuild'").execute(c).await)?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Connection;

    /// A ticket indexed in one batch, its number known only there, has the tokens it would
    /// have had with the number written out: searching by number or subject finds it alike.
    #[tokio::test]
    async fn a_text_led_by_a_word_from_the_batch_is_indexed_as_if_written_out() {
        let mut c = sqlx::SqliteConnection::connect("sqlite::memory:").await.unwrap();
        let sql = format!("SELECT {}", sqlite_fts_led_by(DocKind::Ticket, "$1", "$2"));
        for (number, subject) in
            [(7_i64, "亲，我的快递到哪了"), (10234, "iPhone 15 壳子 发错颜色了"), (99, "退货 OK"), (1, "")]
        {
            let rest = sqlite_fts_text(DocKind::Ticket, subject);
            let (got,): (String,) = sqlx::query_as(&sql).bind(number).bind(rest).fetch_one(&mut c).await.unwrap();
            assert_eq!(got, sqlite_fts_text(DocKind::Ticket, &format!("{number} {subject}")), "{subject}");
        }
    }

    /// On SQLite a job's index rows wait for its batch's commit (`SQLITE_PENDING`). What a
    /// committed job indexed is found as it ended — a document re-indexed in the job that
    /// wrote it by its last text, one removed there not at all — and nothing a job that was
    /// rolled back indexed reaches the index, not even with the next batch's commit.
    #[tokio::test]
    async fn the_index_holds_what_committed_jobs_left_and_nothing_of_a_job_rolled_back() {
        let (_dir, db) = crate::store::scratch_sqlite().await;
        let ids: Vec<Uuid> = (0..4).map(|_| crate::store::new_id()).collect();
        let (kept, renamed, removed, undone) = (ids[0], ids[1], ids[2], ids[3]);
        let found = |q: &'static str| {
            let db = db.clone();
            async move { find(&db, DocKind::Reply, &tokens::query_terms(q), None, 10).await.unwrap() }
        };

        let mut tx = db.begin().await.unwrap();
        index_new(&mut tx, DocKind::Reply, undone, "申通快递").await.unwrap();
        drop(tx);
        let mut tx = db.begin().await.unwrap();
        index_new(&mut tx, DocKind::Reply, kept, "顺丰包邮").await.unwrap();
        index_new(&mut tx, DocKind::Reply, renamed, "圆通快递").await.unwrap();
        index(&mut tx, DocKind::Reply, renamed, "中通快递").await.unwrap();
        index_new(&mut tx, DocKind::Reply, removed, "顺丰到付").await.unwrap();
        remove(&mut tx, DocKind::Reply, removed).await.unwrap();
        tx.commit().await.unwrap();

        assert_eq!(found("顺丰").await, vec![kept]);
        assert_eq!(found("中通").await, vec![renamed]);
        assert!(found("圆通").await.is_empty(), "the text it was re-indexed from");
        assert!(found("申通").await.is_empty(), "the job rolled back");

        // Committed rows change as before: re-indexed and removed in a later batch.
        let mut tx = db.begin().await.unwrap();
        index(&mut tx, DocKind::Reply, kept, "韵达快递").await.unwrap();
        remove(&mut tx, DocKind::Reply, renamed).await.unwrap();
        tx.commit().await.unwrap();
        assert!(found("顺丰").await.is_empty());
        assert_eq!(found("韵达").await, vec![kept]);
        assert!(found("中通").await.is_empty());

        crate::exec_pool!(db.write(), p =>
            sqlx::query("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')").execute(p).await)
        .unwrap();
        let (pending,): (i64,) = crate::on_pool!(db.write(), p =>
            sqlx::query_as("SELECT COUNT(*) FROM temp.fts_pending").fetch_one(p).await)
        .unwrap();
        assert_eq!(pending, 0, "nothing left waiting after the commits");
    }
}
