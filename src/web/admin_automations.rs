//! Admin: switch the order automations on and off and set their delays.

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
use crate::jobs::automations::{FOLLOW_DAYS, STUCK_HOURS, Settings, URGE_MINUTES};
use crate::service::FieldError;
use crate::store;

#[derive(Template, WebTemplate)]
#[template(path = "admin/automations.html")]
struct Page {
    ctx: Ctx,
    s: Settings,
    /// The numbers as typed (shown again after an error).
    urge: String,
    stuck: String,
    follow: String,
    errors: FormErrors,
    saved: bool,
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::extract::RawQuery(q): axum::extract::RawQuery,
) -> AppResult<Page> {
    let s = Settings::from_pairs(&store::settings::all(&state.db).await?);
    Ok(Page {
        ctx: Ctx::new(&state, user, "automations").await?,
        urge: s.urge_payment_minutes.to_string(),
        stuck: s.stuck_parcel_hours.to_string(),
        follow: s.follow_up_days.to_string(),
        s,
        errors: FormErrors::default(),
        saved: q.is_some_and(|q| q.contains("saved")),
    })
}

fn number(text: &str, field: &'static str, (lo, hi): (i64, i64), errors: &mut Vec<FieldError>) -> i64 {
    match text.trim().parse::<i64>() {
        Ok(n) if (lo..=hi).contains(&n) => n,
        _ => {
            errors.push(FieldError::new(field, "range"));
            lo
        }
    }
}

async fn save(State(state): State<AppState>, user: CurrentUser, Form(f): Form<Pairs>) -> AppResult<Response> {
    let on = |k: &str| field(&f, k) == "on";
    let mut errors = Vec::new();
    let s = Settings {
        urge_payment: on("urge_payment"),
        urge_payment_minutes: number(
            field(&f, "urge_payment_minutes"),
            "urge_payment_minutes",
            URGE_MINUTES,
            &mut errors,
        ),
        delayed_shipment: on("delayed_shipment"),
        stuck_parcel: on("stuck_parcel"),
        stuck_parcel_hours: number(field(&f, "stuck_parcel_hours"), "stuck_parcel_hours", STUCK_HOURS, &mut errors),
        shipping_notice: on("shipping_notice"),
        care_push: on("care_push"),
        follow_up: on("follow_up"),
        follow_up_days: number(field(&f, "follow_up_days"), "follow_up_days", FOLLOW_DAYS, &mut errors),
        bad_review: on("bad_review"),
    };
    if !errors.is_empty() {
        let ctx = Ctx::new(&state, user, "automations").await?;
        let errors = FormErrors::new(ctx.t, &errors);
        let page = Page {
            ctx,
            s,
            urge: field(&f, "urge_payment_minutes").into(),
            stuck: field(&f, "stuck_parcel_hours").into(),
            follow: field(&f, "follow_up_days").into(),
            errors,
            saved: false,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let mut tx = state.db.begin().await?;
    for (k, v) in s.to_pairs() {
        store::catalog::set_setting(&mut tx, k, &v).await?;
    }
    tx.commit().await?;
    Ok(Redirect::to("/admin/automations?saved").into_response())
}

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/automations", get(show).post(save))
}
