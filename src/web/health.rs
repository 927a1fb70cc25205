//! `/healthz`: is this instance able to reach its database?

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::state::AppState;

async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    let backend = if state.db.is_postgres() { "postgres" } else { "sqlite" };
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, Json(json!({"status": "ok", "database": backend}))),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"status": "error", "database": backend})))
        }
    }
}

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz))
}
