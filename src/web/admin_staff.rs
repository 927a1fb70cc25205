//! Admin: the staff list, adding staff, changing role/skills/capacity, (de)activating.

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
use super::extract::Id;
use super::page::{Ctx, FormErrors, Pairs, field};
use super::session::CurrentUser;
use crate::domain::{Copied, Role, Skill};
use crate::service::staff::{StaffDraft, StaffWithSkills};
use crate::service::{self, ServiceError};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "admin/staff_list.html")]
struct ListPage {
    ctx: Ctx,
    staff: Vec<StaffWithSkills>,
    saved: bool,
}

async fn list(
    State(state): State<AppState>, ctx: Ctx, axum::extract::RawQuery(q): axum::extract::RawQuery,
) -> AppResult<ListPage> {
    let staff = service::staff::list(&state.db).await?;
    Ok(ListPage { staff, ctx: ctx.at("staff"), saved: q.is_some_and(|q| q.contains("saved")) })
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/staff_form.html")]
struct FormPage {
    ctx: Ctx,
    /// None when adding a new member.
    id: Option<Uuid>,
    draft: StaffDraft,
    errors: FormErrors,
    roles: &'static [Role],
    skills: &'static [Skill],
}

impl FormPage {
    fn has_skill(&self, s: impl Copied<Skill>) -> bool {
        let s = s.copied();
        self.draft.skills.iter().any(|x| x == s.as_str())
    }
}

/// Reads the form as raw pairs: repeated `skills` checkboxes, and nothing a person can
/// type makes extraction itself fail (bad values become field messages instead).
fn draft_from(pairs: Pairs) -> StaffDraft {
    let mut d = StaffDraft::default();
    for (k, v) in pairs {
        match k.as_str() {
            "username" => d.username = v,
            "display_name" => d.display_name = v,
            "password" => d.password = v,
            "role" => d.role = v,
            "capacity" => d.capacity = v,
            "skills" => d.skills.push(v),
            _ => {}
        }
    }
    d
}

fn form_page(ctx: Ctx, id: Option<Uuid>, draft: StaffDraft, errors: FormErrors) -> FormPage {
    FormPage { ctx, id, draft, errors, roles: Role::ALL, skills: Skill::ALL }
}

async fn new_form(ctx: Ctx) -> AppResult<FormPage> {
    let ctx = ctx.at("staff");
    let draft = StaffDraft { role: "agent".into(), capacity: "20".into(), ..Default::default() };
    Ok(form_page(ctx, None, draft, FormErrors::default()))
}

async fn create(State(state): State<AppState>, ctx: Ctx, Form(pairs): Form<Pairs>) -> AppResult<Response> {
    let mut draft = draft_from(pairs);
    match service::staff::add(&state.db, &draft, Utc::now()).await {
        Ok(_) => Ok(Redirect::to("/admin/staff?saved").into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let ctx = ctx.at("staff");
            let errors = FormErrors::new(ctx.t, &errors);
            draft.password.clear();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, form_page(ctx, None, draft, errors)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn edit_form(State(state): State<AppState>, ctx: Ctx, Id(id): Id) -> AppResult<FormPage> {
    let draft = service::staff::draft_of(&state.db, id).await?;
    Ok(form_page(ctx.at("staff"), Some(id), draft, FormErrors::default()))
}

async fn update(State(state): State<AppState>, ctx: Ctx, Id(id): Id, Form(pairs): Form<Pairs>) -> AppResult<Response> {
    let mut draft = draft_from(pairs);
    match service::staff::update(&state.db, ctx.user.staff.id, id, &draft).await {
        Ok(()) => Ok(Redirect::to("/admin/staff?saved").into_response()),
        Err(ServiceError::Invalid(errors)) => {
            // The username is shown, not edited: take it from the account again.
            draft.username = service::staff::draft_of(&state.db, id).await?.username;
            let ctx = ctx.at("staff");
            let errors = FormErrors::new(ctx.t, &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, form_page(ctx, Some(id), draft, errors)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn set_active(
    State(state): State<AppState>, user: CurrentUser, Id(id): Id, Form(pairs): Form<Pairs>,
) -> AppResult<Response> {
    let active = field(&pairs, "active") == "1";
    match service::staff::set_active(&state.db, user.staff.id, id, active).await {
        Ok(()) => Ok(Redirect::to("/admin/staff?saved").into_response()),
        Err(ServiceError::Invalid(_)) => Err(AppError::Forbidden),
        Err(e) => Err(e.into()),
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/staff", get(list).post(create))
        .route("/admin/staff/new", get(new_form))
        .route("/admin/staff/{id}", get(edit_form).post(update))
        .route("/admin/staff/{id}/active", post(set_active))
}
