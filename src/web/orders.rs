//! Orders list (filter by status, search by number, keyset pages) and the order page.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};

use super::error::AppResult;
use super::extract::Id;
use super::page::{Ctx, Pairs, field};
use crate::domain::OrderStatus;
use crate::service::orders::{
    self, Buyer, Order, OrderItem, OrderRow, OrderView, Review, Shipment, TicketSummary, TrackingEvent,
};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "orders/list.html")]
struct ListPage {
    ctx: Ctx,
    q: String,
    status: String,
    status_error: bool,
    rows: Vec<OrderRow>,
    next: Option<String>,
    paged: bool,
}

impl ListPage {
    /// This list's first page, for the pager.
    fn list_link(&self) -> String {
        format!("/orders?q={}&status={}", super::session::urlencode(&self.q), self.status)
    }
}

async fn list(State(state): State<AppState>, ctx: Ctx, Query(q): Query<Pairs>) -> AppResult<Response> {
    let ctx = ctx.at("orders");
    let status_text = field(&q, "status").trim();
    let query: String = field(&q, "q").trim().chars().take(64).collect();
    // Keyset cursor: `RFC3339~uuid` of the last row of the previous page.
    let before = field(&q, "before").trim();
    let status = match status_text {
        "" => None,
        text => match text.parse::<OrderStatus>() {
            Ok(s) => Some(s),
            Err(_) => {
                // An unknown status (a hand-edited link) shows the page with the filter marked.
                let page = ListPage {
                    ctx,
                    q: query,
                    status: String::new(),
                    status_error: true,
                    rows: vec![],
                    next: None,
                    paged: false,
                };
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
            }
        },
    };
    let page = orders::list(&state.db, status, &query, before).await?;
    let status = status.map(|s| s.as_str().to_string()).unwrap_or_default();
    let paged = !before.is_empty();
    Ok(ListPage { ctx, q: query, status, status_error: false, rows: page.rows, next: page.next, paged }.into_response())
}

/// One step of the order's status timeline.
pub struct Step {
    pub label: &'static str,
    pub at: Option<DateTime<Utc>>,
}

#[derive(Template, WebTemplate)]
#[template(path = "orders/show.html")]
struct ShowPage {
    ctx: Ctx,
    order: Order,
    buyer: Buyer,
    items: Vec<OrderItem>,
    shipments: Vec<Shipment>,
    events: Vec<TrackingEvent>,
    review: Option<Review>,
    tickets: Vec<TicketSummary>,
    steps: Vec<Step>,
    rules: Vec<super::policy::RuleLine>,
}

impl ShowPage {
    fn ticket_rows(&self) -> &[TicketSummary] {
        &self.tickets
    }
}

async fn show(State(state): State<AppState>, ctx: Ctx, Id(id): Id) -> AppResult<ShowPage> {
    let OrderView { order, buyer, items, shipments, events, review, tickets, policy } =
        orders::view(&state.db, id, &ctx.settings, ctx.now).await?;
    let t = ctx.t;
    let mut steps = vec![
        Step { label: t.event_created, at: Some(order.times.created_at) },
        Step { label: t.event_paid, at: order.times.paid_at },
        Step { label: t.event_shipped, at: order.times.shipped_at },
        Step { label: t.event_signed, at: order.times.signed_at },
        Step { label: t.event_completed, at: order.times.completed_at },
    ];
    if let Some(at) = order.times.closed_at {
        steps.retain(|s| s.at.is_some());
        steps.push(Step { label: t.event_closed, at: Some(at) });
    }
    let rules = super::policy::lines(ctx.t, ctx.lang, &order, &policy, ctx.now);
    Ok(ShowPage { ctx: ctx.at("orders"), order, buyer, items, shipments, events, review, tickets, steps, rules })
}

pub fn router() -> Router<AppState> {
    Router::new().route("/orders", get(list)).route("/orders/{id}", get(show))
}
