//! Extractors of our own, whose rejections are our error pages.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Path};
use axum::http::request::Parts;
use uuid::Uuid;

use super::error::AppError;
use crate::state::AppState;

/// The `{id}` of a route as a UUID. An id that does not parse names nothing: 404, like an
/// id that names nothing.
#[derive(Debug, Clone, Copy)]
pub struct Id(pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(text) = Path::<String>::from_request_parts(parts, state).await.map_err(|_| AppError::NotFound)?;
        Uuid::parse_str(&text).map(Id).map_err(|_| AppError::NotFound)
    }
}

/// The client's address, for counting failed attempts per client: the connection's peer, or
/// behind a trusted proxy (`KEFU_TRUST_PROXY`) the address it added to `X-Forwarded-For`.
/// None when neither is known (a request made in-process).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if state.config.trust_proxy {
            // Only the last header is the proxy's own; earlier ones are whatever the client sent.
            let forwarded = parts.headers.get_all("x-forwarded-for").iter().next_back().and_then(|v| v.to_str().ok());
            if let Some(ip) = forwarded.and_then(proxy_added) {
                return Ok(ClientAddr(Some(ip)));
            }
        }
        Ok(ClientAddr(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())))
    }
}

/// The address a trusted proxy appended to an `X-Forwarded-For` value: its last entry.
fn proxy_added(value: &str) -> Option<IpAddr> {
    value.rsplit(',').next()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proxy_added_entry_is_the_last_one() {
        // A client may send its own header; the proxy appends the peer it saw.
        assert_eq!(proxy_added("1.2.3.4, 203.0.113.9"), Some("203.0.113.9".parse().unwrap()));
        assert_eq!(proxy_added("2001:db8::1"), Some("2001:db8::1".parse().unwrap()));
        assert_eq!(proxy_added("203.0.113.9, junk"), None);
        assert_eq!(proxy_added(""), None);
    }
}
