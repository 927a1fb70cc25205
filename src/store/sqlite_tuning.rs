//! Settings of the SQLite library itself, measured on the desk at a million tickets: each
//! removed a cost every reader connection paid on every statement.

use std::ffi::c_int;
use std::ptr::NonNull;
use std::sync::Once;

use libsqlite3_sys as ffi;

/// Turns off SQLite's memory statistics for the process, before the first connection opens
/// (the library refuses the setting once it is initialised; later calls change nothing).
/// With them on, every allocation SQLite makes, on any connection, takes one process-wide
/// lock to keep the count: eight reader threads queued on it, and a seventh of the server's
/// CPU on the desk went to taking and waking that lock. Kefu never reads the statistics.
pub fn no_memory_statistics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: `sqlite3_config` is meant to be called before `sqlite3_initialize`; after
        // it (another store opened first in this process) it returns SQLITE_MISUSE and does
        // nothing, which leaves the statistics on: slower, never wrong.
        let rc = unsafe { ffi::sqlite3_config(ffi::SQLITE_CONFIG_MEMSTATUS, 0 as c_int) };
        if rc != ffi::SQLITE_OK {
            tracing::debug!(rc, "SQLite was initialised already: its memory statistics stay on");
        }
    });
}

/// One plan per statement, whatever values are bound (SQLite's "query planner stability
/// guarantee"). Without it, a statement whose bound value the planner compared with a
/// partial index's condition (`t.stage = ?` beside `tickets_inquiries … WHERE stage =
/// 'presale'`) is marked to be compiled again whenever that value is bound — on every run,
/// since each run binds afresh: a fifth of the server's CPU on the desk went to parsing the
/// inbox statement again. Statements that need a partial index name its condition in literal
/// text, which the guarantee leaves usable.
///
/// # Safety
/// `db` must be an open connection handle that no other thread uses during the call (sqlx's
/// `LockedSqliteHandle` guarantees both).
pub unsafe fn stable_plans(db: NonNull<ffi::sqlite3>) -> Result<(), String> {
    let mut now_on: c_int = 0;
    // SAFETY: per the caller; this option takes an int and a pointer to an int.
    let rc = unsafe {
        ffi::sqlite3_db_config(db.as_ptr(), ffi::SQLITE_DBCONFIG_ENABLE_QPSG, 1 as c_int, &mut now_on as *mut c_int)
    };
    match (rc, now_on) {
        (ffi::SQLITE_OK, 1) => Ok(()),
        _ => Err(format!("enabling SQLite's query planner stability guarantee failed (code {rc})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Pools;

    /// Reads the guarantee's setting on `conn` (-1 asks without changing it).
    async fn plans_stable_on(conn: &mut sqlx::SqliteConnection) -> c_int {
        let mut handle = conn.lock_handle().await.unwrap();
        let mut on: c_int = -1;
        // SAFETY: the locked handle is an open connection no other thread uses.
        let rc = unsafe {
            ffi::sqlite3_db_config(
                handle.as_raw_handle().as_ptr(),
                ffi::SQLITE_DBCONFIG_ENABLE_QPSG,
                -1 as c_int,
                &mut on as *mut c_int,
            )
        };
        assert_eq!(rc, ffi::SQLITE_OK);
        on
    }

    #[tokio::test]
    async fn every_connection_keeps_one_plan_per_statement() {
        let (_dir, db) = crate::store::scratch_sqlite().await;
        let Pools::Sqlite { read: Some(read), long: Some(long), write } = &db.pools else {
            unreachable!("a SQLite file")
        };
        assert_eq!(plans_stable_on(&mut write.exclusive().await.unwrap()).await, 1, "the writer");
        assert_eq!(plans_stable_on(&mut read.acquire().await.unwrap()).await, 1, "a reader");
        assert_eq!(plans_stable_on(&mut long.acquire().await.unwrap()).await, 1, "a reports' reader");
        db.close().await;
    }
}
