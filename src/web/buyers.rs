//! Buyers list (search, keyset pages) and the buyer page (profile, value, orders, tickets).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use uuid::Uuid;

use super::error::AppResult;
use super::extract::Id;
use super::page::{Ctx, Pairs, field};
use crate::domain::Copied;
use crate::service::buyers::{self, Buyer, BuyerRow, BuyerValue, Order, Profile, Shipment, TicketSummary};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "buyers/list.html")]
struct ListPage {
    ctx: Ctx,
    q: String,
    rows: Vec<BuyerRow>,
    next: Option<String>,
    paged: bool,
}

async fn list(State(state): State<AppState>, ctx: Ctx, Query(q): Query<Pairs>) -> AppResult<ListPage> {
    // A cursor that is not an id is treated as "first page" rather than an error: it can only
    // come from a hand-edited URL, and the first page is what that person wants.
    let before = Uuid::parse_str(field(&q, "before").trim()).ok();
    let query: String = field(&q, "q").trim().chars().take(100).collect();
    let page = buyers::list(&state.db, &query, before).await?;
    Ok(ListPage { ctx: ctx.at("buyers"), q: query, rows: page.rows, next: page.next, paged: before.is_some() })
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

async fn show(State(state): State<AppState>, ctx: Ctx, Id(id): Id) -> AppResult<ShowPage> {
    let Profile { buyer, tags, attributes, value, orders, shipments, tickets } = buyers::profile(&state.db, id).await?;
    Ok(ShowPage { ctx: ctx.at("buyers"), buyer, tags, attributes, value, orders, shipments, tickets })
}

pub fn router() -> Router<AppState> {
    Router::new().route("/buyers", get(list)).route("/buyers/{id}", get(show))
}
