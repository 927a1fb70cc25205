//! Runs the order automations ([`crate::service::automations`]) on a timer.

use chrono::Utc;

use crate::live::Hub;
use crate::service::automations::run_once;
use crate::store::Db;

/// Runs the automations every `every` until the process ends. Errors are logged; the next
/// round tries again.
pub fn spawn(db: Db, hub: Hub, every: std::time::Duration) {
    super::every(every, move || {
        let (db, hub) = (db.clone(), hub.clone());
        async move {
            match run_once(&db, &hub, Utc::now()).await {
                Ok(r) if r.fired.iter().any(|(_, n)| *n > 0) => tracing::info!(?r.fired, "automations fired"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "automation run failed"),
            }
        }
    });
}
