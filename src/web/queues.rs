//! `/queues`: the supervisor's board — counts per stage and team, each agent's load and
//! presence, tickets needing attention, and bulk actions. Live-updated.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;
use uuid::Uuid;

use super::error::{AppError, AppResult};
use super::page::{Ctx, Pairs, field};
use crate::domain::{Priority, Skill};
use crate::service::ServiceError;
use crate::service::board::{self as svc, AgentLoad, Board, BoardTicket, Bulk, QueueCounts};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "queues.html")]
struct Page {
    ctx: Ctx,
    counts: Vec<QueueCounts>,
    agents: Vec<AgentLoad>,
    attention: Vec<BoardTicket>,
    message: String,
    error: String,
}

impl Page {
    fn team_label(&self, team: &str) -> &'static str {
        team.parse::<Skill>().map(|s| self.ctx.t.skill(s)).unwrap_or(self.ctx.t.board_no_team)
    }
    fn load_pct(&self, a: &AgentLoad) -> i64 {
        (a.open * 100 / a.capacity.max(1)).min(100)
    }
    /// The load bar's colour: red at capacity, amber from 80 %.
    fn load_tone(&self, a: &AgentLoad) -> &'static str {
        match self.load_pct(a) {
            100.. => "full",
            80.. => "high",
            _ => "ok",
        }
    }
    /// On shift but offline: the plan counts on someone who is not there.
    fn missing(&self, a: &AgentLoad) -> bool {
        a.on_shift && a.presence == crate::domain::Presence::Offline
    }
}

async fn page(state: &AppState, ctx: Ctx, message: String, error: String) -> AppResult<Page> {
    let Board { counts, agents, attention } = svc::board(&state.db, ctx.now).await?;
    Ok(Page { ctx: ctx.at("queues"), counts, agents, attention, message, error })
}

async fn show(State(state): State<AppState>, ctx: Ctx) -> AppResult<Page> {
    page(&state, ctx, String::new(), String::new()).await
}

async fn bulk(State(state): State<AppState>, ctx: Ctx, Form(f): Form<Pairs>) -> AppResult<Response> {
    let ids: Vec<Uuid> = f.iter().filter(|(k, _)| k == "ticket").filter_map(|(_, v)| Uuid::parse_str(v).ok()).collect();
    let action = match field(&f, "action") {
        "assign" => Bulk::Assign(Uuid::parse_str(field(&f, "assignee")).ok()),
        "priority" => Bulk::Priority(field(&f, "priority").parse::<Priority>().map_err(|_| AppError::BadInput)?),
        _ => return Err(AppError::BadInput),
    };
    match svc::bulk(&state.db, &ctx.user.staff, &ids, &action, Utc::now()).await {
        Ok(_) => Ok(Redirect::to("/queues").into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let msg = ctx.t.error(errors[0].code).to_string();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&state, ctx, String::new(), msg).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn redistribute(State(state): State<AppState>, ctx: Ctx, Form(f): Form<Pairs>) -> AppResult<Response> {
    let from = Uuid::parse_str(field(&f, "from")).map_err(|_| AppError::NotFound)?;
    let (moved, queued) = svc::redistribute(&state.db, &ctx.user.staff, from, Utc::now()).await?;
    let msg = format!("{} {moved} · {} {queued}", ctx.t.board_moved, ctx.t.board_queued);
    Ok(page(&state, ctx, msg, String::new()).await?.into_response())
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/queues", get(show))
        .route("/queues/bulk", post(bulk))
        .route("/queues/redistribute", post(redistribute))
}
