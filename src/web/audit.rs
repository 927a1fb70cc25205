//! The admin audit log: every change an admin's form makes is recorded by
//! [`record_changes`] (a layer over all admin routes, so a new admin page cannot be
//! forgotten), and `/admin/audit` shows the log with filters.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequestParts, MatchedPath, Query, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;
use uuid::Uuid;

use super::error::AppResult;
use super::extract::ClientAddr;
use super::page::{Ctx, Pairs, field};
use super::session::{self, CurrentUser};
use crate::domain::audit::AuditAction;
use crate::domain::timefmt;
use crate::service;
use crate::service::audit::{Change, LogPage, Query as LogQuery};
use crate::state::AppState;

/// Records each accepted change sent to an admin route: who (the session's staff), what (the
/// route and the form's fields, secrets left out), when, and from where (the client address).
/// A change is accepted when its handler answers with a redirect (every admin form redirects
/// after it saved; a form sent back with errors, or a preview, changed nothing).
///
/// The entry is written after the change; if writing it fails the change stands and the
/// failure is logged as an error (the admin's work is not undone for the log's sake).
pub async fn record_changes(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let Some(staff_id) = req.extensions().get::<CurrentUser>().map(|u| u.staff.id) else {
        return next.run(req).await;
    };
    let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string()).unwrap_or_default();
    let (path, method) = (req.uri().path().to_string(), req.method().to_string());
    let (mut parts, body) = req.into_parts();
    let Ok(ClientAddr(addr)) = ClientAddr::from_request_parts(&mut parts, &state).await;
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    // Forms are small (the body limit below the router caps them); other bodies (uploads)
    // pass through unread and are logged without their fields.
    let (fields, body) = match is_form {
        true => match axum::body::to_bytes(body, session::MAX_FORM_BYTES).await {
            Ok(bytes) => (serde_urlencoded::from_bytes::<Pairs>(&bytes).unwrap_or_default(), Body::from(bytes)),
            Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
        },
        false => (Vec::new(), body),
    };
    let response = next.run(Request::from_parts(parts, body)).await;
    if response.status().is_redirection() {
        let change = Change {
            staff_id,
            method: &method,
            route: &route,
            path: &path,
            fields,
            client_addr: addr.map(|a| a.to_string()),
        };
        if let Err(e) = service::audit::record(&state.db, change, chrono::Utc::now()).await {
            tracing::error!(error = %e, %path, "the audit log could not record an admin change");
        }
    }
    response
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/audit.html")]
struct LogView {
    ctx: Ctx,
    log: LogPage,
    actions: &'static [AuditAction],
    /// The filters as given, to show them again and to build the next page's address.
    staff_q: String,
    action_q: String,
    from_q: String,
    to_q: String,
    /// Filters that could not be read: the page says which, and ignores them.
    bad: Vec<&'static str>,
}

impl LogView {
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        timefmt::local(*at, self.ctx.settings.shop.time_zone)
    }

    fn next_href(&self, before: &Uuid) -> String {
        let pairs = [
            ("staff", self.staff_q.as_str()),
            ("action", self.action_q.as_str()),
            ("from", self.from_q.as_str()),
            ("to", self.to_q.as_str()),
        ];
        let mut q: Vec<(&str, String)> =
            pairs.into_iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (k, v.to_string())).collect();
        q.push(("before", before.to_string()));
        format!("/admin/audit?{}", serde_urlencoded::to_string(q).unwrap_or_default())
    }
}

/// A filter as typed: None when empty; when it cannot be read, `label` joins `bad` (the page
/// names it) and the filter is left out.
fn filter<T>(
    value: &str, parse: impl FnOnce(&str) -> Option<T>, label: &'static str, bad: &mut Vec<&'static str>,
) -> Option<T> {
    if value.is_empty() {
        return None;
    }
    let parsed = parse(value);
    if parsed.is_none() {
        bad.push(label);
    }
    parsed
}

async fn show(State(state): State<AppState>, ctx: Ctx, Query(pairs): Query<Pairs>) -> AppResult<LogView> {
    let t = ctx.t;
    let text = |k: &str| field(&pairs, k).trim().to_string();
    let (staff_q, action_q, from_q, to_q) = (text("staff"), text("action"), text("from"), text("to"));
    let date = |v: &str| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
    let mut bad = Vec::new();
    let q = LogQuery {
        staff: filter(&staff_q, |v| Uuid::parse_str(v).ok(), t.audit_filter_staff, &mut bad),
        action: filter(&action_q, |v| v.parse().ok(), t.audit_filter_action, &mut bad),
        from: filter(&from_q, date, t.audit_filter_from, &mut bad),
        to: filter(&to_q, date, t.audit_filter_to, &mut bad),
        before: Uuid::parse_str(field(&pairs, "before")).ok(),
    };
    let log = service::audit::page(&state.db, &ctx.settings, &q).await?;
    Ok(LogView { ctx: ctx.at("admin"), log, actions: AuditAction::ALL, staff_q, action_q, from_q, to_q, bad })
}

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/audit", get(show))
}
