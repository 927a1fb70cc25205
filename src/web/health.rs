//! `/healthz`: is this instance able to reach its database? `/metrics`: its figures for
//! Prometheus.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::service;
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

/// `/metrics` for Prometheus, behind an API token (`kefu token create`; Prometheus sends it as
/// `authorization: bearer`).
async fn metrics(State(state): State<AppState>) -> Result<Response, super::api::ApiError> {
    let text = service::metrics::exposition(&state.db, &state.live, chrono::Utc::now()).await?;
    let kind = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    Ok(([(header::CONTENT_TYPE, kind)], text).into_response())
}

/// Counts every answered request under its route pattern (for `/metrics`).
pub async fn track(req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map_or("unmatched", |p| p.as_str()).to_string();
    let method = req.method().to_string();
    let started = std::time::Instant::now();
    let res = next.run(req).await;
    crate::metrics::request(&route, &method, res.status().as_u16(), started.elapsed());
    res
}

pub fn router(state: AppState) -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route(
        "/metrics",
        get(metrics).route_layer(axum::middleware::from_fn_with_state(state, super::api::require_token)),
    )
}
