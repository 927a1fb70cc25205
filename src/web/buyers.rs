//! Buyers list (search, keyset pages) and the buyer page (profile, value, orders, tickets).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use uuid::Uuid;

use super::error::{AppError, AppResult};
use super::page::{Ctx, Pairs, field};
use super::session::CurrentUser;
use crate::app::AppState;
use crate::domain::{Copied, search::query_terms};
use crate::store::{
    self,
    buyers::{Buyer, BuyerRow, BuyerValue},
    orders::{Order, Shipment},
    tickets::TicketSummary,
};

pub const PAGE_SIZE: i64 = 50;

#[derive(Template, WebTemplate)]
#[template(path = "buyers/list.html")]
struct ListPage {
    ctx: Ctx,
    q: String,
    rows: Vec<BuyerRow>,
    next: Option<String>,
    paged: bool,
}

async fn list(State(state): State<AppState>, user: CurrentUser, Query(q): Query<Pairs>) -> AppResult<ListPage> {
    let ctx = Ctx::new(&state, user, "buyers").await?;
    // A cursor that is not an id is treated as "first page" rather than an error: it can only
    // come from a hand-edited URL, and the first page is what that person wants.
    let before = Uuid::parse_str(field(&q, "before").trim()).ok();
    let query: String = field(&q, "q").trim().chars().take(100).collect();
    let terms = query_terms(&query);
    let mut rows = if query.is_empty() || !terms.is_empty() {
        store::buyers::page(&state.db, &terms, before, PAGE_SIZE + 1).await?
    } else {
        Vec::new()
    };
    let next = if rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(|r| r.buyer.id.to_string())
    } else {
        None
    };
    Ok(ListPage { ctx, q: query, rows, next, paged: before.is_some() })
}

#[derive(Template, WebTemplate)]
#[template(path = "buyers/show.html")]
struct ShowPage {
    ctx: Ctx,
    buyer: Buyer,
    tags: Vec<String>,
    attributes: Vec<(String, String)>,
    value: BuyerValue,
    orders: Vec<Order>,
    shipments: Vec<Shipment>,
    tickets: Vec<TicketSummary>,
}

impl ShowPage {
    fn shipment_of(&self, order_id: impl Copied<Uuid>) -> Option<&Shipment> {
        let order_id = order_id.copied();
        self.shipments.iter().rev().find(|s| s.order_id == order_id)
    }
    fn is_returning(&self) -> bool {
        self.value.order_count >= 2
    }
}

async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<ShowPage> {
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let buyer = store::buyers::by_id(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let ctx = Ctx::new(&state, user, "buyers").await?;
    Ok(ShowPage {
        tags: store::buyers::tags(&state.db, id).await?,
        attributes: store::buyers::attributes(&state.db, id).await?,
        value: store::buyers::value(&state.db, id).await?,
        orders: store::orders::for_buyer(&state.db, id).await?,
        shipments: store::orders::latest_shipments(&state.db, id).await?,
        tickets: store::tickets::for_buyer(&state.db, id).await?,
        buyer,
        ctx,
    })
}

pub fn router() -> Router<AppState> {
    Router::new().route("/buyers", get(list)).route("/buyers/{id}", get(show))
}
