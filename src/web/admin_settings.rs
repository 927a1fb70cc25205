//! Admin: the shop's settings (name, platform, time zone, hours, policy link, greetings).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};

use super::error::AppResult;
use super::page::{Ctx, FormErrors, Pairs, field};
use super::session::CurrentUser;
use crate::app::AppState;
use crate::service::ServiceError;
use crate::service::settings::{self, ShopSettings};

#[derive(Template, WebTemplate)]
#[template(path = "admin/settings.html")]
struct Page {
    ctx: Ctx,
    s: ShopSettings,
    errors: FormErrors,
    saved: bool,
}

impl Page {
    /// The one-line fields: (name, label, value, hint).
    fn text_fields(&self) -> Vec<(&'static str, &'static str, &str, &'static str)> {
        let t = self.ctx.t;
        vec![
            ("shop_name", t.set_shop_name, self.s.shop_name.as_str(), ""),
            ("time_zone", t.set_time_zone, self.s.time_zone.as_str(), t.set_time_zone_hint),
            ("business_hours", t.set_hours, self.s.business_hours.as_str(), t.set_hours_hint),
            ("policy_url", t.set_policy, self.s.policy_url.as_str(), t.set_policy_hint),
        ]
    }
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::extract::RawQuery(q): axum::extract::RawQuery,
) -> AppResult<Page> {
    Ok(Page {
        s: ShopSettings::load(&state.db).await?,
        ctx: Ctx::new(&state, user, "settings").await?,
        errors: FormErrors::default(),
        saved: q.is_some_and(|q| q.contains("saved")),
    })
}

async fn save(State(state): State<AppState>, user: CurrentUser, Form(f): Form<Pairs>) -> AppResult<Response> {
    let s = ShopSettings {
        shop_name: field(&f, "shop_name").into(),
        platform: field(&f, "platform").into(),
        time_zone: field(&f, "time_zone").into(),
        business_hours: field(&f, "business_hours").into(),
        policy_url: field(&f, "policy_url").into(),
        welcome_text: field(&f, "welcome_text").into(),
        away_text: field(&f, "away_text").into(),
    };
    match settings::save(&state.db, &s).await {
        Ok(()) => Ok(Redirect::to("/admin/settings?saved").into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let ctx = Ctx::new(&state, user, "settings").await?;
            let errors = FormErrors::new(ctx.t, &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Page { ctx, s, errors, saved: false }).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/index.html")]
struct IndexPage {
    ctx: Ctx,
}

/// The admin landing page: one entry in the navigation for all administration.
async fn index(State(state): State<AppState>, user: CurrentUser) -> AppResult<IndexPage> {
    Ok(IndexPage { ctx: Ctx::new(&state, user, "admin").await? })
}

pub fn router() -> Router<AppState> {
    Router::new().route("/admin", get(index)).route("/admin/settings", get(show).post(save))
}
