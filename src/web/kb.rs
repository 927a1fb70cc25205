//! The knowledge base (`/kb`): everyone reads, admins write. Markdown is rendered safely.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;
use uuid::Uuid;

use super::error::{AppError, AppResult};
use super::extract::Id;
use super::page::{Ctx, FormErrors, Pairs, field};
use crate::domain::markdown;
use crate::service::ServiceError;
use crate::service::kb::{self as svc, Article, ArticleDraft};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "kb/list.html")]
struct ListPage {
    ctx: Ctx,
    kind: String,
    articles: Vec<Article>,
}

async fn list(State(state): State<AppState>, ctx: Ctx, Query(q): Query<Pairs>) -> AppResult<ListPage> {
    let kind = field(&q, "kind");
    let articles = svc::list(&state.db, Some(kind).filter(|k| !k.is_empty())).await?;
    let kind = if svc::KINDS.contains(&kind) { kind.to_string() } else { String::new() };
    Ok(ListPage { ctx: ctx.at("kb"), kind, articles })
}

#[derive(Template, WebTemplate)]
#[template(path = "kb/show.html")]
struct ShowPage {
    ctx: Ctx,
    a: Article,
    html: String,
}

async fn show(State(state): State<AppState>, ctx: Ctx, Id(id): Id) -> AppResult<ShowPage> {
    let a = svc::article(&state.db, id).await?;
    let html = markdown::to_html(&a.body);
    Ok(ShowPage { ctx: ctx.at("kb"), a, html })
}

#[derive(Template, WebTemplate)]
#[template(path = "kb/form.html")]
struct FormPage {
    ctx: Ctx,
    id: Option<Uuid>,
    d: ArticleDraft,
    errors: FormErrors,
}

/// Everyone reads the knowledge base; only admins write it.
fn require_admin(ctx: &Ctx) -> AppResult<()> {
    if ctx.is_admin() { Ok(()) } else { Err(AppError::Forbidden) }
}

async fn new_form(ctx: Ctx) -> AppResult<FormPage> {
    require_admin(&ctx)?;
    let d = ArticleDraft { kind: "reserve".into(), ..Default::default() };
    Ok(FormPage { ctx: ctx.at("kb"), id: None, d, errors: FormErrors::default() })
}

async fn edit_form(State(state): State<AppState>, ctx: Ctx, Id(id): Id) -> AppResult<FormPage> {
    require_admin(&ctx)?;
    let d = svc::draft_of(&state.db, id).await?;
    Ok(FormPage { ctx: ctx.at("kb"), id: Some(id), d, errors: FormErrors::default() })
}

async fn save(state: AppState, ctx: Ctx, id: Option<Uuid>, d: ArticleDraft) -> AppResult<Response> {
    require_admin(&ctx)?;
    match svc::save(&state.db, id, &d, Utc::now()).await {
        Ok(id) => Ok(Redirect::to(&format!("/kb/{id}")).into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let errors = FormErrors::new(ctx.t, &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, FormPage { ctx: ctx.at("kb"), id, d, errors }).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn create(State(state): State<AppState>, ctx: Ctx, Form(d): Form<ArticleDraft>) -> AppResult<Response> {
    save(state, ctx, None, d).await
}

async fn update(
    State(state): State<AppState>, ctx: Ctx, Id(id): Id, Form(d): Form<ArticleDraft>,
) -> AppResult<Response> {
    save(state, ctx, Some(id), d).await
}

async fn delete(State(state): State<AppState>, ctx: Ctx, Id(id): Id) -> AppResult<Response> {
    require_admin(&ctx)?;
    svc::delete(&state.db, id).await?;
    Ok(Redirect::to("/kb").into_response())
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/kb", get(list).post(create))
        .route("/kb/new", get(new_form))
        .route("/kb/{id}", get(show).post(update))
        .route("/kb/{id}/edit", get(edit_form))
        .route("/kb/{id}/delete", post(delete))
}
