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
    let toks = tokens::index_tokens(text);
    match tx {
        Tx::Sqlite(t) => {
            let rowid = match sqlite_rowid(t, kind, doc_id).await? {
                Some(r) => {
                    sqlx::query("DELETE FROM search_fts WHERE rowid = $1").bind(r).execute(&mut **t).await?;
                    r
                }
                None => {
                    let (r,): (i64,) =
                        sqlx::query_as("INSERT INTO search_docs (kind, doc_id) VALUES ($1, $2) RETURNING rowid")
                            .bind(kind.as_str())
                            .bind(doc_id)
                            .fetch_one(&mut **t)
                            .await?;
                    r
                }
            };
            sqlx::query("INSERT INTO search_fts (rowid, tokens) VALUES ($1, $2)")
                .bind(rowid)
                .bind(toks.join(" "))
                .execute(&mut **t)
                .await?;
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

/// Ids of documents of `kind` matching every term, newest id first (ids are UUID v7), below
/// the keyset cursor `before` when given. An empty term list matches nothing.
pub async fn find(
    db: &Db, kind: DocKind, terms: &[QueryTerm], before: Option<Uuid>, limit: i64,
) -> StoreResult<Vec<Uuid>> {
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Uuid,)> = match db.read() {
        Pool::Sqlite(p) => {
            sqlx::query_as(
                "SELECT d.doc_id FROM search_fts f JOIN search_docs d ON d.rowid = f.rowid
                 WHERE search_fts MATCH $1 AND d.kind = $2 AND ($3 IS NULL OR d.doc_id < $3)
                 ORDER BY d.doc_id DESC LIMIT $4",
            )
            .bind(tokens::fts5_match(terms))
            .bind(kind.as_str())
            .bind(before)
            .bind(limit)
            .fetch_all(p)
            .await?
        }
        Pool::Pg(p) => {
            sqlx::query_as(
                "SELECT doc_id FROM search_docs
                 WHERE tokens @@ $1::tsquery AND kind = $2 AND ($3::uuid IS NULL OR doc_id < $3)
                 ORDER BY doc_id DESC LIMIT $4",
            )
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
