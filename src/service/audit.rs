//! The admin audit log: written for every change an admin makes (see `web::audit`), read by
//! admins with filters.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::ServiceResult;
use crate::domain::audit::{AuditAction, kept_fields};
use crate::domain::reports::Period;
use crate::domain::settings::Settings;
use crate::store::audit::{Entry, Filter, NewEntry};
use crate::store::staff::StaffWithSkills;
use crate::store::{self, Db};

/// Changes shown per page.
pub const PAGE: i64 = 50;

/// A change an admin's request made, before its fields are sifted.
pub struct Change<'a> {
    pub staff_id: Uuid,
    pub method: &'a str,
    pub route: &'a str,
    pub path: &'a str,
    pub fields: Vec<(String, String)>,
    pub client_addr: Option<String>,
}

/// Writes one change to the log; passwords, tokens and empty fields are left out.
pub async fn record(db: &Db, c: Change<'_>, now: DateTime<Utc>) -> ServiceResult<()> {
    let kept: serde_json::Map<String, serde_json::Value> =
        kept_fields(c.fields).into_iter().map(|(k, v)| (k, serde_json::Value::String(v))).collect();
    let entry = NewEntry {
        at: now,
        staff_id: c.staff_id,
        action: AuditAction::of_route(c.route),
        method: c.method.to_string(),
        route: c.route.to_string(),
        path: c.path.to_string(),
        detail: serde_json::Value::Object(kept).to_string(),
        client_addr: c.client_addr,
    };
    Ok(store::audit::record(db, &entry).await?)
}

/// What the log page asks for; dates are the shop's.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub staff: Option<Uuid>,
    pub action: Option<AuditAction>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub before: Option<Uuid>,
}

/// One page of the log, newest first, where the next page starts, and the staff to filter by.
pub struct LogPage {
    pub entries: Vec<(Entry, Vec<(String, String)>)>,
    pub next: Option<Uuid>,
    pub staff: Vec<StaffWithSkills>,
}

pub async fn page(db: &Db, settings: &Settings, q: &Query) -> ServiceResult<LogPage> {
    let tz = settings.shop.time_zone;
    // A day range in the shop's zone, as the reports read it; one end may be open.
    let day = |d: NaiveDate| Period { from: d, to: d }.bounds(tz);
    let filter = Filter {
        staff: q.staff,
        action: q.action,
        from: q.from.map(|d| day(d).0),
        to: q.to.map(|d| day(d).1),
        before: q.before,
    };
    let (mut entries, staff) = tokio::try_join!(store::audit::list(db, &filter, PAGE + 1), store::staff::list(db))?;
    let next = match entries.len() as i64 > PAGE {
        true => {
            entries.truncate(PAGE as usize);
            entries.last().map(|e| e.id)
        }
        false => None,
    };
    let entries = entries
        .into_iter()
        .map(|e| {
            let fields = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&e.detail)
                .map(|m| m.into_iter().map(|(k, v)| (k, v.as_str().unwrap_or_default().to_string())).collect())
                .unwrap_or_default();
            (e, fields)
        })
        .collect();
    Ok(LogPage { entries, next, staff })
}
