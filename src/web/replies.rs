//! Canned replies management (`/replies`): admins keep the team's shared replies, every
//! agent their personal ones; CSV export and all-or-nothing import for shared replies.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;
use uuid::Uuid;

use super::error::{AppError, AppResult};
use super::extract::Id;
use super::page::{Ctx, FormErrors, Pairs, WordsWarning, field};
use super::session::CurrentUser;
use crate::domain::{ErrorCode, ReplyGroup, Role, template};
use crate::service::ServiceError;
use crate::service::replies::{self as svc, ImportError, LineError, ReplyDraft, ReplyRow, STAGES, SaveError};
use crate::state::AppState;

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
}

async fn list_page(
    state: &AppState, ctx: Ctx, import_errors: Vec<String>, imported: Option<usize>, saved: bool,
) -> AppResult<ListPage> {
    let replies = svc::list(&state.db, &ctx.user.staff).await?;
    Ok(ListPage { ctx: ctx.at("replies"), replies, saved, import_errors, imported })
}

async fn list(State(state): State<AppState>, ctx: Ctx, Query(q): Query<Pairs>) -> AppResult<ListPage> {
    let imported = field(&q, "imported").parse().ok();
    list_page(&state, ctx, Vec::new(), imported, q.iter().any(|(k, _)| k == "saved")).await
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
    groups: &'static [ReplyGroup],
    stages: &'static [&'static str],
    /// Banned words found in the body, marked.
    words: Option<WordsWarning>,
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState, ctx: Ctx, id: Option<Uuid>, d: ReplyDraft, errors: FormErrors, unknown: Vec<String>,
    preview_no: String,
) -> AppResult<FormPage> {
    let (preview, preview_error) = match svc::preview(&state.db, &d.body, &preview_no, &ctx.settings).await {
        Ok(p) => (p, false),
        Err(ServiceError::NotFound) => (None, true),
        Err(e) => return Err(e.into()),
    };
    Ok(FormPage {
        ctx: ctx.at("replies"),
        id,
        d,
        errors,
        unknown_vars: unknown.join(" "),
        valid_vars: svc::valid_vars(),
        preview_no,
        preview,
        preview_error,
        groups: ReplyGroup::ALL,
        stages: STAGES,
        words: None,
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
        confirm_words: field(f, "confirm_words") == "1",
    }
}

/// The new-reply form; `?from_message=` starts it from a reply the agent sent (存为快捷短语).
async fn new_form(State(state): State<AppState>, ctx: Ctx, Query(q): Query<Pairs>) -> AppResult<FormPage> {
    let d = match field(&q, "from_message") {
        "" => {
            ReplyDraft { group: "greeting".into(), stage: "any".into(), shared: ctx.is_admin(), ..Default::default() }
        }
        id => {
            let id = Uuid::parse_str(id).map_err(|_| ServiceError::NotFound)?;
            svc::draft_from_message(&state.db, &ctx.user.staff, id, &ctx.settings).await?
        }
    };
    form_page(&state, ctx, None, d, FormErrors::default(), Vec::new(), String::new()).await
}

async fn edit_form(State(state): State<AppState>, ctx: Ctx, Id(id): Id, Query(q): Query<Pairs>) -> AppResult<FormPage> {
    let d = svc::draft_of(&state.db, &ctx.user.staff, id).await?;
    form_page(&state, ctx, Some(id), d, FormErrors::default(), Vec::new(), field(&q, "preview").into()).await
}

async fn save(state: AppState, ctx: Ctx, id: Option<Uuid>, f: Pairs) -> AppResult<Response> {
    let d = draft(&f);
    // "Preview" re-shows the form filled from a ticket, without saving.
    if field(&f, "action") == "preview" {
        let page =
            form_page(&state, ctx, id, d, FormErrors::default(), Vec::new(), field(&f, "preview").into()).await?;
        return Ok(page.into_response());
    }
    match svc::save(&state.db, &ctx.user.staff, id, &d, &ctx.settings.reply_check, Utc::now()).await {
        Ok(_) => Ok(Redirect::to("/replies?saved").into_response()),
        Err(SaveError::Refused(r)) => {
            let errors = FormErrors::new(ctx.t, &r.errors);
            let words = (!r.banned.is_empty())
                .then(|| WordsWarning::new(&ctx.settings.reply_check, &d.body, r.banned, r.blocked));
            let mut page = form_page(&state, ctx, id, d, errors, r.unknown_vars, field(&f, "preview").into()).await?;
            page.words = words;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(SaveError::Service(e)) => Err(e.into()),
    }
}

async fn create(State(state): State<AppState>, ctx: Ctx, Form(f): Form<Pairs>) -> AppResult<Response> {
    save(state, ctx, None, f).await
}

async fn update(State(state): State<AppState>, ctx: Ctx, Id(id): Id, Form(f): Form<Pairs>) -> AppResult<Response> {
    save(state, ctx, Some(id), f).await
}

async fn delete(State(state): State<AppState>, user: CurrentUser, Id(id): Id) -> AppResult<Response> {
    svc::delete(&state.db, &user.staff, id).await?;
    Ok(Redirect::to("/replies?saved").into_response())
}

async fn move_reply(
    State(state): State<AppState>, user: CurrentUser, Id(id): Id, Form(f): Form<Pairs>,
) -> AppResult<Response> {
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
                ErrorCode::ShortcutRepeated => format!("{}{}{}", t.csv_repeated, e.detail, t.csv_repeated_after),
                ErrorCode::CsvColumns => format!("{}{}", t.csv_columns, e.detail),
                ErrorCode::UnknownVars => {
                    format!(
                        "{}{}{}",
                        t.err_unknown_vars,
                        e.detail,
                        t.paren(&format!("{}{}", t.reply_valid_vars, svc::valid_vars()))
                    )
                }
                ErrorCode::BannedWords => format!("{}{}{}", t.err_banned_words, t.colon, e.detail),
                code => t.error(code).to_string(),
            };
            let field = if e.field.is_empty() { String::new() } else { format!("{} ", t.reply_field(&e.field)) };
            format!("{}{}{}{}{field}{what}", t.csv_line, e.line, t.csv_line_after, t.colon)
        })
        .collect()
}

async fn import(State(state): State<AppState>, ctx: Ctx, mut multipart: Multipart) -> AppResult<Response> {
    let mut bytes = Vec::new();
    while let Some(part) = multipart.next_field().await.map_err(|_| AppError::BadInput)? {
        if part.name() == Some("file") {
            bytes = part.bytes().await.map_err(|_| AppError::BadInput)?.to_vec();
        }
    }
    let t = ctx.t;
    let problems =
        match svc::import_csv(&state.db, &ctx.user.staff, &bytes, &ctx.settings.reply_check, Utc::now()).await {
            Ok(n) => return Ok(Redirect::to(&format!("/replies?imported={n}")).into_response()),
            Err(ImportError::Encoding) => vec![t.csv_encoding.to_string()],
            Err(ImportError::Header) => vec![format!("{}group,stage,title,shortcut,body", t.csv_header)],
            Err(ImportError::Empty) => vec![t.csv_empty.to_string()],
            Err(ImportError::Rows(errors)) => describe(t, &errors),
            Err(ImportError::Service(ServiceError::Forbidden)) => return Err(AppError::Forbidden),
            Err(ImportError::Service(e)) => return Err(e.into()),
        };
    let page = list_page(&state, ctx, problems, None, false).await?;
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
