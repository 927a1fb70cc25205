//! `/shifts`: the week's shift plan (排班) per agent, for supervisors.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{Datelike, Duration, NaiveDate};
use uuid::Uuid;

use super::error::AppResult;
use super::extract::Id;
use super::page::{Ctx, FormErrors, Pairs, field};
use crate::service::ServiceError;
use crate::service::shifts::{self as svc, Shift, ShiftDraft, StaffWithSkills, Week};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "shifts.html")]
struct Page {
    ctx: Ctx,
    monday: NaiveDate,
    days: Vec<NaiveDate>,
    staff: Vec<StaffWithSkills>,
    shifts: Vec<Shift>,
    d: ShiftDraft,
    errors: FormErrors,
    /// Marked in the grid.
    today: NaiveDate,
    /// Per hour: agents on shift on an average day of this week, tickets opened on an average
    /// day of the last four weeks (tenths).
    strip: [(i64, i64); 24],
}

impl Page {
    fn is_today(&self, d: &NaiveDate) -> bool {
        *d == self.today
    }
    /// Tenths as "1.5"; zero as "0".
    fn tenths(&self, n: &i64) -> String {
        if n % 10 == 0 { (n / 10).to_string() } else { format!("{}.{}", n / 10, n % 10) }
    }
    /// Buyers write in this hour and nobody is planned.
    fn gap(&self, cell: &(i64, i64)) -> bool {
        cell.0 == 0 && cell.1 > 0
    }
    /// "08:00–16:00" of the shifts of one person starting on one day (shop time).
    fn cells(&self, staff: &Uuid, day: &NaiveDate) -> Vec<(Uuid, String)> {
        self.shifts
            .iter()
            .filter(|s| s.staff_id == *staff && s.starts_at.with_timezone(&self.ctx.tz()).date_naive() == *day)
            .map(|s| {
                let (a, b) = (s.starts_at.with_timezone(&self.ctx.tz()), s.ends_at.with_timezone(&self.ctx.tz()));
                (s.id, format!("{}–{}", a.format("%H:%M"), b.format("%H:%M")))
            })
            .collect()
    }
    fn prev(&self) -> String {
        (self.monday - Duration::days(7)).to_string()
    }
    fn next(&self) -> String {
        (self.monday + Duration::days(7)).to_string()
    }
    fn weekday(&self, d: &NaiveDate) -> &'static str {
        self.ctx.t.weekday(d.weekday().num_days_from_monday())
    }
}

/// The week holding `day` (today when none), with the form as given.
async fn page(
    state: &AppState, ctx: Ctx, day: Option<NaiveDate>, d: ShiftDraft, errors: FormErrors,
) -> AppResult<Page> {
    let today = ctx.now.with_timezone(&ctx.tz()).date_naive();
    let day = day.unwrap_or(today);
    let Week { monday, staff, shifts, strip } = svc::week(&state.db, day, &ctx.settings, today).await?;
    let days: Vec<NaiveDate> = (0..7).map(|i| monday + Duration::days(i)).collect();
    Ok(Page { ctx: ctx.at("shifts"), monday, days, staff, shifts, d, errors, today, strip })
}

async fn show(State(state): State<AppState>, ctx: Ctx, Query(q): Query<Pairs>) -> AppResult<Page> {
    let week = NaiveDate::parse_from_str(field(&q, "week"), "%Y-%m-%d").ok();
    page(&state, ctx, week, ShiftDraft::default(), FormErrors::default()).await
}

async fn add(State(state): State<AppState>, ctx: Ctx, Form(d): Form<ShiftDraft>) -> AppResult<Response> {
    match svc::add(&state.db, &d, ctx.tz()).await {
        Ok(_) => Ok(Redirect::to(&format!("/shifts?week={}", d.date.trim())).into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let errors = FormErrors::new(ctx.t, &errors);
            let week = NaiveDate::parse_from_str(d.date.trim(), "%Y-%m-%d").ok();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&state, ctx, week, d, errors).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn delete(State(state): State<AppState>, Id(id): Id, Form(f): Form<Pairs>) -> AppResult<Response> {
    svc::delete(&state.db, id).await?;
    Ok(Redirect::to(&format!("/shifts?week={}", field(&f, "week"))).into_response())
}

pub fn router() -> Router<AppState> {
    Router::new().route("/shifts", get(show).post(add)).route("/shifts/{id}/delete", post(delete))
}
