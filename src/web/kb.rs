//! The knowledge base (`/kb`): everyone reads, admins write. Markdown is rendered safely.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
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
use crate::domain::{Role, markdown};
use crate::service::ServiceError;
use crate::service::kb::{self as svc, ArticleDraft, KINDS};
use crate::store::{self, kb::Article};

#[derive(Template, WebTemplate)]
#[template(path = "kb/list.html")]
struct ListPage {
    ctx: Ctx,
    kind: String,
    articles: Vec<Article>,
}

async fn list(State(state): State<AppState>, user: CurrentUser, Query(q): Query<Pairs>) -> AppResult<ListPage> {
    let kind = field(&q, "kind");
    let kind = KINDS.contains(&kind).then(|| kind.to_string());
    let articles = store::kb::list(&state.db, kind.as_deref()).await?;
    Ok(ListPage { ctx: Ctx::new(&state, user, "kb").await?, kind: kind.unwrap_or_default(), articles })
}

#[derive(Template, WebTemplate)]
#[template(path = "kb/show.html")]
struct ShowPage {
    ctx: Ctx,
    a: Article,
    html: String,
}

async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<ShowPage> {
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let a = store::kb::by_id(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let html = markdown::to_html(&a.body);
    Ok(ShowPage { ctx: Ctx::new(&state, user, "kb").await?, a, html })
}

#[derive(Template, WebTemplate)]
#[template(path = "kb/form.html")]
struct FormPage {
    ctx: Ctx,
    id: Option<Uuid>,
    d: ArticleDraft,
    errors: FormErrors,
}

fn require_admin(user: &CurrentUser) -> AppResult<()> {
    if user.staff.role.at_least(Role::Admin) { Ok(()) } else { Err(AppError::Forbidden) }
}

async fn new_form(State(state): State<AppState>, user: CurrentUser) -> AppResult<FormPage> {
    require_admin(&user)?;
    let d = ArticleDraft { kind: "reserve".into(), ..Default::default() };
    Ok(FormPage { ctx: Ctx::new(&state, user, "kb").await?, id: None, d, errors: FormErrors::default() })
}

async fn edit_form(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<FormPage> {
    require_admin(&user)?;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let a = store::kb::by_id(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let d = ArticleDraft { kind: a.kind, title: a.title, body: a.body, product_sku: a.product_sku.unwrap_or_default() };
    Ok(FormPage { ctx: Ctx::new(&state, user, "kb").await?, id: Some(id), d, errors: FormErrors::default() })
}

async fn save(state: AppState, user: CurrentUser, id: Option<Uuid>, f: Pairs) -> AppResult<Response> {
    require_admin(&user)?;
    let d = ArticleDraft {
        kind: field(&f, "kind").into(),
        title: field(&f, "title").into(),
        body: field(&f, "body").into(),
        product_sku: field(&f, "product_sku").into(),
    };
    match svc::save(&state.db, id, &d, Utc::now()).await {
        Ok(id) => Ok(Redirect::to(&format!("/kb/{id}")).into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let ctx = Ctx::new(&state, user, "kb").await?;
            let errors = FormErrors::new(ctx.t, &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, FormPage { ctx, id, d, errors }).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn create(State(state): State<AppState>, user: CurrentUser, Form(f): Form<Pairs>) -> AppResult<Response> {
    save(state, user, None, f).await
}

async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    save(state, user, Some(id), f).await
}

async fn delete(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    require_admin(&user)?;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
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
