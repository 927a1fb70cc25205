//! Admin: the shop's settings (name, platform, time zone, hours, policy link, greetings).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};

use super::error::AppResult;
use super::page::{Ctx, FormErrors, saved_or_again};
use crate::domain::settings::ShopForm;
use crate::service;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "admin/settings.html")]
struct Page {
    ctx: Ctx,
    s: ShopForm,
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
            ("conversion_days", t.set_conversion_days, self.s.conversion_days.as_str(), t.set_conversion_days_hint),
        ]
    }
}

async fn show(ctx: Ctx, RawQuery(q): RawQuery) -> Page {
    let s = ShopForm::from(&ctx.settings.shop);
    Page { ctx: ctx.at("settings"), s, errors: FormErrors::default(), saved: q.is_some_and(|q| q.contains("saved")) }
}

async fn save(State(state): State<AppState>, ctx: Ctx, Form(s): Form<ShopForm>) -> AppResult<Response> {
    let result = service::settings::save_shop(&state.db, &s).await;
    saved_or_again(result, "/admin/settings?saved", |errors| {
        let errors = FormErrors::new(ctx.t, &errors);
        Page { ctx: ctx.at("settings"), s, errors, saved: false }
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/index.html")]
struct IndexPage {
    ctx: Ctx,
}

/// The admin landing page: one entry in the navigation for all administration.
async fn index(ctx: Ctx) -> IndexPage {
    IndexPage { ctx: ctx.at("admin") }
}

pub fn router() -> Router<AppState> {
    Router::new().route("/admin", get(index)).route("/admin/settings", get(show).post(save))
}
