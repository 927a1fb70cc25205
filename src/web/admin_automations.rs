//! Admin: switch the order automations on and off and set their delays.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};

use super::error::AppResult;
use super::page::{Ctx, FormErrors, saved_or_again};
use crate::domain::settings::{AutomationsForm, FOLLOW_DAYS, STUCK_HOURS, URGE_MINUTES};
use crate::service;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "admin/automations.html")]
struct Page {
    ctx: Ctx,
    /// The form as stored, or as typed after an error.
    f: AutomationsForm,
    errors: FormErrors,
    saved: bool,
}

impl Page {
    fn on(&self, value: &str) -> bool {
        AutomationsForm::on(value)
    }
    /// The allowed range of a delay, shown beside its error: "（5–10080）".
    fn range(&self, field: &str) -> String {
        let r = match field {
            "urge_payment_minutes" => URGE_MINUTES,
            "stuck_parcel_hours" => STUCK_HOURS,
            _ => FOLLOW_DAYS,
        };
        self.ctx.t.paren(&format!("{}–{}", r.start(), r.end()))
    }
}

async fn show(ctx: Ctx, RawQuery(q): RawQuery) -> Page {
    let f = AutomationsForm::from(&ctx.settings.automations);
    Page { ctx: ctx.at("automations"), f, errors: FormErrors::default(), saved: q.is_some_and(|q| q.contains("saved")) }
}

async fn save(State(state): State<AppState>, ctx: Ctx, Form(f): Form<AutomationsForm>) -> AppResult<Response> {
    let result = service::settings::save_automations(&state.db, &f).await;
    saved_or_again(result, "/admin/automations?saved", |errors| {
        let errors = FormErrors::new(ctx.t, &errors);
        Page { ctx: ctx.at("automations"), f, errors, saved: false }
    })
}

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/automations", get(show).post(save))
}
