//! Who is asking: session cookies, the logged-in staff member, role checks and CSRF.
//!
//! A session is a random token in an HttpOnly cookie; the database keeps its SHA-256 with
//! the staff id and a per-session CSRF token. Every state-changing request must carry that
//! CSRF token (form field `_csrf` or header `X-CSRF-Token`); the login form, which has no
//! session yet, uses a double-submit cookie instead.

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;

use super::error::AppError;
use crate::domain::Role;
use crate::service::auth;
use crate::service::staff::Staff;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "kefu_session";
pub const LOGIN_CSRF_COOKIE: &str = "kefu_csrf";
/// Largest form body the CSRF check reads; larger bodies are refused before any handler.
pub const MAX_FORM_BYTES: usize = 1024 * 1024;

/// The logged-in staff member of this request.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub staff: Staff,
    pub csrf: String,
    /// The session cookie's token (to end exactly this session on logout).
    pub token: String,
    /// The page being shown (path and query), for forms that come back to it.
    pub path: String,
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or_else(|| AppError::Internal("CurrentUser asked for on a route without login".into()))
    }
}

/// Reads one cookie from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, whole site; `Secure` when configured.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

/// Middleware for every staff page: loads the session's staff member or sends to login.
pub async fn require_login(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let token = cookie(req.headers(), SESSION_COOKIE).map(str::to_string);
    let found = match &token {
        Some(t) => auth::session(&state.db, t, Utc::now()).await,
        None => Ok(None),
    };
    match found {
        Ok(Some((staff, csrf))) => {
            let path = req.uri().path_and_query().map_or("/".to_string(), |p| p.as_str().to_string());
            req.extensions_mut().insert(CurrentUser { staff, csrf, token: token.unwrap_or_default(), path });
            next.run(req).await
        }
        Ok(None) => {
            let back = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
            let target = if req.method() == Method::GET && back != "/" {
                format!("/login?next={}", urlencode(back))
            } else {
                "/login".to_string()
            };
            Redirect::to(&target).into_response()
        }
        Err(e) => AppError::from(e).into_response(),
    }
}

/// Middleware factory: only staff whose role includes `needed` pass; others get the 403 page.
pub async fn require_role(needed: Role, req: Request, next: Next) -> Response {
    match req.extensions().get::<CurrentUser>() {
        Some(u) if u.staff.role.at_least(needed) => next.run(req).await,
        _ => AppError::Forbidden.into_response(),
    }
}

/// Middleware: every non-GET request must carry the CSRF token of its session (or, without a
/// session, the login double-submit cookie).
pub async fn check_csrf(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let expected = match req.extensions().get::<CurrentUser>() {
        Some(u) => Some(u.csrf.clone()),
        None => cookie(req.headers(), LOGIN_CSRF_COOKIE).map(str::to_string),
    };
    let header_token = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_string);
    let (req, given) = match header_token {
        Some(t) => (req, Some(t)),
        None => {
            let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
            let is_form = content_type.starts_with("application/x-www-form-urlencoded");
            if content_type.starts_with("multipart/form-data") {
                // File uploads carry the token in the form's action URL, so the (large)
                // body is not read twice.
                let token = req.uri().query().and_then(|q| form_field(q.as_bytes(), "_csrf"));
                (req, token)
            } else if !is_form {
                (req, None)
            } else {
                let (parts, body) = req.into_parts();
                let bytes = match to_bytes(body, MAX_FORM_BYTES).await {
                    Ok(b) => b,
                    Err(_) => return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response(),
                };
                if super::nul::form_has_nul(&bytes) {
                    return AppError::BadInput.into_response();
                }
                let token = form_field(&bytes, "_csrf");
                (Request::from_parts(parts, Body::from(bytes)), token)
            }
        }
    };
    match (expected, given) {
        (Some(e), Some(g)) if constant_time_eq(e.as_bytes(), g.as_bytes()) => next.run(req).await,
        _ => AppError::Csrf.into_response(),
    }
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Percent-encodes a path for a query parameter.
pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).map(|x| x[1..].to_string()).unwrap_or_default()
}

/// A `next` target is followed only when it is a path on this site (no open redirect).
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => n,
        _ => "/",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cookies() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, "a=1; kefu_session=abc; b=2".parse().unwrap());
        assert_eq!(cookie(&h, "kefu_session"), Some("abc"));
        assert_eq!(cookie(&h, "missing"), None);
    }

    #[test]
    fn next_must_stay_on_site() {
        assert_eq!(safe_next(Some("/buyers?q=1")), "/buyers?q=1");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn form_fields_are_found() {
        assert_eq!(form_field(b"a=1&_csrf=x%2By", "_csrf").as_deref(), Some("x+y"));
        assert_eq!(form_field(b"a=1", "_csrf"), None);
    }
}
