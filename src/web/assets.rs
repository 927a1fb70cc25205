//! Our CSS and JS, compiled into the binary so one file is the whole desk.
//!
//! Pages link `/static/NAME?v=HASH`; the hash changes with the content, so browsers may cache
//! the files for a year and still never see a stale one.

use std::sync::OnceLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::error::AppError;
use crate::state::AppState;

const FILES: &[(&str, &str, &str)] = &[
    ("kefu.css", "text/css; charset=utf-8", include_str!("../../static/kefu.css")),
    ("kefu.js", "text/javascript; charset=utf-8", include_str!("../../static/kefu.js")),
];

/// A short content hash of all assets, for cache-busting query strings.
pub fn version() -> &'static str {
    static V: OnceLock<String> = OnceLock::new();
    V.get_or_init(|| {
        // FNV-1a: stable across builds and platforms, enough to tell versions apart.
        let mut h: u64 = 0xcbf29ce484222325;
        for (_, _, body) in FILES {
            for b in body.bytes() {
                h = (h ^ b as u64).wrapping_mul(0x100000001b3);
            }
        }
        format!("{:08x}", h as u32)
    })
}

/// `KEFU_STATIC_DIR`, when set, serves the files from that folder instead, read on every
/// request, so CSS and JS can be edited without rebuilding (development only).
fn dev_dir() -> Option<&'static std::path::Path> {
    static DIR: OnceLock<Option<std::path::PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| std::env::var_os("KEFU_STATIC_DIR").map(Into::into)).as_deref()
}

async fn serve(Path(name): Path<String>) -> Result<Response, AppError> {
    let (_, mime, body) = FILES.iter().find(|(n, _, _)| *n == name).ok_or(AppError::NotFound)?;
    let mut res = match dev_dir() {
        Some(dir) => tokio::fs::read_to_string(dir.join(name))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .into_response(),
        None => (*body).into_response(),
    };
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    Ok(res)
}

pub fn router() -> Router<AppState> {
    Router::new().route("/static/{name}", get(serve))
}
