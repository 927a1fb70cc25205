//! Serving conversation photos (`/attachments/{id}`, `/attachments/{id}/thumb`): to any
//! logged-in staff member, and to the buyer whose conversation it is (their chat session),
//! never to anyone else — a photo of a parcel label shows an address.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;

use super::error::AppResult;
use super::extract::Id;
use super::session;
use crate::service::photos::{self, Viewer};
use crate::service::{auth, chat};
use crate::state::AppState;

/// Who is asking: a staff login first, else this browser's chat session.
async fn viewer(state: &AppState, headers: &HeaderMap) -> AppResult<Viewer> {
    if let Some(token) = session::cookie(headers, session::SESSION_COOKIE)
        && auth::session(&state.db, token, Utc::now()).await?.is_some()
    {
        return Ok(Viewer::Staff);
    }
    if let Some(token) = session::cookie(headers, super::chat::CHAT_COOKIE)
        && let Some(s) = chat::session(&state.db, token, Utc::now()).await?
    {
        return Ok(Viewer::Buyer(s.buyer_id));
    }
    Ok(Viewer::Nobody)
}

async fn serve(state: &AppState, headers: &HeaderMap, id: uuid::Uuid, thumb: bool) -> AppResult<Response> {
    let who = viewer(state, headers).await?;
    let (kind, bytes) = photos::get(&state.db, id, thumb, who).await?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind.as_str()));
    // A photo never changes under its id; only this browser may keep it.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=31536000, immutable"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("inline"));
    Ok(res)
}

async fn full(State(state): State<AppState>, headers: HeaderMap, Id(id): Id) -> AppResult<Response> {
    serve(&state, &headers, id, false).await
}

async fn thumb(State(state): State<AppState>, headers: HeaderMap, Id(id): Id) -> AppResult<Response> {
    serve(&state, &headers, id, true).await
}

pub fn router() -> Router<AppState> {
    Router::new().route("/attachments/{id}", get(full)).route("/attachments/{id}/thumb", get(thumb))
}
