//! SQLite's one writer connection, with group commit.
//!
//! SQLite writes one transaction at a time, and with `synchronous = FULL` each commit waits
//! for the log to reach the disk. Under a rush (thirty agents replying, buyers writing in)
//! that sync, not the statements, set the pace. So transactions that queue for the writer
//! share one commit: each job runs inside a savepoint of a batch transaction; a job that
//! finishes while others wait releases its savepoint and lets the next one in, and the last
//! job of the queue commits the batch for everyone. No job is acknowledged before the commit
//! that holds it has returned, so every acknowledged write is still durable; a job that fails
//! rolls back to its savepoint and takes nobody else's work with it.
//!
//! The connection is kept here rather than in a sqlx pool of one: a pool pings every
//! connection it is given back before the next caller may have it, a round trip to the
//! connection's thread on every write.

use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use sqlx::sqlite::SqliteConnection;
use sqlx::{Connection, Executor};
use tokio::sync::{Mutex, Notify, OwnedMutexGuard};

/// The most jobs one commit may carry: bounds how long the first of them waits for it.
const MAX_BATCH: usize = 32;

/// The writer: its connection behind a fair (first come, first served) lock.
#[derive(Debug)]
pub struct Writer {
    state: Arc<Mutex<State>>,
    /// Jobs waiting to begin. A finishing job leaves the batch open only while this is not
    /// zero: someone is certain to come after it.
    queued: AtomicUsize,
    /// Commits made, and jobs they carried (for `/metrics`).
    commits: Arc<AtomicU64>,
    jobs: AtomicU64,
}

#[derive(Debug)]
struct State {
    /// None once closed.
    conn: Option<SqliteConnection>,
    /// The batch transaction open on the connection, if any.
    batch: Option<Arc<Batch>>,
    /// A savepoint the last job opened for the next one, in the hand-off that released its
    /// own (one turn on the connection's thread instead of two). Only with a batch open.
    spare_savepoint: bool,
}

/// One batch transaction: how many jobs joined it, and how it ended.
#[derive(Debug, Default)]
struct Batch {
    members: AtomicUsize,
    outcome: OnceLock<Result<(), String>>,
    /// Told when `outcome` is set, so members waiting for the commit need not take the
    /// connection's lock (each turn of the lock is a task woken while the writer waits).
    ended: Notify,
}

impl Batch {
    fn end(&self, outcome: Result<(), String>) {
        let _ = self.outcome.set(outcome);
        self.ended.notify_waiters();
    }
}

/// The savepoint each job runs in. One name serves all: jobs never nest.
const SAVEPOINT: &str = "SAVEPOINT kefu_job";
const RELEASE_FOR_NEXT: &str = "RELEASE kefu_job; SAVEPOINT kefu_job";
const ROLLBACK_JOB: &str = "ROLLBACK TO kefu_job; RELEASE kefu_job";

impl Writer {
    pub fn over(conn: SqliteConnection) -> Writer {
        Writer {
            state: Arc::new(Mutex::new(State { conn: Some(conn), batch: None, spare_savepoint: false })),
            queued: AtomicUsize::new(0),
            commits: Arc::new(AtomicU64::new(0)),
            jobs: AtomicU64::new(0),
        }
    }

    /// Starts a job: a savepoint inside the open batch, or a new batch. Waits its turn.
    pub async fn begin(self: &Arc<Self>) -> Result<Job, sqlx::Error> {
        let mut guard = {
            let _queued = Queued::new(&self.queued);
            self.state.clone().lock_owned().await
        };
        let open = guard.batch.clone();
        let spare = std::mem::take(&mut guard.spare_savepoint);
        let conn = guard.conn.as_mut().ok_or(sqlx::Error::PoolClosed)?;
        let batch = match open {
            Some(b) if spare => b,
            Some(b) => {
                run(&mut *conn, SAVEPOINT).await?;
                b
            }
            None => {
                // IMMEDIATE takes the write lock now, waiting (busy timeout) for another
                // process's writer (the CLI beside a running server) instead of failing later.
                run(&mut *conn, "BEGIN IMMEDIATE; SAVEPOINT kefu_job").await?;
                let b = Arc::new(Batch::default());
                guard.batch = Some(b.clone());
                b
            }
        };
        batch.members.fetch_add(1, Ordering::Relaxed);
        self.jobs.fetch_add(1, Ordering::Relaxed);
        Ok(Job { guard: Some(guard), batch, writer: self.clone() })
    }

    /// The connection alone, with no batch open: commits any batch still open first.
    /// For single statements, which then commit by themselves, and for migrations, which
    /// run their own transactions. Its connection must not be used once the store is closed.
    pub async fn alone(&self) -> Exclusive {
        let mut guard = self.state.clone().lock_owned().await;
        if guard.batch.is_some() {
            let commits = self.commits.clone();
            guard = shielded(async move {
                settle(&commits, &mut guard).await;
                guard
            })
            .await;
        }
        Exclusive(guard)
    }

    /// [`Writer::alone`], or an error once the store is closed.
    pub async fn exclusive(&self) -> Result<Exclusive, sqlx::Error> {
        let alone = self.alone().await;
        match alone.0.conn {
            Some(_) => Ok(alone),
            None => Err(sqlx::Error::PoolClosed),
        }
    }

    /// Commits what is open and closes the connection.
    pub async fn close(&self) {
        let mut guard = self.state.lock().await;
        settle(&self.commits, &mut guard).await;
        if let Some(conn) = guard.conn.take() {
            let _ = conn.close().await;
        }
    }

    /// Whether the writer is free right now (for `/metrics`).
    pub fn is_idle(&self) -> bool {
        self.state.try_lock().is_ok()
    }

    /// Jobs waiting to begin.
    #[cfg(test)]
    fn queued(&self) -> usize {
        self.queued.load(Ordering::SeqCst)
    }

    /// Commits made and jobs they carried, since the start.
    pub fn commits_and_jobs(&self) -> (u64, u64) {
        (self.commits.load(Ordering::Relaxed), self.jobs.load(Ordering::Relaxed))
    }
}

/// Commits the open batch, if any (whoever holds the lock may: every member has released
/// its savepoint before it let go of the lock). The batch stays marked open until its commit
/// has returned.
async fn settle(commits: &AtomicU64, state: &mut State) {
    settle_with(commits, state, COMMIT).await
}

/// What ends a batch: the search index's rows written once for all its jobs
/// (`store::search::SQLITE_PENDING` says why), then the commit.
const COMMIT: &str = concat!(crate::sqlite_fts_flush!(), " COMMIT");
/// [`COMMIT`] after the last job's release, in one hand-off.
const RELEASE_AND_COMMIT: &str = concat!("RELEASE kefu_job; ", crate::sqlite_fts_flush!(), " COMMIT");

/// [`settle`] with the statements that end the batch: `COMMIT`, or the last job's
/// `RELEASE …; COMMIT` in one hand-off. On failure the batch is rolled back, so the
/// connection is clean: none of it was acknowledged.
async fn settle_with(commits: &AtomicU64, state: &mut State, sql: &'static str) {
    let Some(batch) = state.batch.clone() else { return };
    let outcome = match state.conn.as_mut() {
        Some(conn) => match run(&mut *conn, sql).await {
            Ok(()) => Ok(()),
            Err(e) => {
                // A failed COMMIT may leave the transaction open (a busy lock), a failed
                // RELEASE certainly does; no transaction left is fine too.
                let _ = run(&mut *conn, "ROLLBACK").await;
                tracing::error!(error = %e, "a batch of writes failed to commit");
                Err(e.to_string())
            }
        },
        None => Err("the store was closed".to_string()),
    };
    state.batch = None;
    state.spare_savepoint = false;
    commits.fetch_add(1, Ordering::Relaxed);
    batch.end(outcome);
}

/// Runs `work` to its end on a task of its own, even if the caller stops waiting (a request
/// given up half-way, the buyer having closed the page): a commit must never be cut off with
/// the batch's other jobs waiting on it.
async fn shielded<T: Send + 'static>(work: impl std::future::Future<Output = T> + Send + 'static) -> T {
    match tokio::spawn(work).await {
        Ok(done) => done,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => panic!("the writer's task was cancelled: {e}"),
    }
}

/// Runs `sql` (one or more statements) on the writer's connection. Through the executor
/// trait, whose future is boxed and typed `Send`: sqlx's `async fn` statement futures held
/// inside these functions' futures defeated the compiler's proof that a spawned task holding
/// them is `Send` ("implementation of `Executor` is not general enough", rust-lang/rust#110338).
async fn run(conn: &mut SqliteConnection, sql: &'static str) -> Result<(), sqlx::Error> {
    conn.execute(sql).await.map(|_| ())
}

/// Counts a job while it waits to begin, also when its wait is given up.
struct Queued<'a>(&'a AtomicUsize);

impl<'a> Queued<'a> {
    fn new(n: &'a AtomicUsize) -> Self {
        n.fetch_add(1, Ordering::SeqCst);
        Queued(n)
    }
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The writer's connection with no batch open.
pub struct Exclusive(OwnedMutexGuard<State>);

impl Deref for Exclusive {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        self.0.conn.as_ref().expect("the SQLite store is closed")
    }
}

impl DerefMut for Exclusive {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        self.0.conn.as_mut().expect("the SQLite store is closed")
    }
}

/// One transaction's work on the writer. Dropped without [`Job::commit`], its savepoint is
/// rolled back: its own statements go, the batch's other jobs stay.
#[derive(Debug)]
pub struct Job {
    guard: Option<OwnedMutexGuard<State>>,
    batch: Arc<Batch>,
    writer: Arc<Writer>,
}

impl Deref for Job {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        self.guard.as_ref().and_then(|g| g.conn.as_ref()).expect("a job holds the open writer")
    }
}

impl DerefMut for Job {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        self.guard.as_mut().and_then(|g| g.conn.as_mut()).expect("a job holds the open writer")
    }
}

impl Job {
    /// Makes the job's writes durable: returns once the commit that carries them has.
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        let guard = self.guard.take().expect("a job commits once");
        let (writer, batch) = (self.writer.clone(), self.batch.clone());
        shielded(end(writer, batch, guard)).await.map_err(sqlx::Error::Protocol)
    }
}

/// Ends a job whose statements have run: commits its batch now, or, while others wait to
/// begin, lets them in and waits for the commit that carries it.
async fn end(writer: Arc<Writer>, batch: Arc<Batch>, mut guard: OwnedMutexGuard<State>) -> Result<(), String> {
    let Some(conn) = guard.conn.as_mut() else { return Err("the store was closed".to_string()) };
    let others_waiting = writer.queued.load(Ordering::SeqCst) > 0;
    if others_waiting && batch.members.load(Ordering::Relaxed) < MAX_BATCH {
        // The next job's savepoint opens in the same hand-off.
        if let Err(e) = run(&mut *conn, RELEASE_FOR_NEXT).await {
            roll_back_job(batch, guard).await;
            return Err(e.to_string());
        }
        guard.spare_savepoint = true;
        drop(guard);
        // A later job commits the batch, or none comes and this one does when its turn
        // comes again. The outcome can only be set under the lock, released above: asked
        // for before it is looked at, its news cannot be missed.
        let ended = batch.ended.notified();
        tokio::pin!(ended);
        ended.as_mut().enable();
        if let Some(done) = batch.outcome.get() {
            return done.clone();
        }
        return tokio::select! {
            () = ended => batch.outcome.get().cloned().unwrap_or(Ok(())),
            mut guard = writer.state.clone().lock_owned() => finish(&writer, &batch, &mut guard).await,
        };
    }
    // Nobody waiting: commit now, with whatever the batch holds.
    settle_with(&writer.commits, &mut guard, RELEASE_AND_COMMIT).await;
    batch.outcome.get().cloned().unwrap_or(Ok(()))
}

impl Drop for Job {
    fn drop(&mut self) {
        let Some(guard) = self.guard.take() else { return };
        // Rolled back on a task of its own, still holding the lock, so the next job starts
        // from a clean savepoint stack. Outside a runtime (shutting down) the batch is left
        // uncommitted, which SQLite rolls back when the connection closes.
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(roll_back_job(self.batch.clone(), guard));
        }
    }
}

/// Undoes one job's savepoint. If the job was the batch's only member, the batch ends too.
async fn roll_back_job(batch: Arc<Batch>, mut guard: OwnedMutexGuard<State>) {
    let Some(conn) = guard.conn.as_mut() else { return };
    let undone = run(&mut *conn, ROLLBACK_JOB).await;
    let left = batch.members.fetch_sub(1, Ordering::Relaxed) - 1;
    match undone {
        Ok(_) if left > 0 => {} // the others, waiting for the lock, commit it
        Ok(_) => {
            // Nothing else in it: end the (empty) transaction.
            let _ = run(&mut *conn, "ROLLBACK").await;
            guard.batch = None;
            guard.spare_savepoint = false;
            batch.end(Ok(()));
        }
        Err(e) => {
            // The savepoint is gone with the whole transaction (SQLite ends it on some
            // errors): the batch's other jobs are lost and must hear so.
            tracing::error!(error = %e, "a failed write took its batch with it");
            let _ = run(&mut *conn, "ROLLBACK").await;
            guard.batch = None;
            guard.spare_savepoint = false;
            batch.end(Err(e.to_string()));
        }
    }
}

/// The batch's outcome, committing it if nobody has yet.
async fn finish(writer: &Writer, batch: &Arc<Batch>, state: &mut State) -> Result<(), String> {
    if let Some(done) = batch.outcome.get() {
        return done.clone();
    }
    // Not ended, so it is still the open batch (a new one opens only after it ends).
    debug_assert!(state.batch.as_ref().is_some_and(|b| Arc::ptr_eq(b, batch)));
    settle(&writer.commits, state).await;
    batch.outcome.get().cloned().unwrap_or(Ok(()))
}

#[cfg(test)]
mod tests {
    use crate::store::{Db, Pools, Tx};

    async fn keys(db: &Db) -> Vec<String> {
        let Pools::Sqlite { read: Some(read), .. } = &db.pools else { unreachable!("a SQLite file") };
        sqlx::query_scalar("SELECT key FROM settings WHERE key LIKE 'test.%' ORDER BY key")
            .fetch_all(read)
            .await
            .unwrap()
    }

    async fn put(tx: &mut Tx, key: &str) {
        let Tx::Sqlite(job) = tx else { unreachable!("SQLite") };
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, '1')").bind(key).execute(&mut **job).await.unwrap();
    }

    /// Transactions queued behind one another share a commit, every one of them is stored,
    /// and one that fails takes only its own writes back.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn queued_transactions_share_one_commit_and_a_failed_one_goes_alone() {
        let (_dir, db) = crate::store::scratch_sqlite().await;
        let Pools::Sqlite { write, .. } = &db.pools else { unreachable!("a SQLite file") };
        let (commits_before, _) = write.commits_and_jobs();
        // The first transaction holds the writer while twenty others queue behind it.
        let mut first = db.begin().await.unwrap();
        put(&mut first, "test.00").await;
        let tasks: Vec<_> = (1..=20)
            .map(|i| {
                let db = db.clone();
                tokio::spawn(async move {
                    let mut tx = db.begin().await.unwrap();
                    put(&mut tx, &format!("test.{i:02}")).await;
                    if i == 7 {
                        return false; // fails: dropped without a commit
                    }
                    tx.commit().await.unwrap();
                    true
                })
            })
            .collect();
        while write.queued() < 20 {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        first.commit().await.unwrap();
        for t in tasks {
            t.await.unwrap();
        }
        let mut want: Vec<String> = (0..=20).filter(|i| *i != 7).map(|i| format!("test.{i:02}")).collect();
        want.sort();
        assert_eq!(keys(&db).await, want, "every committed transaction stored, the failed one not");
        let (commits, _) = write.commits_and_jobs();
        assert_eq!(commits - commits_before, 1, "twenty-one transactions, one commit");
        db.close().await;
    }

    /// A transaction that let the next one in (and opened its savepoint for it) still
    /// commits when that one gives up half-way: its own writes stay, the other's go, and the
    /// writer is clean for whoever comes next.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_commit_holds_when_the_transaction_let_in_after_it_gives_up() {
        let (_dir, db) = crate::store::scratch_sqlite().await;
        let Pools::Sqlite { write, .. } = &db.pools else { unreachable!("a SQLite file") };
        let mut first = db.begin().await.unwrap();
        put(&mut first, "test.a").await;
        let (wrote, written) = tokio::sync::oneshot::channel();
        let second = tokio::spawn({
            let db = db.clone();
            async move {
                let mut tx = db.begin().await.unwrap();
                put(&mut tx, "test.b").await;
                wrote.send(()).unwrap();
                std::future::pending::<()>().await; // a request given up: never commits
                drop(tx);
            }
        });
        while write.queued() < 1 {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        let commit = tokio::spawn(first.commit());
        written.await.unwrap();
        second.abort();
        tokio::time::timeout(std::time::Duration::from_secs(5), commit).await.expect("committed").unwrap().unwrap();
        assert_eq!(keys(&db).await, ["test.a"], "the first's write stored, the abandoned one's not");
        let mut third = db.begin().await.unwrap();
        put(&mut third, "test.c").await;
        third.commit().await.unwrap();
        assert_eq!(keys(&db).await, ["test.a", "test.c"]);
        db.close().await;
    }

    /// A transaction alone commits at once, and a single statement outside any transaction
    /// commits a batch still open before it runs.
    #[tokio::test]
    async fn a_lone_transaction_commits_at_once() {
        let (_dir, db) = crate::store::scratch_sqlite().await;
        let mut tx = db.begin().await.unwrap();
        put(&mut tx, "test.a").await;
        assert!(keys(&db).await.is_empty(), "not seen before its commit");
        tx.commit().await.unwrap();
        assert_eq!(keys(&db).await, ["test.a"]);
        let tx = db.begin().await.unwrap();
        drop(tx);
        // The dropped transaction's rollback runs on a task that holds the writer; the next
        // write waits for it and finds the writer clean.
        let mut tx = db.begin().await.unwrap();
        put(&mut tx, "test.b").await;
        tx.commit().await.unwrap();
        assert_eq!(keys(&db).await, ["test.a", "test.b"]);
        db.close().await;
    }
}
