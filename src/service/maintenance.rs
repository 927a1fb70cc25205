//! Keeping the store in shape on a live shop.

use super::ServiceResult;
use crate::store::{self, Db};

/// Brings the query planner's statistics up to date (cheap; run at start and daily).
pub async fn refresh_statistics(db: &Db) -> ServiceResult<()> {
    Ok(store::maintenance::refresh_statistics(db).await?)
}

/// Moves the SQLite log into the database file (see [`store::maintenance::checkpoint`]).
pub async fn checkpoint(db: &Db) -> ServiceResult<()> {
    store::maintenance::checkpoint(db).await?;
    Ok(())
}

/// One step of merging the SQLite search index (see [`store::search::merge_step`]); true if
/// there was work, so the caller may take another.
pub async fn merge_search_index(db: &Db) -> ServiceResult<bool> {
    Ok(store::search::merge_step(db, MERGE_STEP_PAGES).await?)
}

/// Search-index pages one step writes (FTS5 leaf pages, about 4 KB each). Measured at scale 1:
/// 500 pages took 26 ms on average and up to 181 ms; a step of 64 keeps a reply waiting
/// behind it for a few milliseconds.
const MERGE_STEP_PAGES: u32 = 64;

pub use crate::store::maintenance::Backup;

/// A consistent copy of the store while it serves (SQLite); on Postgres, [`Backup::UsePgDump`].
pub async fn backup(db: &Db, path: &std::path::Path) -> ServiceResult<Backup> {
    Ok(store::maintenance::backup(db, path).await?)
}
