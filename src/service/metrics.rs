//! The figures `/metrics` reads from the store at scrape time.

use chrono::{DateTime, Utc};

use super::ServiceResult;
use crate::live::Hub;
use crate::metrics::Snapshot;
use crate::store::{self, Db, tickets::View};

/// The Prometheus exposition with the store's current figures.
pub async fn exposition(db: &Db, hub: &Hub, now: DateTime<Utc>) -> ServiceResult<String> {
    let (open, unassigned, breaches) = tokio::try_join!(
        store::tickets::view_counts(db, View::AllOpen),
        store::tickets::unassigned_count(db),
        store::tickets::sla_breaches(db, now),
    )?;
    let snapshot = Snapshot {
        open: crate::domain::Stage::ALL
            .iter()
            .map(|s| (s.as_str(), open.iter().find(|(stage, _)| stage == s).map_or(0, |(_, n)| *n)))
            .collect(),
        unassigned,
        breaches,
        streams: hub.clients() as i64,
        pools: db.pool_use(),
        sqlite_writes: db.sqlite_writes(),
    };
    Ok(crate::metrics::render(&snapshot))
}
