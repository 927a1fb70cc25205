//! The agent workspace: the three-stage inbox ([`inbox`]), the ticket page ([`ticket`]) and
//! what agents do on it ([`actions`]).

mod actions;
mod inbox;
mod ticket;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use uuid::Uuid;

use crate::domain::Copied;
use crate::state::AppState;

pub use inbox::{Inbox, InboxQuery};

/// `Some(b) == a`, callable from templates whatever they hand over (values or references).
pub fn is(a: impl Copied<Option<Uuid>>, b: impl Copied<Uuid>) -> bool {
    a.copied() == Some(b.copied())
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/desk", get(inbox::show))
        .route("/desk/tasks", post(inbox::tasks_batch))
        .route("/live", get(actions::live))
        .route("/tickets/{id}", get(ticket::show))
        .route("/tickets/{id}/replies", get(ticket::replies))
        .route(
            "/tickets/{id}/reply",
            post(actions::reply).layer(DefaultBodyLimit::max(crate::web::upload::MAX_MESSAGE_BYTES)),
        )
        .route("/tickets/{id}/update", post(actions::update))
        .route("/tickets/{id}/take", post(actions::take))
        .route("/tickets/{id}/return", post(actions::return_step))
        .route("/tickets/{id}/arbitration", post(actions::arbitration))
        .route("/tickets/{id}/work-orders", post(actions::work_order))
        .route("/tickets/{id}/address-change", post(actions::address_change))
        .route("/tickets/{id}/memo", post(actions::memo))
        .route("/tickets/{id}/order-confirmed", post(actions::order_confirmed))
        .route("/tickets/{id}/viewing", post(actions::viewing))
        .route("/tickets/{id}/merge-visitor", post(actions::merge_visitor))
        .route("/tickets/{id}/invite-rating", post(actions::invite_rating))
        .route("/buyers/{id}/notes", post(actions::buyer_notes))
        .route("/buyers/{id}/attributes", post(actions::buyer_attribute))
}
