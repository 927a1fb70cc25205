//! The reply check's pages: `/queues/reply-check` (supervisors: who sent words the platform
//! penalises, by period) and `/admin/reply-check` (admins: the banned and allowed phrases and
//! whether such replies are refused or confirmed).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use chrono::Utc;

use super::error::AppResult;
use super::page::{Ctx, FormErrors, Pairs, field, saved_or_again};
use crate::domain::Copied;
use crate::domain::reply_check::{CheckMode, HitOutcome};
use crate::domain::settings::ReplyCheckForm;
use crate::service::reply_check::{self as svc, Overview};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "reply_check/overview.html")]
struct OverviewPage {
    ctx: Ctx,
    o: Overview,
    periods: [i64; 3],
}

impl OverviewPage {
    fn outcome(&self, o: impl Copied<HitOutcome>) -> &'static str {
        self.ctx.t.label(o.copied())
    }
}

async fn overview(State(state): State<AppState>, ctx: Ctx, Query(q): Query<Pairs>) -> AppResult<OverviewPage> {
    let days = field(&q, "days").parse().unwrap_or(7);
    let o = svc::overview(&state.db, days, Utc::now()).await?;
    Ok(OverviewPage { ctx: ctx.at("queues"), o, periods: svc::PERIODS })
}

#[derive(Template, WebTemplate)]
#[template(path = "reply_check/settings.html")]
struct SettingsPage {
    ctx: Ctx,
    f: ReplyCheckForm,
    errors: FormErrors,
    saved: bool,
    modes: &'static [CheckMode],
}

impl SettingsPage {
    fn mode(&self, m: impl Copied<CheckMode>) -> &'static str {
        self.ctx.t.label(m.copied())
    }
}

async fn settings(ctx: Ctx, RawQuery(q): RawQuery) -> SettingsPage {
    let f = ReplyCheckForm::from(&ctx.settings.reply_check);
    let saved = q.is_some_and(|q| q.contains("saved"));
    SettingsPage { ctx: ctx.at("admin"), f, errors: FormErrors::default(), saved, modes: CheckMode::ALL }
}

async fn save(State(state): State<AppState>, ctx: Ctx, Form(f): Form<ReplyCheckForm>) -> AppResult<Response> {
    let result = crate::service::settings::save_reply_check(&state.db, &f).await;
    saved_or_again(result, "/admin/reply-check?saved", |errors| {
        let errors = FormErrors::new(ctx.t, &errors);
        SettingsPage { ctx: ctx.at("admin"), f, errors, saved: false, modes: CheckMode::ALL }
    })
}

/// Supervisors and above.
pub fn supervisor_router() -> Router<AppState> {
    Router::new().route("/queues/reply-check", get(overview))
}

/// Admins.
pub fn admin_router() -> Router<AppState> {
    Router::new().route("/admin/reply-check", get(settings).post(save))
}
