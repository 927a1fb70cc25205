//! Runs the routing housekeeping ([`crate::service::routing::housekeeping`]) on a timer:
//! queue pickup, SLA breaches, idle agents set away.

use chrono::Utc;

use crate::live::Hub;
use crate::service::routing::housekeeping;
use crate::store::Db;

/// Runs the routing housekeeping every `every` until the process ends.
pub fn spawn(db: Db, hub: Hub, every: std::time::Duration) {
    super::every(every, move || {
        let (db, hub) = (db.clone(), hub.clone());
        async move {
            if let Err(e) = housekeeping(&db, &hub, Utc::now()).await {
                tracing::warn!(error = %e, "routing run failed");
            }
        }
    });
}
