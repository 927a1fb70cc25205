//! HTTP: pages for staff, the JSON API, health. One `router()` per area, merged here.

pub mod admin_automations;
pub mod admin_routing;
pub mod admin_settings;
pub mod admin_staff;
pub mod api;
pub mod api_care;
pub mod api_orders;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod buyers;
pub mod campaigns;
pub mod charts;
pub mod chat;
pub mod desk;
pub mod error;
pub mod extract;
pub mod health;
pub mod home;
pub mod kb;
pub mod live;
pub mod nul;
pub mod openapi;
pub mod orders;
pub mod page;
pub mod photos;
pub mod policy;
pub mod queues;
pub mod replies;
pub mod reply_check;
pub mod reports;
pub mod search;
pub mod session;
pub mod shifts;
pub mod survey;
pub mod upload;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::middleware::{from_fn, from_fn_with_state};
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::domain::Role;
use crate::state::AppState;
use error::AppError;

/// What a page may load and run: only our own scripts, styles, images and connections — no
/// inline script and no inline event handlers, so text a buyer or anyone else wrote cannot
/// run even if it ever slipped through escaping. Inline `style` attributes are allowed (the
/// server-drawn charts and a few bars carry their sizes that way), and `data:` images (the
/// stylesheet's select arrow). Pages may not be framed (also `X-Frame-Options`), forms post
/// only to us.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
     form-action 'self'; frame-ancestors 'none'";

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let staff = Router::new()
        .merge(home::router())
        .merge(buyers::router())
        .merge(orders::router())
        .merge(desk::router())
        .merge(
            queues::router()
                .merge(shifts::router())
                .merge(reply_check::supervisor_router())
                .merge(reports::router())
                .route_layer(from_fn(|req, next| session::require_role(Role::Supervisor, req, next))),
        )
        .merge(replies::router())
        .merge(search::router())
        .merge(kb::router())
        .merge(
            admin_staff::router()
                .merge(admin_automations::router())
                .merge(admin_settings::router())
                .merge(admin_routing::router())
                .merge(reply_check::admin_router())
                .merge(campaigns::router())
                .merge(audit::router())
                // Inside the role check: only admins' accepted changes reach the log.
                .route_layer(from_fn_with_state(state.clone(), audit::record_changes))
                .route_layer(from_fn(|req, next| session::require_role(Role::Admin, req, next))),
        )
        .merge(auth::session_router())
        .route_layer(from_fn(session::check_csrf))
        .route_layer(from_fn_with_state(state.clone(), session::require_login));

    let public =
        auth::public_router().merge(chat::router()).merge(photos::router()).route_layer(from_fn(session::check_csrf));

    Router::new()
        .merge(staff)
        .merge(public)
        .merge(survey::router())
        .merge(api::router(state.clone()))
        .merge(health::router(state.clone()))
        .merge(assets::router())
        .route_layer(from_fn(health::track))
        .fallback(|| async { AppError::NotFound })
        // A panicking handler becomes a 500 page instead of a dropped connection.
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(from_fn(nul::refuse_in_address))
        .layer(from_fn(error::error_pages))
        .layer(DefaultBodyLimit::max(session::MAX_FORM_BYTES))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        // Every request gets an id (or keeps the one a proxy gave it): on the log line of each
        // thing it does and in its response's `X-Request-Id`, so a shop's report of an error
        // can be found in the log.
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::extract::Request| {
            let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", id, method = %req.method(), path = req.uri().path())
        }))
        .layer(PropagateRequestIdLayer::new(header::HeaderName::from_static(REQUEST_ID)))
        .layer(SetRequestIdLayer::new(header::HeaderName::from_static(REQUEST_ID), NewRequestId))
        .with_state(state)
}

const REQUEST_ID: &str = "x-request-id";

/// Request ids are v7 UUIDs: unique across instances and sorted by time like the log.
#[derive(Clone, Copy)]
struct NewRequestId;

impl MakeRequestId for NewRequestId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&uuid::Uuid::now_v7().to_string()).ok().map(RequestId::new)
    }
}
