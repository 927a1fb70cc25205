//! The admin audit log (migration 0029).

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use super::{Db, StoreResult};
use crate::domain::audit::AuditAction;
use crate::exec_pool;

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
    // The statement, on the query builder of either store.
    macro_rules! page {
        ($q:expr) => {{
            let q = $q;
            q.push(
                "SELECT a.id, a.at, a.staff_id, s.display_name AS staff_name, a.action, a.method, a.path, a.detail,
                        a.client_addr
                 FROM audit_log a JOIN staff s ON s.id = a.staff_id WHERE TRUE",
            );
            if let Some(v) = f.staff {
                q.push(" AND a.staff_id = ").push_bind(v);
            }
            if let Some(v) = f.action {
                q.push(" AND a.action = ").push_bind(v);
            }
            if let Some(v) = f.from {
                q.push(" AND a.at >= ").push_bind(v);
            }
            if let Some(v) = f.to {
                q.push(" AND a.at < ").push_bind(v);
            }
            if let Some(v) = f.before {
                q.push(" AND a.id < ").push_bind(v);
            }
            q.push(" ORDER BY a.id DESC LIMIT ").push_bind(limit);
        }};
    }
    Ok(crate::on_pool!(db.read(), p => {
        let mut q = sqlx::QueryBuilder::new("");
        page!(&mut q);
        q.build_query_as().fetch_all(p).await?
    }))
}
