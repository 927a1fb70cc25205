//! Planning shifts (排班): validated in the shop's time zone, never overlapping.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use super::{FieldError, ServiceError, ServiceResult};
use crate::domain::shifts::{self, ShiftProblem};
use crate::store::{self, Db};

/// The add-shift form, as typed.
#[derive(Debug, Default, Clone)]
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
        errors.push(FieldError::new("staff_id", "invalid"));
    }
    let date = NaiveDate::parse_from_str(d.date.trim(), "%Y-%m-%d").ok();
    if date.is_none() {
        errors.push(FieldError::new("date", "date"));
    }
    let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").ok();
    let (start, end) = (time(&d.start), time(&d.end));
    if start.is_none() {
        errors.push(FieldError::new("start", "time"));
    }
    if end.is_none() {
        errors.push(FieldError::new("end", "time"));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let (staff, date) = (staff.expect("checked"), date.expect("checked"));
    let (Some(s), Some(e)) = (local(tz, date, start.expect("checked")), local(tz, date, end.expect("checked"))) else {
        return Err(ServiceError::field("start", "time"));
    };
    let mut tx = db.begin().await?;
    let others = store::shifts::of_staff_tx(&mut tx, staff, s - Duration::days(1), e + Duration::days(1)).await?;
    match shifts::check(s, e, &others) {
        Ok(()) => {}
        Err(ShiftProblem::Inverted) => return Err(ServiceError::field("end", "shift_inverted")),
        Err(ShiftProblem::TooLong) => return Err(ServiceError::field("end", "shift_too_long")),
        Err(ShiftProblem::Overlaps) => return Err(ServiceError::field("start", "shift_overlaps")),
    }
    let id = store::shifts::insert(&mut tx, staff, s, e).await?;
    tx.commit().await?;
    Ok(id)
}
