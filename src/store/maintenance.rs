//! Keeping the database's planner informed.

use super::{Db, Pool, StoreError, StoreResult};
use crate::{exec_pool, on_pool};

/// Refreshes the planner's statistics in full. After a bulk load the planner otherwise
/// believes the tables are nearly empty and picks scans over indexes.
pub async fn analyze(db: &Db) -> StoreResult<()> {
    exec_pool!(db.write(), p => sqlx::query("ANALYZE").execute(p).await)?;
    drop_value_samples(db).await
}

/// Refreshes one table's statistics on Postgres after a write that changed its size a lot,
/// so the next statements are planned for what it holds. SQLite: nothing (its planner keeps
/// to a unique index when every column of it is given, and [`refresh_statistics`] catches
/// up at the next start).
pub async fn analyze_table(db: &Db, table: &'static str) -> StoreResult<()> {
    if let Pool::Pg(p) = db.write() {
        sqlx::query(&format!("ANALYZE \"{table}\"")).execute(p).await?;
    }
    Ok(())
}

/// Settles the store after a bulk load whose statistics were taken before its last step
/// changed `tables`: on SQLite those tables analysed again (the whole store took 7 s at
/// scale 1, twice per seed); on Postgres a `VACUUM (ANALYZE)` of everything. Freshly
/// written pages are not yet marked all-visible there, so every index-only scan (the
/// reports' covering indexes) also read the table: at scale 1 the inquiry report took 28 s
/// before the vacuum and 0.5 s after.
pub async fn after_bulk_load(db: &Db, tables: &[&'static str]) -> StoreResult<()> {
    match db.write() {
        Pool::Pg(p) => {
            sqlx::query("VACUUM (ANALYZE)").execute(p).await?;
            Ok(())
        }
        Pool::Sqlite(_) | Pool::SqliteHeld(_) | Pool::SqliteWriter(_) => {
            for table in tables {
                exec_pool!(db.write(), p => sqlx::query(&format!("ANALYZE \"{table}\"")).execute(p).await)?;
            }
            drop_value_samples(db).await
        }
    }
}

/// Refreshes the statistics of tables that need it: on SQLite each table never analysed or
/// whose row count has more than doubled or halved since (`stale`), analysed in full; on
/// Postgres nothing (autovacuum does it). Nothing to do on most days.
///
/// Not `PRAGMA optimize`: it analyses with a row limit, and a bounded analysis reads only the
/// first rows of each index — for an index led by a column of few values (the stage, the
/// status) all one value. At a million tickets it estimated a thousand per stage instead of
/// 350,000; the planner then read the inquiry report's year through the inbox's index and the
/// report went from 0.3 s to 4 s. A full analysis of the ticket table takes a few seconds at
/// that size, and is needed only when the shop has grown (or after a bulk load).
pub async fn refresh_statistics(db: &Db) -> StoreResult<()> {
    // Postgres's autovacuum analyses tables as they change; an ANALYZE of every table at each
    // start (and by every instance) read the whole store while the agents logged in.
    if let Pool::Pg(_) = db.write() {
        return Ok(());
    }
    // Sized by the largest rowid (one index seek; rows deleted since make a table look a
    // little larger, which at worst analyses a small table again) on a reader, so start-up
    // does not count millions of rows and writes do not wait; only analyses take the writer.
    let tables: Vec<(String,)> = on_pool!(db.read(), p => sqlx::query_as(
        "SELECT t.name FROM sqlite_schema t
         WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite_%' AND t.name NOT LIKE '_sqlx%'
           AND t.sql NOT LIKE 'CREATE VIRTUAL%' AND t.sql NOT LIKE '%WITHOUT ROWID%'
           -- the full-text index's own tables: not queried by us, and their rowids are codes
           AND NOT EXISTS (SELECT 1 FROM sqlite_schema v
                           WHERE v.sql LIKE 'CREATE VIRTUAL%' AND substr(t.name, 1, length(v.name) + 1) = v.name || '_')")
        .fetch_all(p).await)?;
    let has_stats: Option<(String,)> = on_pool!(db.read(), p => sqlx::query_as(
        "SELECT name FROM sqlite_schema WHERE name = 'sqlite_stat1'").fetch_optional(p).await)?;
    for (table,) in tables {
        let count = format!("SELECT COALESCE(MAX(rowid), 0) FROM \"{table}\"");
        let (rows,): (i64,) = on_pool!(db.read(), p => sqlx::query_as(&count).fetch_one(p).await)?;
        // The first figure of each index's statistics is its entries then; the largest is the
        // table's rows (a partial index holds fewer).
        let counted: Option<(Option<i64>,)> = match has_stats {
            Some(_) => on_pool!(db.read(), p => sqlx::query_as(
                "SELECT MAX(CAST(stat AS INTEGER)) FROM sqlite_stat1 WHERE tbl = $1")
                .bind(&table).fetch_optional(p).await)?,
            None => None,
        };
        if stale(rows, counted.and_then(|(n,)| n)) {
            let analyze = format!("ANALYZE \"{table}\"");
            exec_pool!(db.write(), p => sqlx::query(&analyze).execute(p).await)?;
        }
    }
    drop_value_samples(db).await
}

/// SQLite: copies what the write-ahead log holds into the database file, as far as no reader
/// still needs the log (`PASSIVE`: it waits for nobody, and nobody waits for it). Run on a
/// reader connection by a timer, so a commit never pays for a checkpoint; the writer's own
/// automatic checkpoint stays as a backstop for a log grown large. Postgres: nothing.
pub async fn checkpoint(db: &Db) -> StoreResult<Option<Checkpointed>> {
    let Pool::Sqlite(p) = db.read() else { return Ok(None) };
    let (_busy, log, copied): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(p).await?;
    Ok(Some(Checkpointed { log, copied }))
}

/// What a checkpoint found in the log and copied into the database file, in pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpointed {
    pub log: i64,
    pub copied: i64,
}

/// What a backup did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backup {
    /// SQLite: a consistent copy written to the file, this many bytes, and its integrity
    /// check passed.
    Written { bytes: u64 },
    /// Postgres: the database's own tool does it; nothing was written.
    UsePgDump,
}

/// A consistent copy of a SQLite store into `path` while it serves (`VACUUM INTO` reads one
/// snapshot; writers carry on), checked with `PRAGMA integrity_check` before it is reported
/// written. The file must not exist yet.
pub async fn backup(db: &Db, path: &std::path::Path) -> StoreResult<Backup> {
    let Pool::Sqlite(p) = db.read() else {
        return Ok(Backup::UsePgDump);
    };
    if path.exists() {
        return Err(StoreError::Config(format!("{} exists already: choose a new file", path.display())));
    }
    let target = path.to_str().ok_or_else(|| StoreError::Config("the backup path is not UTF-8".into()))?;
    sqlx::query("VACUUM INTO $1").bind(target).execute(p).await?;
    let copy = super::Db::connect(&format!("sqlite://{target}")).await?;
    let check: Vec<(String,)> =
        on_pool!(copy.read(), c => sqlx::query_as("PRAGMA integrity_check").fetch_all(c).await)?;
    copy.close().await;
    if check.len() != 1 || check[0].0 != "ok" {
        let found: Vec<String> = check.into_iter().map(|(line,)| line).collect();
        return Err(StoreError::Config(format!(
            "the copy at {target} failed its integrity check: {}",
            found.join("; ")
        )));
    }
    Ok(Backup::Written { bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) })
}

/// Whether a table of `rows` rows, last analysed at `counted` rows (never: `None`), needs its
/// statistics again. Small tables are planned well enough without any.
fn stale(rows: i64, counted: Option<i64>) -> bool {
    const SMALL: i64 = 1_000;
    match counted {
        _ if rows < SMALL => false,
        None => true,
        Some(n) => rows > 2 * n || 2 * rows < n,
    }
}

/// SQLite only: forgets the per-value samples (`sqlite_stat4`) and keeps the per-index figures
/// (`sqlite_stat1`). The bundled SQLite is built with STAT4; with samples present, every
/// statement whose plan could depend on a bound value is compiled again each time it is run
/// with new values — a quarter of the server's CPU on the ticket page. The per-index figures
/// are what our index choices need.
async fn drop_value_samples(db: &Db) -> StoreResult<()> {
    if let Pool::SqliteWriter(_) = db.write() {
        let has: Option<(String,)> = on_pool!(db.read(), p =>
            sqlx::query_as("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat4'").fetch_optional(p).await)?;
        if has.is_some() {
            // Loads the statistics again after, so open connections plan with what is left.
            // Through the executor trait: `raw_sql`'s future here defeats the compiler's proof
            // that the statistics timer's task is `Send` (rust-lang/rust#110338).
            exec_pool!(db.write(), p => sqlx::Executor::execute(p, "DELETE FROM sqlite_stat4; ANALYZE sqlite_schema").await)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Checkpointed, checkpoint, stale};

    /// The timer's checkpoint copies what was committed into the database file, on a reader.
    #[tokio::test]
    async fn a_checkpoint_copies_the_committed_log() {
        let (_dir, db) = crate::store::scratch_sqlite().await;
        let mut tx = db.begin().await.unwrap();
        crate::store::settings::set(&mut tx, "test.checkpoint", "1").await.unwrap();
        tx.commit().await.unwrap();
        let Some(Checkpointed { log, copied }) = checkpoint(&db).await.unwrap() else { panic!("SQLite") };
        assert!(log > 0, "the commit is in the log");
        assert_eq!(copied, log, "and all of it copied");
        db.close().await;
    }

    #[test]
    fn tables_are_analysed_again_when_they_have_grown_or_shrunk_a_lot() {
        assert!(!stale(999, None), "small tables need no statistics");
        assert!(stale(1_000, None), "never analysed");
        assert!(!stale(1_500, Some(1_000)));
        assert!(!stale(2_000, Some(1_000)), "doubled: not yet");
        assert!(stale(2_001, Some(1_000)));
        assert!(stale(1_000_000, Some(40)), "analysed when nearly empty");
        assert!(!stale(5_000, Some(10_000)));
        assert!(stale(4_999, Some(10_000)), "more than halved");
    }
}
