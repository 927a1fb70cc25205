//! `/shifts`: the week's shift plan (排班) per agent, for supervisors.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use super::error::{AppError, AppResult};
use super::page::{Ctx, FormErrors, Pairs, field};
use super::session::CurrentUser;
use crate::app::AppState;
use crate::service::ServiceError;
use crate::service::shifts::{self as svc, ShiftDraft};
use crate::store::{self, shifts::Shift, staff::StaffWithSkills};

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
}

impl Page {
    /// "08:00–16:00" of the shifts of one person starting on one day (shop time).
    fn cells(&self, staff: &Uuid, day: &NaiveDate) -> Vec<(Uuid, String)> {
        self.shifts
            .iter()
            .filter(|s| s.staff_id == *staff && s.starts_at.with_timezone(&self.ctx.tz).date_naive() == *day)
            .map(|s| {
                let (a, b) = (s.starts_at.with_timezone(&self.ctx.tz), s.ends_at.with_timezone(&self.ctx.tz));
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

async fn page(
    state: &AppState,
    user: CurrentUser,
    week: Option<NaiveDate>,
    d: ShiftDraft,
    errors: FormErrors,
) -> AppResult<Page> {
    let ctx = Ctx::new(state, user, "shifts").await?;
    let today = Utc::now().with_timezone(&ctx.tz).date_naive();
    let base = week.unwrap_or(today);
    let monday = base - Duration::days(base.weekday().num_days_from_monday() as i64);
    let days: Vec<NaiveDate> = (0..7).map(|i| monday + Duration::days(i)).collect();
    let start = ctx
        .tz
        .from_local_datetime(&monday.and_hms_opt(0, 0, 0).expect("midnight"))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(Utc::now);
    let shifts = store::shifts::between(&state.db, start, start + Duration::days(7)).await?;
    let staff = store::staff::list(&state.db).await?.into_iter().filter(|s| s.staff.active).collect();
    Ok(Page { ctx, monday, days, staff, shifts, d, errors })
}

async fn show(State(state): State<AppState>, user: CurrentUser, Query(q): Query<Pairs>) -> AppResult<Page> {
    let week = NaiveDate::parse_from_str(field(&q, "week"), "%Y-%m-%d").ok();
    page(&state, user, week, ShiftDraft::default(), FormErrors::default()).await
}

async fn add(State(state): State<AppState>, user: CurrentUser, Form(f): Form<Pairs>) -> AppResult<Response> {
    let d = ShiftDraft {
        staff_id: field(&f, "staff_id").into(),
        date: field(&f, "date").into(),
        start: field(&f, "start").into(),
        end: field(&f, "end").into(),
    };
    let tz = crate::service::orders::shop_tz(&state.db).await?;
    match svc::add(&state.db, &d, tz).await {
        Ok(_) => Ok(Redirect::to(&format!("/shifts?week={}", d.date.trim())).into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let t = crate::i18n::messages(user.staff.lang);
            let errors = FormErrors::new(t, &errors);
            let week = NaiveDate::parse_from_str(d.date.trim(), "%Y-%m-%d").ok();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&state, user, week, d, errors).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn delete(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    if !store::shifts::delete(&state.db, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/shifts?week={}", field(&f, "week"))).into_response())
}

pub fn router() -> Router<AppState> {
    Router::new().route("/shifts", get(show).post(add)).route("/shifts/{id}/delete", post(delete))
}
