//! Orders list (filter by status, search by number, keyset pages) and the order page.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::error::{AppError, AppResult};
use super::page::{Ctx, Pairs, field};
use super::session::CurrentUser;
use crate::app::AppState;
use crate::domain::OrderStatus;
use crate::store::{self, buyers::Buyer, orders::*, tickets::TicketSummary};

pub const PAGE_SIZE: i64 = 50;

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

fn parse_cursor(text: &str) -> Option<OrderCursor> {
    let (at, id) = text.split_once('~')?;
    Some((DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc), Uuid::parse_str(id).ok()?))
}

async fn list(State(state): State<AppState>, user: CurrentUser, Query(q): Query<Pairs>) -> AppResult<Response> {
    let ctx = Ctx::new(&state, user, "orders").await?;
    let status_text = field(&q, "status").trim();
    let status = if status_text.is_empty() { Ok(None) } else { status_text.parse::<OrderStatus>().map(Some) };
    let query: String = field(&q, "q").trim().chars().take(64).collect();
    // Keyset cursor: `RFC3339~uuid` of the last row of the previous page.
    let before = parse_cursor(field(&q, "before").trim());
    let Ok(status) = status else {
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
    };
    let filter = OrderFilter { status, query: (!query.is_empty()).then(|| query.clone()) };
    let mut rows = store::orders::page(&state.db, &filter, before, PAGE_SIZE + 1).await?;
    let next = if rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(|r| format!("{}~{}", r.order.created_at.to_rfc3339(), r.order.id))
    } else {
        None
    };
    let status = status.map(|s| s.as_str().to_string()).unwrap_or_default();
    Ok(ListPage { ctx, q: query, status, status_error: false, rows, next, paged: before.is_some() }.into_response())
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

async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<ShowPage> {
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let order = store::orders::by_id(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let buyer = store::buyers::by_id(&state.db, order.buyer_id).await?.ok_or(AppError::NotFound)?;
    let ctx = Ctx::new(&state, user, "orders").await?;
    let t = ctx.t;
    let mut steps = vec![
        Step { label: t.event_created, at: Some(order.created_at) },
        Step { label: t.event_paid, at: order.paid_at },
        Step { label: t.event_shipped, at: order.shipped_at },
        Step { label: t.event_signed, at: order.signed_at },
        Step { label: t.event_completed, at: order.completed_at },
    ];
    if let Some(at) = order.closed_at {
        steps.retain(|s| s.at.is_some());
        steps.push(Step { label: t.event_closed, at: Some(at) });
    }
    let policy =
        crate::service::orders::policy(&state.db, &order, ctx.now, crate::domain::rules::ReturnReason::Unknown, ctx.tz)
            .await?;
    let rules = super::policy::lines(ctx.t, ctx.lang, &order, &policy, ctx.now);
    Ok(ShowPage {
        rules,
        items: store::orders::items(&state.db, id).await?,
        shipments: store::orders::shipments(&state.db, id).await?,
        events: store::orders::tracking_events(&state.db, id).await?,
        review: store::orders::review(&state.db, id).await?,
        tickets: store::tickets::for_order(&state.db, id).await?,
        steps,
        order,
        buyer,
        ctx,
    })
}

pub fn router() -> Router<AppState> {
    Router::new().route("/orders", get(list)).route("/orders/{id}", get(show))
}
