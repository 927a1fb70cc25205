//! Keeping the database's planner informed.

use super::{Db, StoreResult};
use crate::exec_pool;

/// Refreshes the planner's statistics. After a bulk load the planner otherwise believes the
/// tables are nearly empty and picks scans over indexes.
pub async fn analyze(db: &Db) -> StoreResult<()> {
    exec_pool!(db.write(), p => sqlx::query("ANALYZE").execute(p).await)?;
    Ok(())
}
