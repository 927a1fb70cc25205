//! Planning shifts (排班): validated in the shop's time zone, never overlapping.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use super::{FieldError, ServiceError, ServiceResult};
use crate::domain::reports::Period;
use crate::domain::shifts::{self, ShiftProblem};
use crate::domain::{ErrorCode, Settings};
use crate::store::{self, Db};

pub use crate::store::shifts::Shift;
pub use crate::store::staff::StaffWithSkills;

/// A week of the shift plan: its Monday, the active staff and their shifts that start in it,
/// and per hour of the day the agents planned on shift against the tickets buyers opened.
pub struct Week {
    pub monday: NaiveDate,
    pub staff: Vec<StaffWithSkills>,
    pub shifts: Vec<Shift>,
    /// `(agents on shift, tickets opened)` per hour, in tenths (see [`shifts::hourly_strip`]).
    pub strip: [(i64, i64); 24],
}

/// Days of arrivals the strip compares the plan with.
pub const STRIP_DAYS: i64 = 28;

/// The week (Monday to Sunday, shop time) that holds `day`, with the hourly strip against the
/// last four weeks up to `today`.
pub async fn week(db: &Db, day: NaiveDate, settings: &Settings, today: NaiveDate) -> ServiceResult<Week> {
    let tz = settings.shop.time_zone;
    let monday = day - Duration::days(day.weekday().num_days_from_monday() as i64);
    let start = local(tz, monday, NaiveTime::MIN).unwrap_or_else(Utc::now);
    let (shifts, staff, arrivals) = tokio::try_join!(
        async { Ok::<_, ServiceError>(store::shifts::between(db, start, start + Duration::days(7)).await?) },
        async { Ok(store::staff::list(db).await?) },
        super::reports::arrivals(db, settings, Period::last_days(today, STRIP_DAYS)),
    )?;
    let days: Vec<NaiveDate> = (0..7).map(|i| monday + Duration::days(i)).collect();
    let planned: Vec<_> = shifts.iter().map(|s| (s.starts_at, s.ends_at)).collect();
    let strip = shifts::hourly_strip(&shifts::coverage(&planned, &days, tz), &arrivals, STRIP_DAYS);
    Ok(Week { monday, staff: staff.into_iter().filter(|s| s.staff.active).collect(), shifts, strip })
}

pub async fn delete(db: &Db, id: Uuid) -> ServiceResult<()> {
    if store::shifts::delete(db, id).await? { Ok(()) } else { Err(ServiceError::NotFound) }
}

/// The add-shift form, as typed.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct ShiftDraft {
    pub staff_id: String,
    pub date: String,
    pub start: String,
    pub end: String,
}

fn local(tz: Tz, date: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    tz.from_local_datetime(&date.and_time(time)).earliest().map(|t| t.with_timezone(&Utc))
}

pub async fn add(db: &Db, d: &ShiftDraft, tz: Tz) -> ServiceResult<Uuid> {
    let mut errors = Vec::new();
    let staff = match Uuid::parse_str(d.staff_id.trim()) {
        Ok(id) => match store::staff::by_id(db, id).await? {
            Some(s) if s.active => Some(id),
            _ => None,
        },
        Err(_) => None,
    };
    if staff.is_none() {
        errors.push(FieldError::new("staff_id", ErrorCode::Invalid));
    }
    let date = NaiveDate::parse_from_str(d.date.trim(), "%Y-%m-%d").ok();
    if date.is_none() {
        errors.push(FieldError::new("date", ErrorCode::Date));
    }
    let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").ok();
    let (start, end) = (time(&d.start), time(&d.end));
    if start.is_none() {
        errors.push(FieldError::new("start", ErrorCode::Time));
    }
    if end.is_none() {
        errors.push(FieldError::new("end", ErrorCode::Time));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let (staff, date) = (staff.expect("checked"), date.expect("checked"));
    let (Some(s), Some(e)) = (local(tz, date, start.expect("checked")), local(tz, date, end.expect("checked"))) else {
        return Err(ServiceError::field("start", ErrorCode::Time));
    };
    let mut tx = db.begin().await?;
    let others = store::shifts::of_staff_tx(&mut tx, staff, s - Duration::days(1), e + Duration::days(1)).await?;
    match shifts::check(s, e, &others) {
        Ok(()) => {}
        Err(ShiftProblem::Inverted) => return Err(ServiceError::field("end", ErrorCode::ShiftInverted)),
        Err(ShiftProblem::TooLong) => return Err(ServiceError::field("end", ErrorCode::ShiftTooLong)),
        Err(ShiftProblem::Overlaps) => return Err(ServiceError::field("start", ErrorCode::ShiftOverlaps)),
    }
    let id = store::shifts::insert(&mut tx, staff, s, e).await?;
    tx.commit().await?;
    Ok(id)
}
