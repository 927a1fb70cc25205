//! Orders list (filter by status, search by number, keyset pages) and the order page.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Redirect;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};

use super::error::AppResult;
use super::extract::Id;
use super::page::{Ctx, FormErrors, Pairs, field};
use crate::domain::OrderStatus;
use crate::service::ServiceError;
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

/// The seller memo as sent, shown again with what was wrong.
struct MemoForm {
    memo: String,
    flag: String,
    errors: FormErrors,
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
    /// The memo form as sent, with what was wrong, after a refused save.
    memo_form: Option<MemoForm>,
}

impl ShowPage {
    fn ticket_rows(&self) -> &[TicketSummary] {
        &self.tickets
    }

    /// The memo text in the form: what was sent after a refused save, else the stored one.
    fn memo_text(&self) -> &str {
        self.memo_form.as_ref().map_or(&self.order.seller_memo, |f| &f.memo)
    }

    fn flag_is(&self, flag: &str) -> bool {
        match &self.memo_form {
            Some(f) => f.flag == flag,
            None => self.order.memo_flag.map_or("", |f| f.as_str()) == flag,
        }
    }

    fn flags(&self) -> &'static [crate::domain::order::MemoFlag] {
        crate::domain::order::MemoFlag::ALL
    }

    fn memo_error(&self, field: &str) -> String {
        self.memo_form.as_ref().map(|f| f.errors.error(field).to_string()).unwrap_or_default()
    }
}

async fn show(State(state): State<AppState>, ctx: Ctx, Id(id): Id) -> AppResult<ShowPage> {
    page(&state, ctx, id, None).await
}

/// Saves the seller memo and flag; a refused one shows the page again with the reason.
async fn memo(State(state): State<AppState>, ctx: Ctx, Id(id): Id, Form(f): Form<Pairs>) -> AppResult<Response> {
    let (text, flag) = (field(&f, "memo"), field(&f, "flag"));
    match orders::set_memo(&state.db, id, text, flag, Utc::now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/orders/{id}#memo")).into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let errors = FormErrors::new(ctx.t, &errors);
            let form = MemoForm { memo: text.to_string(), flag: flag.to_string(), errors };
            let shown = page(&state, ctx, id, Some(form)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, shown).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn page(state: &AppState, ctx: Ctx, id: uuid::Uuid, memo_form: Option<MemoForm>) -> AppResult<ShowPage> {
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
    Ok(ShowPage {
        ctx: ctx.at("orders"),
        order,
        buyer,
        items,
        shipments,
        events,
        review,
        tickets,
        steps,
        rules,
        memo_form,
    })
}

pub fn router() -> Router<AppState> {
    Router::new().route("/orders", get(list)).route("/orders/{id}", get(show)).route("/orders/{id}/memo", post(memo))
}
