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
use crate::service::buyers::{self, BuyerRow, Profile, Shipment, TicketSummary};
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

impl ListPage {
    /// This list's first page, for the pager.
    fn list_link(&self) -> String {
        format!("/buyers?q={}", super::session::urlencode(&self.q))
    }
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
    p: Profile,
}

impl ShowPage {
    fn shipment_of(&self, order_id: impl Copied<Uuid>) -> Option<&Shipment> {
        self.p.shipment_of(order_id.copied())
    }
    fn is_returning(&self) -> bool {
        self.p.is_returning()
    }
    fn ticket_rows(&self) -> &[TicketSummary] {
        &self.p.tickets
    }
}

async fn show(State(state): State<AppState>, ctx: Ctx, Id(id): Id) -> AppResult<ShowPage> {
    Ok(ShowPage { p: buyers::profile(&state.db, id).await?, ctx: ctx.at("buyers") })
}

pub fn router() -> Router<AppState> {
    Router::new().route("/buyers", get(list)).route("/buyers/{id}", get(show))
}
