//! The admin audit log (migration 0029).

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use super::{Db, StoreResult};
use crate::domain::audit::AuditAction;
use crate::{exec_pool, on_pool};

/// One change, as it is written.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub at: DateTime<Utc>,
    pub staff_id: Uuid,
    pub action: AuditAction,
    pub method: String,
    pub route: String,
    pub path: String,
    /// The form's kept fields as a JSON object.
    pub detail: String,
    pub client_addr: Option<String>,
}

pub async fn record(db: &Db, e: &NewEntry) -> StoreResult<()> {
    exec_pool!(db.write(), p => sqlx::query(
        "INSERT INTO audit_log (id, at, staff_id, action, method, route, path, detail, client_addr)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(Uuid::now_v7()).bind(e.at).bind(e.staff_id).bind(e.action).bind(&e.method).bind(&e.route)
        .bind(&e.path).bind(&e.detail).bind(&e.client_addr).execute(p).await)?;
    Ok(())
}

/// One change, as the log shows it.
#[derive(Debug, Clone, FromRow)]
pub struct Entry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub staff_id: Uuid,
    pub staff_name: String,
    pub action: AuditAction,
    pub method: String,
    pub path: String,
    pub detail: String,
    pub client_addr: Option<String>,
}

/// Which changes to show: each filter given narrows the log.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub staff: Option<Uuid>,
    pub action: Option<AuditAction>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Older than this entry (the next page).
    pub before: Option<Uuid>,
}

/// Up to `limit` changes passing `f`, newest first. The statement names only the filters
/// given, so each is read through its index (`audit_by_staff`, `audit_by_action`, or the
/// primary key, which is time-ordered) and stops at the page's end.
pub async fn list(db: &Db, f: &Filter, limit: i64) -> StoreResult<Vec<Entry>> {
    let mut conditions = Vec::new();
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if f.staff.is_some() {
        conditions.push(format!("a.staff_id = {}", next()));
    }
    if f.action.is_some() {
        conditions.push(format!("a.action = {}", next()));
    }
    if f.from.is_some() {
        conditions.push(format!("a.at >= {}", next()));
    }
    if f.to.is_some() {
        conditions.push(format!("a.at < {}", next()));
    }
    if f.before.is_some() {
        conditions.push(format!("a.id < {}", next()));
    }
    let limit_at = next();
    let filter = match conditions.is_empty() {
        true => String::new(),
        false => format!("WHERE {}", conditions.join(" AND ")),
    };
    let sql = format!(
        "SELECT a.id, a.at, a.staff_id, s.display_name AS staff_name, a.action, a.method, a.path, a.detail,
                a.client_addr
         FROM audit_log a JOIN staff s ON s.id = a.staff_id {filter}
         ORDER BY a.id DESC LIMIT {limit_at}"
    );
    Ok(on_pool!(db.read(), p => {
        let mut q = sqlx::query_as::<_, Entry>(&sql);
        if let Some(s) = f.staff {
            q = q.bind(s);
        }
        if let Some(a) = f.action {
            q = q.bind(a);
        }
        if let Some(t) = f.from {
            q = q.bind(t);
        }
        if let Some(t) = f.to {
            q = q.bind(t);
        }
        if let Some(b) = f.before {
            q = q.bind(b);
        }
        q.bind(limit).fetch_all(p).await
    })?)
}
