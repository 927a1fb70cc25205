//! Runs the routing housekeeping ([`crate::service::routing::housekeeping`]) on a timer:
//! queue pickup, SLA breaches, idle agents set away.

use chrono::Utc;

use crate::service::routing::housekeeping;
use crate::state::AppState;

/// Runs the routing housekeeping every `every` until the process ends.
pub fn spawn(state: AppState, every: std::time::Duration) {
    super::every(every, move || {
        let state = state.clone();
        async move {
            if let Err(e) = housekeeping(&state.db, &state.live, Utc::now()).await {
                tracing::warn!(error = %e, "routing run failed");
            }
        }
    });
}
