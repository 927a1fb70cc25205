//! Runs the order automations ([`crate::service::automations`]) on a timer.

use chrono::Utc;

use crate::service::automations::run_once;
use crate::state::AppState;

/// Runs the automations every `every` until the process ends. Errors are logged; the next
/// round tries again.
pub fn spawn(state: AppState, every: std::time::Duration) {
    super::every(every, move || {
        let state = state.clone();
        async move {
            let result = run_once(&state.db, &state.live, Utc::now()).await;
            crate::metrics::job("automations", result.is_ok());
            match result {
                Ok(r) if r.fired.iter().any(|(_, n)| *n > 0) => tracing::info!(?r.fired, "automations fired"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "automation run failed"),
            }
        }
    });
}
