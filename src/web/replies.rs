//! Canned replies management (`/replies`): admins keep the team's shared replies, every
//! agent their personal ones; CSV export and all-or-nothing import for shared replies.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;
use uuid::Uuid;

use super::error::{AppError, AppResult};
use super::page::{Ctx, FormErrors, Pairs, field};
use super::session::CurrentUser;
use crate::app::AppState;
use crate::domain::{Role, template};
use crate::service::replies::{self as svc, GROUPS, ImportError, LineError, ReplyDraft, STAGES, SaveError};
use crate::service::{ServiceError, tickets as ticket_svc};
use crate::store::{self, replies::ReplyRow};

#[derive(Template, WebTemplate)]
#[template(path = "replies/list.html")]
struct ListPage {
    ctx: Ctx,
    replies: Vec<ReplyRow>,
    saved: bool,
    import_errors: Vec<String>,
    imported: Option<usize>,
}

impl ListPage {
    fn can_edit(&self, r: &ReplyRow) -> bool {
        match r.owner_id {
            None => self.ctx.is_admin(),
            Some(o) => o == self.ctx.user.staff.id,
        }
    }
    fn group_label(&self, g: &str) -> &'static str {
        self.ctx.t.reply_group(g)
    }
}

async fn list_page(
    state: &AppState,
    user: CurrentUser,
    import_errors: Vec<String>,
    imported: Option<usize>,
    saved: bool,
) -> AppResult<ListPage> {
    let replies = store::replies::list(&state.db, user.staff.id).await?;
    Ok(ListPage { ctx: Ctx::new(state, user, "replies").await?, replies, saved, import_errors, imported })
}

async fn list(State(state): State<AppState>, user: CurrentUser, Query(q): Query<Pairs>) -> AppResult<ListPage> {
    let imported = field(&q, "imported").parse().ok();
    list_page(&state, user, Vec::new(), imported, q.iter().any(|(k, _)| k == "saved")).await
}

#[derive(Template, WebTemplate)]
#[template(path = "replies/form.html")]
struct FormPage {
    ctx: Ctx,
    id: Option<Uuid>,
    d: ReplyDraft,
    errors: FormErrors,
    unknown_vars: String,
    valid_vars: String,
    preview_no: String,
    preview: Option<template::Filled>,
    preview_error: bool,
    groups: &'static [&'static str],
    stages: &'static [&'static str],
}

/// Fills the draft from the ticket with short number `no`, for the preview.
async fn preview(state: &AppState, body: &str, no: &str) -> AppResult<(Option<template::Filled>, bool)> {
    let no = no.trim().trim_start_matches('#');
    if no.is_empty() {
        return Ok((None, false));
    }
    let Some(ticket) = (match no.parse::<i64>() {
        Ok(n) => store::tickets::by_number(&state.db, n).await?,
        Err(_) => None,
    }) else {
        return Ok((None, true));
    };
    let values = ticket_svc::reply_values(&state.db, &ticket).await?;
    Ok((Some(template::fill(body, &values)), false))
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    user: CurrentUser,
    id: Option<Uuid>,
    d: ReplyDraft,
    errors: FormErrors,
    unknown: Vec<String>,
    preview_no: String,
) -> AppResult<FormPage> {
    let (preview, preview_error) = preview(state, &d.body, &preview_no).await?;
    Ok(FormPage {
        ctx: Ctx::new(state, user, "replies").await?,
        id,
        d,
        errors,
        unknown_vars: unknown.join(" "),
        valid_vars: svc::valid_vars(),
        preview_no,
        preview,
        preview_error,
        groups: GROUPS,
        stages: STAGES,
    })
}

fn draft(f: &Pairs) -> ReplyDraft {
    ReplyDraft {
        group: field(f, "group").into(),
        stage: field(f, "stage").into(),
        title: field(f, "title").into(),
        shortcut: field(f, "shortcut").into(),
        body: field(f, "body").into(),
        shared: field(f, "shared") == "1",
    }
}

async fn new_form(State(state): State<AppState>, user: CurrentUser) -> AppResult<FormPage> {
    let shared = user.staff.role.at_least(Role::Admin);
    let d = ReplyDraft { group: "greeting".into(), stage: "any".into(), shared, ..Default::default() };
    form_page(&state, user, None, d, FormErrors::default(), Vec::new(), String::new()).await
}

async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<Pairs>,
) -> AppResult<FormPage> {
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let r = store::replies::row(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let visible = r.owner_id.is_none() || r.owner_id == Some(user.staff.id);
    if !visible {
        return Err(AppError::NotFound);
    }
    let d = ReplyDraft {
        group: r.grp,
        stage: r.stage,
        title: r.title,
        shortcut: r.shortcut,
        body: r.body,
        shared: r.owner_id.is_none(),
    };
    form_page(&state, user, Some(id), d, FormErrors::default(), Vec::new(), field(&q, "preview").into()).await
}

async fn save(state: AppState, user: CurrentUser, id: Option<Uuid>, f: Pairs) -> AppResult<Response> {
    let d = draft(&f);
    // "Preview" re-shows the form filled from a ticket, without saving.
    if field(&f, "action") == "preview" {
        let page =
            form_page(&state, user, id, d, FormErrors::default(), Vec::new(), field(&f, "preview").into()).await?;
        return Ok(page.into_response());
    }
    match svc::save(&state.db, &user.staff, id, &d, Utc::now()).await {
        Ok(_) => Ok(Redirect::to("/replies?saved").into_response()),
        Err(SaveError::Refused(r)) => {
            let t = crate::i18n::messages(user.staff.lang);
            let errors = FormErrors::new(t, &r.errors);
            let page = form_page(&state, user, id, d, errors, r.unknown_vars, field(&f, "preview").into()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(SaveError::Service(e)) => Err(e.into()),
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
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    svc::delete(&state.db, &user.staff, id).await?;
    Ok(Redirect::to("/replies?saved").into_response())
}

async fn move_reply(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    svc::move_reply(&state.db, &user.staff, id, field(&f, "dir") == "up").await?;
    Ok(Redirect::to("/replies").into_response())
}

async fn export(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    if !user.staff.role.at_least(Role::Admin) {
        return Err(AppError::Forbidden);
    }
    let csv = svc::export_csv(&state.db).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"kefu-replies.csv\""),
        ],
        csv,
    )
        .into_response())
}

/// The line-by-line messages of a refused import.
fn describe(t: &crate::i18n::Messages, errors: &[LineError]) -> Vec<String> {
    errors
        .iter()
        .map(|e| {
            let what = match e.code {
                "shortcut_repeated" => format!("{}{}{}", t.csv_repeated, e.detail, t.csv_repeated_after),
                "csv_columns" => format!("{}{}", t.csv_columns, e.detail),
                "unknown_vars" => {
                    format!("{}{}（{}{}）", t.err_unknown_vars, e.detail, t.reply_valid_vars, svc::valid_vars())
                }
                code => t.error(code).to_string(),
            };
            let field = if e.field.is_empty() { String::new() } else { format!("{} ", t.reply_field(&e.field)) };
            format!("{}{}{}：{field}{what}", t.csv_line, e.line, t.csv_line_after)
        })
        .collect()
}

async fn import(State(state): State<AppState>, user: CurrentUser, mut multipart: Multipart) -> AppResult<Response> {
    let mut bytes = Vec::new();
    while let Some(part) = multipart.next_field().await.map_err(|_| AppError::BadInput)? {
        if part.name() == Some("file") {
            bytes = part.bytes().await.map_err(|_| AppError::BadInput)?.to_vec();
        }
    }
    let t = crate::i18n::messages(user.staff.lang);
    let problems = match svc::import_csv(&state.db, &user.staff, &bytes, Utc::now()).await {
        Ok(n) => return Ok(Redirect::to(&format!("/replies?imported={n}")).into_response()),
        Err(ImportError::Encoding) => vec![t.csv_encoding.to_string()],
        Err(ImportError::Header) => vec![format!("{}group,stage,title,shortcut,body", t.csv_header)],
        Err(ImportError::Empty) => vec![t.csv_empty.to_string()],
        Err(ImportError::Rows(errors)) => describe(t, &errors),
        Err(ImportError::Service(ServiceError::Forbidden)) => return Err(AppError::Forbidden),
        Err(ImportError::Service(e)) => return Err(e.into()),
    };
    let page = list_page(&state, user, problems, None, false).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/replies", get(list).post(create))
        .route("/admin/replies", get(|| async { Redirect::permanent("/replies") }))
        .route("/replies/new", get(new_form))
        .route("/replies/export.csv", get(export))
        // A file may hold many replies: allow up to 8 MB, so an oversized row is reported
        // by its line number rather than the whole upload refused.
        .route("/replies/import", post(import).layer(DefaultBodyLimit::max(8 * 1024 * 1024)))
        .route("/replies/{id}", get(edit_form).post(update))
        .route("/replies/{id}/delete", post(delete))
        .route("/replies/{id}/move", post(move_reply))
}
