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
            let result = housekeeping(&state.db, &state.live, Utc::now()).await;
            crate::metrics::job("routing", result.is_ok());
            if let Err(e) = result {
                tracing::warn!(error = %e, "routing run failed");
            }
        }
    });
}
