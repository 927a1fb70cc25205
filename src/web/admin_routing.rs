//! Admin: routing rules (ordered, first match wins), each team's strategy, and the routing
//! and SLA options (sticky window, idle time, business-hours-only SLAs).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;
use uuid::Uuid;

use super::error::{AppError, AppResult};
use super::page::{Ctx, FormErrors, Pairs, field};
use super::session::CurrentUser;
use crate::app::AppState;
use crate::domain::routing::{Rule, Strategy};
use crate::domain::{Category, Channel, Skill, Stage};
use crate::service::FieldError;
use crate::store;

#[derive(Template, WebTemplate)]
#[template(path = "admin/routing.html")]
struct Page {
    ctx: Ctx,
    rules: Vec<Rule>,
    strategies: Vec<(Skill, Strategy)>,
    sticky_hours: String,
    idle_minutes: String,
    business_only: bool,
    /// (stage, first-response minutes, resolution hours) as shown in the form.
    targets: Vec<(Stage, String, String)>,
    errors: FormErrors,
}

impl Page {
    fn strategy_of(&self, team: &Skill) -> &'static str {
        self.strategies.iter().find(|(t, _)| t == team).map_or(Strategy::LeastLoaded, |(_, s)| *s).as_str()
    }
}

async fn page(state: &AppState, user: CurrentUser, errors: FormErrors) -> AppResult<Page> {
    let get = |k: &'static str| async move { store::settings::get(&state.db, k).await };
    Ok(Page {
        rules: store::routing::rules(&state.db).await?,
        strategies: store::routing::strategies(&state.db).await?,
        sticky_hours: get("routing.sticky_hours").await?.unwrap_or_else(|| "48".into()),
        idle_minutes: get("presence.idle_minutes").await?.unwrap_or_else(|| "15".into()),
        business_only: get("sla.business_hours_only").await?.as_deref() == Some("on"),
        targets: {
            let rs = crate::service::routing::RoutingSettings::load(&state.db).await?;
            Stage::ALL
                .iter()
                .map(|s| {
                    let t = rs.targets_for(*s, crate::domain::Priority::Normal);
                    (*s, t.first_response.num_minutes().to_string(), t.resolution.num_hours().to_string())
                })
                .collect()
        },
        ctx: Ctx::new(state, user, "routing").await?,
        errors,
    })
}

async fn show(State(state): State<AppState>, user: CurrentUser) -> AppResult<Page> {
    page(&state, user, FormErrors::default()).await
}

fn opt<T: std::str::FromStr>(text: &str, field: &'static str, errors: &mut Vec<FieldError>) -> Option<T> {
    match text.trim() {
        "" => None,
        t => match t.parse() {
            Ok(v) => Some(v),
            Err(_) => {
                errors.push(FieldError::new(field, "invalid"));
                None
            }
        },
    }
}

async fn add_rule(State(state): State<AppState>, user: CurrentUser, Form(f): Form<Pairs>) -> AppResult<Response> {
    let mut errors = Vec::new();
    let stage: Option<Stage> = opt(field(&f, "stage"), "stage", &mut errors);
    let category: Option<Category> = opt(field(&f, "category"), "category", &mut errors);
    let channel: Option<Channel> = opt(field(&f, "channel"), "channel", &mut errors);
    // A team is a skill; a name that is not one (a team since removed) is refused.
    let team: Option<Skill> = match field(&f, "team").trim() {
        "" => {
            errors.push(FieldError::new("team", "required"));
            None
        }
        t => t.parse().map_err(|_| errors.push(FieldError::new("team", "invalid"))).ok(),
    };
    let text = |k: &str| Some(field(&f, k).trim().to_string()).filter(|s| !s.is_empty());
    let (member_level, keyword) = (text("member_level"), text("keyword"));
    if member_level.as_deref().is_some_and(|m| m.chars().count() > 20) {
        errors.push(FieldError::new("member_level", "too_long"));
    }
    if keyword.as_deref().is_some_and(|k| k.chars().count() > 40) {
        errors.push(FieldError::new("keyword", "too_long"));
    }
    if !errors.is_empty() {
        let t = crate::i18n::messages(user.staff.lang);
        let errors = FormErrors::new(t, &errors);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&state, user, errors).await?).into_response());
    }
    let rule =
        Rule { id: store::new_id(), stage, category, channel, member_level, keyword, team: team.expect("checked") };
    store::routing::insert_rule(&state.db, &rule, Utc::now()).await?;
    Ok(Redirect::to("/admin/routing").into_response())
}

async fn delete_rule(State(state): State<AppState>, _user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    if !store::routing::delete_rule(&state.db, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/admin/routing").into_response())
}

async fn move_rule(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let mut ids: Vec<Uuid> = store::routing::rules(&state.db).await?.into_iter().map(|r| r.id).collect();
    let i = ids.iter().position(|x| *x == id).ok_or(AppError::NotFound)?;
    let j = if field(&f, "dir") == "up" { i.checked_sub(1) } else { Some(i + 1).filter(|j| *j < ids.len()) };
    if let Some(j) = j {
        ids.swap(i, j);
        store::routing::reorder(&state.db, &ids).await?;
    }
    Ok(Redirect::to("/admin/routing").into_response())
}

async fn save_options(State(state): State<AppState>, user: CurrentUser, Form(f): Form<Pairs>) -> AppResult<Response> {
    let mut errors = Vec::new();
    let num = |k: &'static str, lo: i64, hi: i64, errors: &mut Vec<FieldError>| match field(&f, k).trim().parse::<i64>()
    {
        Ok(n) if (lo..=hi).contains(&n) => Some(n),
        _ => {
            errors.push(FieldError::new(k, "range"));
            None
        }
    };
    let sticky = num("sticky_hours", 0, 720, &mut errors);
    let mut targets = Vec::new();
    for stage in Stage::ALL {
        let (fk, rk) = (format!("first_{}", stage.as_str()), format!("resolve_{}", stage.as_str()));
        let first = match field(&f, &fk).trim().parse::<i64>() {
            Ok(n) if (1..=1440).contains(&n) => Some(n),
            _ => {
                errors.push(FieldError::new(fk, "range"));
                None
            }
        };
        let resolve = match field(&f, &rk).trim().parse::<i64>() {
            Ok(n) if (1..=720).contains(&n) => Some(n),
            _ => {
                errors.push(FieldError::new(rk, "range"));
                None
            }
        };
        if let (Some(a), Some(b)) = (first, resolve) {
            targets.push((*stage, a, b));
        }
    }
    let idle = num("idle_minutes", 1, 480, &mut errors);
    let mut strategies = Vec::new();
    for team in Skill::ALL {
        let key = format!("strategy_{}", team.as_str());
        match field(&f, &key) {
            "least_loaded" => strategies.push((*team, Strategy::LeastLoaded)),
            "round_robin" => strategies.push((*team, Strategy::RoundRobin)),
            "" => {}
            _ => errors.push(FieldError::new(key, "invalid")),
        }
    }
    if !errors.is_empty() {
        let t = crate::i18n::messages(user.staff.lang);
        let errors = FormErrors::new(t, &errors);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&state, user, errors).await?).into_response());
    }
    let mut tx = state.db.begin().await?;
    store::catalog::set_setting(&mut tx, "routing.sticky_hours", &sticky.expect("checked").to_string()).await?;
    store::catalog::set_setting(&mut tx, "presence.idle_minutes", &idle.expect("checked").to_string()).await?;
    store::catalog::set_setting(
        &mut tx,
        "sla.business_hours_only",
        if field(&f, "business_only") == "on" { "on" } else { "off" },
    )
    .await?;
    for (stage, first, resolve) in targets {
        store::catalog::set_setting(&mut tx, &format!("sla.{}.first_minutes", stage.as_str()), &first.to_string())
            .await?;
        store::catalog::set_setting(&mut tx, &format!("sla.{}.resolve_hours", stage.as_str()), &resolve.to_string())
            .await?;
    }
    tx.commit().await?;
    for (team, s) in strategies {
        store::routing::set_strategy(&state.db, team, s).await?;
    }
    Ok(Redirect::to("/admin/routing").into_response())
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/routing", get(show).post(add_rule))
        .route("/admin/routing/options", post(save_options))
        .route("/admin/routing/{id}/delete", post(delete_rule))
        .route("/admin/routing/{id}/move", post(move_rule))
}
