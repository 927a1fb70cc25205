//! `/search`: the header search box's results, grouped, with matches marked.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use uuid::Uuid;

use super::error::AppResult;
use super::page::{Ctx, Pairs, field};
use crate::domain::search::highlight;
use crate::service::search::{self as svc, Results, Scope};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "search.html")]
struct Page {
    ctx: Ctx,
    r: Results,
    scope: &'static str,
}

impl Page {
    /// Text as (piece, matched) segments for marking.
    fn marks(&self, text: &str) -> Vec<(String, bool)> {
        highlight(text, &self.r.query, 90)
    }
    fn scopes(&self) -> Vec<(&'static str, &'static str)> {
        let t = self.ctx.t;
        vec![
            ("", t.search_all),
            ("tickets", t.search_tickets),
            ("buyers", t.nav_buyers),
            ("orders", t.nav_orders),
            ("replies", t.nav_replies),
            ("articles", t.search_articles),
        ]
    }
    fn any(&self) -> bool {
        !(self.r.tickets.is_empty()
            && self.r.buyers.is_empty()
            && self.r.orders.is_empty()
            && self.r.replies.is_empty()
            && self.r.articles.is_empty())
    }
    fn more(&self, scope: &str) -> String {
        format!("/search?q={}&kind={scope}", super::session::urlencode(&self.r.query))
    }
}

async fn search(State(state): State<AppState>, ctx: Ctx, Query(q): Query<Pairs>) -> AppResult<Page> {
    let scope = Scope::parse(field(&q, "kind"));
    let before = Uuid::parse_str(field(&q, "after")).ok();
    let n = if scope == Scope::All { 5 } else { 20 };
    let r = svc::search(&state.db, &ctx.user.staff, field(&q, "q"), scope, before, n).await?;
    Ok(Page { ctx: ctx.at("search"), r, scope: scope.as_str() })
}

pub fn router() -> Router<AppState> {
    Router::new().route("/search", get(search))
}
