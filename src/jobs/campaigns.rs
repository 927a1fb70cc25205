//! Sends care campaigns ([`crate::service::campaigns`]) on a timer. Every instance runs it;
//! runs and sends are claimed in the store, so none is sent twice.

use chrono::Utc;

use crate::service::campaigns::{Transport, tick};
use crate::state::AppState;

pub fn spawn(state: AppState, every: std::time::Duration) {
    let transport = Transport::new(state.config.public_url.as_deref());
    super::every(every, move || {
        let (state, transport) = (state.clone(), transport.clone());
        async move {
            let result = tick(&state.db, &transport, Utc::now()).await;
            crate::metrics::job("campaigns", result.is_ok());
            match result {
                Ok(r) if r != Default::default() => tracing::info!(?r, "campaigns sent"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "campaign round failed"),
            }
        }
    });
}
