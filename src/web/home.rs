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
use crate::app::AppState;
use crate::domain::Stage;
use crate::store::{self, staff::StaffWithSkills, tickets::TicketSummary};

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

async fn home(State(state): State<AppState>, user: CurrentUser) -> AppResult<HomePage> {
    let staff_id = user.staff.id;
    let ctx = Ctx::new(&state, user, "home").await?;
    Ok(HomePage {
        counts: store::tickets::view_counts(&state.db, store::tickets::View::AllOpen).await?,
        mine: store::tickets::my_open_count(&state.db, staff_id).await?,
        unassigned: store::tickets::unassigned_count(&state.db).await?,
        waiting: store::tickets::longest_waiting(&state.db, 8).await?,
        team: if ctx.is_supervisor() {
            store::staff::list(&state.db).await?.into_iter().filter(|s| s.staff.active).collect()
        } else {
            Vec::new()
        },
        ctx,
    })
}

/// The same counts as JSON, polled by the home page to stay live.
async fn counts(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<serde_json::Value>> {
    let counts = store::tickets::view_counts(&state.db, store::tickets::View::AllOpen).await?;
    let mut by_stage = serde_json::Map::new();
    for (stage, n) in counts {
        by_stage.insert(stage.as_str().to_string(), json!(n));
    }
    Ok(Json(json!({
        "stages": by_stage,
        "mine": store::tickets::my_open_count(&state.db, user.staff.id).await?,
        "unassigned": store::tickets::unassigned_count(&state.db).await?,
    })))
}

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home)).route("/counts", get(counts))
}
