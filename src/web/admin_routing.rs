//! Admin: routing rules (ordered, first match wins), each team's strategy, and the routing
//! and SLA options (sticky window, idle time, business-hours-only SLAs).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;

use super::error::AppResult;
use super::extract::Id;
use super::page::{Ctx, FormErrors, Pairs, field};
use crate::domain::routing::Strategy;
use crate::domain::settings::{
    FAQ_WAIT_MINUTES, FIRST_MINUTES, IDLE_MINUTES, RESOLVE_HOURS, RoutingForm, STICKY_HOURS,
};
use crate::domain::{Copied, Skill, Stage};
use crate::service::settings::{self, RoutingAdmin, RuleDraft};
use crate::service::{FieldError, ServiceError};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "admin/routing.html")]
struct Page {
    ctx: Ctx,
    admin: RoutingAdmin,
    errors: FormErrors,
}

impl Page {
    fn strategy_is(&self, team: impl Copied<Skill>, s: impl Copied<Strategy>) -> bool {
        self.admin.strategy_of(team.copied()) == s.copied()
    }
    /// The allowed range of a number field, shown beside its error: "（0–720）".
    fn range(&self, field: &str) -> String {
        let r = match field {
            "sticky_hours" => STICKY_HOURS,
            "idle_minutes" => IDLE_MINUTES,
            "faq_wait_minutes" => FAQ_WAIT_MINUTES,
            "first" => FIRST_MINUTES,
            _ => RESOLVE_HOURS,
        };
        self.ctx.t.paren(&format!("{}–{}", r.start(), r.end()))
    }
}

/// The page with `errors`; after a refused options form, with the options as typed.
async fn page(state: &AppState, ctx: Ctx, errors: &[FieldError], typed: Option<RoutingForm>) -> AppResult<Response> {
    let mut admin = settings::routing_admin(&state.db).await?;
    if let Some(form) = typed {
        admin.form = form;
    }
    let errors = FormErrors::new(ctx.t, errors);
    let status = if errors.any() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, Page { ctx: ctx.at("routing"), admin, errors }).into_response())
}

async fn show(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    page(&state, ctx, &[], None).await
}

async fn add_rule(State(state): State<AppState>, ctx: Ctx, Form(d): Form<RuleDraft>) -> AppResult<Response> {
    match settings::add_rule(&state.db, &d, Utc::now()).await {
        Ok(()) => Ok(Redirect::to("/admin/routing").into_response()),
        Err(ServiceError::Invalid(errors)) => page(&state, ctx, &errors, None).await,
        Err(e) => Err(e.into()),
    }
}

async fn delete_rule(State(state): State<AppState>, Id(id): Id) -> AppResult<Redirect> {
    settings::delete_rule(&state.db, id).await?;
    Ok(Redirect::to("/admin/routing"))
}

async fn move_rule(State(state): State<AppState>, Id(id): Id, Form(f): Form<Pairs>) -> AppResult<Redirect> {
    settings::move_rule(&state.db, id, field(&f, "dir") == "up").await?;
    Ok(Redirect::to("/admin/routing"))
}

/// The options form: `sticky_hours`, `idle_minutes`, `faq_wait_minutes`, `business_only`, `first_<stage>`,
/// `resolve_<stage>` and `strategy_<team>`.
async fn save_options(State(state): State<AppState>, ctx: Ctx, Form(f): Form<Pairs>) -> AppResult<Response> {
    let form = RoutingForm {
        sticky_hours: field(&f, "sticky_hours").into(),
        idle_minutes: field(&f, "idle_minutes").into(),
        faq_wait_minutes: field(&f, "faq_wait_minutes").into(),
        business_only: field(&f, "business_only") == "on",
        targets: Stage::ALL
            .iter()
            .map(|s| {
                let first = field(&f, &format!("first_{}", s.as_str())).to_string();
                (*s, first, field(&f, &format!("resolve_{}", s.as_str())).to_string())
            })
            .collect(),
    };
    let strategies: Vec<(Skill, String)> =
        Skill::ALL.iter().map(|t| (*t, field(&f, &format!("strategy_{}", t.as_str())).to_string())).collect();
    match settings::save_routing(&state.db, &form, &strategies).await {
        Ok(()) => Ok(Redirect::to("/admin/routing").into_response()),
        Err(ServiceError::Invalid(errors)) => page(&state, ctx, &errors, Some(form)).await,
        Err(e) => Err(e.into()),
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/routing", get(show).post(add_rule))
        .route("/admin/routing/options", post(save_options))
        .route("/admin/routing/{id}/delete", post(delete_rule))
        .route("/admin/routing/{id}/move", post(move_rule))
}
