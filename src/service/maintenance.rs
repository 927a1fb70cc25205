//! Keeping the store in shape on a live shop.

use super::ServiceResult;
use crate::store::{self, Db};

/// Brings the query planner's statistics up to date (cheap; run at start and daily).
pub async fn refresh_statistics(db: &Db) -> ServiceResult<()> {
    Ok(store::maintenance::refresh_statistics(db).await?)
}
