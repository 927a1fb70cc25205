//! Keeps the query planner's statistics current on a live shop: once at start and then
//! daily ([`crate::service::maintenance::refresh_statistics`]). Without it a store that grew
//! from empty is planned as if it were still empty.

use crate::state::AppState;

pub fn spawn(state: AppState, every: std::time::Duration) {
    super::every(every, move || {
        let state = state.clone();
        async move {
            let started = std::time::Instant::now();
            let result = crate::service::maintenance::refresh_statistics(&state.db).await;
            crate::metrics::job("statistics", result.is_ok());
            match result {
                Ok(()) => tracing::info!(ms = started.elapsed().as_millis() as u64, "planner statistics refreshed"),
                Err(e) => tracing::warn!(error = %e, "refreshing planner statistics failed"),
            }
        }
    });
}

/// Checkpoints the SQLite log every `every` (a second in `kefu serve`), off the writer.
pub fn spawn_checkpoints(state: AppState, every: std::time::Duration) {
    if state.db.is_postgres() {
        return;
    }
    super::every(every, move || {
        let state = state.clone();
        async move {
            if let Err(e) = crate::service::maintenance::checkpoint(&state.db).await {
                tracing::warn!(error = %e, "checkpointing the SQLite log failed");
            }
        }
    });
}
