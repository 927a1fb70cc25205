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

pub use crate::store::maintenance::Backup;

/// A consistent copy of the store while it serves (SQLite); on Postgres, [`Backup::UsePgDump`].
pub async fn backup(db: &Db, path: &std::path::Path) -> ServiceResult<Backup> {
    Ok(store::maintenance::backup(db, path).await?)
}
