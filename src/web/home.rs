//! The home page of each role: open work per stage, my queue, who waits longest.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use super::error::AppResult;
use super::page::Ctx;
use super::session::CurrentUser;
use crate::domain::Stage;
use crate::service::inbox::{self, Overview, StaffWithSkills, TicketSummary};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    ctx: Ctx,
    counts: Vec<(Stage, i64)>,
    mine: i64,
    unassigned: i64,
    waiting: Vec<TicketSummary>,
    /// Supervisors and admins also see the team: presence and load of every active member.
    team: Vec<StaffWithSkills>,
}

impl HomePage {
    fn ticket_rows(&self) -> &[TicketSummary] {
        &self.waiting
    }
}

async fn home(State(state): State<AppState>, ctx: Ctx) -> AppResult<HomePage> {
    let Overview { counts, mine, unassigned, waiting, team } = inbox::overview(&state.db, &ctx.user.staff).await?;
    Ok(HomePage { ctx: ctx.at("home"), counts, mine, unassigned, waiting, team })
}

/// The same counts as JSON, polled by the home page to stay live.
async fn counts(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<serde_json::Value>> {
    let o = inbox::overview(&state.db, &user.staff).await?;
    let by_stage: serde_json::Map<String, serde_json::Value> =
        o.counts.into_iter().map(|(stage, n)| (stage.as_str().to_string(), json!(n))).collect();
    Ok(Json(json!({ "stages": by_stage, "mine": o.mine, "unassigned": o.unassigned })))
}

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home)).route("/counts", get(counts))
}
