//! The store: every SQL statement Kefu runs lives below this module.
//!
//! One store serves both backends. [`Db`] holds either a SQLite or a Postgres pool and the
//! [`on_pool!`] / [`on_tx!`] macros run the *same* SQL text on whichever is present: both
//! drivers accept `$1` placeholders and decode the native types we use (uuid, bool, chrono
//! times, i64). Backend-specific SQL is confined to the few places that need it (full-text
//! search in [`search`]).
//!
//! SQLite gets two pools: a single-connection writer and a multi-connection reader. SQLite
//! allows one writer at a time anyway; serialising writes in-process avoids `SQLITE_BUSY`
//! errors and lock-upgrade deadlocks, while WAL lets readers run beside the writer.

pub mod attachments;
pub mod audit;
pub mod automations;
pub mod board;
pub mod bulk;
pub mod buyers;
pub mod campaigns;
pub mod cards;
pub mod catalog;
pub mod chat;
pub mod faq;
pub mod idempotency;
pub mod json_rows;
pub mod kb;
pub mod live;
pub mod lookup;
pub mod maintenance;
pub mod memo;
pub mod orders;
pub mod outbox;
pub mod phrase_hits;
pub mod products;
pub mod ratings;
pub mod replies;
pub mod reports;
pub mod routing;
pub mod search;
pub mod secrets;
pub mod sessions;
pub mod settings;
pub mod shifts;
mod sqlite_functions;
mod sqlite_tuning;
pub mod staff;
pub mod surveys;
pub mod throttle;
pub mod ticket_page;
pub mod tickets;
pub mod tokens;
pub mod writer;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

pub use writer::Writer;

/// Errors of the store layer. Callers above mostly care whether a row was missing, a
/// uniqueness rule was hit, or something went wrong that the user cannot fix.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL is not one Kefu can use (unknown scheme, unwritable path …).
    #[error("{0}")]
    Config(String),
    /// A unique constraint was violated; carries the constraint or column text from the driver.
    #[error("duplicate value: {0}")]
    Duplicate(String),
    /// Optimistic-locking conflict: the row changed since it was read.
    #[error("changed by someone else")]
    Conflict,
    /// Text the database cannot hold: Postgres refuses the NUL character in `text` (SQLite
    /// would keep it). The edges refuse NUL first (`web::nul`); this is the net behind them.
    #[error("text with a NUL character")]
    NulText,
    #[error(transparent)]
    Sql(sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e
            && db.is_unique_violation()
        {
            return StoreError::Duplicate(db.message().to_string());
        }
        // 22021: character_not_in_repertoire, Postgres's answer to a NUL byte in text.
        if let sqlx::Error::Database(db) = &e
            && db.code().as_deref() == Some("22021")
        {
            return StoreError::NulText;
        }
        StoreError::Sql(e)
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The pools of the database that backs this instance.
#[derive(Clone, Debug)]
pub enum Pools {
    /// `read` (the pages' readers) and `long` (the reports' readers) are None for an
    /// in-memory database: its one connection is the writer.
    Sqlite {
        read: Option<SqlitePool>,
        long: Option<SqlitePool>,
        write: std::sync::Arc<Writer>,
    },
    Pg(PgPool),
}

/// The database of this instance: its pools, and the counts it remembers for a moment.
#[derive(Clone, Debug)]
pub struct Db {
    pub pools: Pools,
    pub(crate) memo: std::sync::Arc<memo::Memo>,
    /// The SQLite reader connection this handle's reads run on, if it holds one
    /// ([`Db::holding_reader`]).
    held: Option<std::sync::Arc<HeldReader>>,
    /// Readers are connections of their own (a SQLite file), so one can be held; an in-memory
    /// database's reader is its writer.
    can_hold: bool,
    /// This handle's reads scan much of the store (the reports): on SQLite they run on
    /// readers of their own ([`Db::for_long_reads`]).
    long: bool,
}

/// A SQLite reader connection taken from the pool for a run of reads, inside one read
/// transaction; it goes back (the transaction rolled back) when the last handle holding it is
/// dropped. The lock lets a page's concurrent reads take turns.
pub type HeldReader = tokio::sync::Mutex<Transaction<'static, Sqlite>>;

/// A pool to run one statement on: the SQLite readers, the one SQLite reader connection held
/// for a page, the SQLite writer (each statement a job of its own, see [`writer`]), or the
/// Postgres pool.
#[derive(Clone, Copy)]
pub enum Pool<'a> {
    Sqlite(&'a SqlitePool),
    SqliteHeld(&'a HeldReader),
    SqliteWriter(&'a std::sync::Arc<Writer>),
    Pg(&'a PgPool),
}

/// An open transaction on either backend. Every multi-row change goes through one.
pub enum Tx {
    Sqlite(writer::Job),
    Pg(Transaction<'static, Postgres>),
}

/// Runs the same expression on whichever pool `$pool` holds; `$p` is bound to the concrete
/// pool. The expression is compiled once per backend.
#[macro_export]
macro_rules! on_pool {
    ($pool:expr, $p:ident => $body:expr) => {
        match $pool {
            $crate::store::Pool::Sqlite($p) => $body,
            $crate::store::Pool::SqliteHeld(held) => {
                let mut conn = held.lock().await;
                let $p = &mut **conn;
                $body
            }
            $crate::store::Pool::SqliteWriter(w) => $crate::on_writer!(w, $p => $body),
            $crate::store::Pool::Pg($p) => $body,
        }
    };
}

/// Runs a statement on the SQLite writer's connection on its own, outside any batch (a batch
/// still open is committed first, see [`writer::Writer::alone`]): the statement commits by
/// itself, as SQLite's statements outside a transaction do.
#[macro_export]
macro_rules! on_writer {
    ($w:expr, $p:ident => $body:expr) => {{
        let mut conn = $w.alone().await;
        let $p = &mut *conn;
        $body
    }};
}

/// Like [`on_pool!`] for an open [`Tx`]; `$c` is bound to the connection (`&mut *tx`).
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match $tx {
            $crate::store::Tx::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::store::Tx::Pg(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

/// The SQLite arm of a statement whose text differs per store: `$p` is the SQLite pool or
/// the held reader connection ([`Pool::SqliteHeld`]). For use after a `Pool::Pg` arm, so
/// `$pool` is SQLite's.
#[macro_export]
macro_rules! on_sqlite {
    ($pool:expr, $p:ident => $body:expr) => {
        match $pool {
            $crate::store::Pool::Sqlite($p) => $body,
            $crate::store::Pool::SqliteHeld(held) => {
                let mut conn = held.lock().await;
                let $p = &mut **conn;
                $body
            }
            $crate::store::Pool::SqliteWriter(w) => $crate::on_writer!(w, $p => $body),
            $crate::store::Pool::Pg(_) => unreachable!("matched as Postgres before"),
        }
    };
}

/// Like [`on_pool!`] for statements run with `.execute(…)`: yields the rows affected, so both
/// backends' arms have one type.
#[macro_export]
macro_rules! exec_pool {
    ($pool:expr, $p:ident => $body:expr) => {
        match $pool {
            $crate::store::Pool::Sqlite($p) => ($body).map(|r| r.rows_affected()),
            $crate::store::Pool::SqliteHeld(held) => {
                let mut conn = held.lock().await;
                let $p = &mut **conn;
                ($body).map(|r| r.rows_affected())
            }
            $crate::store::Pool::SqliteWriter(w) => $crate::on_writer!(w, $p => ($body).map(|r| r.rows_affected())),
            $crate::store::Pool::Pg($p) => ($body).map(|r| r.rows_affected()),
        }
    };
}

/// Like [`on_tx!`] for `.execute(…)` statements: yields the rows affected.
#[macro_export]
macro_rules! exec_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match $tx {
            $crate::store::Tx::Sqlite(t) => {
                let $c = &mut **t;
                ($body).map(|r| r.rows_affected())
            }
            $crate::store::Tx::Pg(t) => {
                let $c = &mut **t;
                ($body).map(|r| r.rows_affected())
            }
        }
    };
}

/// Where a statement runs: on the read pool, or inside an open transaction. Store functions
/// that both plain reads and transactions need take `impl Into<Exec>`, so one function serves
/// `by_id(db, id)` and `by_id(&mut tx, id)` alike.
pub enum Exec<'a> {
    Read(&'a Db),
    Tx(&'a mut Tx),
}

impl<'a> From<&'a Db> for Exec<'a> {
    fn from(db: &'a Db) -> Self {
        Exec::Read(db)
    }
}

impl<'a> From<&'a mut Tx> for Exec<'a> {
    fn from(tx: &'a mut Tx) -> Self {
        Exec::Tx(tx)
    }
}

/// Like [`on_pool!`] for an [`Exec`]: `$c` is the reader pool or the transaction's connection.
#[macro_export]
macro_rules! on_exec {
    ($exec:expr, $c:ident => $body:expr) => {
        match $exec {
            $crate::store::Exec::Read(db) => match db.read() {
                $crate::store::Pool::Sqlite($c) => $body,
                $crate::store::Pool::SqliteHeld(held) => {
                    let mut conn = held.lock().await;
                    let $c = &mut **conn;
                    $body
                }
                $crate::store::Pool::SqliteWriter(w) => $crate::on_writer!(w, $c => $body),
                $crate::store::Pool::Pg($c) => $body,
            },
            $crate::store::Exec::Tx($crate::store::Tx::Sqlite(t)) => {
                let $c = &mut **t;
                $body
            }
            $crate::store::Exec::Tx($crate::store::Tx::Pg(t)) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

/// The statuses of tickets that still need work, as SQL (`status IN active_in!()`); the same
/// list as [`crate::domain::TicketStatus::ACTIVE`] (a test holds them together). A macro so
/// it can be spliced into SQL literals with `concat!`.
#[macro_export]
macro_rules! active_in {
    () => {
        "('new', 'open', 'waiting_buyer', 'waiting_internal')"
    };
}

/// Where automatic tasks start in the inbox order ([`crate::domain::queue::TASKS_AFTER`],
/// 2^53; a test holds them together), for SQL: a conversation list asks for `urgency <` it and
/// the task lane for `urgency >=` it, so either reads only its own part of a queue index.
#[macro_export]
macro_rules! tasks_after {
    () => {
        "9007199254740992"
    };
}

/// A SQLite store in a file of its own, for the store's unit tests; the file goes when the
/// directory returned with it is dropped.
#[cfg(test)]
pub(crate) async fn scratch_sqlite() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(&format!("sqlite://{}", dir.path().join("k.db").display())).await.unwrap();
    (dir, db)
}

/// [`active_in!`] as a constant, for SQL built with `format!`.
pub const ACTIVE: &str = active_in!();

/// The page cache of the SQLite writer and of the reports' readers, in KiB (see
/// `connect_sqlite`); the pages' readers have [`READER_CACHE_KIB`].
pub(crate) const CACHE_KIB: i64 = 8000;

/// The SQLite readers of the pages. Each is a thread and a page cache of its own, and every
/// reader sees the whole desk: four with 16 MB each served the ticket page at scale 1 about a
/// sixth more than eight with 8 MB each (the same memory), with a sixth less CPU a page, on
/// a desk of short conversations (as much on long ones) — fewer threads taking turns on two
/// cores, and each cache holds twice the pages (BENCHMARKS.md, session of 2026-12-06 h).
const READERS: u32 = 4;
const READER_CACHE_KIB: i64 = 2 * CACHE_KIB;

/// The SQLite readers of the reports ([`Db::for_long_reads`]): a report over a year reads for
/// a second or more, and on readers of their own a few supervisors opening reports at once
/// cannot take every reader from the desk. Their cache is [`CACHE_KIB`]: a report reads most
/// of its pages once.
const LONG_READERS: u32 = 2;

impl Db {
    /// Opens (creating if needed) the database named by `url` and runs pending migrations.
    ///
    /// `sqlite://path` or `sqlite::memory:` selects SQLite, `postgres://` or `postgresql://`
    /// Postgres; anything else is a [`StoreError::Config`] with one sentence for the operator.
    pub async fn connect(url: &str) -> StoreResult<Db> {
        let db = if url.starts_with("sqlite:") {
            Self::connect_sqlite(url).await?
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Self::connect_pg(url).await?
        } else {
            return Err(StoreError::Config(format!(
                "unsupported database URL '{}': use sqlite://PATH or postgres://USER@HOST/DB",
                redact(url)
            )));
        };
        db.migrate().await?;
        // A bulk load that died with the indexes of its tables set aside.
        let restored = bulk::restore_indexes(&db).await?;
        if restored > 0 {
            tracing::warn!(restored, "created again the indexes an interrupted bulk load had set aside");
        }
        search::rebuild_if_asked(&db).await?;
        Ok(db)
    }

    async fn connect_sqlite(url: &str) -> StoreResult<Db> {
        sqlite_tuning::no_memory_statistics();
        let opts = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("bad SQLite URL '{url}': {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // A write is acknowledged only once it would survive a power cut: FULL syncs the
            // log on every commit (NORMAL syncs it at checkpoints only, and a crash of the
            // machine could take back the last commits). Measured at scale 1: a reply costs
            // about a fifth more of the writer's time.
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            // Sorts too big for the page cache go to temporary files, not the heap: a report
            // over a year sorts half a million rows, and with `memory` eight readers doing so
            // took the server to 1.1 GB.
            .pragma("temp_store", "file")
            // 8 MB of page cache for the writer and the reports' readers, 16 MB for the
            // pages' readers (below): the RSS stays small; the OS file cache keeps the hot
            // pages anyway.
            .pragma("cache_size", format!("-{CACHE_KIB}"))
            // The log is copied into the database file by a timer on a reader
            // (`maintenance::checkpoint`), once a second. At the default (every 1,000 pages)
            // the writer did it itself, a dozen times a second under a rush, each copy synced
            // to disk while every write waited. This is the backstop: 64 MB of log.
            .pragma("wal_autocheckpoint", "16384");
        let path = opts.get_filename().to_path_buf();
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        if !in_memory {
            ensure_parent_dir(&path)?;
        }
        let cant_open =
            |e: sqlx::Error| StoreError::Config(format!("cannot open the SQLite database at {}: {e}", path.display()));
        // Every connection plans each statement once and knows Kefu's SQL functions.
        async fn set_up(conn: &mut sqlx::SqliteConnection) -> Result<(), sqlx::Error> {
            let mut handle = conn.lock_handle().await?;
            let raw = handle.as_raw_handle();
            // SAFETY: the locked handle is an open connection no other thread uses.
            unsafe { sqlite_tuning::stable_plans(raw).and_then(|()| sqlite_functions::register(raw)) }
                .map_err(|e| sqlx::Error::Configuration(e.into()))
        }
        // Open the writer first: it creates the file, so readers never race to create it.
        let write = async {
            let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect_with(&opts).await?;
            set_up(&mut conn).await?;
            // Each job runs in a savepoint ([`writer`]), and SQLite keeps the pages a savepoint
            // changes in a journal of its own, spilled past 64 KB to a temporary file when
            // temporary storage is on disk: a new conversation touches more than that, and
            // its writes there were six in seven of the writer's. The writer sorts nothing
            // big (the reports run on readers), so its temporary storage is memory.
            sqlx::query("PRAGMA temp_store = memory").execute(&mut conn).await?;
            sqlx::query(search::SQLITE_PENDING).execute(&mut conn).await?;
            Ok::<_, sqlx::Error>(Writer::over(conn))
        }
        .await
        .map_err(cant_open)?;
        let read = if in_memory {
            // Each in-memory connection would be its own empty database: reads use the writer.
            None
        } else {
            // A connection to a local file cannot go stale, so it is not pinged before each
            // use: the ping is a round trip to the connection's thread for every statement.
            let readers = |count: u32, cache_kib: i64| {
                SqlitePoolOptions::new()
                    .test_before_acquire(false)
                    .max_connections(count)
                    .after_connect(|conn, _| Box::pin(async move { set_up(conn).await }))
                    .connect_with(opts.clone().pragma("cache_size", format!("-{cache_kib}")))
            };
            let (pages, long) = tokio::try_join!(readers(READERS, READER_CACHE_KIB), readers(LONG_READERS, CACHE_KIB))
                .map_err(cant_open)?;
            Some((pages, long))
        };
        let (read, long) = read.unzip();
        let write = std::sync::Arc::new(write);
        Ok(Db { can_hold: !in_memory, ..Db::over(Pools::Sqlite { read, long, write }) })
    }

    async fn connect_pg(url: &str) -> StoreResult<Db> {
        let opts = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("bad Postgres URL '{}': {e}", redact(url))))?
            // The reports group a year of tickets; with the default 4 MB their sorts spill to
            // disk (external merge: 1.2 s of a 3.5 s report at a million tickets). Just-in-time
            // compilation cost a report 31 ms and gains nothing on statements this short.
            // No parallel workers: requests run side by side, and a statement that starts
            // worker processes (a plan made for a bound LIMIT picked one for the inbox: 24 ms
            // against 0.6 ms) pays their start-up for cores that are busy anyway. The
            // year-long reports, which run their statements side by side too, were as fast
            // or faster without them at a million tickets.
            //
            // New search documents wait in the GIN index's pending list, which every search
            // reads in full, until a vacuum or until the list outgrows
            // `gin_pending_list_limit`; then the insert that outgrew it files the list into the
            // index. At the default 4 MB a desk that had taken a few thousand messages searched
            // a phrase at a third of the speed of a fresh one (BENCHMARKS.md, session of
            // 2026-12-06 g); at 256 kB a search reads a few pages of it, and a message now and
            // then pays for filing them.
            .options([
                ("work_mem", "32MB"),
                ("jit", "off"),
                ("max_parallel_workers_per_gather", "0"),
                ("gin_pending_list_limit", "256kB"),
            ]);
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts)
            .await
            .map_err(|e| StoreError::Config(format!("cannot connect to Postgres at {}: {e}", redact(url))))?;
        Ok(Db::over(Pools::Pg(pool)))
    }

    fn over(pools: Pools) -> Db {
        Db { pools, memo: Default::default(), held: None, can_hold: false, long: false }
    }

    /// This database for reads that scan much of the store (the reports over a period): on
    /// SQLite they run on readers of their own, so however many run at once, the desk's
    /// pages keep theirs. Postgres has one pool; an in-memory SQLite database one connection.
    pub fn for_long_reads(&self) -> Db {
        Db { long: true, held: None, ..self.clone() }
    }

    /// This database with one SQLite reader connection taken for a page's reads: they run
    /// one after another on it, instead of each taking a connection from the pool and giving
    /// it back. sqlx's SQLite driver runs each connection on a thread of its own and pings a
    /// connection as it goes back, so every pooled statement was two round trips to another
    /// thread; a page of thirty statements now makes one ping. SQLite runs one statement at
    /// a time per connection anyway, and the page's concurrent requests use the other readers.
    ///
    /// The reads share one read transaction: the page shows one moment of the store (a reply
    /// committed halfway through does not appear in the list but not in the conversation), and
    /// SQLite takes its read locks and checks the log once for the page instead of once per
    /// statement (a tenth of the ticket page's CPU at scale 1 went to those).
    ///
    /// Writes still go to the writer. The caller drops this handle before it waits on the
    /// writer, so a held reader never waits for a writer that may be waiting for a reader.
    /// On Postgres, and on an in-memory SQLite database (one connection for everything), it
    /// is the same handle: a held Postgres connection would wait for a second one to write.
    pub async fn holding_reader(&self) -> StoreResult<Db> {
        match &self.pools {
            Pools::Sqlite { read: Some(read), long, .. } if self.can_hold && self.held.is_none() => {
                let lane = if self.long { long.as_ref().unwrap_or(read) } else { read };
                let snapshot = lane.begin().await?;
                Ok(Db { held: Some(std::sync::Arc::new(tokio::sync::Mutex::new(snapshot))), ..self.clone() })
            }
            _ => Ok(self.clone()),
        }
    }

    /// How long counts shown on lists (inbox tabs, loads, the queue board) may be reused
    /// before they are counted again; zero counts on every request (tests). A second by
    /// default: the numbers move all the time during a rush, and each count reads every open
    /// ticket, so a page must not pay for one on every load.
    pub fn with_count_reuse(self, reuse: Duration) -> Db {
        Db { memo: std::sync::Arc::new(memo::Memo::new(reuse)), ..self }
    }

    /// Applies the backend's migrations (embedded in the binary at build time).
    pub async fn migrate(&self) -> StoreResult<()> {
        match &self.pools {
            Pools::Sqlite { write, .. } => {
                let mut conn = write.exclusive().await?;
                sqlx::migrate!("migrations/sqlite").run(&mut *conn).await?
            }
            Pools::Pg(pool) => sqlx::migrate!("migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// The pool for reads. On SQLite, a reader sees every committed write (WAL).
    pub fn read(&self) -> Pool<'_> {
        match (&self.pools, &self.held) {
            (Pools::Sqlite { .. }, Some(held)) => Pool::SqliteHeld(held),
            (Pools::Sqlite { long: Some(long), .. }, None) if self.long => Pool::Sqlite(long),
            (Pools::Sqlite { read: Some(read), .. }, None) => Pool::Sqlite(read),
            (Pools::Sqlite { read: None, write, .. }, None) => Pool::SqliteWriter(write),
            (Pools::Pg(p), _) => Pool::Pg(p),
        }
    }

    /// The pool for single-statement writes.
    pub fn write(&self) -> Pool<'_> {
        match &self.pools {
            Pools::Sqlite { write, .. } => Pool::SqliteWriter(write),
            Pools::Pg(p) => Pool::Pg(p),
        }
    }

    /// Starts a write transaction.
    pub async fn begin(&self) -> StoreResult<Tx> {
        Ok(match &self.pools {
            Pools::Sqlite { write, .. } => Tx::Sqlite(write.begin().await?),
            Pools::Pg(p) => Tx::Pg(p.begin().await?),
        })
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.pools, Pools::Pg(_))
    }

    /// A cheap round trip, for `/healthz`.
    pub async fn ping(&self) -> StoreResult<()> {
        exec_pool!(self.read(), p => sqlx::query("SELECT 1").execute(p).await)?;
        Ok(())
    }

    /// Connections open in each pool, and of them idle: (pool, open, idle).
    pub fn pool_use(&self) -> Vec<(&'static str, u32, usize)> {
        match &self.pools {
            Pools::Sqlite { read, long, write } => {
                let mut pools = Vec::new();
                if let Some(read) = read {
                    pools.push(("read", read.size(), read.num_idle()));
                }
                if let Some(long) = long {
                    pools.push(("long_read", long.size(), long.num_idle()));
                }
                pools.push(("write", 1, usize::from(write.is_idle())));
                pools
            }
            Pools::Pg(p) => vec![("shared", p.size(), p.num_idle())],
        }
    }

    /// SQLite: commits made and write transactions they carried, since the start.
    pub fn sqlite_writes(&self) -> Option<(u64, u64)> {
        match &self.pools {
            Pools::Sqlite { write, .. } => Some(write.commits_and_jobs()),
            Pools::Pg(_) => None,
        }
    }

    pub async fn close(&self) {
        match &self.pools {
            Pools::Sqlite { read, long, write } => {
                for pool in [read, long].into_iter().flatten() {
                    pool.close().await;
                }
                write.close().await;
            }
            Pools::Pg(p) => p.close().await,
        }
    }
}

impl Tx {
    /// Makes the transaction's writes durable; on SQLite it may share its commit with the
    /// transactions queued behind it ([`writer`]), and returns once that commit has.
    pub async fn commit(self) -> StoreResult<()> {
        match self {
            Tx::Sqlite(job) => job.commit().await?,
            Tx::Pg(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// Creates the directory that will hold the SQLite file, or explains why it cannot.
fn ensure_parent_dir(path: &Path) -> StoreResult<()> {
    let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) else {
        return Ok(());
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| StoreError::Config(format!("cannot create the data directory {}: {e}", dir.display())))?;
    let probe = dir.join(".kefu-write-test");
    std::fs::write(&probe, b"")
        .and_then(|_| std::fs::remove_file(&probe))
        .map_err(|e| StoreError::Config(format!("the data directory {} is not writable: {e}", dir.display())))
}

/// Hides a password in a database URL before it is shown anywhere.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// A fresh time-ordered id.
pub fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_start_where_the_domain_says() {
        assert_eq!(tasks_after!().parse::<i64>().unwrap(), crate::domain::queue::TASKS_AFTER);
    }

    #[test]
    fn the_active_list_in_sql_is_the_domain_s() {
        let sql: Vec<String> = crate::domain::TicketStatus::ACTIVE.iter().map(|s| format!("'{s}'")).collect();
        assert_eq!(active_in!(), format!("({})", sql.join(", ")));
    }

    /// Connections the SQLite reader pool has lent out.
    fn readers_out(db: &Db) -> usize {
        let Pools::Sqlite { read: Some(read), .. } = &db.pools else { unreachable!("a SQLite file") };
        read.size() as usize - read.num_idle()
    }

    /// An acknowledged write must survive a power cut: every SQLite connection syncs the log
    /// at each commit (`synchronous = FULL`, 2), the writer above all.
    #[tokio::test]
    async fn sqlite_commits_are_synced_before_they_are_acknowledged() -> StoreResult<()> {
        let (_dir, db) = crate::store::scratch_sqlite().await;
        let reports = db.for_long_reads();
        for pool in [db.write(), db.read(), reports.read()] {
            let level = on_pool!(pool, p => sqlx::query_scalar::<_, i64>("PRAGMA synchronous").fetch_one(p).await)?;
            assert_eq!(level, 2, "synchronous = FULL");
        }
        db.close().await;
        Ok(())
    }

    async fn insert_setting(db: &Db, key: &str) -> StoreResult<u64> {
        Ok(
            exec_pool!(db.write(), p => sqlx::query("INSERT INTO settings (key, value) VALUES ($1, '1')").bind(key).execute(p).await)?,
        )
    }

    /// Waits up to a second for every reader to be back in the pool.
    async fn settle(db: &Db) {
        for _ in 0..100 {
            if readers_out(db) == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    #[tokio::test]
    async fn a_held_reader_serves_concurrent_reads_and_sees_each_commit() {
        let (_dir, db) = crate::store::scratch_sqlite().await;
        let count = |db: Db| async move {
            let n: StoreResult<i64> = async {
                Ok(on_pool!(db.read(), p => sqlx::query_scalar("SELECT COUNT(*) FROM settings").fetch_one(p).await)?)
            }
            .await;
            n.unwrap()
        };
        // A reader used while opening the store goes back to the pool after its check, on
        // a task of the pool's: wait for that before counting.
        settle(&db).await;
        let held = db.holding_reader().await.unwrap();
        assert_eq!(readers_out(&db), 1, "one reader taken for the page");
        // A nested call (a service inside the page) keeps the same connection.
        let nested = held.holding_reader().await.unwrap();
        assert_eq!(readers_out(&db), 1);
        let before = count(held.clone()).await;
        // Concurrent reads take turns on it; none takes another reader from the pool.
        let (a, b, c) = tokio::join!(count(held.clone()), count(nested.clone()), count(held.clone()));
        assert_eq!((a, b, c), (before, before, before));
        assert_eq!(readers_out(&db), 1);
        // The page reads one moment: a write committed meanwhile shows on the next page.
        insert_setting(&db, "test.held").await.unwrap();
        assert_eq!(count(held.clone()).await, before, "the held reads share one snapshot");
        drop((held, nested));
        // Given back to the pool once the last handle is gone (after the pool's check).
        settle(&db).await;
        assert_eq!(readers_out(&db), 0, "the reader went back to the pool");
        assert_eq!(count(db.holding_reader().await.unwrap()).await, before + 1, "the next page sees the write");
        db.close().await;
    }

    /// The page cache of the connection a read runs on, in KiB.
    async fn cache_kib(db: &Db) -> i64 {
        let pages: i64 = on_pool!(db.read(), p => sqlx::query_scalar("PRAGMA cache_size").fetch_one(p).await).unwrap();
        -pages
    }

    #[tokio::test]
    async fn reports_and_pages_read_on_readers_of_their_own() {
        let (_dir, db) = crate::store::scratch_sqlite().await;
        let reports = db.for_long_reads();
        assert_eq!((cache_kib(&db).await, cache_kib(&reports).await), (READER_CACHE_KIB, CACHE_KIB));
        let in_time = |what: &'static str, db: Db| async move {
            tokio::time::timeout(Duration::from_secs(2), db.ping()).await.unwrap_or_else(|_| panic!("{what} waited"))
        };
        // Every page reader busy (a rush): a report still reads at once.
        let pages: Vec<Db> =
            futures_util::future::try_join_all((0..READERS).map(|_| db.holding_reader())).await.unwrap();
        in_time("a report behind the pages", reports.clone()).await.unwrap();
        drop(pages);
        // Every report reader busy (supervisors opening year-long reports): the desk reads.
        let long: Vec<Db> =
            futures_util::future::try_join_all((0..LONG_READERS).map(|_| reports.holding_reader())).await.unwrap();
        assert!(long.iter().all(|held| held.long), "a held report reader stays a report's");
        in_time("a page behind the reports", db.clone()).await.unwrap();
        drop(long);
        // A page's reads stay on the page readers however the handle was made.
        assert!(!db.holding_reader().await.unwrap().long);
        db.close().await;
    }

    #[tokio::test]
    async fn an_in_memory_database_holds_nothing() {
        // Its reader is its only connection, which writes too: holding it would stop writes.
        let db = Db::connect("sqlite::memory:").await.unwrap();
        let held = db.holding_reader().await.unwrap();
        assert!(matches!(held.read(), Pool::SqliteWriter(_)));
        insert_setting(&held, "test.mem").await.unwrap();
    }

    #[test]
    fn redacts_passwords_only() {
        assert_eq!(redact("postgres://kefu:secret@db/kefu"), "postgres://kefu:***@db/kefu");
        assert_eq!(redact("postgres://kefu@db/kefu"), "postgres://kefu@db/kefu");
        assert_eq!(redact("sqlite://data/kefu.db"), "sqlite://data/kefu.db");
    }
}
