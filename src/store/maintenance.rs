//! Keeping the database's planner informed.

use super::{Db, Pool, StoreResult};
use crate::exec_pool;

/// Refreshes the planner's statistics in full. After a bulk load the planner otherwise
/// believes the tables are nearly empty and picks scans over indexes.
pub async fn analyze(db: &Db) -> StoreResult<()> {
    exec_pool!(db.write(), p => sqlx::query("ANALYZE").execute(p).await)?;
    drop_value_samples(db).await
}

/// Refreshes the statistics of tables that have changed enough to need it, reading a bounded
/// sample of each (`PRAGMA optimize` on SQLite; `ANALYZE` on Postgres, which samples anyway).
/// Cheap enough to run daily on a live shop.
pub async fn refresh_statistics(db: &Db) -> StoreResult<()> {
    match db.write() {
        Pool::Sqlite(p) => {
            // At most ~1000 rows examined per index: seconds, not minutes, on a large store.
            sqlx::query("PRAGMA analysis_limit = 1000").execute(p).await?;
            sqlx::query("PRAGMA optimize").execute(p).await?;
        }
        Pool::Pg(p) => {
            sqlx::query("ANALYZE").execute(p).await?;
        }
    }
    drop_value_samples(db).await
}

/// SQLite only: forgets the per-value samples (`sqlite_stat4`) and keeps the per-index figures
/// (`sqlite_stat1`). The bundled SQLite is built with STAT4; with samples present, every
/// statement whose plan could depend on a bound value is compiled again each time it is run
/// with new values — a quarter of the server's CPU on the ticket page. The per-index figures
/// are what our index choices need.
async fn drop_value_samples(db: &Db) -> StoreResult<()> {
    if let Pool::Sqlite(p) = db.write() {
        let has: Option<(String,)> =
            sqlx::query_as("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat4'").fetch_optional(p).await?;
        if has.is_some() {
            sqlx::query("DELETE FROM sqlite_stat4").execute(p).await?;
            // Loads the statistics again, so open connections plan with what is left.
            sqlx::query("ANALYZE sqlite_schema").execute(p).await?;
        }
    }
    Ok(())
}
