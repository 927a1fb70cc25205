//! The web layer's one error type, and the friendly error pages.
//!
//! Handlers return [`AppError`]; internal errors are logged with detail and shown to people
//! only as a generic page. Every 4xx/5xx response of a page route that is not already HTML
//! (axum's own plain-text rejections, the 404 fallback, 413 from the body limit) is replaced
//! by a page in the reader's language by [`error_pages`].

use askama::Template;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use crate::domain::Lang;
use crate::i18n::{Messages, messages};
use crate::service::ServiceError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("csrf token missing or wrong")]
    Csrf,
    #[error("conflict")]
    Conflict,
    #[error("unreadable input")]
    BadInput,
    /// An upload over its limit.
    #[error("too large")]
    TooLarge,
    /// Too many failed attempts; the seconds to wait.
    #[error("too many attempts")]
    Throttled(i64),
    #[error("internal: {0}")]
    Internal(String),
}

/// Marks a response whose body should be the friendly page for this kind of error.
#[derive(Clone, Copy, Debug)]
struct ErrorKind(&'static str);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, kind) = match &self {
            AppError::NotFound => (StatusCode::NOT_FOUND, "404"),
            AppError::Forbidden => (StatusCode::FORBIDDEN, "403"),
            AppError::Csrf => (StatusCode::FORBIDDEN, "csrf"),
            AppError::Conflict => (StatusCode::CONFLICT, "409"),
            AppError::BadInput => (StatusCode::UNPROCESSABLE_ENTITY, "422"),
            AppError::Throttled(_) => (StatusCode::TOO_MANY_REQUESTS, "429"),
            AppError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "413"),
            AppError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "500")
            }
        };
        let mut res = status.into_response();
        if let AppError::Throttled(secs) = self {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        res.extensions_mut().insert(ErrorKind(kind));
        res
    }
}

impl From<ServiceError> for AppError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => AppError::NotFound,
            ServiceError::Forbidden => AppError::Forbidden,
            ServiceError::Conflict => AppError::Conflict,
            ServiceError::Unfilled(_) => AppError::BadInput,
            ServiceError::TooLarge => AppError::TooLarge,
            ServiceError::Banned { .. } => AppError::BadInput,
            ServiceError::Throttled { retry_after } => AppError::Throttled(retry_after.num_seconds()),
            ServiceError::Invalid(errors) => {
                // Handlers that own a form render field errors themselves; reaching here
                // means a request no form produced.
                tracing::debug!(?errors, "invalid input outside a form");
                AppError::BadInput
            }
            ServiceError::Store(e) => AppError::Internal(e.to_string()),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    t: &'a Messages,
    lang: Lang,
    status: u16,
    title: &'a str,
    text: &'a str,
}

/// The language for pages shown before or outside a session: the `kefu_lang` cookie.
pub fn cookie_lang(headers: &axum::http::HeaderMap) -> Lang {
    super::session::cookie(headers, "kefu_lang").and_then(|v| v.parse().ok()).unwrap_or(Lang::Zh)
}

/// Middleware: turns bare error responses of page routes into friendly pages.
pub async fn error_pages(req: Request, next: Next) -> Response {
    let lang = cookie_lang(req.headers());
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    // Only bare responses (our AppError, no body) and axum's plain-text rejections are
    // replaced; HTML pages and JSON API errors are already meant for their reader.
    let bare = match res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(v) => v.starts_with("text/plain"),
    };
    if !bare {
        return res;
    }
    let kind = res.extensions().get::<ErrorKind>().map(|k| k.0);
    let t = messages(lang);
    let (title, text) = match (kind, status.as_u16()) {
        (Some("csrf"), _) => (t.error_csrf_title, t.error_csrf_text),
        (_, 403) => (t.error_403_title, t.error_403_text),
        (_, 404 | 405) => (t.error_404_title, t.error_404_text),
        (_, 409) => (t.error_409_title, t.error_409_text),
        (_, 413) => (t.error_413_title, t.error_413_text),
        (_, 429) => (t.error_429_title, t.error_429_text),
        (_, 400 | 415 | 422) => (t.error_422_title, t.error_422_text),
        _ => (t.error_500_title, t.error_500_text),
    };
    let page = ErrorPage { t, lang, status: status.as_u16(), title, text };
    let mut out = match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            (status, title.to_string()).into_response()
        }
    };
    if let Some(v) = res.headers().get(header::SET_COOKIE) {
        out.headers_mut().insert(header::SET_COOKIE, v.clone());
    }
    out.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    out
}
